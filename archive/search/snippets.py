"""Where a story matched, and the highlighted snippet shown for it.

Matches are found in the normalised text of each segment and mapped back to
the original characters through the normaliser's offset map, so `<mark>` lands
on exactly the characters that matched, in text order, at any depth of a long
transcript (no fragmenter character limit).  Snippets are cut at Chinese
sentence ends (。！？；and line breaks) and are HTML-escaped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from html import escape
from pathlib import Path

from archive.frontmatter import split_front_matter
from archive.models import Story
from archive.search.analysis import Normalized, normalize
from archive.search.schema import strip_markup
from archive.segments import Segment, split_segments

SNIPPET_CHARS = 110
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")


@dataclass
class Passage:
    """The best-matching segment of a story and its snippet HTML."""

    segment: Segment | None
    snippet: str
    score: float


def find_spans(text: str, marks: list[str]) -> list[tuple[int, int, str]]:
    """Every occurrence of every mark in `text` as (start, end, mark), overlaps removed, in text order."""
    found = []
    for mark in marks:
        start = text.find(mark)
        while start != -1:
            found.append((start, start + len(mark), mark))
            start = text.find(mark, start + 1)
    found.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    spans: list[tuple[int, int, str]] = []
    for span in found:
        if spans and span[0] < spans[-1][1]:
            continue
        spans.append(span)
    return spans


def _score(spans: list[tuple[int, int, str]]) -> float:
    distinct = {mark for _s, _e, mark in spans}
    return sum(len(m) ** 1.5 for m in distinct) * 10 + len(spans)


def _sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, its closing punctuation included."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            bounds.append((start, match.end()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _window(text: str, spans: list[tuple[int, int, str]]) -> tuple[int, int]:
    """The sentence(s) around the best cluster of matches, about SNIPPET_CHARS long."""
    sentences = _sentences(text) or [(0, len(text))]
    if not spans:
        start, end = sentences[0]
        return start, min(end, start + SNIPPET_CHARS)
    best = max(range(len(sentences)),
               key=lambda i: (_score([s for s in spans if sentences[i][0] <= s[0] < sentences[i][1]]), -i))
    start, end = sentences[best]
    following = best + 1
    while end - start < SNIPPET_CHARS * 0.6 and following < len(sentences):
        end = sentences[following][1]
        following += 1
    if end - start > SNIPPET_CHARS * 1.4:  # one very long sentence: a window around its first match
        first = next((s[0] for s in spans if start <= s[0] < end), start)
        start = max(start, first - SNIPPET_CHARS // 3)
        end = min(end, start + SNIPPET_CHARS)
    return start, end


def highlight(text: str, marks: list[str], window: bool = True) -> tuple[str, float]:
    """Escaped HTML of (a window of) `text` with <mark> around every match; and the match score."""
    norm = normalize(text)
    spans = find_spans(norm.text, marks)
    start, end = _window(norm.text, spans) if window else (0, len(norm.text))
    o_start, o_end = norm.span(start, end) if end > start else (0, 0)
    pieces, cursor = [], o_start
    for s, e, _mark in spans:
        if s < start or e > end:
            continue
        ms, me = norm.span(s, e)
        pieces.append(escape(text[cursor:ms]))
        pieces.append(f"<mark>{escape(text[ms:me])}</mark>")
        cursor = me
    pieces.append(escape(text[cursor:o_end]))
    html = "".join(pieces).strip()
    if window and o_start > 0:
        html = "…" + html
    if window and o_end < len(text.rstrip()):
        html += "…"
    return html, _score(spans)


@dataclass
class Transcript:
    """The segments of a story's body, read without parsing its front matter (fast, for snippets)."""

    segments: list[Segment]

    @cached_property
    def readable(self) -> list[tuple[Segment, Normalized]]:
        """Each segment with the text a reader sees, normalised (once per version of the file)."""
        return _readable(self.segments)

    @classmethod
    def read(cls, path: Path) -> Transcript | None:
        """Segments of the file at `path`, cached by size and mtime; None if unreadable."""
        try:
            stat = path.stat()
            return _read_transcript(path, stat.st_mtime_ns, stat.st_size)
        except (OSError, ValueError):
            return None


@lru_cache(maxsize=256)
def _read_transcript(path: Path, _mtime_ns: int, _size: int) -> Transcript:
    _head, _yaml, body = split_front_matter(path.read_text(encoding="utf-8"))
    return Transcript(split_segments(body))


def best_passage(story: Story | Transcript, marks: list[str], summary: str = "") -> Passage:
    """The segment where the marks match best, or a story-level passage (summary) if none does."""
    best: Passage | None = None
    if marks:
        readable = story.readable if isinstance(story, Transcript) else _readable(story.segments)
        for segment, norm in readable:
            spans = find_spans(norm.text, marks)
            if not spans:
                continue
            score = _score(spans)
            if best is None or score > best.score:
                best = Passage(segment, "", score)
    if best is not None and best.segment is not None:
        best.snippet = highlight(strip_markup(best.segment.text).strip(), marks)[0]
        return best
    source = summary or (strip_markup(story.segments[0].text).strip() if story.segments else "")
    return Passage(None, highlight(source, marks)[0], 0.0)


def _readable(segments: list[Segment]) -> list[tuple[Segment, Normalized]]:
    return [(segment, normalize(strip_markup(segment.text).strip())) for segment in segments]


def matching_segments(story: Story | Transcript, marks: list[str]) -> list[Passage]:
    """Every segment of a story that matches, in reading order (search inside one story)."""
    passages = []
    for segment in story.segments:
        html, score = highlight(strip_markup(segment.text).strip(), marks)
        if score > 0:
            passages.append(Passage(segment, html, score))
    return passages


def note_passage(story: Story | Transcript, notes: dict[str, str], marks: list[str]) -> Passage | None:
    """The segment whose interview-index entry (synopsis and keywords, `notes`: segment id -> text)
    matches best, with the entry as its snippet; None when no entry matches."""
    best: Passage | None = None
    for segment in story.segments:
        text = next((notes[name] for name in (segment.id, *segment.aliases) if name in notes), "")
        if not text:
            continue
        html, score = highlight(text.replace("\n", "；"), marks)
        if score > 0 and (best is None or score > best.score):
            best = Passage(segment, html, score)
    return best
