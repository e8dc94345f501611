"""The fixity manifest: the SHA-256 of every content file, in ROOT/.fixity/manifest-sha256.txt.

The file has the `sha256sum` format ("<hex>  <path>" per line, sorted), so `sha256sum -c` can
check it too.  It is rewritten atomically under a lock on every change; hashes are streamed
(`hashlib.file_digest`), so a 20 GB recording is never held in memory.
"""
from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.safe_write import atomic_write_text

FOLDER = ".fixity"
MANIFEST = "manifest-sha256.txt"


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _escape(relative: str) -> str:
    return relative.replace("\\", "\\\\").replace("\n", "\\n")


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\\\", "\\")


def parse_manifest(text: str) -> dict[str, str]:
    """{relative path: sha256} from the text of a manifest (sha256sum format, escaped names)."""
    entries = {}
    for line in text.splitlines():
        escaped = line.startswith("\\")
        digest, _, name = line.lstrip("\\").partition("  ")
        if len(digest) == 64 and name:
            entries[_unescape(name) if escaped else name] = digest
    return entries


def format_manifest(entries: dict[str, str]) -> str:
    """The manifest text for `entries`, sorted by path."""
    lines = []
    for name in sorted(entries):
        escaped = _escape(name)
        prefix = "\\" if escaped != name else ""  # sha256sum marks an escaped name so
        lines.append(f"{prefix}{entries[name]}  {escaped}\n")
    return "".join(lines)


class Manifest:
    """The recorded checksums of one archive root."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.path = self.root / FOLDER / MANIFEST

    def exists(self) -> bool:
        """Has this root a manifest yet (`archive fixity --init`)?"""
        return self.path.is_file()

    def read(self) -> dict[str, str]:
        """{relative path: sha256} as recorded."""
        return parse_manifest(self.path.read_text(encoding="utf-8")) if self.exists() else {}

    def write(self, entries: dict[str, str]) -> None:
        """Replace the manifest with `entries`."""
        atomic_write_text(self.path, format_manifest(entries))

    @contextmanager
    def editing(self) -> Iterator[dict[str, str]]:
        """The entries, for changing in place, written back under the lock (one writer at a time)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.parent / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            entries = self.read()
            before = dict(entries)
            yield entries
            if entries != before or not self.exists():
                self.write(entries)

    def record(self, relative_paths: list[str]) -> dict[str, tuple[str | None, str | None]]:
        """Re-hash these paths (dropping the ones now gone); {path: (old sha, new sha)}."""
        changes = {}
        with self.editing() as entries:
            for relative in relative_paths:
                path = self.root / relative
                new = sha256_of(path) if path.is_file() else None
                old = entries.pop(relative, None)
                if new is not None:
                    entries[relative] = new
                changes[relative] = (old, new)
        return changes
