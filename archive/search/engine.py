"""The Whoosh search engine behind `archive.search.api.SearchEngine`.

Access is decided inside the search: every query runs with a filter built from
`archive.access` (the stored level, and the stored embargo date compared with
today), so a story a reader may not read never counts in totals, facets,
snippets, suggestions or related stories.
"""
from __future__ import annotations

import gc
import logging
import threading
from collections import Counter
from collections.abc import Callable
from functools import partial
from html import escape
from math import log
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh import query as q

from archive import access
from archive.models import Story
from archive.read_only import SearchUnavailable
from archive.search.analysis import is_bigram, name_pinyin, normalize_text, word_tokens
from archive.search.api import SearchHit, SearchRequest, SearchResults
from archive.search.catchup import SaveIndexing
from archive.search.doctable import FACETS, DocTable, SegmentCache
from archive.search.index import IndexBusyError, IndexFolder, check_whoosh_installation
from archive.search.indexer import Indexer, Progress
from archive.search.query import STOPWORDS, build_query, marks_for, parse_query, phrase_query
from archive.search.ranking import Ranker
from archive.search.repair import IndexRepair
from archive.search.schema import strip_markup
from archive.search.snippets import Passage, Transcript, best_passage, matching_segments, note_passage
from archive.search.suggest import Homophones, ReaderDictionaries, readable_words
from archive.search.vocabulary import SYNONYMS_FILE, Synonyms, load_synonyms
from archive.store import ContentStore
from archive.topics import TOPICS_FILE

LOG = logging.getLogger(__name__)
MAX_PER_PAGE = 100
FACET_VALUES = 30  # the most frequent values of each facet that a result lists
T = TypeVar("T")


def access_filter(role: str | None) -> q.Query | None:
    """Documents a reader with `role` may read today (None: everything)."""
    levels = access.readable_levels(role)
    if set(access.LEVELS) <= levels:
        return None
    today = access.today().isoformat()
    return q.And([q.Or([q.Term("level", level) for level in sorted(levels)]),
                  q.TermRange("embargo", "0000-00-00", today)])


def _combine(*parts: q.Query | None) -> q.Query | None:
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else q.And(parts)


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
        self._lock = threading.RLock()
        self._ix = None
        self._generation: Path | None = None
        self._searcher = None
        self._vocab = None
        self._homophones = ReaderDictionaries()  # "did you mean" words of what each kind of reader may read
        self.saves = SaveIndexing(self.indexer, self.repair)  # one story at a time, queued behind a rebuild
        self._synonyms: tuple[tuple, Synonyms] | None = None
        self._table: tuple[object, DocTable] | None = None
        self._current_ranker: Ranker | None = None
        self._segment_rows = SegmentCache()  # DocTable rows of unchanged segments, reused after updates
        _freeze_loaded_modules()

    # -- lifecycle --------------------------------------------------------
    def ensure_ready(self) -> dict[str, int]:
        """Start-up check: one Whoosh installed; index present, readable, current schema, in step."""
        check_whoosh_installation()
        counts = self.indexer.update(deep=True)
        self._forget()
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
        self._forget()
        return count

    def update(self) -> dict[str, int]:
        """Bring the index in step with the files (added, changed, deleted); return counts."""
        counts = self.indexer.update()
        self._forget()
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

    def _forget(self) -> None:
        with self._lock:
            if self._ix is not None:
                self._ix.close()
            self._ix = self._searcher = self._generation = self._vocab = None

    def _open(self):
        """A fresh searcher on the live generation."""
        with self._lock:
            generation = self.folder.current_generation()
            if generation is None or generation != self._generation:
                self._forget()
                ix, manifest = self.folder.open()  # ValueError when missing or unreadable: see _reading
                self._ix, self._generation = ix, self.folder.current_generation()
                self._vocab = Indexer.vocabulary(manifest, self.store.root)
                self._searcher = ix.searcher()
            elif self._ix.latest_generation() != self._searcher.reader().generation():  # a commit since
                # A new searcher, not Searcher.refresh(): Whoosh-Reloaded 2.7.5 "reuses" the old reader by
                # adding its segments to the new ones, so every document of a merged or changed segment
                # would be found twice.  Segment readers are cheap to open; decoded postings are cached.
                ix, manifest = self.folder.open()
                ix.close()
                self._vocab = Indexer.vocabulary(manifest, self.store.root)
                self._searcher.close()
                self._searcher = self._ix.searcher()
            return self._searcher

    def synonyms(self) -> Synonyms:
        """The synonym list, re-read when its file changes."""
        key = []
        for path in (Path(self.store.root) / SYNONYMS_FILE, Path(self.store.root) / TOPICS_FILE):
            try:
                key.append((path.stat().st_mtime_ns, path.stat().st_size))
            except OSError:
                key.append((0, 0))
        key = tuple(key)
        if self._synonyms is None or self._synonyms[0] != key:
            self._synonyms = (key, load_synonyms(self.store.root))
        return self._synonyms[1]

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
        with self._lock:
            searcher = self._open()
            parsed = parse_query(request.query, self._vocab)
            synonyms = self.synonyms()
            marks = marks_for(parsed, synonyms)
            query = build_query(parsed, synonyms)
            filters = [access_filter(request.role), self._facet_filter(request.filters)]
            if request.story:
                filters.append(q.Term("slug", request.story))
            allowed = _combine(*filters)
            table = self._documents(searcher)
            ranker = self._ranker(searcher, table)
            scores, matched = (np.zeros(table.size), table.live.copy()) if parsed.blank else ranker.vector(query)
            if allowed is not None:
                matched &= ranker.matches(allowed)
            docs = np.flatnonzero(matched)
            sort = ("oldest" if request.sort == "oldest" else "newest") if parsed.blank else request.sort
            ranked = table.order(docs, scores[docs], sort, limit=start + per_page)
            if request.story:
                return self._inside_story(request, ranked, searcher, marks, page, per_page), parsed
            facets = table.facets(matched, FACET_VALUES)
            hits = [self._hit(searcher.stored_fields(docnum), score, marks, parsed.latin)
                    for score, docnum in ranked[start:start + per_page]]
            return SearchResults(len(docs), hits, facets, None, page, per_page), parsed

    def _reading(self, read: Callable[[], T], busy: T) -> T:
        """`read()` from the index; an index that cannot be read (missing, or a damaged file) is
        rebuilt and `read` tried once more (archive.search.repair); `busy` while another process
        holds the index."""
        try:
            return read()
        except IndexBusyError:
            return busy
        except SearchUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 -- a damaged index file raises anything at all
            try:
                self.repair.repair(error, partial(self.indexer.replace, self._generation))
            except IndexBusyError:
                return busy
        try:
            return read()
        except IndexBusyError:
            return busy
        except SearchUnavailable:
            raise
        except Exception:
            LOG.exception("搜索索引重建后读取仍然出错")
            raise SearchUnavailable("搜索出错，已记录在服务器日志中，请稍后再试") from None

    def _documents(self, searcher) -> DocTable:
        """The in-memory table of the searcher's index version."""
        if self._table is None or self._table[0] is not searcher:
            self._table = (searcher, DocTable.from_searcher(searcher, self._segment_rows))
            self._current_ranker = None
        return self._table[1]

    def _ranker(self, searcher, table: DocTable) -> Ranker:
        """The scorer of the searcher's index version (it caches field lengths)."""
        if self._current_ranker is None or self._current_ranker.searcher is not searcher:
            self._current_ranker = Ranker(searcher, table.live)
        return self._current_ranker

    @staticmethod
    def _facet_filter(chosen: dict[str, list[str]] | None) -> q.Query | None:
        parts = [q.Or([q.Term(name, str(v)) for v in values])
                 for name, values in (chosen or {}).items() if name in FACETS and values]
        return _combine(*parts)

    def _hit(self, fields: dict, score: float | None, marks: list[str], latin: str) -> SearchHit:
        transcript = self._transcript(fields["slug"])
        narrators = list(fields.get("narrators") or [])
        if latin:
            marks = marks + [n for n in narrators if latin in name_pinyin(n)]
        summary = fields.get("summary") or ""
        if transcript is None:
            passage = Passage(None, escape(summary), 0.0)
        else:
            passage = best_passage(transcript, marks, summary)
            if passage.segment is None:  # a word only the interview index (segments: front matter) holds
                passage = note_passage(transcript, fields.get("notes") or {}, marks) or passage
        return self._make_hit(fields, score, passage)

    def _transcript(self, slug: str) -> Transcript | None:
        try:
            return Transcript.read(self.store.story_path(slug))
        except KeyError:
            return None

    @staticmethod
    def _make_hit(fields: dict, score: float | None, passage: Passage) -> SearchHit:
        segment = passage.segment
        return SearchHit(
            slug=fields["slug"], title=fields.get("title") or fields["slug"], score=round(float(score or 0.0), 4),
            narrators=list(fields.get("narrators") or []), segment=segment.id if segment else None,
            segment_title=segment.title if segment else None, timestamp=segment.timestamp if segment else None,
            snippet=passage.snippet, interviewed=fields.get("interviewed") or "", summary=fields.get("summary") or "")

    def _inside_story(self, request: SearchRequest, ranked, searcher, marks, page: int, per_page: int):
        """Segment-level hits of one story, in reading order."""
        if not ranked:
            return SearchResults(0, [], {}, None, page, per_page)
        score, docnum = ranked[0]
        fields = searcher.stored_fields(docnum)
        story = self._transcript(request.story)
        passages = matching_segments(story, marks) if story is not None and marks else []
        if not passages:
            summary = fields.get("summary") or ""
            passages = [best_passage(story, marks, summary)] if story is not None else [Passage(None, "", 0.0)]
        hits = [self._make_hit(fields, score, p) for p in passages]
        start = (page - 1) * per_page
        return SearchResults(len(hits), hits[start:start + per_page], {}, None, page, per_page)

    # -- suggestions and related stories -----------------------------------
    def suggest(self, query: str, role: str | None = None) -> str | None:
        """A homophone correction of a query that found nothing, made only of words that stand in
        stories the reader may read today, if the corrected query finds something; else None."""
        try:
            better = self._reading(lambda: self._suggest(query, role), None)
            found = self.search(SearchRequest(query=better, role=role, per_page=1)) if better else None
        except SearchUnavailable:
            return None
        return better if found is not None and found.total else None

    def _suggest(self, query: str, role: str | None) -> str | None:
        with self._lock:
            searcher = self._open()
            table = self._documents(searcher)
            ranker = self._ranker(searcher, table)
            allowed = access_filter(role)
            readable = table.live if allowed is None else ranker.matches(allowed)
            homophones = self._homophones_for(searcher, readable, role)
            try:
                correction = homophones.correct(query)
            except (ValueError, TypeError):  # text pypinyin cannot read
                return None
            if correction is None:
                return None
            better, words = correction
            if better == normalize_text(query) or not all(self._occurs(ranker, readable, w) for w in words):
                return None
            return better

    def _homophones_for(self, searcher, readable: np.ndarray, role: str | None) -> Homophones:
        """The words of the documents `role` may read today (per set of readable levels and day: an
        embargo lifts at midnight), kept for the index generation (archive.search.suggest)."""
        key = (frozenset(access.readable_levels(role)), access.today())
        names = self._vocab.words if self._vocab else ()
        return self._homophones.get(key, self._generation, searcher.reader().generation(),
                                    lambda: readable_words(searcher, readable, names))

    @staticmethod
    def _occurs(ranker: Ranker, readable: np.ndarray, word: str) -> int:
        """In how many readable documents the word stands, exactly as written."""
        return int((ranker.matches(phrase_query(word)) & readable).sum())

    def related(self, slug: str, role: str | None = None, limit: int = 5) -> list[SearchHit]:
        """Stories most like this one that the reader may read (none while the index cannot be read)."""
        try:
            return self._reading(lambda: self._related(slug, role, limit), [])
        except SearchUnavailable:
            return []

    def _related(self, slug: str, role: str | None, limit: int) -> list[SearchHit]:
        story = self.store.get_story(slug)
        with self._lock:
            searcher = self._open()
            table = self._documents(searcher)
            ranker = self._ranker(searcher, table)
            allowed = access_filter(role)
            readable = table.live if allowed is None else ranker.matches(allowed)
            own = [doc for doc in np.flatnonzero(readable).tolist() if table.slugs[doc] == slug]
            if story is None or not own:
                return []
            likes = self._key_terms(searcher, story)
            for key, name, boost in (("conflicts", "conflict", 2.0), ("tags", "tag", 1.0), ("honors", "honor", 0.5)):
                likes += [q.Term(name, v, boost=boost) for v in story.strings(key)]
            likes += [q.Term("people", p, boost=3.0) for p in story.people]
            likes += [q.Term("narrator", n, boost=3.0) for n in story.narrators]
            if not likes:
                return []
            scores, matched = ranker.vector(q.Or(likes))
            matched &= readable
            matched[own] = False
            docs = np.flatnonzero(matched)
            ranked = table.order(docs, scores[docs], "relevance", limit=limit)
            return [self._make_hit(fields, score, Passage(None, escape(fields.get("summary") or ""), 0.0))
                    for score, fields in ((score, searcher.stored_fields(doc)) for score, doc in ranked)]

    def _key_terms(self, searcher, story: Story, count: int = 12) -> list[q.Term]:
        """The story's most telling words by tf-idf, as weighted terms of the field that holds them."""
        words = Counter(w for w in word_tokens(normalize_text(strip_markup(story.body)), self._vocab)
                        if len(w) >= 2 and w not in STOPWORDS and not w.isdigit())
        total = max(1, searcher.doc_count_all())
        fields = {w: "body2" if is_bigram(w) else "body" for w in words}
        scored = [(w, tf * log((total + 1) / (searcher.doc_frequency(fields[w], w) + 0.5)))
                  for w, tf in words.items()]
        scored.sort(key=lambda item: (-item[1], item[0]))
        top = scored[:count]
        peak = top[0][1] if top and top[0][1] > 0 else 1.0
        return [q.Term(fields[w], w, boost=max(0.1, s / peak)) for w, s in top]
