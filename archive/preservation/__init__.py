"""Preservation: the fixity manifest, git replication, BagIt export and restore, and purge.

The content files stay the truth; everything here reads them (fixity, bags) or follows the
one write path (`Editor.observers`) to keep the manifest and the git history in step.
"""
