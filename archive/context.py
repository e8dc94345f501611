"""The archive context: the one object through which the web app and the CLI reach
the domain (content store, search, and the other services), built from paths
that all come from configuration.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from flask import current_app

from archive.accounts.users import AccountStore
from archive.audit import AuditLog
from archive.catalog import Catalog
from archive.editing import Editor
from archive.lectures.files import LectureStore
from archive.preservation.fixity import FixityRecorder
from archive.preservation.git_history import GitRecorder
from archive.preservation.replica import replica_mode, replica_search
from archive.read_only import QuietAudit, ReadOnlyMode, ReadOnlySearch, find_read_only
from archive.safe_write import StorageError, probe_writable, storage_errors
from archive.search.api import SearchEngine
from archive.store import ContentStore
from archive.versions import History


@dataclass
class ArchivePaths:
    """Every folder the archive reads or writes; tests point them all at tmp_path."""

    root: Path  # holds stories/, people/, media/, lectures/, collections/
    index_dir: Path  # search index (derived, deletable)
    cache_dir: Path  # image derivatives (derived, deletable)
    instance_dir: Path  # users database, secret key, audit log

    @classmethod
    def for_root(cls, root: Path, index_dir=None, cache_dir=None, instance_dir=None) -> ArchivePaths:
        """Defaults: search_index/, cache/ and instance/ inside the root."""
        root = Path(root).resolve()
        return cls(
            root=root,
            index_dir=Path(index_dir or root / "search_index").resolve(),
            cache_dir=Path(cache_dir or root / "cache").resolve(),
            instance_dir=Path(instance_dir or root / "instance").resolve(),
        )


class ArchiveContext:
    """Services of one archive, created once per process."""

    def __init__(self, paths: ArchivePaths):
        self.paths = paths
        self.store = ContentStore(paths.root)
        self.catalog = Catalog(self.store)  # read side: what a role may browse
        self.accounts = AccountStore(paths.instance_dir)  # users, sessions (instance/accounts.sqlite3)
        self.audit = AuditLog(paths.instance_dir / "audit.jsonl")  # append-only: who changed what, when
        self.history = History(paths.root)  # previous versions: ROOT/.history/
        self.editor = Editor(self.store, self.history, self.audit, lambda: getattr(self, "search", None))
        self.lectures = LectureStore(self.store, self.editor)  # lecture plans: lectures/<id>.md, saved by the editor
        self.editor.observers.append(FixityRecorder(paths.root))  # keeps ROOT/.fixity/ current
        self.editor.observers.append(GitRecorder(paths.root))  # then commits it, when the root is a git work tree
        self.read_only: ReadOnlyMode | None = None  # set by start(): why this process may not write

    @cached_property
    def search(self) -> SearchEngine:
        """The search engine (archive.search.engines' default, Whoosh), created on first use."""
        from archive.search.engines import create_engine

        return create_engine(self.store, self.paths.index_dir)

    def start(self, read_only: bool = False) -> None:
        """Start-up duties: find out what may be written (content or instance folder not writable, or
        `read_only` asked for: serve read-only), sweep temp files left by a crash, open the accounts,
        check the search index."""
        root, instance = self.paths.root, self.paths.instance_dir
        instance_problem = find_read_only({"实例目录": instance})
        if instance_problem is None:
            instance.mkdir(parents=True, exist_ok=True)
            self.accounts.db.ensure()
        else:  # accounts read from the file, sessions in memory; audit entries to the server log
            self.accounts.db.open_read_only()
            self.audit = self.editor.audit = QuietAudit(self.audit.path)
        self.read_only = find_read_only({"档案目录": root, "修改历史目录": root / ".history"},
                                        forced=read_only) or instance_problem
        if read_only:  # a service station's git clone says where edits are made
            self.read_only = replica_mode(root) or self.read_only
        self.editor.read_only = self.read_only
        self.store.sweep()
        self.history.sweep()
        self._find_a_cache()
        self._start_search(read_only)

    def _find_a_cache(self) -> None:
        """Image derivatives are a cache: where the configured folder cannot be written, a private temp one."""
        try:
            probe_writable(self.paths.cache_dir)
        except StorageError:
            try:
                temp = Path(tempfile.mkdtemp(prefix="archive-cache-"))
            except OSError:
                return  # nowhere to write: each photo answers its own error
            _remove_at_exit(temp)
            self.paths.cache_dir = temp

    def _start_search(self, forced: bool) -> None:
        """Check the Whoosh install and bring a missing or stale index up to date; an index folder that
        cannot be written (or `forced`) gets a search that reads the index already there, if any."""
        replica = replica_search(self.search, self.paths.root, self.paths.index_dir) if forced else None
        if replica is not None:  # a git replica: content read-only, its index (a cache) follows git pull
            self.search = replica
            self.search.start()
            return
        why = "以只读方式启动" if forced else None
        if why is None:
            try:
                probe_writable(self.paths.index_dir)
            except StorageError as error:
                why = f"搜索索引目录{error.message}"
        if why is None:
            try:
                with storage_errors():
                    self.search.start()
                return
            except StorageError as error:  # e.g. the disk filled while rebuilding
                why = f"搜索索引无法更新（{error.message}）"
        self.search = ReadOnlySearch(self.search, why)
        self.search.start()

    def notice(self) -> str | None:
        """One line on what this start cannot write (for `archive serve`), or None when everything can."""
        parts = []
        if self.read_only is not None:
            parts.append(f"网站以只读模式运行（{self.read_only.describe()}）：可以浏览、检索和登录，保存与上传会被拒绝")
            if not self.accounts.db.has_users:
                parts.append("没有账号数据库，无法登录")
        if isinstance(self.search, ReadOnlySearch):
            parts.append(self.search.notice())
        return "注意：" + "；".join(parts) + "。" if parts else None


def _remove_at_exit(folder: Path) -> None:
    """Remove `folder` when the process ends."""
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


def current_context() -> ArchiveContext:
    """The context of the running Flask app."""
    return current_app.extensions["archive"]
