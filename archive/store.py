"""The content store: the one module that lists, reads, writes and deletes the
archive's Markdown files (stories/ and people/).

Files are the truth.  Reads are cached by (mtime, size) and re-parsed only
when a file changes; writes are atomic and refuse to overwrite a file that
changed since the caller read it (a stale edit).
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from archive.config import setting
from archive.frontmatter import FrontMatterError
from archive.limits import MAX_FILE_BYTES
from archive.models import Person, Record, Story, content_version
from archive.safe_write import atomic_delete, atomic_write_text, sweep_temp_files

SLUG = re.compile(r"^[\w][\w-]*$")

R = TypeVar("R", bound=Record)
NEW_FILE_VERSION = content_version(b"")  # base_version meaning "must not exist yet"


class ContentError(Exception):
    """A file that cannot be read as a story or person, with where and why."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


class StaleEditError(Exception):
    """The file changed since the editor read it; saving would lose that change."""

    def __init__(self, current: Record | None):
        super().__init__("文件已被他人修改")
        self.current = current


def is_valid_slug(slug: str) -> bool:
    """Is `slug` a safe file stem (letters, digits, CJK, '-' and '_'; no dots or slashes)?"""
    return bool(SLUG.match(slug)) and len(slug) <= 120


def read_text_file(path: Path) -> str:
    """Read a UTF-8 text file; raise ContentError for binary, non-UTF-8 or huge files."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(path, 1, f"文件过大（{size // 1024} KB，上限 {MAX_FILE_BYTES // 1024} KB）")
    data = path.read_bytes()
    if b"\x00" in data:
        raise ContentError(path, 1, "这是二进制文件，不是文本")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ContentError(path, line, "不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8") from None


@dataclass
class _Folder:
    """One kind of record kept as <folder>/<slug>.md."""

    path: Path
    kind: type[Record]


class ContentStore:
    """Stories and people of one archive root."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.stories_dir = self.root / "stories"
        self.people_dir = self.root / "people"
        self.media_dir = self.root / "media"
        self._cache: dict[str, tuple[tuple[int, int], Record]] = {}  # path string -> ((mtime_ns, size), record)
        self.load_errors: dict[Path, ContentError] = {}
        # called with (path, record or None) after each write or delete, under the folder's write lock,
        # so no other writer of the folder comes between (archive.catalog keeps its listing current)
        self.listeners: list[Callable[[Path, Record | None], None]] = []

    # -- start-up -------------------------------------------------------
    def sweep(self) -> list[Path]:
        """Remove temp files left by a crashed writer anywhere in the archive."""
        swept = []
        for folder in (self.stories_dir, self.people_dir, self.media_dir, self.root / "lectures"):
            swept += sweep_temp_files(folder)
        return swept

    # -- any kind of record kept as <folder>/<slug>.md (stories, people, lecture plans) --
    def _path(self, folder: Path, slug: str) -> Path:
        if not is_valid_slug(slug):
            raise KeyError(slug)
        return folder / f"{slug}.md"

    def _load(self, path: Path, kind: type[R]) -> R:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(str(path))
        if cached and cached[0] == key:
            return cached[1]  # type: ignore[return-value]
        text = read_text_file(path)
        try:
            record = kind.from_text(path.stem, text, stat.st_mtime)
        except FrontMatterError as error:
            raise ContentError(path, error.line, error.message) from None
        self._cache[str(path)] = (key, record)
        return record

    def list_records(self, folder: Path, kind: type[R]) -> list[R]:
        """Every readable <folder>/<slug>.md as `kind`; unreadable files go to `load_errors`."""
        records = []
        if not folder.is_dir():
            return records
        with os.scandir(folder) as entries:
            found = sorted((entry for entry in entries if entry.name.endswith(".md")), key=lambda entry: entry.name)
        for entry in found:  # strings and DirEntry: a Path per file cost most of a rescan of 2,000 stories
            seen = self._cache.get(entry.path)  # (a file read before has a valid name)
            if seen is None and (entry.name.startswith(".") or not is_valid_slug(entry.name[:-3])):
                continue
            try:
                stat = entry.stat()
            except OSError:
                continue  # gone since the listing
            if seen is not None and seen[0] == (stat.st_mtime_ns, stat.st_size):
                records.append(seen[1])
                continue
            path = Path(entry.path)
            try:
                record = self._load(path, kind)
            except ContentError as error:
                self.load_errors[path] = error
                continue
            except OSError as error:  # unreadable (permissions, I/O): reported like a bad file, the rest still listed
                self.load_errors[path] = ContentError(path, 1, f"无法读取：{error.strerror or error}")
                continue
            self.load_errors.pop(path, None)
            records.append(record)
        return records

    def get_record(self, folder: Path, slug: str, kind: type[R]) -> R | None:
        """<folder>/<slug>.md as `kind`, or None (unknown, unsafe or unreadable slug)."""
        try:
            path = self._path(folder, slug)
        except KeyError:
            return None
        if not path.is_file():
            return None
        try:
            return self._load(path, kind)
        except ContentError as error:
            self.load_errors[path] = error
            return None

    @contextmanager
    def _locked(self, folder: Path) -> Iterator[None]:
        """One writer at a time per folder, across processes."""
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def write_lock(self, folder: Path):
        """The lock every writer of `folder` holds (a consistent snapshot holds it too)."""
        return self._locked(folder)

    def save_record(self, folder: Path, record: R, base_version: str | None, kind: type[R]) -> R:
        """Write a record atomically under the folder lock; refuse a stale edit (StaleEditError)."""
        path = self._path(folder, unicodedata.normalize("NFC", record.slug))
        text = record.to_text()
        with self._locked(folder):
            if base_version is not None:
                current = path.read_bytes() if path.exists() else b""
                if content_version(current) != base_version:
                    raise StaleEditError(self.get_record(folder, record.slug, kind))
            atomic_write_text(path, text)
            self._cache.pop(str(path), None)
            saved = self.get_record(folder, record.slug, kind)
            assert saved is not None
            self._tell(path, saved)
        return saved

    def _tell(self, path: Path, record: Record | None) -> None:
        """Tell the listeners, still under the folder's lock, that `path` now holds `record` (None: gone)."""
        for listener in self.listeners:
            try:
                listener(path, record)
            except Exception:  # the file is written; a listener that failed sees it by the folder's mtime
                logging.getLogger(__name__).exception("写入后的通知失败：%s", path)

    def delete_record(self, folder: Path, slug: str) -> bool:
        """Delete <folder>/<slug>.md durably; False if there was none."""
        try:
            path = self._path(folder, slug)
        except KeyError:
            return False
        with self._locked(folder):
            if not path.exists():
                return False
            atomic_delete(path)
            self._cache.pop(str(path), None)
            self._tell(path, None)
        return True

    # -- stories --------------------------------------------------------
    def list_stories(self) -> list[Story]:
        """Every readable story, by slug; unreadable files are in `load_errors`."""
        return self.list_records(self.stories_dir, Story)

    def get_story(self, slug: str) -> Story | None:
        """The story with this slug, or None (unknown, unsafe or unreadable slug)."""
        return self.get_record(self.stories_dir, slug, Story)

    def save_story(self, story: Story, base_version: str | None = None) -> Story:
        """Write a story atomically; with `base_version`, refuse a stale edit."""
        return self.save_record(self.stories_dir, story, base_version, Story)

    def delete_story(self, slug: str) -> bool:
        """Delete a story file; False if there was none."""
        return self.delete_record(self.stories_dir, slug)

    def story_path(self, slug: str) -> Path:
        """Where the story with this slug lives (or would live)."""
        return self._path(self.stories_dir, slug)

    # -- people ---------------------------------------------------------
    def list_people(self) -> list[Person]:
        """Every readable person profile, by slug."""
        return self.list_records(self.people_dir, Person)

    def get_person(self, slug: str) -> Person | None:
        """The person with this slug, or None."""
        return self.get_record(self.people_dir, slug, Person)

    def save_person(self, person: Person, base_version: str | None = None) -> Person:
        """Write a person profile atomically; with `base_version`, refuse a stale edit."""
        return self.save_record(self.people_dir, person, base_version, Person)

    def delete_person(self, slug: str) -> bool:
        """Delete a person profile; False if there was none."""
        return self.delete_record(self.people_dir, slug)

    # -- media ----------------------------------------------------------
    def media_path(self, name: str) -> Path | None:
        """The file under media/ that `name` names, or None unless `name` is a clean relative
        path ('zhao/old.jpg': no control character, backslash, empty, '.' or '..' part) of a
        file inside media/.  Every URL and front-matter name reaches disk through here."""
        if not isinstance(name, str) or "\\" in name or any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
            return None
        if any(part in ("", ".", "..") for part in name.split("/")):
            return None
        media = self.media_dir.resolve()
        try:
            candidate = (media / name).resolve()
            inside = media in candidate.parents and candidate.is_file()
        except (OSError, ValueError):  # e.g. a name longer than the file system allows
            return None
        return candidate if inside else None

    def stories_of_person(self, person_slug: str) -> list[Story]:
        """Stories that list this person under `people:`."""
        return [s for s in self.list_stories() if person_slug in s.people]


def env_root() -> Path:
    """The archive root named by ARCHIVE_ROOT, or the current folder."""
    return Path(setting("ARCHIVE_ROOT") or ".").resolve()
