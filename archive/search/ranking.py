"""Relevance: BM25 scores for every matching document, computed a posting block at a time.

Whoosh's searcher walks its matcher tree one document at a time in Python,
which for a request matching most of the archive costs far more than reading
the posting lists.  Here each term's ids and weights are read a block at a
time (the private block readers of the pinned Whoosh-Reloaded 2.7.5, checked
at start-up) and the query tree is combined with dictionaries.

Every statistic counts live documents only — document frequency, document
count and average field length — so an incrementally updated index, whose
segments still hold deleted postings, scores exactly as a rebuilt one.
"""
from __future__ import annotations

from math import log

from whoosh import query as q

from archive.search.phrase import ExactPhrase
from archive.search.postings import term_postings

K1 = 1.2
B = 0.75


class Ranker:
    """Scores queries against one searcher's index version; live = the undeleted docnums."""

    def __init__(self, searcher, live: set[int]):
        self.searcher = searcher
        self.live = live
        self.count = max(1, len(live))
        self._norms: dict[str, dict[int, float]] = {}

    def scores(self, query: q.Query) -> dict[int, float]:
        """Global docnum -> score of every live document the query matches."""
        if isinstance(query, (q.Term, ExactPhrase)):
            return self._leaf(query)
        if isinstance(query, q.Or):
            return self._sum([self.scores(sub) for sub in query.subqueries], query.boost)
        if isinstance(query, q.DisjunctionMax):
            return self._best([self.scores(sub) for sub in query.subqueries], query.boost)
        if isinstance(query, q.And):
            parts = [self.scores(sub) for sub in query.subqueries]
            common = set.intersection(*(set(p) for p in parts)) if parts else set()
            return {doc: query.boost * sum(p[doc] for p in parts) for doc in common}
        if isinstance(query, q.AndMaybe):
            required, optional = self.scores(query.a), self.scores(query.b)
            return {doc: score + optional.get(doc, 0.0) for doc, score in required.items()}
        if query is q.NullQuery or isinstance(query, q.NullQuery.__class__):
            return {}
        docs = set(self.searcher.docs_for_query(query)) & self.live  # wildcards, ranges: a constant score
        return dict.fromkeys(docs, float(query.boost))

    @staticmethod
    def _sum(parts: list[dict[int, float]], boost: float) -> dict[int, float]:
        total: dict[int, float] = {}
        for part in parts:
            for doc, score in part.items():
                total[doc] = total.get(doc, 0.0) + score
        return {doc: score * boost for doc, score in total.items()} if boost != 1.0 else total

    @staticmethod
    def _best(parts: list[dict[int, float]], boost: float) -> dict[int, float]:
        best: dict[int, float] = {}
        for part in parts:
            for doc, score in part.items():
                if score > best.get(doc, 0.0):
                    best[doc] = score
        return {doc: score * boost for doc, score in best.items()}

    def _leaf(self, query: q.Term | ExactPhrase) -> dict[int, float]:
        """BM25 of one term or phrase: tf saturation, live-document idf and length normalisation."""
        postings = self._postings(query)
        if not postings:
            return {}
        idf = log(1 + (self.count - len(postings) + 0.5) / (len(postings) + 0.5))
        saturation = self._saturation(query.fieldname)
        scale = query.boost * idf * (K1 + 1)
        return {doc: scale * tf / (tf + saturation.get(doc, K1)) for doc, tf in postings.items()}

    def _postings(self, query: q.Term | ExactPhrase) -> dict[int, float]:
        """Live global docnum -> term frequency (times the field's boost)."""
        found: dict[int, float] = {}
        for leaf, offset in self.searcher.leaf_searchers():
            if isinstance(query, ExactPhrase):
                ids, freqs = query.found(leaf)
                pairs = zip(ids, freqs)
            else:
                pairs = term_postings(leaf.reader(), query.fieldname, query.text)
            for doc, tf in pairs:
                if doc + offset in self.live:
                    found[doc + offset] = tf
        return found

    def _saturation(self, fieldname: str) -> dict[int, float]:
        """K1 x length normalisation of each live document for a scorable field (empty for keywords)."""
        if fieldname not in self._norms:
            norms: dict[int, float] = {}
            if self.searcher.schema[fieldname].scorable:
                reader = self.searcher.reader()
                lengths = {doc: reader.doc_field_length(doc, fieldname) or 0 for doc in self.live}
                average = (sum(lengths.values()) / len(lengths) if lengths else 1.0) or 1.0
                norms = {doc: K1 * (1 - B + B * length / average) for doc, length in lengths.items()}
            self._norms[fieldname] = norms
        return self._norms[fieldname]
