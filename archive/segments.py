"""Segments: the passages of a transcript that search hits, links and lecture plans
point into.

A body is cut at `##` headings and at paragraphs that start with an OHMS-style
`[HH:MM:SS]` timestamp.  A body with neither is cut into paragraph groups.
Each segment's id depends only on that segment, so editing one segment never
changes the id of another:

- `t003015`     a segment that starts at a timestamp (from the time), also a heading
                whose first paragraph starts with one (`## 上甘岭的坑道` + `[00:05:40]`
                is `t000540`, whatever the heading says; its old heading id `h-<hash>`
                is kept as an alias, so links made before still find it);
- `h-<hash>`    a heading without a time (from the heading text);
- `p-<hash>`    a paragraph group (from its first paragraph);
- `intro`       text before the first heading or timestamp;
- `{#my-id}` at the end of a heading pins an id by hand.
Repeated ids get `-2`, `-3` … in order.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

HEADING = re.compile(r"^##(?!#)\s*(?P<text>.*?)\s*(?:\{#(?P<anchor>[\w-]+)\})?\s*$")
TIMESTAMP = re.compile(r"^\s*\[(?P<h>\d{1,2}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)\]\s*")
GROUP_MIN_CHARS = 300
GROUP_MAX_CHARS = 900


@dataclass(frozen=True)
class Segment:
    """One passage of a transcript."""

    id: str
    title: str | None  # heading text, without timestamp or anchor
    seconds: int | None  # start time in the recording, if known
    text: str  # the Markdown source of the passage (heading line excluded)
    line: int  # 1-based line in the body where the segment starts
    aliases: tuple[str, ...] = ()  # former ids that still name this segment (links, talks)

    @property
    def timestamp(self) -> str | None:
        """The start time as HH:MM:SS, or None."""
        return format_seconds(self.seconds) if self.seconds is not None else None


def format_seconds(seconds: int) -> str:
    """3015 -> '00:50:15'."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def parse_timestamp(text: str) -> tuple[int | None, str]:
    """'[00:50:15] 我们…' -> (3015, '我们…'); text without a leading timestamp -> (None, text)."""
    match = TIMESTAMP.match(text)
    if not match:
        return None, text
    seconds = int(match["h"]) * 3600 + int(match["m"]) * 60 + int(match["s"])
    return seconds, text[match.end() :]


def _digest(text: str) -> str:
    normal = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:6]


@dataclass
class _Block:
    """A paragraph (or heading line) of the body, with its line number."""

    text: str
    line: int


def _blocks(body: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    start = 1
    for number, raw in enumerate(body.splitlines(), start=1):
        if not raw.strip():
            if current:
                blocks.append(_Block("\n".join(current), start))
                current = []
            continue
        if HEADING.match(raw):
            if current:
                blocks.append(_Block("\n".join(current), start))
                current = []
            blocks.append(_Block(raw, number))
            continue
        if not current:
            start = number
        current.append(raw)
    if current:
        blocks.append(_Block("\n".join(current), start))
    return blocks


def _is_marker(block: _Block) -> bool:
    return bool(HEADING.match(block.text) or TIMESTAMP.match(block.text))


def split_segments(body: str) -> list[Segment]:
    """Cut a Markdown body into segments with stable ids."""
    blocks = _blocks(body)
    if any(_is_marker(block) for block in blocks):
        drafts = _marked_segments(blocks)
    else:
        drafts = _paragraph_groups(blocks)
    return _unique(drafts)


def _marked_segments(blocks: list[_Block]) -> list[Segment]:
    segments: list[Segment] = []
    current: dict | None = None

    def close() -> None:
        if current is not None:
            current.pop("pinned")
            segments.append(Segment(text="\n\n".join(current.pop("parts")), **current))

    for block in blocks:
        heading = HEADING.match(block.text)
        if heading:
            close()
            seconds, title = parse_timestamp(heading["text"])
            sid = heading["anchor"] or (_time_id(seconds) if seconds is not None else f"h-{_digest(title)}")
            current = {"id": sid, "title": title or None, "seconds": seconds, "line": block.line, "parts": [],
                       "pinned": bool(heading["anchor"])}
            continue
        seconds, _rest = parse_timestamp(block.text)
        if seconds is not None:
            if current is not None and not current["parts"] and current["seconds"] is None:
                current["seconds"] = seconds  # "## 过江" then "[00:12:00] …": the heading's time
                if not current["pinned"] and current["id"].startswith("h-"):  # the time names it, not the words
                    current["aliases"], current["id"] = (current["id"],), _time_id(seconds)
                current["parts"].append(block.text)
                continue
            close()
            current = {"id": _time_id(seconds), "title": None, "seconds": seconds, "line": block.line, "parts": [],
                       "pinned": False}
        elif current is None:
            current = {"id": "intro", "title": None, "seconds": None, "line": block.line, "parts": [], "pinned": False}
        current["parts"].append(block.text)
    close()
    return segments


def _time_id(seconds: int) -> str:
    return "t" + format_seconds(seconds).replace(":", "")


def _paragraph_groups(blocks: list[_Block]) -> list[Segment]:
    """Group paragraphs; a group ends where its own content says so (content-defined),
    so an edit shifts at most the boundaries of the group it touches."""
    segments: list[Segment] = []
    group: list[_Block] = []
    size = 0
    for block in blocks:
        group.append(block)
        size += len(block.text)
        ends_here = size >= GROUP_MAX_CHARS or (size >= GROUP_MIN_CHARS and int(_digest(block.text), 16) % 2 == 0)
        if ends_here:
            segments.append(_group_segment(group))
            group, size = [], 0
    if group:
        segments.append(_group_segment(group))
    return segments


def _group_segment(group: list[_Block]) -> Segment:
    return Segment(
        id=f"p-{_digest(group[0].text)}",
        title=None,
        seconds=None,
        text="\n\n".join(block.text for block in group),
        line=group[0].line,
    )


def _unique(segments: list[Segment]) -> list[Segment]:
    seen: dict[str, int] = {}
    unique = []
    for segment in segments:
        count = seen.get(segment.id, 0) + 1
        seen[segment.id] = count
        if count > 1:
            segment = Segment(f"{segment.id}-{count}", segment.title, segment.seconds, segment.text, segment.line,
                              segment.aliases)
        unique.append(segment)
    return unique
