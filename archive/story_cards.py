"""The one-page story card (故事卡): what fits on one A4 sheet.

A card holds the story (or one chosen segment) as plain paragraphs, cut at a
sentence once about CARD_CHARS spoken characters are reached and then ending in
"（全文见二维码）", one photo the reader may see, the citation and a QR code to
the story (or segment) online.  The budget leaves room for the header, the
narrator's line, the photo and the QR code on one page (tests print every sample
story in Chromium and count the pages).
"""
from __future__ import annotations

from dataclasses import dataclass

from archive.lectures.timing import plain_text, sentences, spoken_chars
from archive.models import MediaItem, Story

CARD_CHARS = 480  # spoken characters with a photo; a card without one takes a third more
PARAGRAPH_COST = 20  # a new paragraph starts a new line: count its margin and ragged end as characters
MORE = "（全文见二维码）"


@dataclass(frozen=True)
class CardText:
    """The paragraphs a card prints and whether the text was cut."""

    paragraphs: list[str]
    cut: bool
    segment_id: str = ""
    segment_title: str = ""


def _cut(paragraphs: list[str], budget: int) -> tuple[list[str], bool]:
    """Whole sentences up to `budget` spoken characters (at least one sentence)."""
    kept: list[str] = []
    used = 0
    for paragraph in paragraphs:
        used += PARAGRAPH_COST if kept else 0
        taken = []
        for sentence in sentences(paragraph):
            if used + spoken_chars(sentence) > budget and (kept or taken):
                if taken:
                    kept.append("".join(taken))
                return kept, True
            taken.append(sentence)
            used += spoken_chars(sentence)
        if taken:
            kept.append("".join(taken))
    return kept, False


def _header_chars(story: Story) -> int:
    """Room the header's summary takes from the text (printed above it, at the same size)."""
    summary = story.meta.get("summary")
    return spoken_chars(summary) if isinstance(summary, str) else 0


def card_text(story: Story, segment_id: str = "", with_photo: bool = True) -> CardText:
    """The story (or the segment `segment_id`, if the story has it) cut to fit one A4 card."""
    segment = story.segment(segment_id) if segment_id else None
    source = segment.text if segment is not None else story.body
    paragraphs = [p.strip() for p in plain_text(source).split("\n\n") if p.strip()]
    budget = (CARD_CHARS if with_photo else CARD_CHARS * 4 // 3) - _header_chars(story)
    kept, cut = _cut(paragraphs, budget)
    if segment is None:
        return CardText(kept, cut)
    return CardText(kept, cut, segment.id, segment.title or (f"[{segment.timestamp}]" if segment.timestamp else ""))


def card_photo(photos: list[MediaItem]) -> MediaItem | None:
    """The photo a card shows: the first one the reader may see (the caller has filtered them)."""
    return next((m for m in photos if m.kind == "image"), None)
