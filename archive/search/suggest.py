""""Did you mean": real Chinese typos are homophones (上干岭 for 上甘岭, 王建过 for
王建国), not edit-distance neighbours, so a query with no hits is compared by
pinyin with the archive's own names and the words of its index.

A reader is offered only words that stand in a story they may read: the
dictionary is built per reader from the readable documents alone
(`readable_words`), so a name, place or unit that only a restricted, embargoed
or internal story holds is never suggested to a reader who may not see it.
Building one costs a pass over the index's terms, so it is kept for the index
generation (`ReaderDictionaries`) and rebuilt at most once a minute as saves
change the index; the engine checks every word a suggestion puts in against
the index as it is now, so a dictionary that lags behind a save (a story made
restricted meanwhile) still offers nothing unreadable.

`Homophones({"上甘岭": 3}).correct("上干岭战役")` -> ("上甘岭战役", ["上甘岭"]).
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from archive.search.analysis import CJK, is_bigram, is_cjk, normalize_text, text_pinyin
from archive.search.postings import term_postings

MAX_WORD = 6
REFRESH = 60.0  # seconds a reader's dictionary may lag behind saves within one index generation
NAME_WEIGHT = 1000  # the archive's own names come before words of the running text
WORD_FIELDS = ("head", "body")  # body has no two-character words; head has those of titles and names


def suggestable(word: str) -> bool:
    """Could the word be offered (two to six CJK characters)?"""
    return 2 <= len(word) <= MAX_WORD and all(CJK.match(c) for c in word)


class Homophones:
    """Known words keyed by their toneless pinyin; the most frequent word wins a shared key."""

    def __init__(self, words: dict[str, int]):
        self.by_sound: dict[tuple[str, ...], tuple[int, str]] = {}
        for word, weight in words.items():
            if not suggestable(word):
                continue
            key = text_pinyin(word)
            known = self.by_sound.get(key)
            if known is None or (weight, word) > known:
                self.by_sound[key] = (weight, word)
        self.known = {word for _weight, word in self.by_sound.values()}

    def correct(self, query: str) -> tuple[str, list[str]] | None:
        """(the query with misheard words replaced by known homophones, the words put in), or None
        if nothing changes."""
        text = normalize_text(query)
        out, index, changed = [], 0, []
        while index < len(text):
            replacement = None
            if is_cjk(text[index]):
                for length in range(min(MAX_WORD, len(text) - index), 1, -1):
                    window = text[index:index + length]
                    if not all(CJK.match(c) for c in window):
                        continue
                    if window in self.known:
                        replacement = (window, length)
                        break
                    found = self.by_sound.get(text_pinyin(window))
                    if found is not None:
                        replacement = (found[1], length)
                        changed.append(found[1])
                        break
            if replacement is None:
                out.append(text[index])
                index += 1
            else:
                out.append(replacement[0])
                index += replacement[1]
        return ("".join(out), changed) if changed else None


def readable_words(searcher, readable: np.ndarray, names: Iterable[str]) -> dict[str, int]:
    """{word: weight} of the words that stand in the `readable` documents (a mask over docnums):
    indexed words of titles, names, labels and transcripts, weighted by how many readable documents
    hold them; the archive's own `names` among them come first (NAME_WEIGHT more).  A name or word
    that only documents outside the mask hold is not there at all."""
    names = {name for name in names if suggestable(name)}
    pairs = sorted(name for name in names if is_bigram(name))  # in transcripts only as one bigram term
    counts: Counter[str] = Counter()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        mine = readable[offset:offset + reader.doc_count_all()]
        if not mine.any():
            continue
        found: dict[str, int] = {}
        for fieldname in WORD_FIELDS:
            for term, info in reader.iter_field(fieldname):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                if suggestable(text):
                    count = _readable_count(reader, fieldname, term, info, mine)
                    if count > found.get(text, 0):
                        found[text] = count
        for name in pairs:
            if ("body2", name) in reader:
                count = _readable_count(reader, "body2", name, reader.term_info("body2", name), mine)
                found[name] = max(found.get(name, 0), count)
        counts.update({word: count for word, count in found.items() if count})
    return {word: count + (NAME_WEIGHT if word in names else 0) for word, count in counts.items()}


def _readable_count(reader, fieldname: str, term, info, mine: np.ndarray) -> int:
    """How many readable documents of one segment hold the term; the term's first and last docnum
    (kept in its term info) settle most terms without reading the posting list."""
    first, last = info.min_id(), info.max_id()
    if first is None or not mine[first:last + 1].any():
        return 0
    if info.doc_frequency() == 1 or first == last:
        return int(mine[first])
    ids, _weights = term_postings(reader, fieldname, term, keep=False)
    return int(mine[ids].sum())


class ReaderDictionaries:
    """A `Homophones` per kind of reader (readable levels and day), for one index generation."""

    def __init__(self, refresh: float = REFRESH):
        self.refresh = refresh
        self._built: dict[tuple, tuple[object, object, float, Homophones]] = {}

    def get(self, key: tuple, generation, version, build: Callable[[], dict[str, int]]) -> Homophones:
        """The dictionary for `key`, built by `build()` unless the one kept is of this generation and
        of this index `version` or younger than `refresh` seconds."""
        kept = self._built.get(key)
        now = time.monotonic()
        if kept is None or kept[0] != generation or (kept[1] != version and now - kept[2] >= self.refresh):
            for stale in [k for k, entry in self._built.items() if entry[0] != generation or k[1:] != key[1:]]:
                del self._built[stale]
            kept = self._built[key] = (generation, version, now, Homophones(build()))
        return kept[3]
