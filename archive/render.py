"""Markdown → safe HTML for transcripts and biographies.

Python-Markdown passes `<script>`, `onerror=` and `javascript:` links through,
so every rendered fragment goes through nh3 with a short allow-list: no
images, no styles, no event handlers, only http(s)/mailto links.  Transcripts
are rendered segment by segment (ids from `archive.segments`), and a leading
`[HH:MM:SS]` becomes a link that the story page's player can seek to.
Rendering is cached by body text, so a story is rendered once per version.
Markdown is converted in `archive.render_sandbox` under a time budget; text past a
limit of `archive.limits`, or whose conversion overran, is shown as plain text
(escaped, every word kept) under a notice saying why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

from archive import render_sandbox
from archive.limits import RENDER_SECONDS, body_problem
from archive.segments import TIMESTAMP, Segment, split_segments

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "ins", "sup", "sub", "small", "mark",
    "blockquote", "q", "cite", "abbr", "ul", "ol", "li", "h3", "h4", "h5", "h6", "hr",
    "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
OVERRUN_NOTICE = f"这段文字的排版过于复杂，没能在 {RENDER_SECONDS:g} 秒内排好，下面按纯文本显示（文字一字不少）。"
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


def convert_markdown(text: str) -> str:
    """Markdown to sanitized HTML, in this process and without a budget (the sandbox's workers call it)."""
    return sanitize(markdown.Markdown(extensions=["tables", "sane_lists", "nl2br"]).convert(text))


def plain_html(text: str, notice: str | None = None) -> Markup:
    """Text shown as it is (escaped, paragraphs and line breaks kept), under an optional notice."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    html = Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(p.split("\n"))) for p in paragraphs)
    if notice:
        html = Markup('<p class="render-notice" role="note">{}</p>').format(notice) + html
    return html


def markdown_to_html(text: str) -> Markup:
    """Render Markdown to sanitized HTML within the render budget, else as plain text with a notice."""
    html = render_sandbox.convert([text])
    return Markup(html[0]) if html is not None else plain_html(text, OVERRUN_NOTICE)


def _link_times(html: str, segment_id: str) -> str:
    """'<p>[00:10:00] …' → a timestamp link the player seeks to (digits only, so safe to insert)."""

    def replace(match: re.Match) -> str:
        hours, minutes, seconds = (int(g) for g in match.groups())
        total = hours * 3600 + minutes * 60 + seconds
        label = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
        return (f'<p><a class="ts" href="#{segment_id}" data-seconds="{total}" '
                f'title="从 {label} 处播放">[{label}]</a> ')

    return LEADING_TIME.sub(replace, html)


def _rendered(segment: Segment, html: Markup) -> RenderedSegment:
    return RenderedSegment(segment.id, segment.title, segment.seconds, segment.timestamp, html, segment.text)


@lru_cache(maxsize=512)
def render_transcript(body: str) -> tuple[RenderedSegment, ...]:
    """A story body as rendered segments with stable ids (cached by body text)."""
    problem = body_problem(body)
    if problem is not None:
        segment = Segment("text", None, None, body, 1)
        return (_rendered(segment, plain_html(body, f"这篇文字稿第 {problem[0]} 行：{problem[1]}。下面按纯文本显示。")),)
    segments = split_segments(body)
    converted = render_sandbox.convert([segment.text for segment in segments])
    if converted is None:
        notices = [OVERRUN_NOTICE] + [None] * len(segments)
        return tuple(_rendered(s, plain_html(s.text, n)) for s, n in zip(segments, notices, strict=False))
    return tuple(_rendered(s, Markup(_link_times(html, s.id))) for s, html in zip(segments, converted, strict=True))


@lru_cache(maxsize=512)
def render_markdown(text: str) -> Markup:
    """A biography or introduction as sanitized HTML (cached by text)."""
    return markdown_to_html(text)
