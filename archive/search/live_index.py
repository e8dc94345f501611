"""The index generation the engine reads, opened once and kept with everything derived from it:
the searcher, the segmenter vocabulary of its manifest, the document table and the scorer.

A commit by a save gives a new searcher on the same generation (its unchanged segments' rows
and decoded postings are reused); a rebuild or repair gives a new generation, opened afresh.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.search.analysis import Vocabulary
from archive.search.doctable import DocTable, SegmentCache
from archive.search.index import IndexFolder
from archive.search.indexer import Indexer
from archive.search.ranking import Ranker
from archive.search.vocabulary import SYNONYMS_FILE, Synonyms, load_synonyms
from archive.topics import TOPICS_FILE


@dataclass
class IndexView:
    """One version of the index and what is derived from it, for the length of one request."""

    searcher: object
    vocab: Vocabulary
    table: DocTable
    ranker: Ranker
    generation: Path | None
    synonyms: Synonyms


class LiveIndex:
    """The live generation, opened lazily and reopened when a commit or a rebuild changed it."""

    def __init__(self, folder: IndexFolder, root: Path):
        self.folder = folder
        self.root = Path(root)
        self.lock = threading.RLock()  # one request reads the open index at a time
        self._ix = None
        self.generation: Path | None = None
        self._searcher = None
        self._vocab: Vocabulary | None = None
        self._synonyms: tuple[tuple, Synonyms] | None = None
        self._table: tuple[object, DocTable] | None = None
        self._ranker: Ranker | None = None
        self._segments = SegmentCache()  # DocTable rows of unchanged segments, reused after updates

    @contextmanager
    def reading(self) -> Iterator[IndexView]:
        """The current view, held under the lock (ValueError when the index is missing or unreadable)."""
        with self.lock:
            searcher = self._open()
            table = self._documents(searcher)
            yield IndexView(searcher, self._vocab, table, self._scorer(searcher, table), self.generation,
                            self.synonyms())

    def forget(self) -> None:
        """Close the open generation: the next request opens the live one."""
        with self.lock:
            if self._ix is not None:
                self._ix.close()
            self._ix = self._searcher = self.generation = self._vocab = None

    def _open(self):
        generation = self.folder.current_generation()
        if generation is None or generation != self.generation:
            self.forget()
            ix, manifest = self.folder.open()  # ValueError when missing or unreadable: the engine repairs
            self._ix, self.generation = ix, self.folder.current_generation()
            self._vocab = Indexer.vocabulary(manifest, self.root)
            self._searcher = ix.searcher()
        elif self._ix.latest_generation() != self._searcher.reader().generation():  # a commit since
            # A new searcher, not Searcher.refresh(): Whoosh-Reloaded 2.7.5 "reuses" the old reader by
            # adding its segments to the new ones, so every document of a merged or changed segment
            # would be found twice.  Segment readers are cheap to open; decoded postings are cached.
            ix, manifest = self.folder.open()
            ix.close()
            self._vocab = Indexer.vocabulary(manifest, self.root)
            self._searcher.close()
            self._searcher = self._ix.searcher()
        return self._searcher

    def synonyms(self) -> Synonyms:
        """The synonym list, re-read when its file (or the topic tree) changes."""
        key = []
        for path in (self.root / SYNONYMS_FILE, self.root / TOPICS_FILE):
            try:
                key.append((path.stat().st_mtime_ns, path.stat().st_size))
            except OSError:
                key.append((0, 0))
        key = tuple(key)
        if self._synonyms is None or self._synonyms[0] != key:
            self._synonyms = (key, load_synonyms(self.root))
        return self._synonyms[1]

    def _documents(self, searcher) -> DocTable:
        """The in-memory table of the searcher's index version."""
        if self._table is None or self._table[0] is not searcher:
            self._table = (searcher, DocTable.from_searcher(searcher, self._segments))
            self._ranker = None
        return self._table[1]

    def _scorer(self, searcher, table: DocTable) -> Ranker:
        """The scorer of the searcher's index version (it caches field lengths)."""
        if self._ranker is None or self._ranker.searcher is not searcher:
            self._ranker = Ranker(searcher, table.live)
        return self._ranker
