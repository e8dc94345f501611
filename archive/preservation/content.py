"""Which files of an archive root are content (what fixity watches, bags carry, git records)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from archive.safe_write import TEMP_NAME

CONTENT_FOLDERS = ("stories", "people", "media", "collections", "lectures", "vocabularies")


def is_content(relative: str) -> bool:
    """Is 'stories/x.md' (a path relative to the root, '/'-separated) a content file?"""
    parts = relative.split("/")
    if len(parts) < 2 or parts[0] not in CONTENT_FOLDERS:
        return False
    return not any(part.startswith(".") for part in parts[1:]) and not TEMP_NAME.match(parts[-1])


def relative_to_root(root: Path, path: Path) -> str | None:
    """'stories/x.md' for a path inside `root`, or None for one outside it."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return None


def content_files(root: Path) -> Iterator[str]:
    """Every content file under `root`, as sorted relative paths (lock and temp files left out)."""
    root = Path(root)
    for folder in CONTENT_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        found = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                relative = (Path(dirpath) / name).relative_to(root).as_posix()
                if is_content(relative):
                    found.append(relative)
        yield from sorted(found)
