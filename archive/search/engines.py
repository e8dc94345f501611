"""Every search engine that implements `archive.search.api.SearchEngine`, declared once.

The context picks the engine from here, and the contract tests (tests/search_contract.py) run
against each one, so an engine added to `ENGINES` is held to the same promises as Whoosh.
Each factory takes `(store, index_dir)` and imports its engine only when called."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archive.search.api import SearchEngine
from archive.store import ContentStore

EngineFactory = Callable[[ContentStore, Path], SearchEngine]


def _whoosh(store: ContentStore, index_dir: Path) -> SearchEngine:
    from archive.search.engine import WhooshSearchEngine

    return WhooshSearchEngine(store, index_dir)


def _sqlite(store: ContentStore, index_dir: Path) -> SearchEngine:
    from archive.search.sqlite_engine import SqliteSearchEngine

    return SqliteSearchEngine(store, index_dir)


ENGINES: dict[str, EngineFactory] = {
    "whoosh": _whoosh,  # the one the archive serves with
    "sqlite": _sqlite,  # SQLite FTS5: proves the seam, and a small fallback
}
DEFAULT_ENGINE = "whoosh"


def create_engine(store: ContentStore, index_dir: Path, name: str = DEFAULT_ENGINE) -> SearchEngine:
    """The engine registered as `name` over this store and index folder (KeyError for an unknown name)."""
    return ENGINES[name](store, Path(index_dir))
