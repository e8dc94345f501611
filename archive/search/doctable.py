"""What the engine keeps in memory about every live document of one index version:
slug, interview date and facet values, so totals, facet counts and sorting need
no further trips into the index (counting 2,000 hits takes about a millisecond).
Rows of segments that did not change are reused after an update."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain

from archive.search.api import FacetValue

FACETS = ("conflict", "honor", "tag", "audience", "narrator", "decade")


@dataclass
class DocTable:
    """docnum -> slug, date and (facet, value) pairs, for every document that is not deleted."""

    slugs: dict[int, str]
    dates: dict[int, str]
    pairs: dict[int, tuple[tuple[str, str], ...]]

    @classmethod
    def from_searcher(cls, searcher, segments: dict | None = None) -> DocTable:
        """Read the stored fields of every live document; `segments` caches unchanged segments' rows."""
        slugs, dates, pairs = {}, {}, {}
        kept = {}
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            segment = reader.segment() if hasattr(reader, "segment") else None
            key = (segment.segment_id(), reader.doc_count_all()) if segment is not None else None
            rows = (segments or {}).get(key) if key else None
            if rows is None:
                rows = {doc: _row(fields) for doc, fields in reader.iter_docs()}
            if key:
                kept[key] = rows
            for doc in reader.all_doc_ids():
                if doc in rows:
                    slugs[doc + offset], dates[doc + offset], pairs[doc + offset] = rows[doc]
        if segments is not None:
            segments.clear()
            segments.update(kept)
        return cls(slugs, dates, pairs)

    @property
    def live(self) -> set[int]:
        return set(self.slugs)

    def facets(self, docs: set[int]) -> dict[str, list[FacetValue]]:
        """Facet values with the number of `docs` carrying each, most frequent first."""
        counts = Counter(chain.from_iterable(self.pairs[d] for d in docs))
        result: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        for (name, value), count in sorted(counts.items(), key=lambda item: (-item[1], item[0][1])):
            result[name].append(FacetValue(value, count))
        return result

    def order(self, scored: list[tuple[float, int]], sort: str) -> list[tuple[float, int]]:
        """(score, docnum) pairs by score (or date), ties always broken by slug so answers are stable."""
        ranked = sorted(scored, key=lambda pair: self.slugs[pair[1]])
        ranked.sort(key=lambda pair: -pair[0])
        if sort == "newest":
            ranked.sort(key=lambda pair: self.dates[pair[1]] or "0000", reverse=True)
        elif sort == "oldest":
            ranked.sort(key=lambda pair: self.dates[pair[1]] or "9999")
        return ranked


def _row(fields: dict) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    facets = fields.get("facets") or {}
    return (fields["slug"], fields.get("interviewed") or "",
            tuple({(name, str(v)) for name in FACETS for v in facets.get(name) or ()}))
