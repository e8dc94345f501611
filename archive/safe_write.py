"""Crash-safe file writes: temp file in the same folder, fsync, os.replace, folder fsync.

A writer killed at any point leaves either the old or the new file, never a
truncated one.  What it may leave is a temp file, which `sweep_temp_files`
removes at start-up.

Storage that refuses a write (read-only, full, over quota, no permission) is
not a crash but something to tell the user: those OSErrors become a
`StorageError`, with a Chinese reason, after the temp file is removed.
"""
from __future__ import annotations

import errno
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")
STORAGE_REASONS = {
    errno.ENOSPC: "存储空间已满",
    errno.EDQUOT: "存储配额已用完",
    errno.EROFS: "存储为只读",
    errno.EACCES: "没有写入存储的权限",
    errno.EPERM: "没有写入存储的权限",
}
FULL = (errno.ENOSPC, errno.EDQUOT)


class StorageError(OSError):
    """A write the storage refused; `message` says why in Chinese, `status` is the HTTP answer.

    An OSError, so callers that already treat OSError as "could not write" keep working."""

    def __init__(self, code: int, path: Path | str | None = None, reason: str | None = None):
        super().__init__(code, reason or STORAGE_REASONS.get(code, "存储无法写入"), str(path) if path else None)

    @property
    def message(self) -> str:
        """The reason, for a page or a JSON answer (no server paths)."""
        return self.strerror

    @property
    def status(self) -> int:
        """507 Insufficient Storage for a full disk or quota, else 503 Service Unavailable."""
        return 507 if self.errno in FULL else 503


def as_storage_error(error: OSError) -> StorageError | None:
    """`error` as a StorageError if it says the storage refused a write, else None."""
    if isinstance(error, StorageError):
        return error
    if error.errno in STORAGE_REASONS:
        return StorageError(error.errno, error.filename)
    return None


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn a refused write anywhere inside the block into a StorageError."""
    try:
        yield
    except OSError as error:
        converted = as_storage_error(error)
        if converted is None or converted is error:
            raise
        raise converted from error


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def probe_writable(folder: Path, size: int = 0) -> None:
    """Raise StorageError unless `folder` is on a writable file system with room for `size` bytes.

    Asks the file system (statvfs: read-only flag, blocks free to us) instead of writing a probe
    file, so a save costs no extra fsync; a quota or a disk that fills in the instant before the
    write is still caught by the write itself.  A folder that does not exist yet is asked at its
    nearest existing parent (where it would be made)."""
    place = _existing(Path(folder))
    with storage_errors():
        stats = os.statvfs(place)
    if stats.f_flag & os.ST_RDONLY:
        raise StorageError(errno.EROFS, place)
    if size and stats.f_bavail * stats.f_frsize < size + stats.f_frsize:
        raise StorageError(errno.ENOSPC, place)


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
    temp = _temp_path_for(path)
    with storage_errors():
        path.parent.mkdir(parents=True, exist_ok=True)
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
    with storage_errors():
        path.unlink()
        fsync_dir(path.parent)


def sweep_temp_files(folder: Path) -> list[Path]:
    """Delete temp files a crashed writer left anywhere under `folder`; return them.

    On storage that cannot be written they stay (readers never look at temp names)."""
    swept = []
    folder = Path(folder)
    if not folder.is_dir():
        return swept
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            if TEMP_NAME.match(name):
                stale = Path(dirpath) / name
                try:
                    stale.unlink(missing_ok=True)
                except OSError as error:
                    if as_storage_error(error) is None:
                        raise
                    continue
                swept.append(stale)
    return swept
