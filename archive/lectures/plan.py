"""The lecture plan as a value: what `lectures/<id>.md` front matter means.

A plan is read from a front matter mapping with `LecturePlan.from_meta`, which
never raises: values not of their declared kind (PLAN_FIELDS in archive.content_model)
are dropped and reported in `plan.problems` (Chinese, with the key path), so a damaged
file still opens.
`plan.to_meta(original)` writes the known keys back over the original mapping,
keeping unknown keys and their order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from archive.content_model import (
    PLAN_FIELDS,
    VENUE_TYPES,  # noqa: F401 (re-exported for the lecture modules)
    meta_problems,
    of_kind,
)
from archive.content_model import PLAN_STATUSES as STATUSES  # noqa: F401 (re-exported for the lecture modules)
from archive.content_model import field as declared_field
from archive.models import as_list
from archive.vocabularies import DEFAULTS

AUDIENCES = tuple(DEFAULTS["audience"])  # the built-in audiences (the archive's own list: vocabularies/audiences.txt)
PRIMARY_AUDIENCES = ("小学低年级", "小学高年级")
STATUS_LABELS = dict(declared_field(PLAN_FIELDS, "status").options)  # status -> its Chinese name (the status select's options)
ITEM_KEYS = ("story", "segment", "through", "section", "clip", "hash", "trim", "photo", "text", "title", "quote", "minutes",
             "notes")
CLIP_LONGEST = 3 * 3600  # a clip longer than three hours is a typing mistake
TEXT_KEYS, NUMBER_KEYS = of_kind(PLAN_FIELDS, "text", "date"), of_kind(PLAN_FIELDS, "positive_number")
ENTRY_KEYS = ("items", "deliveries")  # read entry by entry below, each unusable entry its own problem


def is_primary_school(audience: str) -> bool:
    """Is this audience a primary-school class (小学…)?"""
    return audience in PRIMARY_AUDIENCES or audience.startswith("小学")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return value


@dataclass(frozen=True)
class PlanProblem:
    """Something unusable in a plan file: the key path it is at and a Chinese message."""

    path: tuple
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Trim:
    """Keep only sentences `first`..`last` (1-based, inclusive) of a segment."""

    first: int
    last: int

    @classmethod
    def from_meta(cls, value: Any) -> Trim | None:
        """{first: 2, last: 5} -> Trim(2, 5); anything unusable -> None."""
        if not isinstance(value, dict):
            return None
        first, last = value.get("first"), value.get("last")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in (first, last)):
            return None
        return cls(min(first, last), max(first, last))

    def to_meta(self) -> dict[str, int]:
        return {"first": self.first, "last": self.last}


def parse_clock(value: Any) -> int | None:
    """'00:06:30', '6:30' or 390 -> 390 seconds; anything else -> None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value <= CLIP_LONGEST else None
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}(:[0-5]\d){1,2}", value.strip()):
        return None
    seconds = 0
    for part in value.strip().split(":"):
        seconds = seconds * 60 + int(part)
    return seconds if seconds <= CLIP_LONGEST else None


def clock_text(seconds: int) -> str:
    """390 -> '00:06:30'."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass
class Clip:
    """A stretch of a story's recording: the media file and its in and out points (seconds)."""

    file: str
    start: int
    end: int

    @property
    def seconds(self) -> int:
        """The clip's real length."""
        return self.end - self.start

    @classmethod
    def from_meta(cls, value: Any) -> Clip | None:
        """{file: a.mp3, in: '00:06:30', out: '00:09:10'} -> Clip; anything unusable -> None."""
        if not isinstance(value, dict) or not _text(value.get("file")):
            return None
        start, end = parse_clock(value.get("in")), parse_clock(value.get("out"))
        if start is None or end is None or end <= start:
            return None
        return cls(_text(value.get("file")), start, end)

    def to_meta(self) -> dict[str, str]:
        return {"file": self.file, "in": clock_text(self.start), "out": clock_text(self.end)}


@dataclass
class PlanItem:
    """One entry of a talk: a segment, a whole section, a recorded clip, a photo, or the speaker's own words."""

    story: str = ""  # story slug (segments, sections, clips and photos)
    segment: str = ""  # stable segment id
    through: str = ""  # with `segment`: a range of segments, from `segment` to this one inclusive
    section: str = ""  # id of the segment a `##` section starts with: the whole section
    clip: Clip | None = None  # in and out points on one of the story's recordings
    hash: str = ""  # content hash of the segment when it was added
    trim: Trim | None = None
    photo: str = ""  # file under media/
    text: str = ""  # the speaker's own words
    title: str = ""  # heading for a text item
    quote: str = ""  # the key quote for slides, chosen by the speaker
    minutes: float | None = None  # speaking time set by hand (photos, long pauses)
    notes: str = ""  # speaker notes
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """'segment', 'range', 'section', 'clip', 'photo' or 'text'."""
        if self.photo:
            return "photo"
        if self.clip:
            return "clip"
        if self.section:
            return "section"
        if self.segment and self.through:
            return "range"
        if self.segment:
            return "segment"
        return "text"

    @classmethod
    def from_meta(cls, entry: Any) -> PlanItem | None:
        """Build from one `items:` entry; None when it names nothing usable."""
        if not isinstance(entry, dict):
            return None
        item = cls(
            story=_text(entry.get("story")), segment=_text(entry.get("segment")), hash=_text(entry.get("hash")),
            through=_text(entry.get("through")), section=_text(entry.get("section")),
            clip=Clip.from_meta(entry.get("clip")),
            trim=Trim.from_meta(entry.get("trim")), photo=_text(entry.get("photo")),
            text=entry.get("text") if isinstance(entry.get("text"), str) else "",
            title=_text(entry.get("title")), quote=_text(entry.get("quote")),
            minutes=_number(entry.get("minutes")),
            notes=entry.get("notes") if isinstance(entry.get("notes"), str) else "",
            extra={k: v for k, v in entry.items() if k not in ITEM_KEYS},
        )
        if item.kind in ("segment", "range", "section", "clip") and not item.story:
            return None
        if "clip" in entry and item.clip is None:
            return None  # a clip whose points cannot be read must not turn into another kind
        if item.kind == "text" and not (item.text.strip() or item.title):
            return None
        return item

    def to_meta(self) -> dict[str, Any]:
        """The `items:` entry, with empty fields left out."""
        meta: dict[str, Any] = {}
        for key in ("story", "segment", "through", "section", "hash", "photo", "title", "text", "quote"):
            if getattr(self, key):
                meta[key] = getattr(self, key)
        if self.clip:
            meta["clip"] = self.clip.to_meta()
        if self.trim:
            meta["trim"] = self.trim.to_meta()
        if self.minutes:
            meta["minutes"] = self.minutes
        if self.notes:
            meta["notes"] = self.notes
        meta.update(self.extra)
        return meta


@dataclass
class Delivery:
    """One time the talk was given: date, venue, audience and a short note."""

    date: str
    venue: str = ""
    venue_type: str = ""
    audience: str = ""
    audience_size: int = 0
    note: str = ""
    speakers: list[str] = field(default_factory=list)

    @classmethod
    def from_meta(cls, entry: Any) -> Delivery | None:
        """Build from one `deliveries:` entry; None without a date."""
        if not isinstance(entry, dict) or not _text(entry.get("date")):
            return None
        size = entry.get("audience_size")
        return cls(
            date=_text(entry.get("date")), venue=_text(entry.get("venue")), venue_type=_text(entry.get("venue_type")),
            audience=_text(entry.get("audience")),
            audience_size=size if isinstance(size, int) and not isinstance(size, bool) and size > 0 else 0,
            note=_text(entry.get("note")), speakers=[str(s) for s in as_list(entry.get("speakers")) if s],
        )

    def to_meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"date": self.date}
        for key in ("venue", "venue_type", "audience", "audience_size", "note", "speakers"):
            if getattr(self, key):
                meta[key] = getattr(self, key)
        return meta


@dataclass
class LecturePlan:
    """A talk: its occasion, its ordered items and where it was given."""

    id: str
    title: str = ""
    theme: str = ""
    audience: str = ""
    venue: str = ""
    venue_type: str = ""
    date: str = ""
    time: str = ""
    speakers: list[str] = field(default_factory=list)
    target_minutes: int | float | None = None
    chars_per_minute: int | float | None = None
    status: str = "draft"
    owner: str = ""
    items: list[PlanItem] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    notes: str = ""  # the Markdown body: the speaker's free notes
    version: str | None = None  # version tag of the file as read (stale-edit check)
    problems: list[PlanProblem] = field(default_factory=list)

    @property
    def display_title(self) -> str:
        return self.title or f"未命名讲稿 {self.id}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def for_primary_school(self) -> bool:
        return is_primary_school(self.audience)

    def occasion(self) -> list[tuple[str, str]]:
        """(label, value) lines describing the talk, for the script and exports."""
        when = " ".join(v for v in (self.date, self.time) if v)
        rows = [("主题", self.theme), ("听众", self.audience), ("地点", self.venue), ("场所类型", self.venue_type),
                ("时间", when), ("宣讲人", "、".join(self.speakers)),
                ("目标时长", f"{self.target_minutes:g} 分钟" if self.target_minutes else "")]
        return [(label, value) for label, value in rows if value]

    @classmethod
    def from_meta(cls, plan_id: str, meta: dict[str, Any], notes: str = "") -> LecturePlan:
        """Read a plan from front matter; unusable values become `problems`, never exceptions."""
        plan = cls(id=plan_id, notes=notes)
        wrong = meta_problems(PLAN_FIELDS, meta, {f.key for f in PLAN_FIELDS} - set(ENTRY_KEYS))
        plan.problems += [PlanProblem((key,), message) for key, message in wrong.items()]
        for key in TEXT_KEYS:
            setattr(plan, key, _text(meta.get(key)))
        plan.speakers = [str(s) for s in as_list(meta.get("speakers")) if isinstance(s, str | int) and str(s).strip()]
        for key in NUMBER_KEYS:
            setattr(plan, key, _number(meta.get(key)))
        plan.status = "draft" if "status" in wrong else meta.get("status") or "draft"
        for index, entry in enumerate(as_list(meta.get("items"))):
            item = PlanItem.from_meta(entry)
            if item is None:
                plan.problems.append(PlanProblem(("items", index), f"items 第 {index + 1} 项无法识别，已略过"))
            else:
                plan.items.append(item)
        for index, entry in enumerate(as_list(meta.get("deliveries"))):
            delivery = Delivery.from_meta(entry)
            if delivery is None:
                plan.problems.append(PlanProblem(("deliveries", index), f"deliveries 第 {index + 1} 项缺少日期，已略过"))
            else:
                plan.deliveries.append(delivery)
        return plan

    def to_meta(self, original: dict[str, Any] | None = None) -> dict[str, Any]:
        """Front matter for this plan: known keys updated in place, unknown keys kept."""
        meta = dict(original or {})
        values: dict[str, Any] = {
            "title": self.title, "theme": self.theme, "audience": self.audience, "venue": self.venue,
            "venue_type": self.venue_type, "date": self.date, "time": self.time, "speakers": self.speakers,
            "target_minutes": self.target_minutes, "chars_per_minute": self.chars_per_minute,
            "status": self.status, "owner": self.owner,
            "items": [item.to_meta() for item in self.items],
            "deliveries": [delivery.to_meta() for delivery in self.deliveries],
        }
        for key, value in values.items():
            if value or key in ("title", "status", "items"):
                meta[key] = value
            else:
                meta.pop(key, None)
        return meta
