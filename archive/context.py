"""The archive context: the one object through which the web app and the CLI reach
the domain (content store, search, and the other services), built from paths
that all come from configuration.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from flask import current_app

from archive.accounts.users import AccountStore
from archive.audit import AuditLog
from archive.catalog import Catalog
from archive.editing import Editor
from archive.history import History
from archive.lectures.files import LectureStore
from archive.search.api import SearchEngine
from archive.store import ContentStore


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
        self.lectures = LectureStore(self.store)  # lecture plans: lectures/<id>.md

    @cached_property
    def search(self) -> SearchEngine:
        """The search engine (Whoosh behind archive.search.api), created on first use."""
        from archive.search.engine import WhooshSearchEngine

        return WhooshSearchEngine(self.store, self.paths.index_dir)

    def start(self) -> None:
        """Start-up duties: sweep temp files left by a crash."""
        self.paths.instance_dir.mkdir(parents=True, exist_ok=True)
        self.store.sweep()
        self.accounts.db.ensure()
        self.history.sweep()
        self.search.start()  # check the Whoosh install; rebuild or update a missing/stale index


def current_context() -> ArchiveContext:
    """The context of the running Flask app."""
    return current_app.extensions["archive"]
