"""Crash-safe file writes: temp file in the same folder, fsync, os.replace, folder fsync.

A writer killed at any point leaves either the old or the new file, never a
truncated one.  What it may leave is a temp file, which `sweep_temp_files`
removes at start-up.
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")


def _temp_path_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that readers see the old or the new bytes only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_path_for(path)
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` as UTF-8, exactly as given (no newline translation)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_delete(path: Path) -> None:
    """Remove a file and make the removal durable."""
    path = Path(path)
    path.unlink()
    fsync_dir(path.parent)


def sweep_temp_files(folder: Path) -> list[Path]:
    """Delete temp files a crashed writer left anywhere under `folder`; return them."""
    swept = []
    folder = Path(folder)
    if not folder.is_dir():
        return swept
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            if TEMP_NAME.match(name):
                stale = Path(dirpath) / name
                stale.unlink(missing_ok=True)
                swept.append(stale)
    return swept
