"""A copy of the sample collection in tmp_path with an archivist account, for the exchange tests."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from archive.context import ArchiveContext, ArchivePaths

REPO = Path(__file__).resolve().parent.parent
ARCHIVIST = "dangan1"


def sample_copy(tmp_path: Path) -> Path:
    """stories/, people/, collections/ and media/ of the sample archive, with an archivist account."""
    root = tmp_path / "sample"
    for folder in ("stories", "people", "collections", "media"):
        shutil.copytree(REPO / folder, root / folder)
    ArchiveContext(ArchivePaths.for_root(root)).accounts.add_user(ARCHIVIST, "correct-horse-battery", "archivist",
                                                                  display_name="档案员")
    return root


def fingerprint(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every story and person file."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("stories", "people") for p in sorted((root / folder).glob("*.md"))}
