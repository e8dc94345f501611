"""Running a query on one index version: the parsed request becomes a score and a match flag per
document (archive.search.ranking), filtered by what the reader may read and the chosen facets,
then the ranked docnums of one page, the exact total and the facet counts.

Access is decided here, inside the search: every query runs with a filter built from
`archive.access` (the stored level, and the stored embargo date compared with today), so a
story a reader may not read never counts in totals, facets, snippets, suggestions or related
stories.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as q

from archive import access
from archive.search.api import SearchRequest
from archive.search.doctable import FACETS
from archive.search.live_index import IndexView
from archive.search.query import ParsedQuery, build_query, marks_for, parse_query

FACET_VALUES = 30  # the most frequent values of each facet that a result lists


def access_filter(role: str | None) -> q.Query | None:
    """Documents a reader with `role` may read today (None: everything)."""
    levels = access.readable_levels(role)
    if set(access.LEVELS) <= levels:
        return None
    today = access.today().isoformat()
    return q.And([q.Or([q.Term("level", level) for level in sorted(levels)]),
                  q.TermRange("embargo", "0000-00-00", today)])


def readable(view: IndexView, role: str | None) -> np.ndarray:
    """The live documents `role` may read today (a mask over docnums)."""
    allowed = access_filter(role)
    return view.table.live if allowed is None else view.ranker.matches(allowed)


def combine(*parts: q.Query | None) -> q.Query | None:
    """The conjunction of the given queries (None ones left out; None when none is left)."""
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else q.And(parts)


def facet_filter(chosen: dict[str, list[str]] | None) -> q.Query | None:
    """Documents carrying one of the chosen values of every chosen facet."""
    parts = [q.Or([q.Term(name, str(v)) for v in values])
             for name, values in (chosen or {}).items() if name in FACETS and values]
    return combine(*parts)


@dataclass
class Execution:
    """What a query found: the parsed query, the words to mark, every match and the first ranked ones."""

    parsed: ParsedQuery
    marks: list[str]
    matched: np.ndarray  # mask over docnums
    total: int
    ranked: list[tuple[float, int]]  # (score, docnum) of the first `limit` matches, best first

    def facets(self, view: IndexView) -> dict:
        """The facet counts over every match."""
        return view.table.facets(self.matched, FACET_VALUES)


def execute(view: IndexView, request: SearchRequest, limit: int) -> Execution:
    """Run `request` on one index version, ranking its first `limit` matches."""
    parsed = parse_query(request.query, view.vocab)
    filters = [access_filter(request.role), facet_filter(request.filters)]
    if request.story:
        filters.append(q.Term("slug", request.story))
    allowed = combine(*filters)
    table = view.table
    if parsed.blank:
        scores, matched = np.zeros(table.size), table.live.copy()
    else:
        scores, matched = view.ranker.vector(build_query(parsed, view.synonyms))
    if allowed is not None:
        matched &= view.ranker.matches(allowed)
    docs = np.flatnonzero(matched)
    sort = ("oldest" if request.sort == "oldest" else "newest") if parsed.blank else request.sort
    ranked = table.order(docs, scores[docs], sort, limit=limit)
    return Execution(parsed, marks_for(parsed, view.synonyms), matched, len(docs), ranked)
