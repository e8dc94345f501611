"""The search interface the web app and the CLI use.

Views and commands only see these types and the `SearchEngine` protocol; the
Whoosh implementation lives beside this module and is the only code that
imports Whoosh, so a cluster engine (OpenSearch, Elasticsearch) can replace it
for a province-sized archive without touching views or commands.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from archive.models import Story


@dataclass
class SearchRequest:
    """What a reader asked for."""

    query: str = ""
    role: str | None = None  # the reader's role; decides what may be found (archive.access)
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet -> chosen values
    sort: str = "relevance"  # "relevance", "newest", "oldest"
    page: int = 1
    per_page: int = 10
    story: str | None = None  # search inside this one story only


@dataclass
class SearchHit:
    """One story found, with the segment where it matched best."""

    slug: str
    title: str
    score: float
    narrators: list[str]
    segment: str | None  # segment id to jump to, or None for a story-level hit
    segment_title: str | None
    timestamp: str | None  # HH:MM:SS of the segment, if any
    snippet: str  # safe HTML: escaped text with <mark> around matched words
    interviewed: str = ""
    summary: str = ""

    def to_json(self) -> dict:
        """The CLI and API form."""
        return dict(self.__dict__)


@dataclass
class FacetValue:
    value: str
    count: int


@dataclass
class SearchResults:
    """A page of hits with the exact total and facet counts over all hits."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]  # conflict, honor, tag, audience, narrator, decade
    suggestion: str | None = None  # "did you mean", when nothing was found
    page: int = 1
    per_page: int = 10

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_json(self) -> dict:
        """{"total", "hits", "facets", "suggestion", "page", "per_page"}."""
        return {
            "total": self.total,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": {name: [{"value": f.value, "count": f.count} for f in values]
                       for name, values in self.facets.items()},
            "suggestion": self.suggestion,
            "page": self.page,
            "per_page": self.per_page,
        }


class SearchEngine(Protocol):
    """Index and search stories.  Implementations filter by access inside the search.

    Every engine registered in archive.search.engines is held to this by the contract tests
    (tests/search_contract.py)."""

    def start(self) -> None:
        """App start-up (archive.context): bring a missing or stale index up to date."""

    def ensure_ready(self) -> dict[str, int]:
        """The CLI's check before `index` and `search`: like `update`, but a missing or unreadable
        index is built; counts as `update`'s, plus "rebuilt": 1 when it was rebuilt."""

    def pending_notice(self, slug: str) -> str | None:
        """Why a just-saved story is not searchable yet (the editor shows it), or None when it is."""

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Build the whole index from the files and swap it in; return the count.  `progress(done,
        total)` is called as stories are indexed."""

    def update(self) -> dict[str, int]:
        """Bring the index in step with the files (added, changed, deleted); return counts."""

    def index_story(self, story: Story) -> None:
        """Add or replace one story at once (after a save)."""

    def delete_story(self, slug: str) -> None:
        """Remove one story at once (after a delete)."""

    def search(self, request: SearchRequest) -> SearchResults:
        """Run a query; never raises on any input text."""

    def suggest(self, query: str, role: str | None = None) -> str | None:
        """A better query for one that found nothing, or None."""

    def related(self, slug: str, role: str | None = None, limit: int = 5) -> list[SearchHit]:
        """Stories most like this one that the reader may read."""

    def version(self) -> str:
        """Names the index that answers now; it changes when the index is rebuilt (so pages that
        show its answers, such as related stories, are not served from a cache made before)."""
