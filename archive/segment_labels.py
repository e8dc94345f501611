"""Clean names for segments: what the table of contents, the interview index, the segment
pickers and the search results call a segment.

A label is plain text: the heading if the segment has one, else the opening words of its
text, with the leading `[HH:MM:SS]` (shown separately) and every piece of Markdown syntax
(`**问：**`, links, emphasis, list and quote markers, inline HTML) taken out.
"""
from __future__ import annotations

import re

from archive.segments import TIMESTAMP

LABEL_CHARS = 24
# A Markdown link or image, its text in group 1; declared once (labels, talk timing, search text).
# No bracket inside the text: with `[^\]]*`, 10,000 '[' before '](' took a second per pass.
MARKDOWN_LINK = r"!?\[([^\[\]]*)\]\([^()]*\)"
_LINK = re.compile(MARKDOWN_LINK)
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`+)")
_LINE_MARK = re.compile(r"^\s*(?:(?:#{1,6}|>|[-*+]|\d+[.)])\s+)+", re.MULTILINE)
_ANCHOR = re.compile(r"\s*\{#[\w-]+\}\s*$")
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """'[00:00:20] **问：** 您是*怎么*参的军？' -> '问： 您是怎么参的军？' (one line, no Markdown)."""
    text = TIMESTAMP.sub("", markdown, count=1)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _LINE_MARK.sub("", text)
    text = _EMPHASIS.sub("", _ANCHOR.sub("", text))
    return _SPACE.sub(" ", text).strip()


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """Cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def segment_label(segment, limit: int = LABEL_CHARS) -> str:
    """A segment's name as plain text without its time: its heading, or its opening words."""
    title = plain_text(segment.title or "")
    if title:
        return shorten(title, limit)
    first = next((p for p in re.split(r"\n\s*\n", segment.text or "") if p.strip()), "")
    text = plain_text(first[: limit * 40])  # only the opening words are shown
    return shorten(text, limit) if text else "（无文字）"
