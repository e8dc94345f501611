"""Story file names made from titles: pinyin, short, readable, unique ('跨过鸭绿江' -> kua-guo-ya-lu-jiang).

A slug is a file name, a URL and part of every citation, so a blank 编号 never becomes a
Chinese file name (100+ characters of percent-encoding in a link)."""
from __future__ import annotations

import re
from collections.abc import Callable

from pypinyin import lazy_pinyin

MAX_LENGTH = 40
NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug_from_title(title: str, taken: Callable[[str], bool] = lambda slug: False) -> str:
    """A slug of lowercase pinyin and ASCII words from `title`, at most MAX_LENGTH characters (cut
    between syllables), made unique with -2, -3 … where `taken(slug)` says a story has it."""
    words = [NOT_SLUG.sub("-", word.lower()).strip("-") for word in lazy_pinyin(title or "")]
    base = ""
    for word in (w for w in "-".join(words).split("-") if w):
        if len(base) + len(word) + 1 > MAX_LENGTH:
            break
        base = f"{base}-{word}" if base else word
    base = base or "story"
    slug, number = base, 2
    while taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug
