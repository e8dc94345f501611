"""The search index on disk: a derived cache of the story files, rebuildable at any time.

Layout of the index folder::

    CURRENT          name of the live generation (replaced atomically)
    gen-<id>/        a Whoosh index plus manifest.json and manifest.log
    .writer.lock     one writer at a time, across processes and threads

`rebuild` writes a new generation in a temp folder and swaps CURRENT to it, so
readers never see a half-built index.  `manifest.json` records, for every story
and person file, its size, mtime and hash (to find what changed), the words it
taught the segmenter and the people it names (to find what else must be
re-analysed).  A save appends only what it changed, one JSON line, to
`manifest.log` (rewriting 2.6 MB of JSON at 10,000 stories cost 50-70 ms a
save); a full update or a background merge folds the log back into
`manifest.json`.  A line cut short by a crash is ignored: the manifest then
describes that story as it was, so the start-up check sees its file changed
and indexes it again.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from whoosh import index as whoosh_index

from archive.safe_write import atomic_write_text
from archive.search.schema import SCHEMA_VERSION, make_schema
from archive.search.whoosh_private import WHOOSH_DISTRIBUTION, WHOOSH_VERSION, check_private_names

WRITER_TIMEOUT = 30.0
MANIFEST = "manifest.json"
JOURNAL = "manifest.log"  # one JSON line per save: what it changed in the manifest


class IndexBusyError(Exception):
    """Another writer held the index for longer than the timeout."""

    def __init__(self, timeout: float):
        super().__init__(f"搜索索引正被另一个程序更新，等待 {timeout:g} 秒后仍未结束，请稍后再试。")


class IndexSetupError(Exception):
    """The search library is installed wrongly (e.g. two Whoosh distributions)."""


def check_whoosh_installation() -> str:
    """Exactly one distribution provides `whoosh`, it is the pinned one, and every private name the
    search reads is there; return its name and version, else raise IndexSetupError saying what is wrong."""
    providers = []
    for dist in metadata.distributions():
        top = (dist.read_text("top_level.txt") or "").split()
        files = dist.files or []
        if "whoosh" in top or any(str(f).startswith("whoosh/__init__.py") for f in files):
            providers.append((dist.metadata["Name"], dist.version))
    wanted = f"{WHOOSH_DISTRIBUTION} {WHOOSH_VERSION}"
    found = "、".join(f"{name} {version}" for name, version in providers) or "没有"
    if len(providers) != 1:
        raise IndexSetupError(f"应当只安装一个 Whoosh 发行版（{wanted}），实际发现：{found}。"
                              f"请卸载多余的发行版后重新安装 {wanted}。")
    if providers[0] != (WHOOSH_DISTRIBUTION, WHOOSH_VERSION):
        raise IndexSetupError(f"搜索只支持 {wanted}（它读取这个版本的内部结构），实际安装的是 {found}。"
                              f"请运行 pip install '{WHOOSH_DISTRIBUTION}=={WHOOSH_VERSION}'。")
    missing = check_private_names()
    if missing:
        raise IndexSetupError(f"已安装的 {found} 缺少搜索所读取的内部名称：{'、'.join(missing)}。"
                              "请重新安装该版本，或按 docs/search.md“升级 Whoosh”一节更新 archive/search/whoosh_private.py。")
    return wanted


def _journal(path: Path) -> list[dict]:
    """The entries of a manifest journal, up to a line a crash cut short (or none without one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    entries = []
    for line in text.splitlines(keepends=True):
        try:
            entry = json.loads(line) if line.endswith("\n") else None
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            break
        entries.append(entry)
    return entries


def file_state(path: Path) -> tuple[int, int]:
    """(size, mtime in ns) of a file."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def file_hash(path: Path) -> str:
    """SHA-1 of a file's bytes."""
    return hashlib.sha1(path.read_bytes()).hexdigest()


@dataclass
class Manifest:
    """What the live index was built from."""

    schema: int = SCHEMA_VERSION
    files: dict[str, list] = field(default_factory=dict)  # "stories/x.md" -> [size, mtime_ns, sha1]
    words: dict[str, list[str]] = field(default_factory=dict)  # "stories/x.md" -> vocabulary it adds
    people: dict[str, list[str]] = field(default_factory=dict)  # story slug -> person slugs it names
    synonyms: str = ""  # hash of the synonym file text

    # Kept beside the tables, never written: the keys changed since this copy was made (what a save
    # appends to the journal) and the vocabulary's words (a union over 10,000 files costs 15-20 ms).
    _changed: set = field(default_factory=set, repr=False, compare=False)
    _vocabulary: frozenset | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> str:
        """Serialise (sorted, so equal manifests give equal text)."""
        data = {"schema": self.schema, "files": self.files, "words": self.words, "people": self.people,
                "synonyms": self.synonyms}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse; raises ValueError or TypeError on anything malformed."""
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            raise TypeError("manifest is not a mapping")
        return cls(**{key: data[key] for key in ("schema", "files", "words", "people", "synonyms") if key in data})

    def copy(self) -> Manifest:
        """A copy whose tables can be changed without touching this one (their values are replaced, never
        changed in place)."""
        return Manifest(self.schema, dict(self.files), dict(self.words), dict(self.people), self.synonyms,
                        _vocabulary=self._vocabulary)

    def put(self, table: str, key: str, value) -> None:
        """Set an entry of "files", "words" or "people" (None: remove it)."""
        entries = getattr(self, table)
        if entries.get(key) == value:
            return
        if value is None:
            entries.pop(key, None)
        else:
            entries[key] = value
        self._changed.add((table, key))
        if table == "words":
            self._vocabulary = None

    def forget(self, name: str) -> None:
        """Remove a file's entries (and a story's people)."""
        self.put("files", name, None)
        self.put("words", name, None)
        if name.startswith("stories/"):
            self.put("people", name[8:-3], None)

    def changes(self) -> dict:
        """What `put` changed since this copy was made, as one journal entry (None: an entry removed)."""
        delta: dict = {}
        for table, key in sorted(self._changed):
            delta.setdefault(table, {})[key] = getattr(self, table).get(key)
        return delta

    def apply(self, delta: dict) -> None:
        """Replay one journal entry."""
        for table in ("files", "words", "people"):
            for key, value in (delta.get(table) or {}).items():
                self.put(table, key, value)

    def vocabulary_words(self) -> frozenset[str]:
        """Every word the manifest's files teach."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(word for words in self.words.values() for word in words)
        return self._vocabulary


class IndexFolder:
    """Generations of the index in one folder, and the writer lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        # The manifest last read or written by this process, keyed by its file's identity: a save reads
        # it twice (writer, then the searcher's vocabulary) and parsing 10,000 entries costs 50-100 ms.
        self._manifest: tuple[tuple, Manifest] | None = None
        self._manifest_lock = threading.Lock()

    @staticmethod
    def _identity(folder: Path) -> tuple:
        """What changes whenever the manifest or its journal is written."""
        key: list = [str(folder)]
        for name in (MANIFEST, JOURNAL):
            try:
                stat = (folder / name).stat()
                key.append((stat.st_ino, stat.st_size, stat.st_mtime_ns))
            except FileNotFoundError:
                key.append(None)
        return tuple(key)

    def read_manifest(self, folder: Path) -> Manifest:
        """The manifest of a generation with its journal replayed (a private copy), parsed only when
        either file changed."""
        key = self._identity(folder)  # before reading: a line appended meanwhile changes it again
        with self._manifest_lock:
            if self._manifest is not None and self._manifest[0] == key:
                return self._manifest[1].copy()
        manifest = Manifest.from_json((folder / MANIFEST).read_text(encoding="utf-8"))
        for delta in _journal(folder / JOURNAL):
            manifest.apply(delta)
        manifest._changed.clear()
        with self._manifest_lock:
            self._manifest = (key, manifest.copy())
        return manifest

    def _write_manifest(self, folder: Path, manifest: Manifest) -> None:
        # The journal goes first: a crash in between leaves the older manifest alone, whose stale
        # entries only make the start-up check index those stories again.
        (folder / JOURNAL).unlink(missing_ok=True)
        atomic_write_text(folder / MANIFEST, manifest.to_json())
        with self._manifest_lock:
            self._manifest = (self._identity(folder), manifest.copy())

    def _append_manifest(self, folder: Path, manifest: Manifest) -> bool:
        """Append what changed since the manifest this process last read or wrote, if that is still the
        one on disk; False when it is not (then the whole manifest must be written)."""
        with self._manifest_lock:
            known = self._manifest
        if known is None or known[0] != self._identity(folder):
            return False
        delta = manifest.changes()
        if delta:
            with open(folder / JOURNAL, "a", encoding="utf-8") as journal:
                journal.write(json.dumps(delta, ensure_ascii=False, sort_keys=True) + "\n")
        with self._manifest_lock:
            self._manifest = (self._identity(folder), manifest.copy())
        return True

    def journal_lines(self) -> int:
        """How many saves the live generation's journal holds (folded in by `save_manifest`)."""
        folder = self.current_generation()
        try:
            with open(folder / JOURNAL, "rb") as journal:
                return sum(1 for _line in journal)
        except (TypeError, FileNotFoundError):
            return 0

    @property
    def current_file(self) -> Path:
        return self.path / "CURRENT"

    def current_generation(self) -> Path | None:
        """The live generation's folder, or None when there is none."""
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        folder = self.path / name
        return folder if name.startswith("gen-") and folder.is_dir() else None

    def open(self, deep: bool = False) -> tuple[whoosh_index.Index, Manifest]:
        """Open the live index and its manifest; raise ValueError if missing, corrupt or of an old schema.

        `deep` also opens every segment (the start-up check); a writer only needs the table of contents."""
        folder = self.current_generation()
        if folder is None:
            raise ValueError("索引不存在")
        try:
            manifest = self.read_manifest(folder)
            if manifest.schema != SCHEMA_VERSION:
                raise ValueError(f"索引结构版本 {manifest.schema} 已过时（当前 {SCHEMA_VERSION}）")
            ix = whoosh_index.open_dir(str(folder))
            if deep:  # open_dir has read the table of contents; this reads every segment
                with ix.searcher() as searcher:
                    searcher.doc_count()
        except ValueError:
            raise
        except Exception as error:  # noqa: BLE001 -- a damaged index raises many kinds of error
            raise ValueError(f"索引已损坏：{error}") from None
        return ix, manifest

    def new_generation(self) -> tuple[Path, whoosh_index.Index]:
        """An empty index in a temp folder, to be published by `publish`."""
        self.path.mkdir(parents=True, exist_ok=True)
        temp = self.path / f"tmp-{secrets.token_hex(6)}"
        temp.mkdir()
        return temp, whoosh_index.create_in(str(temp), make_schema())

    def publish(self, temp: Path, manifest: Manifest) -> Path:
        """Write the manifest, rename the temp folder into a generation and point CURRENT at it."""
        atomic_write_text(temp / MANIFEST, manifest.to_json())  # renamed below: not cached
        final = self.path / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        os.replace(temp, final)
        atomic_write_text(self.current_file, final.name + "\n")
        self.sweep(keep=final)
        return final

    def save_manifest(self, manifest: Manifest, journal: bool = False) -> None:
        """Replace the live generation's manifest (after an incremental commit); `journal`: append only
        what changed to its journal (after a save), unless another process wrote the manifest since."""
        folder = self.current_generation()
        if folder is not None and not (journal and self._append_manifest(folder, manifest)):
            self._write_manifest(folder, manifest)

    def sweep(self, keep: Path | None = None) -> None:
        """Remove old generations and temp folders a crashed rebuild left behind."""
        keep = keep or self.current_generation()
        if not self.path.is_dir():
            return
        for child in self.path.iterdir():
            if child.is_dir() and child != keep and child.name.startswith(("gen-", "tmp-")):
                shutil.rmtree(child, ignore_errors=True)

    @contextmanager
    def writer_lock(self, timeout: float = WRITER_TIMEOUT):
        """Hold the index's writer lock; raise IndexBusyError after `timeout` seconds."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".writer.lock", "a") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusyError(timeout) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
