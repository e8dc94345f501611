"""Years as people say them, in query text: 一九四九(年) -> 1949(年); 四九年 also asks for 1949;
六十年代, 六〇年代 and 60年代 ask for 1960-1969 (and the words 六十年代).  Text is normalised first
(full-width digits are ASCII by then)."""
from __future__ import annotations

import re

_DIGIT = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
          "八": "8", "九": "9"}
_CN = "〇零一二三四五六七八九"
_FULL_YEAR = re.compile(f"(?<![{_CN}十百千万])([{_CN}]{{4}})(?![{_CN}十百千万])")
_SHORT_YEAR = re.compile(f"(?<![{_CN}十百千万\\d])([{_CN}]{{2}})年(?!代)")
_DECADE = re.compile(f"(?<![{_CN}\\d])(?:(1[89])?([1-9])0|([一二三四五六七八九])[十〇零])年代")


def _digits(text: str) -> str:
    return "".join(_DIGIT[c] for c in text)


def year_words(text: str) -> tuple[str, list[str]]:
    """(the text with four-digit years in digits and decades taken out, the words they ask for)."""
    text = _FULL_YEAR.sub(lambda m: _digits(m.group(1)), text)
    words = [f"19{_digits(m.group(1))}" for m in _SHORT_YEAR.finditer(text)]

    def decade(match: re.Match) -> str:
        century = match.group(1) or "19"
        tens = match.group(2) or _digits(match.group(3))
        words.extend([f"{century}{tens}{year}" for year in range(10)])
        words.append(f"{'一二三四五六七八九'[int(tens) - 1]}十年代")
        return " "

    return _DECADE.sub(decade, text), words
