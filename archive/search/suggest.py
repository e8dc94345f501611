""""Did you mean": real Chinese typos are homophones (上干岭 for 上甘岭, 王建过 for
王建国), not edit-distance neighbours, so a query with no hits is compared by
pinyin with the archive's own names and the words of its index.

`Homophones({"上甘岭": 3}).correct("上干岭战役")` -> "上甘岭战役".
"""
from __future__ import annotations

from archive.search.analysis import CJK, is_cjk, normalize_text, text_pinyin

MAX_WORD = 6


class Homophones:
    """Known words keyed by their toneless pinyin; the most frequent word wins a shared key."""

    def __init__(self, words: dict[str, int]):
        self.by_sound: dict[tuple[str, ...], tuple[int, str]] = {}
        for word, weight in words.items():
            if not (2 <= len(word) <= MAX_WORD) or not all(CJK.match(c) for c in word):
                continue
            key = text_pinyin(word)
            known = self.by_sound.get(key)
            if known is None or (weight, word) > known:
                self.by_sound[key] = (weight, word)
        self.known = {word for _weight, word in self.by_sound.values()}

    def correct(self, query: str) -> str | None:
        """The query with misheard words replaced by known homophones, or None if nothing changes."""
        text = normalize_text(query)
        out, index, changed = [], 0, False
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
                        changed = True
                        break
            if replacement is None:
                out.append(text[index])
                index += 1
            else:
                out.append(replacement[0])
                index += replacement[1]
        return "".join(out) if changed else None
