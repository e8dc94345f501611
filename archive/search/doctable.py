"""What the engine keeps in memory about every live document of one index version:
slug, interview date and facet values, so totals, facet counts and sorting need
no further trips into the index (counting 2,000 hits takes about a millisecond)."""
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
    def from_reader(cls, reader) -> DocTable:
        """Read the stored fields of every live document once."""
        slugs, dates, pairs = {}, {}, {}
        for docnum, fields in reader.iter_docs():
            slugs[docnum] = fields["slug"]
            dates[docnum] = fields.get("interviewed") or ""
            facets = fields.get("facets") or {}
            pairs[docnum] = tuple({(name, str(v)) for name in FACETS for v in facets.get(name) or ()})
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
