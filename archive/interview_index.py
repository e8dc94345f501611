"""The interview index of the listening page: one entry per segment with its time, clean
label, synopsis and keywords (the `segments:` front matter, read as Story.segment_notes)."""
from __future__ import annotations

from dataclasses import dataclass

from archive.models import Story
from archive.segment_labels import segment_label


@dataclass(frozen=True)
class IndexEntry:
    """One segment as the interview index and the table of contents show it."""

    id: str
    seconds: int | None
    timestamp: str | None
    label: str
    synopsis: str
    keywords: tuple[str, ...]


def interview_index(story: Story, segments) -> list[IndexEntry]:
    """The index entries of `segments` (rendered or plain) of `story`, in reading order."""
    notes = story.segment_notes
    entries = []
    for segment in segments:
        note = notes.get(segment.id)
        entries.append(IndexEntry(segment.id, segment.seconds, segment.timestamp, segment_label(segment),
                                  note.synopsis if note else "", note.keywords if note else ()))
    return entries


def has_index_notes(entries: list[IndexEntry]) -> bool:
    """True when any entry carries a synopsis or keywords."""
    return any(entry.synopsis or entry.keywords for entry in entries)
