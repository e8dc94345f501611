"""Speaking time: how long the words of a talk take to say.

Chinese speech is measured in characters a minute (about 200 by default,
configurable per app and per plan).  Only what is spoken counts: Chinese
characters, letters and digits; punctuation, spaces, Markdown marks and
`[HH:MM:SS]` timestamps do not.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from archive.segment_labels import MARKDOWN_LINK

DEFAULT_CHARS_PER_MINUTE = 200
PHOTO_SECONDS = 30  # showing a photo and saying its caption, unless set by hand
SLOT_TOLERANCE = 0.1  # within 10% of the slot (at least a minute) counts as fitting

_TIMESTAMP = re.compile(r"\[\d{1,2}:[0-5]\d:[0-5]\d\]")
_LINK = re.compile(MARKDOWN_LINK)
_ANCHOR = re.compile(r"\{#[\w-]+\}")
_MARKS = re.compile(r"(^|\n)\s*(#{1,6}|>|[-*+]|\d+\.)\s+|[*_`~]+")
_SENTENCE = re.compile(r"[^。！？!?；;…\n]*(?:[。！？!?；;]|…+)+[”’」』）)\"']*|[^。！？!?；;…\n]+")


def plain_text(markdown: str) -> str:
    """Markdown passage -> the words a speaker reads (no timestamps, marks or link targets)."""
    text = _TIMESTAMP.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _ANCHOR.sub("", text)
    text = _MARKS.sub(r"\1", text)
    return re.sub(r"[ \t]+\n", "\n", re.sub(r"\n{3,}", "\n\n", text)).strip()


def sentences(text: str) -> list[str]:
    """Plain text -> its sentences, each with its closing punctuation."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def spoken_chars(text: str) -> int:
    """The number of characters that are spoken: letters (汉字 included) and digits."""
    return sum(1 for ch in text if unicodedata.category(ch)[0] in "LN")


def seconds_for(chars: int, chars_per_minute: float) -> int:
    """Speaking time in whole seconds for `chars` spoken characters."""
    return round(chars * 60 / chars_per_minute) if chars else 0


def format_duration(seconds: int) -> str:
    """150 -> '2分30秒', 60 -> '1分', 45 -> '45秒'."""
    minutes, rest = divmod(int(seconds), 60)
    if minutes and rest:
        return f"{minutes}分{rest:02d}秒"
    return f"{minutes}分" if minutes else f"{rest}秒"


def format_clock(seconds: int) -> str:
    """Offset into the talk: 754 -> '12:34'."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


@dataclass(frozen=True)
class SlotFit:
    """How a talk's length compares with its slot."""

    state: str  # "none" (no slot), "fits", "over", "under"
    difference: int  # seconds over (+) or under (-) the slot

    @property
    def label(self) -> str:
        """Chinese wording shown next to the total."""
        if self.state == "over":
            return f"超时 {format_duration(self.difference)}"
        if self.state == "under":
            return f"不足 {format_duration(-self.difference)}"
        if self.state == "fits":
            return "时长合适"
        return "未设定时长"


def slot_fit(total_seconds: int, target_minutes: float | None) -> SlotFit:
    """Compare a total with a target slot; within max(10%, 1 minute) counts as fitting."""
    if not target_minutes:
        return SlotFit("none", 0)
    target = round(target_minutes * 60)
    difference = total_seconds - target
    tolerance = max(60, round(target * SLOT_TOLERANCE))
    if difference > tolerance:
        return SlotFit("over", difference)
    if difference < -tolerance:
        return SlotFit("under", difference)
    return SlotFit("fits", difference)
