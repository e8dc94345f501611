"""Which segments of a story a plan item spans, and the content hashes that notice edits.

A segment item is one segment; a section item is a `##` heading's segment and those
after it up to the next heading; a range item runs from one segment to another; a
clip covers the timed segments between its in and out points.  Used to review
items (review.py), to add them (talk_items.py) and to count what was told
(deliveries.told_index via `covered_segments`).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable

from archive.lectures.plan import PlanItem
from archive.models import Story
from archive.segments import Segment
from archive.store import ContentStore


def text_hash(text: str) -> str:
    """A content hash of a passage, kept in the plan to notice later edits."""
    normal = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def segment_hash(segment: Segment) -> str:
    """A content hash of a segment's text."""
    return text_hash(segment.text)


def section_segments(story: Story, section_id: str) -> list[Segment]:
    """The segments of the `##` section that starts with `section_id` (empty if it starts none)."""
    segments = story.segments
    start = next((n for n, s in enumerate(segments) if section_id in (s.id, *s.aliases) and s.title), None)
    if start is None:
        return []
    end = next((n for n in range(start + 1, len(segments)) if segments[n].title), len(segments))
    return segments[start:end]


def range_segments(story: Story, first: str, last: str) -> list[Segment]:
    """The segments from `first` to `last` inclusive, in story order (empty if either is gone)."""
    ids = [s.id for s in story.segments]
    if first not in ids or last not in ids:
        return []
    start, end = sorted((ids.index(first), ids.index(last)))
    return story.segments[start:end + 1]


def section_hash(segments: list[Segment]) -> str:
    """A content hash of a whole section."""
    return text_hash("".join(s.text for s in segments))


def clip_segments(story: Story, start: int, end: int) -> list[Segment]:
    """The timed segments a clip from `start` to `end` seconds covers."""
    timed = [s for s in story.segments if s.seconds is not None]
    before = [s for s in timed if s.seconds <= start]
    first = before[-1].seconds if before else start
    return [s for s in timed if first <= s.seconds < end]


def covered_segments(store: ContentStore) -> Callable[[PlanItem], list[str]]:
    """item -> ids of the segments it tells (a section's, a range's, those a clip covers), for told_index."""
    def covered(item: PlanItem) -> list[str]:
        story = store.get_story(item.story) if item.story else None
        if story is None:
            return []
        if item.kind == "section":
            return [s.id for s in section_segments(story, item.section)]
        if item.kind == "range":
            return [s.id for s in range_segments(story, item.segment, item.through)]
        if item.kind == "clip":
            return [s.id for s in clip_segments(story, item.clip.start, item.clip.end)]
        return [item.segment] if item.segment else []
    return covered
