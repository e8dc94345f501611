"""Relevance: BM25 scores for every matching document, computed a posting block at a time.

Whoosh's searcher walks its matcher tree one document at a time in Python,
which for a request matching most of the archive costs far more than reading
the posting lists.  Here each term's ids and weights are read a block at a
time (archive.search.postings) and the query tree is combined as numpy
vectors over all docnums: a score and a "matched" flag per document.

Every statistic counts live documents only — document frequency, document
count and average field length — so an incrementally updated index, whose
segments still hold deleted postings, scores exactly as a rebuilt one.
"""
from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as q

from archive.search.phrase import ExactPhrase
from archive.search.postings import field_lengths, term_postings

K1 = 1.2
B = 0.75

Vector = tuple[np.ndarray, np.ndarray]  # (score of every docnum, does it match)


class Ranker:
    """Scores queries against one searcher's index version; live = the undeleted docnums."""

    def __init__(self, searcher, live: np.ndarray):
        self.searcher = searcher
        self.size = len(live)  # docnums run from 0 to size - 1, deleted ones included
        self.live = live
        self.count = max(1, int(live.sum()))
        self._norms: dict[str, np.ndarray] = {}

    def matches(self, query: q.Query) -> np.ndarray:
        """Which live documents the query matches (a mask over docnums)."""
        return self.vector(query)[1]

    def _nothing(self) -> Vector:
        return np.zeros(self.size), np.zeros(self.size, dtype=bool)

    def vector(self, query: q.Query) -> Vector:
        """The score of every docnum, and whether it is a live document the query matches."""
        if isinstance(query, (q.Term, ExactPhrase)):
            return self._leaf(query)
        if isinstance(query, (q.Or, q.DisjunctionMax, q.And)):
            parts = [self.vector(sub) for sub in query.subqueries]
            if not parts:
                return self._nothing()
            scores = np.array([p[0] for p in parts])
            flags = np.array([p[1] for p in parts])
            if isinstance(query, q.And):
                matched = flags.all(axis=0)
                return np.where(matched, scores.sum(axis=0), 0.0) * query.boost, matched
            combined = scores.max(axis=0) if isinstance(query, q.DisjunctionMax) else scores.sum(axis=0)
            return combined * query.boost, flags.any(axis=0)
        if isinstance(query, q.AndNot):  # `WORD -OTHER`: what the first finds, less what the second finds
            (scores, matched), (_, unwanted) = self.vector(query.a), self.vector(query.b)
            matched = matched & ~unwanted
            return np.where(matched, scores, 0.0), matched
        if isinstance(query, q.AndMaybe):
            (required, matched), (optional, _) = self.vector(query.a), self.vector(query.b)
            return np.where(matched, required + optional, 0.0), matched
        if query is q.NullQuery or isinstance(query, q.NullQuery.__class__):
            return self._nothing()
        if isinstance(query, q.Every):
            matched = self.live.copy()
        elif isinstance(query, q.MultiTerm):  # wildcards, ranges: any of the terms they stand for
            terms = query.simplify(self.searcher.reader())
            matched = self.matches(terms) if isinstance(terms, (q.Term, q.Or)) else self._nothing()[1]
        else:
            matched = self._nothing()[1]
            matched[list(self.searcher.docs_for_query(query))] = True
            matched &= self.live
        return np.where(matched, float(query.boost), 0.0), matched  # a constant score

    def _leaf(self, query: q.Term | ExactPhrase) -> Vector:
        """BM25 of one term or phrase: tf saturation, live-document idf and length normalisation."""
        tf, matched = self._frequencies(query)
        found = int(matched.sum())
        if not found:
            return self._nothing()
        idf = log(1 + (self.count - found + 0.5) / (found + 0.5))
        scale = query.boost * idf * (K1 + 1)
        return np.where(matched, scale * tf / (tf + self._saturation(query.fieldname)), 0.0), matched

    def _frequencies(self, query: q.Term | ExactPhrase) -> Vector:
        """Term frequency (times the field's boost) of every docnum, and whether it is a live match."""
        tf, matched = self._nothing()
        for leaf, offset in self.searcher.leaf_searchers():
            if isinstance(query, ExactPhrase):
                ids, freqs = query.found(leaf)
            else:
                ids, freqs = term_postings(leaf.reader(), query.fieldname, query.text)
            tf[ids + offset] = freqs
            matched[ids + offset] = True
        return tf, matched & self.live

    def _saturation(self, fieldname: str) -> np.ndarray:
        """K1 x length normalisation of each docnum for a scorable field (just K1 for keywords)."""
        if fieldname not in self._norms:
            norms = np.full(self.size, K1)
            if self.searcher.schema[fieldname].scorable:
                lengths = np.zeros(self.size)
                for leaf, offset in self.searcher.leaf_searchers():
                    found = field_lengths(leaf.reader(), fieldname)
                    lengths[offset:offset + len(found)] = found
                live = lengths[self.live]
                average = (float(live.mean()) if len(live) else 1.0) or 1.0
                norms = K1 * (1 - B + B * lengths / average)
            self._norms[fieldname] = norms
        return self._norms[fieldname]
