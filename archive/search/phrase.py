"""An exact phrase query over the character-bigram fields, several times faster than
Whoosh's `Phrase` (which checks positions through its generic span machinery).

`ExactPhrase("body2", ["跨过", "过鸭", "鸭绿", "绿江"])` matches documents where the
bigrams stand at consecutive positions, i.e. where 跨过鸭绿江 occurs, and scores
them by how often (a BM25-style saturation of the phrase frequency times its idf).
"""
from __future__ import annotations

from math import log

from whoosh import matching
from whoosh import query as q

from archive.search.postings import positions, term_postings, term_values

K1 = 1.2


class ExactPhrase(q.Query):
    """Documents in which `grams` occur at consecutive positions of `fieldname`."""

    def __init__(self, fieldname: str, grams: list[str], boost: float = 1.0):
        self.fieldname = fieldname
        self.grams = list(grams)
        self.boost = boost
        self._found: dict[int, tuple[list[int], list[int]]] = {}  # per leaf reader, computed once per query

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
        return min((ixreader.doc_frequency(self.fieldname, g) for g in self.grams), default=0)

    def matcher(self, searcher, context=None):
        """A list matcher over the documents of this (leaf) searcher that contain the phrase."""
        ids, freqs = self.found(searcher)
        if not ids:
            return matching.NullMatcher()
        top = searcher.get_parent()  # statistics of the whole index
        idf = log(1 + (top.doc_count_all() - len(ids) + 0.5) / (len(ids) + 0.5))
        return matching.ListMatcher(ids, weights=[self.boost * idf * f * (K1 + 1) / (f + K1) for f in freqs])

    def found(self, searcher) -> tuple[list[int], list[int]]:
        """(docnums, phrase frequencies) in this leaf searcher's segment, computed once per query."""
        reader = searcher.reader()
        if id(reader) not in self._found:
            self._found[id(reader)] = self._find(reader)
        return self._found[id(reader)]

    def _find(self, reader) -> tuple[list[int], list[int]]:
        keys = [g.encode("utf-8") for g in self.grams]
        if not keys or any((self.fieldname, key) not in reader for key in keys):
            return [], []
        unique = list(dict.fromkeys(keys))
        candidates: set[int] | None = None
        for key in sorted(unique, key=lambda key: reader.doc_frequency(self.fieldname, key)):
            ids = {doc for doc, _weight in term_postings(reader, self.fieldname, key)}
            candidates = ids if candidates is None else candidates & ids
            if not candidates:
                return [], []
        live = {doc for doc in candidates or () if not reader.is_deleted(doc)}
        values = {key: term_values(reader, self.fieldname, key, live) for key in unique}
        ids, freqs = [], []
        for doc in sorted(live):
            starts = set(positions(values[keys[0]][doc]))
            for offset, key in enumerate(keys[1:], start=1):
                starts.intersection_update(p - offset for p in positions(values[key][doc]))
                if not starts:
                    break
            if starts:
                ids.append(doc)
                freqs.append(len(starts))
        return ids, freqs
