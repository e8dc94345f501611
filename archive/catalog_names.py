"""Pinyin order for names and titles: the narrators' index (A–Z) and sorted lists.

pypinyin reads a surname such as 曾, 单 or 朴 with its common-word sound
(ceng, dan, pu), which files 曾 under C instead of Z; the first character of a
person's name is therefore read with its surname sound when it has one.
"""
from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

SURNAME_SOUNDS = {
    "曾": "zeng", "单": "shan", "朴": "piao", "仇": "qiu", "解": "xie", "区": "ou", "查": "zha",
    "盖": "ge", "乐": "yue", "覃": "qin", "缪": "miao", "翟": "zhai", "尉": "yu", "召": "shao",
    "繁": "po", "员": "yun", "万": "wan", "任": "ren", "沈": "shen", "柏": "bai", "秘": "bi",
    "宁": "ning", "华": "hua", "种": "chong", "重": "chong", "长": "chang", "朝": "chao",
}


@lru_cache(maxsize=4096)
def name_pinyin(name: str) -> str:
    """'曾志华' -> 'zeng zhi hua' (surname sound first); non-Chinese text is kept, lower-cased."""
    name = name.strip()
    if not name:
        return ""
    first = SURNAME_SOUNDS.get(name[0])
    rest = lazy_pinyin(name[1:] if first else name, style=Style.NORMAL, errors="default")
    return " ".join(([first] if first else []) + [part.lower() for part in rest])


def name_sort_key(name: str) -> str:
    """A key that sorts Chinese names and titles in pinyin order."""
    return name_pinyin(name)


def initial_letter(name: str) -> str:
    """The A–Z letter a name is filed under in the index ('#' when it has none)."""
    sound = name_pinyin(name)
    letter = sound[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"
