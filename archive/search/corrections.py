""""Did you mean": a homophone correction of a query that found nothing, made only of words that
stand, exactly as written, in stories the reader may read today (archive.search.suggest keeps the
per-reader dictionaries)."""
from __future__ import annotations

import numpy as np

from archive import access
from archive.search.analysis import normalize_text
from archive.search.execution import readable
from archive.search.live_index import IndexView
from archive.search.query import phrase_query
from archive.search.ranking import Ranker
from archive.search.suggest import Homophones, ReaderDictionaries, readable_words


class Corrections:
    """Homophone corrections, with the dictionaries of each kind of reader kept per index version."""

    def __init__(self):
        self._dictionaries = ReaderDictionaries()

    def correct(self, view: IndexView, query: str, role: str | None) -> str | None:
        """The corrected query, or None when there is no readable correction."""
        allowed = readable(view, role)
        try:
            correction = self._homophones(view, allowed, role).correct(query)
        except (ValueError, TypeError):  # text pypinyin cannot read
            return None
        if correction is None:
            return None
        better, words = correction
        if better == normalize_text(query) or not all(_occurs(view.ranker, allowed, w) for w in words):
            return None
        return better

    def _homophones(self, view: IndexView, allowed: np.ndarray, role: str | None) -> Homophones:
        """The words of the documents `role` may read today (per set of readable levels and day: an
        embargo lifts at midnight), kept for the index generation."""
        key = (frozenset(access.readable_levels(role)), access.today())
        names = view.vocab.words if view.vocab else ()
        return self._dictionaries.get(key, view.generation, view.searcher.reader().generation(),
                                      lambda: readable_words(view.searcher, allowed, names))


def _occurs(ranker: Ranker, allowed: np.ndarray, word: str) -> int:
    """In how many readable documents the word stands, exactly as written."""
    return int((ranker.matches(phrase_query(word)) & allowed).sum())
