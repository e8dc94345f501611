"""History's time: the decades a story is about, not the decade it was recorded in.

A story's years come from three places (documented in docs/teaching.md):
the wars it is filed under (their years, below), the service record of the
people it is about (the years they enlisted and left), and the years the
transcript names (1950年, 一九五〇年, 五十年代, 50年代).  Years after the
interview are left out; the interview date stays a separate sort.
"""
from __future__ import annotations

import re
from functools import lru_cache

from archive.models import Person, Story

CONFLICT_YEARS = {
    "抗日战争": (1931, 1945),
    "解放战争": (1945, 1949),
    "抗美援朝战争": (1950, 1953),
    "对越自卫反击战": (1979, 1989),
}
DIGITS = "〇零一二三四五六七八九"
YEAR = re.compile(r"(?<![\d〇零一二三四五六七八九])((?:19|20)\d\d|[一][九][〇零一二三四五六七八九]{2}|"
                  r"[二][〇零][〇零一二三四五六七八九]{2})(?=\s*年)")
DECADE = re.compile(r"(?<![\d〇一二三四五六七八九十])([1-9]0|[二三四五六七八九]十)(?=\s*年代)")
FIRST_YEAR, LAST_YEAR = 1900, 2049


def _number(text: str) -> int:
    if text.isdigit() and text.isascii():
        return int(text)
    return int("".join("0" if c in "〇零" else str(DIGITS.index(c) - 1) for c in text))


def _decade_year(text: str) -> int:
    """'五十' or '50' (of 五十年代) -> 1950."""
    if text[0].isdigit():
        return 1900 + int(text)
    return 1900 + (DIGITS.index(text[0]) - 1) * 10


@lru_cache(maxsize=4096)
def text_years(body: str) -> tuple[int, ...]:
    """Years a text names, as 1950年 or 一九五〇年, and the first year of each decade it names (五十年代)."""
    years = {_number(y) for y in YEAR.findall(body)} | {_decade_year(d) for d in DECADE.findall(body)}
    return tuple(sorted(y for y in years if FIRST_YEAR <= y <= LAST_YEAR))


def _service_years(person: Person) -> set[int]:
    years = set()
    for key in ("enlisted", "discharged"):
        value = str(person.service.get(key) or "")[:4]
        if value.isdigit():
            years.add(int(value))
    return years


def story_years_told(story: Story, people: list[Person]) -> set[int]:
    """Every year a story is about: its wars, its people's service and the years its text names."""
    years = set(text_years(story.body))
    for conflict in story.strings("conflicts"):
        first, last = CONFLICT_YEARS.get(conflict, (0, -1))
        years.update(range(first, last + 1))
    for person in people:
        years |= _service_years(person)
    interviewed = story.interviewed[:4]
    if interviewed.isdigit():
        years = {y for y in years if y <= int(interviewed)}
    return years


def decade_label(decade: int) -> str:
    """1950 -> '1950年代'."""
    return f"{decade}年代"


def story_eras(story: Story, people: list[Person]) -> list[str]:
    """The decades a story is about, oldest first, as labels ('1950年代')."""
    return [decade_label(d) for d in sorted({y // 10 * 10 for y in story_years_told(story, people)})]
