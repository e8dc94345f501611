"""What a reader can tell about a story at a glance, for one reader: its wars, the
decades it is about, audiences, topics, places, narrators, whether it has a
recording or photos the reader may see, its length and its content notes.

Filters, counts and the badges on story cards all read these facts, so what a
card shows is what the filters count.  Built by the reader's shelf
(archive.shelf.Shelf.facts), never from media the reader may not see.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from archive.access import can_read_media
from archive.eras import story_eras
from archive.models import Person, Story, as_list
from archive.topics import TopicTree

READING_CHARS_PER_MINUTE = 300  # reading aloud to a class: about 300 characters a minute
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class StoryFacts:
    """One story's facts for one reader."""

    conflict: tuple[str, ...]
    era: tuple[str, ...]
    audience: tuple[str, ...]
    topic: tuple[str, ...]  # the topics of its tags and every broader topic
    place: tuple[str, ...]
    narrator: tuple[str, ...]
    recording: bool
    photos: bool
    seconds: int  # recording length (last timestamp) when there is one, else 0
    reading_minutes: int
    content_notes: tuple[str, ...]

    @property
    def minutes(self) -> int:
        """The length a teacher plans with: the recording's, else the time to read it aloud."""
        return math.ceil(self.seconds / 60) if self.seconds else self.reading_minutes

    @property
    def length_label(self) -> str:
        """'录音 13 分钟' or '朗读约 8 分钟'."""
        if self.seconds:
            return f"录音 {self.minutes} 分钟"
        return f"朗读约 {self.reading_minutes} 分钟"


def story_topics(story: Story, tree: TopicTree | None) -> tuple[str, ...]:
    """The topics a story's tags stand for, with their broader topics (tags as they are without a tree)."""
    tags = story.strings("tags")
    if tree is None:
        return tuple(dict.fromkeys(tags))
    found: list[str] = []
    for tag in tags:
        topic = tree.topic_of(tag)
        if topic is not None:
            found += tree.broader(topic)
    return tuple(dict.fromkeys(found))


def story_seconds(story: Story) -> int:
    """The last timestamp of a transcript: a lower bound of the interview's length."""
    return max((s.seconds for s in story.segments if s.seconds is not None), default=0)


@lru_cache(maxsize=8192)
def _characters(body: str) -> int:
    """Chinese characters of a body, counted once per text (every save rebuilt every reader's facts:
    counting 2,000 bodies again took most of 300 ms a shelf)."""
    return len(_CJK.findall(body))


def build_facts(story: Story, people: list[Person], role: str | None, denied: set[str],
                tree: TopicTree | None) -> StoryFacts:
    """The facts of one readable story for a reader (`denied`: media files kept from them)."""
    media = [m for m in story.media if m.file not in denied and can_read_media(m, role)]
    recording = any(m.kind in ("audio", "video") for m in media)
    places = [str(p) for p in as_list(story.meta.get("place")) if str(p).strip()]
    characters = _characters(story.body)
    return StoryFacts(
        conflict=tuple(story.strings("conflicts")),
        era=tuple(story_eras(story, people)),
        audience=tuple(story.strings("audience")),
        topic=story_topics(story, tree),
        place=tuple(places),
        narrator=tuple(story.narrators),
        recording=recording,
        photos=any(m.kind == "image" for m in media),
        seconds=story_seconds(story) if recording else 0,
        reading_minutes=max(1, math.ceil(characters / READING_CHARS_PER_MINUTE)),
        content_notes=tuple(story.strings("content_notes")),
    )
