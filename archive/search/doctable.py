"""What the engine keeps in memory about every live document of one index version:
slug, interview date and facet values, so totals, facet counts and sorting need
no further trips into the index.  They are held as numpy arrays over docnums,
so counting the facets of 10,000 hits or picking the top ten of them takes a
few array operations.  Each segment's rows are read once and kept (segments are
immutable; only their deletions change), so the table of the index version after
a save reads just the new segment and joins the rest with numpy."""
from __future__ import annotations

from functools import cached_property

import numpy as np

from archive.search.api import FacetValue

FACETS = ("conflict", "honor", "tag", "audience", "narrator", "decade")


class PairNumbers:
    """A number for every (facet, value) pair this process has seen, kept across index versions (a
    new segment only adds the pairs it brings); numbers of pairs no longer present count nothing."""

    def __init__(self):
        self.numbers: dict[tuple[str, str], int] = {}
        self.pairs: list[tuple[str, str]] = []
        self._order: tuple[int, dict[str, list[str]], dict[str, np.ndarray]] | None = None

    def of(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """The numbers of these pairs (new ones numbered now)."""
        for pair in pairs:
            if pair not in self.numbers:
                self.numbers[pair] = len(self.pairs)
                self.pairs.append(pair)
        return np.fromiter(map(self.numbers.__getitem__, pairs), dtype=np.int64, count=len(pairs))

    def by_facet(self) -> tuple[dict[str, list[str]], dict[str, np.ndarray]]:
        """({facet: its values in order}, {facet: their numbers in the same order})."""
        if self._order is None or self._order[0] != len(self.pairs):
            names: dict[str, list[str]] = {name: [] for name in FACETS}
            numbered: dict[str, list[int]] = {name: [] for name in FACETS}
            for (name, value), number in sorted(self.numbers.items(), key=lambda item: item[0][1]):
                names[name].append(value)
                numbered[name].append(number)
            self._order = (len(self.pairs), names,
                           {name: np.array(found, dtype=np.int64) for name, found in numbered.items()})
        return self._order[1], self._order[2]


class SegmentCache:
    """What the tables of successive index versions share: each segment's rows and the pair numbers."""

    def __init__(self):
        self.rows: dict[tuple, SegmentRows] = {}
        self.numbers = PairNumbers()


class SegmentRows:
    """One segment's slug, date and facet pairs per docnum, deleted documents included (their slug is
    ""): a segment never changes once written, so its rows are read once and kept until it is merged
    away; only which of its documents are live changes."""

    def __init__(self, reader, numbers: PairNumbers):
        count = reader.doc_count_all()
        slugs, dates = [""] * count, [""] * count
        pair_docs: list[int] = []
        pairs: list[tuple[str, str]] = []
        for doc, fields in reader.iter_docs():
            slugs[doc], dates[doc], doc_pairs = _row(fields)
            pair_docs += [doc] * len(doc_pairs)
            pairs += doc_pairs
        self.slugs = np.array(slugs, dtype=object)
        self.dates = np.array(dates, dtype=object)
        self.pair_docs = np.array(pair_docs, dtype=np.int64)
        self.pair_values = numbers.of(pairs)


class DocTable:
    """docnum -> slug, date and (facet, value) pairs, over every docnum (deleted ones masked by `live`)."""

    def __init__(self, size: int, live: np.ndarray, parts: list[tuple[int, SegmentRows]], numbers: PairNumbers):
        self.size = size  # docnums run from 0 to size - 1 (deleted documents included)
        self.live = live
        self._parts = parts  # (first docnum, rows) of each segment
        self._numbers = numbers
        self.slugs = _joined([rows.slugs for _offset, rows in parts])  # docnum -> slug ("" if deleted)
        self.dates = _joined([rows.dates for _offset, rows in parts])

    @classmethod
    def from_searcher(cls, searcher, cache: SegmentCache | None = None) -> DocTable:
        """The table of a searcher's index version; `cache` keeps the rows of segments read before, so
        after a save only the new segment's stored fields are read."""
        cache = cache or SegmentCache()
        size = searcher.doc_count_all()
        live = np.zeros(size, dtype=bool)
        parts, kept = [], {}
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            segment = reader.segment() if hasattr(reader, "segment") else None
            key = (segment.segment_id(), reader.doc_count_all()) if segment is not None else None
            rows = cache.rows.get(key) if key else None
            if rows is None:
                rows = SegmentRows(reader, cache.numbers)
            if key:
                kept[key] = rows
            parts.append((offset, rows))
            if reader.has_deletions():
                live[np.fromiter(reader.all_doc_ids(), dtype=np.int64) + offset] = True
            else:
                live[offset:offset + reader.doc_count_all()] = True
        cache.rows = kept
        return cls(size, live, parts, cache.numbers)

    # -- counting ---------------------------------------------------------
    @cached_property
    def _facet_index(self) -> tuple[dict[str, list[str]], np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """({facet: its distinct values}, the docnum of each (document, value) pair, the pair's value
        number, {facet: its value numbers in the order of its values}): the segments' arrays joined."""
        names, numbered = self._numbers.by_facet()
        docs = _joined([rows.pair_docs + offset for offset, rows in self._parts], np.int64)
        values = _joined([rows.pair_values for _offset, rows in self._parts], np.int64)
        return names, docs, values, numbered

    def facets(self, chosen: np.ndarray, limit: int | None = None) -> dict[str, list[FacetValue]]:
        """For each facet, its values with the number of chosen documents (a mask over docnums) carrying
        each, most frequent first (ties by value), at most `limit` of them."""
        names, docs, values, numbered = self._facet_index
        counts = np.bincount(values[chosen[docs]], minlength=len(self._numbers.pairs))
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
        """Sort keys over docnums: slug order, and interview-date order with unknown dates last (the
        keys of deleted docnums are never used)."""
        ranks = {"slug": np.unique(self.slugs.astype(str), return_inverse=True)[1]}
        dates = self.dates.astype(str)
        for name, unknown in (("newest", "0000"), ("oldest", "9999")):
            ranks[name] = np.unique(np.where(dates == "", unknown, dates), return_inverse=True)[1]
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


def _row(fields: dict) -> tuple[str, str, list[tuple[str, str]]]:
    facets = fields.get("facets") or {}
    return (fields["slug"], fields.get("interviewed") or "",
            sorted({(name, str(v)) for name in FACETS for v in facets.get(name) or ()}))


def _joined(arrays: list[np.ndarray], dtype=object) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)
