"""The honour wall (荣誉墙) on a lobby screen: who it shows and what it says of them.

Only public material appears, whoever is signed in at the screen: the wall is
always built from the anonymous reader's shelf, so a profile, story, portrait
or recording that is internal, restricted, embargoed or a draft never shows.
A narrator is on the wall when their profile lists an honour of WALL_HONOURS
(or any honour the screen asks for), or they are a centenarian Party member,
and they have at least one public story; or, for a collection's wall, when
they tell one of its stories.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from archive.models import Person, Story, as_list
from archive.shelf import Shelf

WALL_HONOURS = ("一等功", "特等功", "战斗英雄", "一级战斗英雄", "二级战斗英雄", "独立自由奖章", "八一勋章", "共和国勋章")
CENTENARIAN = 100
CITATION_CHARS = 90
_SENTENCE = re.compile(r"[^。！？]*[。！？]")


@dataclass(frozen=True)
class WallEntry:
    """One narrator on the wall."""

    slug: str
    name: str
    honours: tuple[str, ...]
    citation: str
    portrait: str | None
    story: str
    story_title: str
    segment: str | None
    seconds: int | None
    recording: bool = False

    @property
    def anchor(self) -> str | None:
        """Where a touch opens the story: `t=<segment>` starts its recording there (the listening page)."""
        return f"t={self.segment}" if self.segment and self.recording else self.segment


def honours_of(person: Person) -> list[str]:
    """Honours listed on a profile (service.honors, then honors)."""
    found = [*as_list(person.service.get("honors")), *as_list(person.meta.get("honors"))]
    return list(dict.fromkeys(str(h) for h in found if isinstance(h, (str, int))))


def is_centenarian_member(person: Person, today: dt.date) -> bool:
    """A Party member aged 100 or more (alive, by `born` and `party_joined`)."""
    born = str(person.meta.get("born") or "")[:4]
    return (born.isdigit() and today.year - int(born) >= CENTENARIAN and bool(person.meta.get("party_joined"))
            and not person.meta.get("died"))


def citation(person: Person) -> str:
    """A short citation of deeds: the profile's `citation`, else the first sentences of the biography."""
    text = person.meta.get("citation") if isinstance(person.meta.get("citation"), str) else ""
    if not text:
        body = re.sub(r"[#>*_`\[\]]", "", person.body).strip()
        text = "".join(_SENTENCE.findall(body)[:2]) or body
    return text if len(text) <= CITATION_CHARS else text[:CITATION_CHARS - 1] + "…"


def key_segment(story: Story) -> tuple[str | None, int | None]:
    """The segment a touch opens: the story's `key_segment`, else its first timed segment."""
    wanted = story.meta.get("key_segment")
    segment = story.segment(str(wanted)) if isinstance(wanted, str) else None
    segment = segment or next((s for s in story.segments if s.seconds is not None), None)
    return (segment.id, segment.seconds) if segment else (None, None)


def _entry(shelf: Shelf, person: Person, stories: list[Story], today: dt.date) -> WallEntry:
    story = next((s for s in stories if shelf.facts[s.slug].recording), stories[0])
    segment, seconds = key_segment(story)
    honours = honours_of(person) + (["百岁老党员"] if is_centenarian_member(person, today) else [])
    return WallEntry(person.slug, person.name, tuple(honours), citation(person),
                     shelf.visible(person.portrait), story.slug, story.title, segment, seconds,
                     shelf.facts[story.slug].recording)


def wall_entries(public: Shelf, honours: list[str] | None = None, collection: str | None = None,
                 today: dt.date | None = None) -> list[WallEntry]:
    """Everyone the wall cycles through, in pinyin order (`public` must be the anonymous shelf)."""
    if public.role is not None:
        raise ValueError("the honour wall is built from the anonymous reader's shelf only")
    today = today or dt.date.today()
    wanted = set(honours or WALL_HONOURS)
    chosen = public.collections.get(collection) if collection else None
    entries = []
    for narrator in public.narrators:
        person = narrator.person
        if person is None or not narrator.stories:
            continue
        if chosen is not None:
            stories = [s for s in chosen.stories if s in narrator.stories]
            eligible = bool(stories)
        else:
            stories = narrator.stories
            eligible = bool(wanted & set(honours_of(person))) or is_centenarian_member(person, today)
        if eligible:
            entries.append(_entry(public, person, stories, today))
    return entries
