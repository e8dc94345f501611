"""Relevance scoring: Whoosh's BM25F, with average field lengths taken over the
documents that are still live.

Whoosh keeps the field-length totals of deleted documents, even through a merge,
so after an incremental update its averages (and so every score) would drift
from a rebuilt index's.  Summing the stored per-document lengths of live
documents gives both the same figure.
"""
from __future__ import annotations

from whoosh.scoring import BM25F, BM25FScorer


class LiveBM25F(BM25F):
    """BM25F with average field lengths over live documents only."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._averages: dict[tuple[int, str], tuple[object, float]] = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        """Whoosh's scorer, corrected to the live average length of the field."""
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, BM25FScorer):
            scorer.avgfl = self.average_length(searcher.get_parent(), fieldname) or 1
        return scorer

    def average_length(self, searcher, fieldname: str) -> float:
        """Mean stored length of `fieldname` over the live documents of the searcher's reader."""
        reader = searcher.reader()
        key = (id(reader), fieldname)
        cached = self._averages.get(key)
        if cached is None or cached[0] is not reader:
            docs = list(reader.all_doc_ids())
            total = sum(reader.doc_field_length(doc, fieldname) for doc in docs)
            if len(self._averages) > 64:
                self._averages.clear()
            cached = self._averages[key] = (reader, total / len(docs) if docs else 0.0)
        return cached[1]
