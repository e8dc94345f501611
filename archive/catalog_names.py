"""Pinyin order for names and titles: the narrators' index (A–Z) and sorted lists.

Names are read with the search analyzer's `name_pinyin`, which knows surname
sounds (曾 zeng, 单 shan, 朴 piao …), so 曾 is filed under Z, not C; titles
and other text are read word by word.
"""
from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin

from archive.search.analysis import name_pinyin

PERSON_NAME_MAX = 4  # 2–4 characters; a longer "narrator" is an office such as 区退役军人服务中心


@lru_cache(maxsize=4096)
def name_sort_key(name: str) -> str:
    """A key that sorts Chinese names in pinyin order (non-Chinese text is kept, lower-cased)."""
    if len(name.strip()) > PERSON_NAME_MAX:
        return title_sort_key(name)
    keys = name_pinyin(name)
    return keys[0] if keys else name.strip().lower()


@lru_cache(maxsize=4096)
def title_sort_key(text: str) -> str:
    """A key that sorts titles and other text in pinyin order."""
    return "".join(lazy_pinyin(text.strip())).lower()


def initial_letter(name: str) -> str:
    """The A–Z letter a name is filed under in the index ('#' when it has none)."""
    letter = name_sort_key(name)[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"
