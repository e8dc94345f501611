"""What the engine keeps in memory about every live document of one index version:
slug, interview date and facet values, so totals, facet counts and sorting need
no further trips into the index.  They are held as numpy arrays over docnums,
so counting the facets of 10,000 hits or picking the top ten of them takes a
few array operations.  Rows of segments that did not change are reused after
an update."""
from __future__ import annotations

from functools import cached_property

import numpy as np

from archive.search.api import FacetValue

FACETS = ("conflict", "honor", "tag", "audience", "narrator", "decade")


class DocTable:
    """docnum -> slug, date and (facet, value) pairs, for every document that is not deleted."""

    def __init__(self, size: int, slugs: dict[int, str], dates: dict[int, str],
                 pairs: dict[int, tuple[tuple[str, str], ...]]):
        self.size = size  # docnums run from 0 to size - 1 (deleted documents included)
        self.slugs = slugs
        self.dates = dates
        self.pairs = pairs
        self.live = np.zeros(size, dtype=bool)
        self.live[list(slugs)] = True

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
        return cls(searcher.doc_count_all(), slugs, dates, pairs)

    # -- counting ---------------------------------------------------------
    @cached_property
    def _facet_index(self) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
        """(every distinct (facet, value), the docnum of each (document, value) pair, the value's number)."""
        numbers: dict[tuple[str, str], int] = {}
        docs, values = [], []
        for doc, doc_pairs in self.pairs.items():
            for pair in doc_pairs:
                docs.append(doc)
                values.append(numbers.setdefault(pair, len(numbers)))
        return list(numbers), np.array(docs, dtype=np.int64), np.array(values, dtype=np.int64)

    def facets(self, chosen: np.ndarray) -> dict[str, list[FacetValue]]:
        """Facet values with the number of chosen documents (a mask over docnums) carrying each,
        most frequent first."""
        distinct, docs, values = self._facet_index
        counts = np.bincount(values[chosen[docs]], minlength=len(distinct)) if len(docs) else np.zeros(0)
        result: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        found = [(int(counts[number]), pair) for number, pair in enumerate(distinct) if counts[number]]
        for count, (name, value) in sorted(found, key=lambda item: (-item[0], item[1][1])):
            result[name].append(FacetValue(value, count))
        return result

    # -- ordering ---------------------------------------------------------
    @cached_property
    def _ranks(self) -> dict[str, np.ndarray]:
        """Sort keys over docnums: slug order, and interview-date order with unknown dates last."""
        ranks = {}
        for name, order, unknown in (("slug", self.slugs, None), ("newest", self.dates, "0000"),
                                     ("oldest", self.dates, "9999")):
            keys = {doc: order[doc] or unknown for doc in self.slugs} if unknown else order
            distinct = {key: number for number, key in enumerate(sorted(set(keys.values())))}
            rank = np.zeros(self.size, dtype=np.int64)
            for doc, key in keys.items():
                rank[doc] = distinct[key]
            ranks[name] = rank
        return ranks

    def order(self, docs: np.ndarray, scores: np.ndarray, sort: str, limit: int | None = None
              ) -> list[tuple[float, int]]:
        """The first `limit` (score, docnum) pairs by score (or date), ties always broken by slug so that
        answers are stable; `scores` holds the score of each of `docs`."""
        ranks = self._ranks
        keys = [ranks["slug"][docs], -scores]
        if sort == "newest":
            keys.append(-ranks["newest"][docs])
        elif sort == "oldest":
            keys.append(ranks["oldest"][docs])
        chosen = np.lexsort(keys)[:limit]  # the last key sorts first
        return list(zip(scores[chosen].tolist(), docs[chosen].tolist()))


def _row(fields: dict) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    facets = fields.get("facets") or {}
    return (fields["slug"], fields.get("interviewed") or "",
            tuple({(name, str(v)) for name in FACETS for v in facets.get(name) or ()}))
