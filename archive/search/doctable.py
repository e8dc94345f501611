"""What the engine keeps in memory about every live document of one index version:
slug, interview date and facet values, so totals, facet counts and sorting need
no further trips into the index.  They are held as numpy arrays over docnums,
so counting the facets of 10,000 hits or picking the top ten of them takes a
few array operations.  Rows of segments that did not change are reused after
an update."""
from __future__ import annotations

from functools import cached_property
from itertools import chain

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
    def _facet_index(self) -> tuple[dict[str, list[str]], np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """({facet: its distinct values}, the docnum of each (document, value) pair, the pair's value
        number, {facet: its value numbers in the order of its values})."""
        every_pair = list(chain.from_iterable(self.pairs.values()))
        docs = np.repeat(np.fromiter(self.pairs, dtype=np.int64, count=len(self.pairs)),
                         [len(doc_pairs) for doc_pairs in self.pairs.values()])
        distinct = sorted(set(every_pair), key=lambda pair: pair[1])  # numbered in the order of their values
        numbers = {pair: number for number, pair in enumerate(distinct)}
        values = np.fromiter(map(numbers.__getitem__, every_pair), dtype=np.int64, count=len(every_pair))
        names: dict[str, list[str]] = {name: [] for name in FACETS}
        numbered: dict[str, list[int]] = {name: [] for name in FACETS}
        for number, (name, value) in enumerate(distinct):
            names[name].append(value)
            numbered[name].append(number)
        return names, docs, values, {name: np.array(found, dtype=np.int64) for name, found in numbered.items()}

    def facets(self, chosen: np.ndarray, limit: int | None = None) -> dict[str, list[FacetValue]]:
        """For each facet, its values with the number of chosen documents (a mask over docnums) carrying
        each, most frequent first (ties by value), at most `limit` of them."""
        names, docs, values, numbered = self._facet_index
        counts = np.bincount(values[chosen[docs]], minlength=sum(len(found) for found in names.values()))
        result: dict[str, list[FacetValue]] = {}
        for name in FACETS:
            facet_counts = counts[numbered[name]]
            present = np.flatnonzero(facet_counts)
            shown = present[np.argsort(-facet_counts[present], kind="stable")][:limit]
            result[name] = [FacetValue(names[name][i], int(facet_counts[i])) for i in shown.tolist()]
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
