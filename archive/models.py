"""Value objects for what the archive holds: stories, people and their media.

A `Story` or `Person` keeps the text it was read from, so saving it without
edits writes back the same bytes; only changed parts are re-serialised.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from archive.frontmatter import Document, dump_front_matter, parse_document
from archive.segments import Segment, split_segments

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}
AUDIO_SUFFIXES = {".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac"}
VIDEO_SUFFIXES = {".mp4", ".webm", ".ogv"}


def as_list(value: Any) -> list:
    """None -> [], 'x' -> ['x'], lists unchanged."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def content_version(data: bytes) -> str:
    """The version tag of a file's bytes, used to detect stale edits."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass
class MediaItem:
    """A photo or recording a story or person refers to, from its `media:` entry."""

    file: str  # path relative to media/
    caption: str = ""
    date: str = ""
    place: str = ""
    credit: str = ""
    people: list[str] = field(default_factory=list)
    access: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rules(self) -> dict[str, Any]:
        """The entry's own access keys (`access`, `embargo_until`) as written, for archive.access."""
        rules = {"access": self.access} if self.access is not None else {}
        rules.update((key, self.extra[key]) for key in ("embargo_until", "takedown") if key in self.extra)
        return rules

    @property
    def kind(self) -> str:
        """'image', 'audio', 'video' or 'other', from the file name."""
        suffix = "." + self.file.rsplit(".", 1)[-1].lower() if "." in self.file else ""
        if suffix in IMAGE_SUFFIXES:
            return "image"
        if suffix in AUDIO_SUFFIXES:
            return "audio"
        if suffix in VIDEO_SUFFIXES:
            return "video"
        return "other"

    @classmethod
    def from_meta(cls, entry: Any) -> MediaItem | None:
        """Build from a `media:` entry (a mapping or a bare file name); None if unusable."""
        if isinstance(entry, str):
            return cls(file=entry)
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            return None
        known = {"file", "caption", "date", "place", "credit", "people", "access"}
        return cls(
            file=entry["file"],
            caption=str(entry.get("caption") or ""),
            date=str(entry.get("date") or ""),
            place=str(entry.get("place") or ""),
            credit=str(entry.get("credit") or ""),
            people=[str(p) for p in as_list(entry.get("people"))],
            access=entry.get("access"),
            extra={k: v for k, v in entry.items() if k not in known},
        )


@dataclass(frozen=True)
class SegmentNote:
    """What the interview index (OHMS `point`) says about one segment: a synopsis and keywords."""

    synopsis: str = ""
    keywords: tuple[str, ...] = ()


@dataclass
class Record:
    """A Markdown file with front matter: the common part of stories and people."""

    slug: str
    meta: dict[str, Any]
    body: str
    source: str | None = None  # the text as read from disk, for byte-identical saves
    head: str | None = None  # the front matter block as read
    original_meta: dict[str, Any] | None = None
    mtime: float | None = None

    @classmethod
    def from_text(cls, slug: str, text: str, mtime: float | None = None):
        """Parse a file's text; raises FrontMatterError on bad input."""
        doc: Document = parse_document(text)
        return cls(slug, doc.meta, doc.body, text, doc.head, copy.deepcopy(doc.meta), mtime)

    @classmethod
    def new(cls, slug: str, meta: dict[str, Any], body: str):
        """A record not yet on disk."""
        return cls(slug, dict(meta), body)

    def to_text(self) -> str:
        """The file text: the original bytes where nothing changed."""
        if self.head is not None and self.meta == self.original_meta:
            head = self.head
        else:
            head = dump_front_matter(self.meta)
        text = head + self.body
        if self.source is not None and text == self.source:
            return self.source
        return text

    @property
    def version(self) -> str | None:
        """Version tag of the file as read, or None for a new record."""
        return content_version(self.source.encode("utf-8")) if self.source is not None else None

    @property
    def media(self) -> list[MediaItem]:
        """Photos and recordings listed under `media:`."""
        items = (MediaItem.from_meta(entry) for entry in as_list(self.meta.get("media")))
        return [item for item in items if item is not None]


@dataclass
class Story(Record):
    """An interview transcript: stories/<slug>.md."""

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.slug)

    @property
    def narrators(self) -> list[str]:
        return [str(n) for n in as_list(self.meta.get("narrator"))]

    @property
    def interviewers(self) -> list[str]:
        return [str(n) for n in as_list(self.meta.get("interviewer"))]

    @property
    def people(self) -> list[str]:
        """Slugs of people/ profiles this story is about."""
        return [str(p) for p in as_list(self.meta.get("people"))]

    def strings(self, key: str) -> list[str]:
        """A list-of-strings field such as conflicts, honors, tags or audience."""
        return [str(v) for v in as_list(self.meta.get(key))]

    @property
    def interviewed(self) -> str:
        return str(self.meta.get("interviewed") or "")

    @property
    def summary(self) -> str:
        return str(self.meta.get("summary") or "")

    @cached_property
    def segments(self) -> list[Segment]:
        return split_segments(self.body)

    @property
    def segment_notes(self) -> dict[str, SegmentNote]:
        """The `segments:` index of the front matter, by segment id (entries that are not mappings are left out)."""
        index = self.meta.get("segments")
        if not isinstance(index, dict):
            return {}
        notes = {}
        for segment_id, entry in index.items():
            if isinstance(entry, dict):
                synopsis = entry.get("synopsis") if isinstance(entry.get("synopsis"), str) else ""
                keywords = tuple(str(k) for k in as_list(entry.get("keywords")) if isinstance(k, str) and k.strip())
                notes[str(segment_id)] = SegmentNote(synopsis.strip(), keywords)
        return notes

    def segment(self, segment_id: str) -> Segment | None:
        """The segment with this id (or a former id it still answers to), or None if there is none."""
        return next((s for s in self.segments if s.id == segment_id), None) or next(
            (s for s in self.segments if segment_id in s.aliases), None)

    @property
    def is_sample(self) -> bool:
        return self.meta.get("sample") is True


@dataclass
class Person(Record):
    """A narrator's profile: people/<slug>.md with a service record."""

    @property
    def name(self) -> str:
        return str(self.meta.get("name") or self.slug)

    @property
    def aliases(self) -> list[str]:
        """Other names the person went by (a name or a list of names; anything else is ignored)."""
        return [str(a) for a in as_list(self.meta.get("aliases")) if isinstance(a, str) and a.strip()]

    @property
    def service(self) -> dict[str, Any]:
        service = self.meta.get("service")
        return service if isinstance(service, dict) else {}

    @property
    def portrait(self) -> str | None:
        portrait = self.meta.get("portrait")
        return portrait if isinstance(portrait, str) else None
