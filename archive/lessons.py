"""Teaching notes and lesson sheets: what a teacher prints for one class.

A story or a collection may carry `teaching:` in its front matter (documented
in docs/teaching.md)::

    teaching:
      age: 小学高年级            # age group (one of the audiences)
      subject: 道德与法治        # related school subject
      key_points: [..]           # what pupils should take away
      questions: [..]            # two or three discussion questions
      segments: [part-0, part-3] # the segments the sheet prints (ids of the transcript)

A lesson sheet gathers the chosen segments (the reader may pick others), the
questions, up to two photos the reader may see and a QR code to the story.
Collections become exhibits: an introduction, then the stories in order, each
with the curator's commentary (`commentary: {story slug: text}`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import segno
from markupsafe import Markup, escape

from archive.models import MediaItem, Story, as_list

MAX_SEGMENTS = 4
MAX_PHOTOS = 2


def _texts(value: Any) -> list[str]:
    return [str(v).strip() for v in as_list(value) if isinstance(v, (str, int)) and str(v).strip()]


@dataclass
class TeachingNotes:
    """The `teaching:` block of a story or collection (empty when it has none or it is not a mapping)."""

    age: str = ""
    subject: str = ""
    key_points: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> TeachingNotes:
        """Read `teaching:`; values of the wrong type are left out."""
        block = meta.get("teaching")
        if not isinstance(block, dict):
            return cls()
        age = block.get("age") if isinstance(block.get("age"), str) else ""
        subject = block.get("subject") if isinstance(block.get("subject"), str) else ""
        return cls(age.strip(), subject.strip(), _texts(block.get("key_points")), _texts(block.get("questions")),
                   _texts(block.get("segments")))

    @property
    def empty(self) -> bool:
        return not (self.age or self.subject or self.key_points or self.questions)


def chosen_segments(story: Story, rendered: tuple, asked: list[str]) -> list:
    """The rendered segments a sheet prints: those asked for, else the notes' choice, else the first two."""
    by_id = {segment.id: segment for segment in rendered}
    wanted = [s for s in asked if s in by_id] or [s for s in TeachingNotes.from_meta(story.meta).segments
                                                   if s in by_id]
    if not wanted:
        return list(rendered[:2])
    return [by_id[s] for s in dict.fromkeys(wanted)][:MAX_SEGMENTS]


def sheet_photos(photos: list[MediaItem]) -> list[MediaItem]:
    """The photos a one- or two-page sheet has room for."""
    return photos[:MAX_PHOTOS]


def qr_svg(url: str, label: str) -> Markup:
    """A QR code of `url` as inline SVG, labelled for screen readers."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=4, title=label, omitsize=True)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="二维码：{escape(label)}" ', 1))


def commentary(meta: dict[str, Any]) -> dict[str, str]:
    """A collection's curator's comments, by story slug."""
    block = meta.get("commentary")
    if not isinstance(block, dict):
        return {}
    return {str(k): str(v).strip() for k, v in block.items() if isinstance(v, (str, int)) and str(v).strip()}
