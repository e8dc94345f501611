"""The Whoosh search engine behind `archive.search.api.SearchEngine`: a facade over the pieces,
one concern each —

- lifecycle: building, updating and one-story indexing (archive.search.indexer, catchup), the
  start-up check, repairing a damaged index (archive.search.repair);
- the open index and what is derived from it (archive.search.live_index);
- query execution, access and facet filters (archive.search.execution);
- hits and snippets (archive.search.hits);
- "did you mean" corrections (archive.search.corrections) and related stories (archive.search.related).
"""
from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from archive.models import Story
from archive.read_only import SearchUnavailable
from archive.search.api import SearchHit, SearchRequest, SearchResults
from archive.search.catchup import SaveIndexing
from archive.search.corrections import Corrections
from archive.search.execution import execute
from archive.search.hits import Hits
from archive.search.index import IndexBusyError, IndexFolder, check_whoosh_installation
from archive.search.indexer import Indexer, Progress
from archive.search.live_index import LiveIndex
from archive.search.related import related_stories
from archive.search.repair import IndexRepair
from archive.search.vocabulary import Synonyms
from archive.store import ContentStore

LOG = logging.getLogger(__name__)
MAX_PER_PAGE = 100
T = TypeVar("T")


def _freeze_loaded_modules() -> None:
    """Move every object alive now (mostly the segmenter's and pypinyin's dictionaries, a quarter of a
    million objects that live as long as the process) out of the cycle collector's sight, once per
    process: its full passes over them took 70-85 ms, landing on whichever query triggered one."""
    if not gc.get_freeze_count():
        gc.freeze()


class WhooshSearchEngine:
    """Search over one archive's stories (implements archive.search.api.SearchEngine)."""

    def __init__(self, store: ContentStore, index_dir: Path):
        self.store = store
        self.folder = IndexFolder(index_dir)
        self.indexer = Indexer(self.folder, store)
        self.repair = IndexRepair()  # rebuilds an index found damaged while serving
        self.saves = SaveIndexing(self.indexer, self.repair)  # one story at a time, queued behind a rebuild
        self.live = LiveIndex(self.folder, Path(store.root))
        self.hits = Hits(store)
        self.corrections = Corrections()
        _freeze_loaded_modules()

    # -- lifecycle --------------------------------------------------------
    def ensure_ready(self) -> dict[str, int]:
        """Start-up check: one Whoosh installed; index present, readable, current schema, in step."""
        check_whoosh_installation()
        counts = self.indexer.update(deep=True)
        self.live.forget()
        return counts

    def start(self) -> None:
        """App start-up: `ensure_ready`, except that a busy writer (another process indexing) is only logged."""
        try:
            self.ensure_ready()
        except IndexBusyError as error:
            LOG.warning("%s", error)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Build the whole index from the files into a temp folder and swap it in; return the count."""
        count = self.indexer.rebuild(progress)
        self.live.forget()
        return count

    def update(self) -> dict[str, int]:
        """Bring the index in step with the files (added, changed, deleted); return counts."""
        counts = self.indexer.update()
        self.live.forget()
        return counts

    def index_story(self, story: Story) -> None:
        """Add or replace one story at once (after a save: its file is on disk).  Only its document is
        written, under the index's writer lock alone: readers go on searching and see it next query."""
        self.saves.index({story.slug})

    def delete_story(self, slug: str) -> None:
        """Remove one story at once (after a delete: its file is gone)."""
        self.saves.index({slug})

    def pending_notice(self, slug: str) -> str | None:
        """Why a just-saved story is not searchable yet (queued behind a rebuild), or None when it is."""
        return self.saves.notice(slug)

    def version(self) -> str:
        """The live generation's name ("" when there is none): a rebuild or repair changes it."""
        generation = self.folder.current_generation()
        return generation.name if generation is not None else ""

    def synonyms(self) -> Synonyms:
        """The synonym list, re-read when its file changes."""
        return self.live.synonyms()

    def _reading(self, read: Callable[[], T], busy: T) -> T:
        """`read()` from the index; an index that cannot be read (missing, or a damaged file) is
        rebuilt and `read` tried once more (archive.search.repair); `busy` while another process
        holds the index."""
        found, error = self._attempt(read, busy)
        if error is None:
            return found
        try:
            self.repair.repair(error, partial(self.indexer.replace, self.live.generation))
        except IndexBusyError:
            return busy
        found, error = self._attempt(read, busy)
        if error is not None:
            LOG.error("搜索索引重建后读取仍然出错", exc_info=error)
            raise SearchUnavailable("搜索出错，已记录在服务器日志中，请稍后再试") from None
        return found

    @staticmethod
    def _attempt(read: Callable[[], T], busy: T) -> tuple[T | None, Exception | None]:
        """(read(), None); (busy, None) while another process holds the index; (None, the error) when
        the index cannot be read.  SearchUnavailable (a repair that failed) goes on up."""
        try:
            return read(), None
        except IndexBusyError:
            return busy, None
        except SearchUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 -- a damaged index file raises anything at all
            return None, error

    # -- search -----------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResults:
        """Run a query; never raises on any input text (SearchUnavailable while a damaged index
        cannot be rebuilt)."""
        per_page = max(1, min(int(request.per_page or 10), MAX_PER_PAGE))
        page = max(1, int(request.page or 1))
        nothing = SearchResults(0, [], {}, None, page, per_page)  # while another process builds the index
        results, parsed = self._reading(lambda: self._search(request, page, per_page), (nothing, None))
        if results.total == 0 and parsed is not None and not parsed.empty and not request.story:
            results.suggestion = self.suggest(request.query, request.role)
        return results

    def _search(self, request: SearchRequest, page: int, per_page: int):
        """(one page of results without a suggestion, the parsed query)."""
        start = (page - 1) * per_page
        with self.live.reading() as view:
            found = execute(view, request, limit=start + per_page)
            if request.story:
                results = self.hits.inside_story(request, found.ranked, view.searcher, found.marks, page, per_page)
                return results, found.parsed
            hits = [self.hits.hit(view.searcher.stored_fields(docnum), score, found.marks, found.parsed.latin)
                    for score, docnum in found.ranked[start:start + per_page]]
            return SearchResults(found.total, hits, found.facets(view), None, page, per_page), found.parsed

    # -- suggestions and related stories -----------------------------------
    def suggest(self, query: str, role: str | None = None) -> str | None:
        """A homophone correction of a query that found nothing, made only of words that stand in
        stories the reader may read today, if the corrected query finds something; else None."""
        try:
            better = self._reading(lambda: self._correct(query, role), None)
            found = self.search(SearchRequest(query=better, role=role, per_page=1)) if better else None
        except SearchUnavailable:
            return None
        return better if found is not None and found.total else None

    def _correct(self, query: str, role: str | None) -> str | None:
        with self.live.reading() as view:
            return self.corrections.correct(view, query, role)

    def related(self, slug: str, role: str | None = None, limit: int = 5) -> list[SearchHit]:
        """Stories most like this one that the reader may read (none while the index cannot be read)."""
        try:
            return self._reading(lambda: self._related(slug, role, limit), [])
        except SearchUnavailable:
            return []

    def _related(self, slug: str, role: str | None, limit: int) -> list[SearchHit]:
        story = self.store.get_story(slug)
        with self.live.reading() as view:
            return related_stories(view, story, role, limit)
