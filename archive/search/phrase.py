"""An exact phrase query over the character-bigram fields, much faster than Whoosh's
`Phrase` (which checks positions document by document through its span machinery).

`ExactPhrase("body2", ["跨过", "过鸭", "鸭绿", "绿江"])` matches documents where the
bigrams stand at consecutive positions, i.e. where 跨过鸭绿江 occurs, and scores
them by how often (a BM25-style saturation of the phrase frequency times its idf).
A None among the grams is an empty position (punctuation between two runs).

Positions are checked for every document at once: each bigram's (docnum,
position - its offset in the phrase) pairs become one integer key, and the
phrase occurs wherever every bigram has the same key.  Only every other bigram
needs reading (see `covering`), rarest first, and each is read in one pass.
"""
from __future__ import annotations

from math import log

import numpy as np
from whoosh import matching
from whoosh import query as q

from archive.search.postings import term_positions

K1 = 1.2


class ExactPhrase(q.Query):
    """Documents in which `grams` occur at consecutive positions of `fieldname`."""

    def __init__(self, fieldname: str, grams: list[str | None], boost: float = 1.0):
        self.fieldname = fieldname
        self.grams = list(grams)
        self.boost = boost
        self._found: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # per leaf reader, computed once per query

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ExactPhrase) and other.fieldname == self.fieldname
                and other.grams == self.grams and other.boost == self.boost)

    def __hash__(self) -> int:
        return hash((self.fieldname, tuple(self.grams), self.boost))

    def __repr__(self) -> str:
        return f"ExactPhrase({self.fieldname!r}, {self.grams!r})"

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader) -> int:
        """At most the rarest bigram's document count."""
        return min((ixreader.doc_frequency(self.fieldname, g) for g in self.grams if g), default=0)

    def matcher(self, searcher, context=None):
        """A list matcher over the documents of this (leaf) searcher that contain the phrase."""
        ids, freqs = self.found(searcher)
        if not len(ids):
            return matching.NullMatcher()
        top = searcher.get_parent()  # statistics of the whole index
        idf = log(1 + (top.doc_count_all() - len(ids) + 0.5) / (len(ids) + 0.5))
        weights = self.boost * idf * freqs * (K1 + 1) / (freqs + K1)
        return matching.ListMatcher(ids.tolist(), weights=weights.tolist())

    def found(self, searcher) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, phrase frequencies) in this leaf searcher's segment, computed once per query."""
        reader = searcher.reader()
        if id(reader) not in self._found:
            self._found[id(reader)] = self._find(reader)
        return self._found[id(reader)]

    def _find(self, reader) -> tuple[np.ndarray, np.ndarray]:
        nothing = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        placed = [(offset, gram.encode("utf-8")) for offset, gram in covering(self.grams)]
        if not placed or any((self.fieldname, key) not in reader for _offset, key in placed):
            return nothing
        starts = None  # keys (docnum << 32 | phrase start) where every gram so far stands in place
        for offset, key in sorted(placed, key=lambda item: reader.doc_frequency(self.fieldname, item[1])):
            wanted = None if starts is None else _runs(starts >> 32)[0]
            docs, positions = term_positions(reader, self.fieldname, key, wanted)
            in_place = positions >= offset
            keys = np.sort((docs[in_place] << 32) | (positions[in_place] - offset))  # (doc, position)s are unique
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not len(starts):
                return nothing
        ids, freqs = _runs(starts >> 32)
        if reader.has_deletions():
            live = np.array([not reader.is_deleted(doc) for doc in ids.tolist()], dtype=bool)
            ids, freqs = ids[live], freqs[live]
        return ids, freqs


def covering(grams: list[str | None]) -> list[tuple[int, str]]:
    """(offset, gram) of the bigrams worth checking: every other one of each run, and its last.

    Runs stand two empty positions apart in the index (analysis.bigram_tokens), so two bigrams at most
    two positions apart always belong to one run; checking these pins every character of the phrase."""
    chosen: list[tuple[int, str]] = []
    run_start = None
    for offset, gram in enumerate([*grams, None]):
        if gram is not None:
            if run_start is None:
                run_start = offset
            if (offset - run_start) % 2 == 0:
                chosen.append((offset, gram))
        elif run_start is not None:
            last = offset - 1
            if chosen[-1][0] != last:
                chosen.append((last, grams[last]))
            run_start = None
    return chosen


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, how many times each occurs) of a sorted array."""
    starts = np.flatnonzero(np.diff(values, prepend=-1))
    return values[starts], np.diff(starts, append=len(values))
