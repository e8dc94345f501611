"""Variants of one word (朝鲜战争 / 抗美援朝) count once: a document scores the best of
them, not their sum.  Whoosh 2.7.5's DisjunctionMaxMatcher takes the max over its
two sub-matchers even when they stand on different documents, so a document could
borrow another's score, and the answer depended on document order; this one
compares only sub-matchers on the current document."""
from __future__ import annotations

from whoosh import query as q
from whoosh.matching import DisjunctionMaxMatcher


class BestOfMatcher(DisjunctionMaxMatcher):
    """Union of two matchers scoring each document by the higher of the scores on it."""

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        on_a, on_b = a.id(), b.id()
        if on_a != on_b:
            return a.score() if on_a < on_b else b.score()
        return max(a.score(), b.score())


class BestOf(q.DisjunctionMax):
    """DisjunctionMax with a matcher that scores only what stands on the current document."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(subs, BestOfMatcher, searcher, context, lambda sub: sub.estimate_size(reader),
                                  tiebreak=self.tiebreak)
