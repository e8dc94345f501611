"""Adding the larger pieces a talk is made of: a whole `##` section of a story, a range
of its segments, and a recorded clip (in and out points on one of the story's recordings).

Like archive.lectures.plan_editing, these change a plan in memory, check the adder's
access (archive.access, through review.can_read_photo for the recording) and raise
`PlanError` with a Chinese message for anything a user can get wrong.
"""
from __future__ import annotations

from archive.access import can_read
from archive.lectures.plan import CLIP_LONGEST, Clip, LecturePlan, PlanItem, parse_clock
from archive.lectures.plan_editing import PlanError
from archive.lectures.review import can_read_photo, media_entry
from archive.lectures.spans import range_segments, section_hash, section_segments
from archive.models import Story
from archive.store import ContentStore


def _story(store: ContentStore, slug: str, role: str | None) -> Story:
    story = store.get_story(slug)
    if story is None or not can_read(story.meta, role):
        raise PlanError("找不到这篇故事，或您无权查看。")
    return story


def add_section(plan: LecturePlan, store: ContentStore, slug: str, section_id: str, role: str | None) -> PlanItem:
    """Append a whole `##` section (all its paragraphs), with its content hash."""
    story = _story(store, slug, role)
    segments = section_segments(story, section_id)
    if not segments:
        raise PlanError(f"《{story.title}》中没有这一节。")
    item = PlanItem(story=slug, section=section_id, hash=section_hash(segments))
    plan.items.append(item)
    return item


def add_range(plan: LecturePlan, store: ContentStore, slug: str, first: str, last: str, role: str | None) -> PlanItem:
    """Append the segments from `first` to `last` of one story as one item, with their content hash."""
    story = _story(store, slug, role)
    segments = range_segments(story, first, last)
    if not segments:
        raise PlanError(f"《{story.title}》中没有这几段。")
    item = PlanItem(story=slug, segment=segments[0].id, through=segments[-1].id, hash=section_hash(segments))
    plan.items.append(item)
    return item


def parse_clip_points(start: str, end: str) -> tuple[int, int]:
    """Form fields '00:06:30', '00:09:10' -> (390, 550); a clear message for anything else."""
    first, last = parse_clock(start), parse_clock(end)
    if first is None or last is None:
        raise PlanError("入点和出点请写成 00:06:30 这样的时间（时:分:秒 或 分:秒）。")
    if last <= first:
        raise PlanError("出点应在入点之后。")
    if last - first > CLIP_LONGEST:
        raise PlanError("一段录音最长三小时。")
    return first, last


def add_clip(plan: LecturePlan, store: ContentStore, slug: str, file: str, start: str, end: str,
             role: str | None) -> PlanItem:
    """Append a recorded clip of one of the story's recordings, if the adder may hear it."""
    story = _story(store, slug, role)
    recording = media_entry(story, file)
    if recording is None or recording.kind not in ("audio", "video") or not can_read_photo(story, recording, role):
        raise PlanError(f"《{story.title}》中没有这段录音，或您无权收听。")
    first, last = parse_clip_points(start, end)
    item = PlanItem(story=slug, clip=Clip(recording.file, first, last))
    plan.items.append(item)
    return item


def sections_of(story: Story) -> list[tuple[str, str, int]]:
    """(section id, heading, number of segments) for each titled `##` section of a story."""
    return [(s.id, s.title or "", len(section_segments(story, s.id))) for s in story.segments if s.title]
