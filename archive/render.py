"""Markdown → safe HTML for transcripts and biographies.

Python-Markdown passes `<script>`, `onerror=` and `javascript:` links through,
so every rendered fragment goes through nh3 with a short allow-list: no
images, no styles, no event handlers, only http(s)/mailto links.  Transcripts
are rendered segment by segment (ids from `archive.segments`), and a leading
`[HH:MM:SS]` becomes a link that the story page's player can seek to.
Rendering is cached by body text, so a story is rendered once per version.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

from archive.segments import TIMESTAMP, Segment, split_segments

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "ins", "sup", "sub", "small", "mark",
    "blockquote", "q", "cite", "abbr", "ul", "ol", "li", "h3", "h4", "h5", "h6", "hr",
    "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
LEADING_TIME = re.compile(r"<p>\s*\[(\d{1,2}):([0-5]\d):([0-5]\d)\]\s*")


@dataclass(frozen=True)
class RenderedSegment:
    """A segment of a transcript, ready for the story page."""

    id: str
    title: str | None
    seconds: int | None
    timestamp: str | None
    html: Markup
    text: str  # the Markdown source, for the API and plain-text uses

    @property
    def heading_time(self) -> str | None:
        """The time to show in the heading: only when the text does not start with its own."""
        return None if TIMESTAMP.match(self.text) else self.timestamp


def sanitize(html: str) -> str:
    """Keep only harmless tags and attributes; drop scripts, handlers and unsafe links."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def markdown_to_html(text: str) -> Markup:
    """Render Markdown to sanitized HTML (a fresh Markdown instance per call)."""
    html = markdown.Markdown(extensions=["tables", "sane_lists", "nl2br"]).convert(text)
    return Markup(sanitize(html))


def _link_times(html: str, segment_id: str) -> str:
    """'<p>[00:10:00] …' → a timestamp link the player seeks to (digits only, so safe to insert)."""

    def replace(match: re.Match) -> str:
        hours, minutes, seconds = (int(g) for g in match.groups())
        total = hours * 3600 + minutes * 60 + seconds
        label = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
        return (f'<p><a class="ts" href="#{segment_id}" data-seconds="{total}" '
                f'title="从 {label} 处播放">[{label}]</a> ')

    return LEADING_TIME.sub(replace, html)


def _render_segment(segment: Segment) -> RenderedSegment:
    html = _link_times(str(markdown_to_html(segment.text)), segment.id)
    return RenderedSegment(segment.id, segment.title, segment.seconds, segment.timestamp, Markup(html), segment.text)


@lru_cache(maxsize=512)
def render_transcript(body: str) -> tuple[RenderedSegment, ...]:
    """A story body as rendered segments with stable ids (cached by body text)."""
    return tuple(_render_segment(segment) for segment in split_segments(body))


@lru_cache(maxsize=512)
def render_markdown(text: str) -> Markup:
    """A biography or introduction as sanitized HTML (cached by text)."""
    return markdown_to_html(text)
