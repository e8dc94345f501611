"""What the admin page shows about preservation: the manifest, the last fixity check, git."""
from __future__ import annotations

from dataclasses import dataclass

from archive.preservation.fixity import KIND_NAMES, last_check
from archive.preservation.git_history import is_replica, records_commits
from archive.preservation.manifest import Manifest


@dataclass
class PreservationStatus:
    """One look at the archive's preservation state."""

    manifest_files: int | None  # None: no manifest yet
    last_check: dict | None
    commits: bool
    replica: bool

    @property
    def kind_names(self) -> dict[str, str]:
        return KIND_NAMES


def preservation_status(context) -> PreservationStatus:
    """The state of the archive behind `context`."""
    manifest = Manifest(context.paths.root)
    files = len(manifest.read()) if manifest.exists() else None
    root = context.paths.root
    return PreservationStatus(files, last_check(context.paths.instance_dir), records_commits(root), is_replica(root))
