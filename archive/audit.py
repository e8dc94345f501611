"""The audit log: an append-only file of JSON lines in the instance folder.

Each line says who did what to which item and when, with the SHA-256 version
tags of the item before and after (None where it did not exist) and `prev`,
the hash of the line before it, so a removed or edited line shows.  Lines are
appended under a lock and fsync'd.  A writer killed mid-line leaves a torn last
line; readers skip it and the next writer starts on a fresh line.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from archive.safe_write import fsync_dir

TAIL_BYTES = 64 * 1024


def line_hash(line: bytes) -> str:
    """The chain hash of one log line (without its newline)."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()[:16]


def _last_line(handle_fd: int) -> tuple[bytes, bool]:
    """(last complete line, whether the file ends with a newline)."""
    size = os.fstat(handle_fd).st_size
    if size == 0:
        return b"", True
    start = max(0, size - TAIL_BYTES)
    tail = os.pread(handle_fd, size - start, start)
    ends_clean = tail.endswith(b"\n")
    lines = tail.split(b"\n")
    complete = lines[:-1]  # the part after the last newline is empty or torn
    return (complete[-1] if complete else b""), ends_clean


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(raw)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


class AuditLog:
    """Append and read audit entries."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def record(self, who: str | None, action: str, target: str, before: str | None = None,
               after: str | None = None, **details: Any) -> dict[str, Any]:
        """Append one entry and flush it to disk; return it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            last, ends_clean = _last_line(fd)
            entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                     "who": who or "system", "action": action, "target": target,
                     "before": before, "after": after, **details,
                     "prev": line_hash(last) if last else None}
            data = json.dumps(entry, ensure_ascii=False, sort_keys=False).encode("utf-8") + b"\n"
            os.write(fd, (b"" if ends_clean else b"\n") + data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.path.parent)
        return entry

    def entries(self, target: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Readable entries, oldest first (optionally for one target, the newest `limit`)."""
        if not self.path.is_file():
            return []
        found = []
        with open(self.path, "rb") as handle:
            for raw in handle:
                if not raw.endswith(b"\n"):
                    continue  # torn by a crash
                try:
                    entry = json.loads(raw)
                except ValueError:
                    continue
                if target is None or entry.get("target") == target:
                    found.append(entry)
        return found[-limit:] if limit else found

    def latest(self, count: int) -> list[dict[str, Any]]:
        """The newest `count` readable entries, newest first, read from the end of the file."""
        if not self.path.is_file():
            return []
        found: list[dict[str, Any]] = []
        with open(self.path, "rb") as handle:
            end = handle.seek(0, os.SEEK_END)
            tail = b""
            while end > 0 and len(found) < count:
                start = max(0, end - TAIL_BYTES)
                handle.seek(start)
                tail = handle.read(end - start) + tail
                end = start
                lines = tail.split(b"\n")
                tail = lines[0] if start > 0 else b""  # possibly cut: keep for the next block
                for raw in reversed(lines[1:] if start > 0 else lines):
                    entry = _parse(raw)
                    if entry is not None and len(found) < count:
                        found.append(entry)
        return found

    def verify_chain(self) -> list[int]:
        """Line numbers whose `prev` does not match the line before (empty when intact)."""
        broken, previous = [], None
        if not self.path.is_file():
            return broken
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.endswith(b"\n"):
                    continue
                try:
                    entry = json.loads(raw)
                except ValueError:
                    broken.append(number)
                    continue
                if entry.get("prev") != (line_hash(previous) if previous else None):
                    broken.append(number)
                previous = raw
        return broken
