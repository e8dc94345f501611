"""The read side of the archive: what a reader with a given role may browse.

Every list here (stories, people, facets, timeline, collections, counts and
media) is built only from items `archive.access.can_read` lets the role see,
so a restricted, internal-only, embargoed or draft story never shows up in a
page, count, timeline, related list, thumbnail or API answer for a reader not
allowed to read it.  Views call these functions and render; nothing else.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from archive.access import can_read
from archive.catalog_names import initial_letter, name_sort_key
from archive.frontmatter import FrontMatterError, parse_document
from archive.models import Person, Story, as_list
from archive.store import ContentError, ContentStore, is_valid_slug, read_text_file

# Wars in the order of events; others follow in name order.
CONFLICT_ORDER = ("抗日战争", "解放战争", "抗美援朝战争", "对越自卫反击战", "和平时期")
HONOR_ORDER = ("战斗英雄", "一等功", "二等功", "三等功")
YEAR = re.compile(r"(?<!\d)(19[1-9]\d|20[0-4]\d)(?=\s*年)")
FACET_KEYS = {"conflict": "conflicts", "honor": "honors", "tag": "tags", "audience": "audience", "place": "place"}


@dataclass
class Collection:
    """A curated set of stories (专题): collections/<slug>.md."""

    slug: str
    title: str
    introduction: str
    stories: list[Story]
    cover: str | None = None
    audience: list[str] = field(default_factory=list)


@dataclass
class Narrator:
    """An entry of the narrators' index: a profile, or a name that only appears in stories."""

    name: str
    person: Person | None
    stories: list[Story]
    letter: str = ""

    @property
    def slug(self) -> str | None:
        return self.person.slug if self.person else None


def story_years(story: Story) -> list[int]:
    """Years a story tells about ('1950年' in its text), sorted; interviews after them are excluded."""
    years = {int(y) for y in YEAR.findall(story.body)}
    interviewed = story.interviewed[:4]
    if interviewed.isdigit():
        years = {y for y in years if y <= int(interviewed)}
    return sorted(years)


def story_seconds(story: Story) -> int:
    """The last timestamp of a transcript: a lower bound of the interview's length."""
    return max((s.seconds for s in story.segments if s.seconds is not None), default=0)


def _ordered(values: list[str], order: tuple[str, ...]) -> list[str]:
    known = [v for v in order if v in values]
    rest = sorted((v for v in values if v not in order), key=name_sort_key)
    return known + rest


def story_values(story: Story, key: str) -> list[str]:
    """The values of a browse key (conflict, honor, tag, audience, place) on one story."""
    field_name = FACET_KEYS[key]
    if field_name == "place":
        return [str(p) for p in as_list(story.meta.get("place")) if str(p).strip()]
    return story.strings(field_name)


class Catalog:
    """Read-only views over one content store, always filtered by the reader's role."""

    def __init__(self, store: ContentStore):
        self.store = store
        self.collections_dir = Path(store.root) / "collections"

    # -- stories ------------------------------------------------------------
    def stories(self, role: str | None) -> list[Story]:
        """Stories the role may read, in order of the events they tell about."""
        readable = [s for s in self.store.list_stories() if can_read(s.meta, role)]
        return sorted(readable, key=self.event_order)

    @staticmethod
    def event_order(story: Story) -> tuple:
        """Sort key: the first year told about, then the title."""
        years = story_years(story)
        return (years[0] if years else 9999, name_sort_key(story.title))

    def story(self, slug: str, role: str | None) -> Story | None:
        """The story if it exists and the role may read it, else None (a 404 either way)."""
        story = self.store.get_story(slug)
        return story if story is not None and can_read(story.meta, role) else None

    def newest(self, role: str | None, limit: int = 6) -> list[Story]:
        """The most recently interviewed readable stories."""
        return sorted(self.stories(role), key=lambda s: s.interviewed, reverse=True)[:limit]

    # -- browsing -----------------------------------------------------------
    def facet(self, key: str, role: str | None) -> list[tuple[str, int]]:
        """(value, number of readable stories) for conflict, honor, tag, audience or place."""
        counts: Counter[str] = Counter()
        for story in self.stories(role):
            counts.update(set(story_values(story, key)))
        order = {"conflict": CONFLICT_ORDER, "honor": HONOR_ORDER}.get(key, ())
        if not order:
            return sorted(counts.items(), key=lambda item: (-item[1], name_sort_key(item[0])))
        return [(value, counts[value]) for value in _ordered(list(counts), order)]

    def stories_with(self, key: str, value: str, role: str | None) -> list[Story]:
        """Readable stories whose `key` (conflict, honor, tag, audience, place, narrator) has `value`."""
        if key == "narrator":
            return [s for s in self.stories(role) if value in s.narrators]
        return [s for s in self.stories(role) if value in story_values(s, key)]

    def timeline(self, role: str | None) -> list[tuple[int, list[tuple[int, list[Story]]]]]:
        """[(decade, [(year, stories told about that year)])], oldest first."""
        by_year: dict[int, list[Story]] = defaultdict(list)
        for story in self.stories(role):
            for year in story_years(story):
                by_year[year].append(story)
        decades: dict[int, list[tuple[int, list[Story]]]] = defaultdict(list)
        for year in sorted(by_year):
            decades[year // 10 * 10].append((year, by_year[year]))
        return sorted(decades.items())

    # -- people -------------------------------------------------------------
    def person_visible(self, person: Person, role: str | None) -> bool:
        """A profile shows if it is readable and, when it has interviews, one of them is readable."""
        if not can_read(person.meta, role):
            return False
        told = self.store.stories_of_person(person.slug)
        return not told or any(can_read(s.meta, role) for s in told)

    def person(self, slug: str, role: str | None) -> Person | None:
        """The profile if the role may see it."""
        person = self.store.get_person(slug)
        return person if person is not None and self.person_visible(person, role) else None

    def stories_of(self, person: Person, role: str | None) -> list[Story]:
        """Readable stories told by or about a person (listed in `people:` or as narrator)."""
        return [s for s in self.stories(role) if person.slug in s.people or person.name in s.narrators]

    def narrators(self, role: str | None) -> list[Narrator]:
        """Everyone with a visible profile or a readable story, in pinyin order."""
        stories = self.stories(role)
        entries: dict[str, Narrator] = {}
        for person in self.store.list_people():
            if self.person_visible(person, role):
                entries[person.name] = Narrator(person.name, person, self.stories_of(person, role))
        for story in stories:
            for name in story.narrators:
                if name not in entries:
                    entries[name] = Narrator(name, None, [s for s in stories if name in s.narrators])
        for entry in entries.values():
            entry.letter = initial_letter(entry.name)
        return sorted(entries.values(), key=lambda e: name_sort_key(e.name))

    def narrator_people(self, story: Story, role: str | None) -> list[Person]:
        """The visible profiles a story links to under `people:`."""
        found = (self.store.get_person(slug) for slug in story.people)
        return [p for p in found if p is not None and self.person_visible(p, role)]

    # -- collections --------------------------------------------------------
    def _read_collection(self, path: Path, role: str | None) -> Collection | None:
        try:
            doc = parse_document(read_text_file(path))
        except (ContentError, FrontMatterError, OSError):
            return None  # `archive check` reports it; readers simply do not see it
        meta = doc.meta
        stories = [self.story(str(slug), role) for slug in as_list(meta.get("stories"))]
        cover = meta.get("cover") if isinstance(meta.get("cover"), str) else None
        return Collection(path.stem, str(meta.get("title") or path.stem), doc.body,
                          [s for s in stories if s is not None], cover,
                          [str(a) for a in as_list(meta.get("audience"))])

    def collections(self, role: str | None) -> list[Collection]:
        """Collections that hold at least one story the role may read."""
        if not self.collections_dir.is_dir():
            return []
        found = (self._read_collection(p, role) for p in sorted(self.collections_dir.glob("*.md"))
                 if is_valid_slug(p.stem))
        return [c for c in found if c is not None and c.stories]

    def collection(self, slug: str, role: str | None) -> Collection | None:
        """One collection, or None if unknown or empty for this reader."""
        path = self.collections_dir / f"{slug}.md"
        if not is_valid_slug(slug) or not path.is_file():
            return None
        found = self._read_collection(path, role)
        return found if found is not None and found.stories else None

    # -- figures and media --------------------------------------------------
    def stats(self, role: str | None) -> dict[str, float | int]:
        """Figures for the home page: stories, narrators, hours of interviews, conflicts."""
        stories = self.stories(role)
        return {
            "stories": len(stories),
            "people": len(self.narrators(role)),
            "hours": round(sum(story_seconds(s) for s in stories) / 3600, 1),
            "conflicts": len(self.facet("conflict", role)),
        }

    def readable_media(self, role: str | None) -> set[str]:
        """media/ files the role may see: photos of readable stories and profiles, collection covers."""
        allowed: set[str] = set()
        for record in [*self.stories(role), *(p for p in self.store.list_people() if self.person_visible(p, role))]:
            allowed.update(item.file for item in record.media if can_read({"access": item.access}, role))
            if isinstance(record, Person) and record.portrait:
                allowed.add(record.portrait)
        allowed.update(c.cover for c in self.collections(role) if c.cover)
        return allowed

    def media_allowed(self, name: str, role: str | None) -> bool:
        """May the role see this media/ file (a derivative of it, or the recording)?"""
        return name in self.readable_media(role)
