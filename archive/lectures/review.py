"""Reviewing a plan against the archive as it is now, for one reader.

`review_plan` resolves every item to the current story, segment or photo,
works out its spoken text and time, and attaches the checks that help the
speaker: content unsuitable for a primary-school audience, a segment already
told at the same venue, a segment changed or missing since it was added.  It
never raises on a damaged or outdated plan: such items get a state instead.
The same reviewed plan feeds the editor, the printable script and every export,
so what the reader may not read (archive.access) never reaches any of them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.access import can_read, can_read_media
from archive.lectures.deliveries import Telling, venue_key
from archive.lectures.plan import LecturePlan, PlanItem, clock_text
from archive.lectures.script_blocks import Block, script_blocks
from archive.lectures.spans import (
    clip_segments,
    range_segments,
    section_hash,
    section_segments,
    segment_hash,
)
from archive.lectures.timing import (
    DEFAULT_CHARS_PER_MINUTE,
    PHOTO_SECONDS,
    SlotFit,
    plain_text,
    seconds_for,
    sentences,
    slot_fit,
    spoken_chars,
)
from archive.models import MediaItem, Story
from archive.segments import Segment
from archive.store import ContentStore

QUESTION = re.compile(r"^\s*(问|记者|采访者|采访人|主持人)[:：]")


def media_entry(story: Story, name: str) -> MediaItem | None:
    """The `media:` entry of a story for this file, or None."""
    return next((m for m in story.media if m.file == name), None)


def can_read_photo(story: Story, photo: MediaItem, role: str | None) -> bool:
    """A photo is readable when its story is and its own access level allows it."""
    return can_read(story.meta, role) and can_read_media(photo, role)


@dataclass
class Flag:
    """A check result shown beside an item: kind is audience, content, told, changed, missing, note."""

    kind: str
    message: str


@dataclass
class ReviewedItem:
    """One plan item as it stands today."""

    index: int  # position in the plan file
    item: PlanItem
    state: str  # "ok", "changed", "missing", "forbidden"
    heading: str = ""
    story: Story | None = None
    segment: Segment | None = None
    photo: MediaItem | None = None
    recording: MediaItem | None = None  # the audio or video a clip plays
    text: str = ""  # the words to speak (trimmed, plain)
    source: str = ""  # the Markdown those words come from (untrimmed passages), for printed blocks
    sentences: list[str] = field(default_factory=list)  # of the whole segment, for trimming
    seconds: int = 0
    start: int = 0  # offset of this item into the talk, in seconds
    citation: str = ""
    quote: str = ""
    flags: list[Flag] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def exported(self) -> bool:
        """Goes into the script and exports (missing and forbidden items do not)."""
        return self.state in ("ok", "changed")

    @property
    def blocks(self) -> list[Block]:
        """What the script, Word and slide notes print: bold labels, lists, tables, footnotes kept."""
        if self.source:
            return script_blocks(self.source)
        return [Block("para", [(p.strip(), False)]) for p in self.text.split("\n\n") if p.strip()]

    @property
    def sentence_chars(self) -> list[int]:
        """Spoken characters of each sentence, for the editor's live time."""
        return [spoken_chars(s) for s in self.sentences]


@dataclass
class ReviewedPlan:
    """A plan with every item resolved, timed and checked for one reader."""

    plan: LecturePlan
    items: list[ReviewedItem]
    chars_per_minute: float

    @property
    def total_seconds(self) -> int:
        return sum(i.seconds for i in self.items if i.exported)

    @property
    def fit(self) -> SlotFit:
        return slot_fit(self.total_seconds, self.plan.target_minutes)

    @property
    def exported_items(self) -> list[ReviewedItem]:
        return [i for i in self.items if i.exported]

    @property
    def warnings(self) -> list[str]:
        """What an export must tell the speaker: left-out and changed items."""
        notes = []
        for i in self.items:
            number = i.index + 1
            if i.state == "missing":
                notes.append(f"第 {number} 项未导出：{i.flags[0].message if i.flags else '内容已不存在'}")
            elif i.state == "forbidden":
                notes.append(f"第 {number} 项未导出：涉及您无权查看的内容")
            elif i.state == "changed":
                notes.append(f"第 {number} 项「{i.heading}」在加入讲稿后已被修改，导出的是修改后的内容，请核对")
        return notes


def citation_for(story: Story, segment: Segment | None = None, photo: MediaItem | None = None) -> str:
    """Source citation: story, narrator, interview, and the segment or photo."""
    parts = [f"《{story.title}》"]
    if story.narrators:
        parts.append(f"{'、'.join(story.narrators)} 口述")
    if story.interviewers:
        parts.append(f"{'、'.join(story.interviewers)} 采访")
    if story.interviewed:
        parts.append(f"采访日期 {story.interviewed}")
    where = f"stories/{story.slug}.md"
    if segment is not None:
        label = segment.title or (f"[{segment.timestamp}]" if segment.timestamp else segment.id)
        parts.append(f"片段「{label}」（{where}#{segment.id}）")
    elif photo is not None:
        details = "，".join(p for p in (photo.caption, photo.date, photo.place, photo.credit) if p)
        parts.append(f"照片 media/{photo.file}" + (f"：{details}" if details else ""))
    else:
        parts.append(where)
    if story.is_sample:
        parts.append("虚构合成样例")
    return "，".join(parts)


def key_quote(text: str) -> str:
    """The line a slide shows: a quoted sentence, else the longest short answer sentence."""
    lines = [line for line in text.splitlines() if line.strip() and not QUESTION.match(line)]
    candidates = sentences("\n".join(lines))
    quoted = [q for q in re.findall(r"“([^”]{8,60})”", "\n".join(lines))]
    if quoted:
        return quoted[0]
    fitting = [s for s in candidates if 10 <= len(s) <= 60]
    if fitting:
        return max(fitting, key=spoken_chars)
    return (candidates[0][:58] + "…") if candidates else ""


def _trimmed(all_sentences: list[str], item: PlanItem) -> list[str]:
    if not item.trim:
        return all_sentences
    first = min(item.trim.first, len(all_sentences))
    last = min(item.trim.last, len(all_sentences))
    return all_sentences[max(first, 1) - 1 : last]


def _audience_flags(plan: LecturePlan, story: Story) -> list[Flag]:
    flags = []
    notes = story.strings("content_notes")
    if plan.for_primary_school and notes:
        flags.append(Flag("audience", f"内容提示：{'、'.join(notes)}——不宜{plan.audience}听众"))
    elif notes:  # older listeners may hear it, but the speaker should know what is coming
        flags.append(Flag("content", f"内容提示：{'、'.join(notes)}"))
    suited = story.strings("audience")
    if plan.audience and suited and plan.audience not in suited:
        flags.append(Flag("note", f"档案员标注的适用对象为：{'、'.join(suited)}"))
    return flags


def _told_flags(plan: LecturePlan, story: str, segment_ids: list[str],
                told: dict[tuple[str, str], list[Telling]]) -> list[Flag]:
    if not plan.venue:
        return []
    here = venue_key(plan.venue)
    times = [t for segment_id in segment_ids for t in told.get((story, segment_id), [])
             if t.plan_id != plan.id and t.venue_key == here]
    if not times:
        return []
    dates = "、".join(sorted({t.date for t in times}))
    what = "这一片段" if len(segment_ids) == 1 else "其中的片段"
    return [Flag("told", f"已于 {dates} 在「{plan.venue}」讲过{what}")]


def _review_segment(reviewed: ReviewedItem, store: ContentStore, plan: LecturePlan, told) -> None:
    item = reviewed.item
    story = reviewed.story
    segment = story.segment(item.segment)
    reviewed.heading = story.title
    if segment is None:
        reviewed.state = "missing"
        reviewed.flags.append(Flag("missing", f"片段 {item.segment} 已不在《{story.title}》中（可能被删除或改写）"))
        return
    reviewed.segment = segment
    if segment.title:
        reviewed.heading = f"{story.title} · {segment.title}"
    elif segment.timestamp:
        reviewed.heading = f"{story.title} · {segment.timestamp}"
    if item.hash and item.hash != segment_hash(segment):
        reviewed.state = "changed"
        reviewed.flags.append(Flag("changed", "这一片段在加入讲稿后已被修改，请核对内容与截取范围"))
    reviewed.sentences = sentences(plain_text(segment.text))
    reviewed.text = "".join(_trimmed(reviewed.sentences, item)) if item.trim else plain_text(segment.text)
    reviewed.source = "" if item.trim else segment.text
    reviewed.citation = citation_for(story, segment)
    reviewed.flags += _audience_flags(plan, story) + _told_flags(plan, item.story, [item.segment], told)


def _span_label(segments: list[Segment]) -> str:
    first, last = segments[0], segments[-1]
    name = first.title or (f"[{first.timestamp}]" if first.timestamp else first.id)
    if len(segments) == 1:
        return name
    return f"{name} 至 {last.title or (f'[{last.timestamp}]' if last.timestamp else last.id)}（{len(segments)} 段）"


def _review_section(reviewed: ReviewedItem, plan: LecturePlan, told) -> None:
    item, story = reviewed.item, reviewed.story
    if item.kind == "range":
        segments, what = range_segments(story, item.segment, item.through), "这几段"
    else:
        segments, what = section_segments(story, item.section), "这一节"
    reviewed.heading = story.title
    if not segments:
        reviewed.state = "missing"
        reviewed.flags.append(Flag("missing", f"《{story.title}》中已没有{what}（可能被删除或改写）"))
        return
    reviewed.segment = segments[0]
    reviewed.heading = f"{story.title} · {segments[0].title if item.kind == 'section' else _span_label(segments)}"
    if item.hash and item.hash != section_hash(segments):
        reviewed.state = "changed"
        reviewed.flags.append(Flag("changed", f"{what}在加入讲稿后已被修改，请核对内容"))
    reviewed.text = "\n\n".join(plain_text(s.text) for s in segments if plain_text(s.text))
    reviewed.source = "\n\n".join(s.text for s in segments)
    reviewed.sentences = sentences(reviewed.text)
    reviewed.citation = citation_for(story, segments[0])
    reviewed.flags += _audience_flags(plan, story) + _told_flags(plan, story.slug, [s.id for s in segments], told)


def _review_clip(reviewed: ReviewedItem, role: str | None, plan: LecturePlan, told) -> None:
    item, story = reviewed.item, reviewed.story
    clip = item.clip
    recording = media_entry(story, clip.file)
    reviewed.heading = "录音（您无权收听）"
    if recording is not None and not can_read_photo(story, recording, role):
        reviewed.state = "forbidden"
        return
    span = f"{clock_text(clip.start)}–{clock_text(clip.end)}"
    if recording is None or recording.kind not in ("audio", "video"):
        reviewed.heading = f"录音 {span}"
        reviewed.state = "missing"
        reviewed.flags.append(Flag("missing", f"录音 {clip.file} 已不在《{story.title}》的媒体列表中"))
        return
    reviewed.photo = None
    reviewed.recording = recording
    reviewed.heading = f"{story.title} · 录音 {span}"
    covered = clip_segments(story, clip.start, clip.end)
    reviewed.text = "\n\n".join(plain_text(s.text) for s in covered)
    reviewed.source = "\n\n".join(s.text for s in covered)
    reviewed.citation = f"{citation_for(story)}，录音 media/{clip.file} {span}"
    reviewed.flags += _audience_flags(plan, story) + _told_flags(plan, story.slug, [s.id for s in covered], told)


def _review_photo(reviewed: ReviewedItem, role: str | None, plan: LecturePlan) -> None:
    item, story = reviewed.item, reviewed.story
    photo = media_entry(story, item.photo)
    reviewed.heading = "照片（您无权查看）"  # not even its file name until the reader may see the photo
    if photo is not None and not can_read_photo(story, photo, role):
        reviewed.state = "forbidden"
        return
    if photo is None:
        reviewed.heading = f"照片：{item.photo}"
        reviewed.state = "missing"
        reviewed.flags.append(Flag("missing", f"照片 {item.photo} 已不在《{story.title}》的媒体列表中"))
        return
    reviewed.photo = photo
    reviewed.heading = photo.caption or f"照片：{photo.file}"
    reviewed.text = photo.caption
    reviewed.citation = citation_for(story, photo=photo)
    reviewed.flags += _audience_flags(plan, story)


def review_item(index: int, item: PlanItem, plan: LecturePlan, store: ContentStore, role: str | None,
                told: dict[tuple[str, str], list[Telling]]) -> ReviewedItem:
    """Resolve one item for this reader; never raises."""
    reviewed = ReviewedItem(index=index, item=item, state="ok")
    if item.kind == "text":
        reviewed.heading = item.title or "讲述人串词"
        reviewed.text = plain_text(item.text)
        return reviewed
    story = store.get_story(item.story)
    if story is None:
        reviewed.state = "missing"
        reviewed.heading = f"故事 {item.story}"
        reviewed.flags.append(Flag("missing", f"故事 {item.story} 已被删除或无法读取"))
        return reviewed
    if not can_read(story.meta, role):
        reviewed.state = "forbidden"
        reviewed.heading = "无权查看的内容"
        return reviewed
    reviewed.story = story
    if item.kind == "photo":
        _review_photo(reviewed, role, plan)
    elif item.kind in ("section", "range"):
        _review_section(reviewed, plan, told)
    elif item.kind == "clip":
        _review_clip(reviewed, role, plan, told)
    else:
        _review_segment(reviewed, store, plan, told)
    return reviewed


def review_plan(plan: LecturePlan, store: ContentStore, role: str | None,
                told: dict[tuple[str, str], list[Telling]] | None = None,
                default_rate: float = DEFAULT_CHARS_PER_MINUTE) -> ReviewedPlan:
    """Resolve, time and check every item of a plan for a reader with `role`."""
    rate = plan.chars_per_minute or default_rate
    items = [review_item(i, item, plan, store, role, told or {}) for i, item in enumerate(plan.items)]
    start = 0
    for reviewed in items:
        if not reviewed.exported:
            continue
        if reviewed.item.minutes:
            reviewed.seconds = round(reviewed.item.minutes * 60)
        elif reviewed.kind == "photo":
            reviewed.seconds = PHOTO_SECONDS
        elif reviewed.kind == "clip":
            reviewed.seconds = reviewed.item.clip.seconds  # timed by its real length, not its words
        else:
            reviewed.seconds = seconds_for(spoken_chars(reviewed.text), rate)
        reviewed.start = start
        start += reviewed.seconds
        if reviewed.kind != "text" or reviewed.item.quote:
            reviewed.quote = reviewed.item.quote or key_quote(reviewed.text)
    return ReviewedPlan(plan=plan, items=items, chars_per_minute=rate)
