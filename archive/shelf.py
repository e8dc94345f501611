"""What one reader may browse (a `Shelf`): the stories, profiles, collections and media a role may
see in one state of the files, and what the list pages, facets, timeline and counts show of them.

Every list here is built only from items `archive.access.can_read` lets the role see, so a
restricted, internal-only, embargoed or draft story never shows up in a page, count, timeline,
related list, thumbnail or API answer for a reader not allowed to read it.  A shelf after a save
that only changed a story's words carries over what depends on access from the previous one.
`archive.catalog` lists the files and hands out one shelf per role and state.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from archive.access import can_read, can_read_media
from archive.catalog_names import initial_letter, name_sort_key, title_sort_key
from archive.frontmatter import FrontMatterError
from archive.models import Person, Story, as_list
from archive.story_facts import StoryFacts, build_facts, story_seconds
from archive.topics import TopicTree, load_topics
from archive.vocabularies import load_terms

if TYPE_CHECKING:
    from archive.catalog import Catalog


GENERATIONS = itertools.count(1)  # shelves' and listings' numbers (archive.catalog)
YEAR = re.compile(r"(?<!\d)(19[1-9]\d|20[0-4]\d)(?=\s*年)")
# front-matter keys that decide what else a reader may see (profiles, media): a save that changes
# one of them gives a shelf worked out from scratch (Shelf._carried)
_ACCESS_SHAPING = ("access", "embargo_until", "status", "takedown", "media", "people", "narrator", "cover")
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
    meta: dict = field(default_factory=dict)  # the front matter (teaching notes, curator's commentary)


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
    """Years a story tells about ('1950年' in its text), sorted; years after the interview are left out."""
    return list(_years(story.body, story.interviewed[:4]))


@lru_cache(maxsize=4096)
def _years(body: str, interviewed: str) -> tuple[int, ...]:
    years = {int(y) for y in YEAR.findall(body)}
    if interviewed.isdigit():
        years = {y for y in years if y <= int(interviewed)}
    return tuple(sorted(years))


def mtime_ns(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _ordered(values: list[str], order: list[str]) -> list[str]:
    known = [v for v in order if v in values]
    rest = sorted((v for v in values if v not in order), key=title_sort_key)
    return known + rest


def story_values(story: Story, key: str) -> list[str]:
    """The values of a browse key (conflict, honor, tag, audience, place) on one story."""
    field_name = FACET_KEYS[key]
    if field_name == "place":
        return [str(p) for p in as_list(story.meta.get("place")) if str(p).strip()]
    return story.strings(field_name)


class Shelf:
    """Everything one role may see in one state of the files, each part computed once."""

    def __init__(self, catalog: Catalog, role: str | None, stories: list[Story], people: list[Person],
                 previous: Shelf | None = None, vocabulary_stamp: tuple = (), collections_stamp: tuple = ()):
        self.catalog, self.role = catalog, role
        self.vocabulary_stamp = vocabulary_stamp  # the vocabulary and topic files' mtimes (the topic tree)
        self.collections_stamp = collections_stamp  # the collection files' names and mtimes
        if previous is not None and "stories" not in previous.__dict__:
            previous = previous.previous  # replaced before any reader used it: carry over from the one before
        self.previous = previous  # the last shelf used by this reader (same day): facts are reused from it
        if previous is not None and "stories" in previous.__dict__:  # one step back only: no chain kept alive
            previous.previous = None
            previous.__dict__.pop("_carried", None)  # (a thread still using it works that out afresh)
        elif previous is not None:
            self.previous = None
        self.all_stories, self.all_people = stories, people
        self.generation = next(GENERATIONS)  # a new number whenever the files (or the day) change
        self.updated = max((r.mtime or 0.0 for r in [*stories, *people]), default=0.0)

    @cached_property
    def _carried(self) -> tuple[Shelf, dict[int, Story]] | None:
        """{id of the old story: the new one} when this shelf differs from the previous one only by
        stories whose words changed: the same files, profiles, collections and vocabularies, and
        every changed story with the same access, media entries, people and narrators.  Then what
        depends only on who may read what (profiles shown, media allowed, the access stamp) is the
        previous shelf's, and the readable list is the previous one with those stories swapped.
        None when anything else changed: everything is worked out again."""
        before = self.previous
        if before is None or "stories" not in before.__dict__ or before.collections_stamp != self.collections_stamp \
                or before.vocabulary_stamp != self.vocabulary_stamp \
                or len(before.all_stories) != len(self.all_stories) or len(before.all_people) != len(self.all_people) \
                or any(a is not b for a, b in zip(before.all_people, self.all_people)):
            return None
        swapped: dict[int, Story] = {}
        readable_before = {id(s) for s in before.stories}
        for old, new in zip(before.all_stories, self.all_stories):
            if old is new:
                continue
            if old.slug != new.slug or old.source is None or (id(old) in readable_before) != can_read(new.meta, self.role):
                return None
            try:  # the old file as it was read, not the object (which a caller may have changed in place)
                was = Story.from_text(old.slug, old.source).meta
            except FrontMatterError:
                return None
            if any(was.get(key) != new.meta.get(key) for key in _ACCESS_SHAPING):
                return None
            swapped[id(old)] = new
        return before, swapped

    def _from_before(self, name: str):
        """The previous shelf's `name` when `_carried` allows it, else None."""
        carried = self._carried  # held here: another thread may cut `previous` meanwhile
        return carried[0].__dict__.get(name) if carried is not None else None

    @cached_property
    def stories(self) -> list[Story]:
        """Readable stories in order of the events they tell about."""
        carried = self._carried
        if carried is not None:
            swapped = carried[1]
            previous = carried[0].stories
            stories = [swapped.get(id(s), s) for s in previous]
            moved = any(event_order(swapped[id(s)]) != event_order(s) for s in previous if id(s) in swapped)
            return sorted(stories, key=event_order) if moved else stories
        return sorted((s for s in self.all_stories if can_read(s.meta, self.role)), key=event_order)

    @cached_property
    def slugs(self) -> set[str]:
        return set(self.by_slug)

    @cached_property
    def by_slug(self) -> dict[str, Story]:
        """Readable stories by slug."""
        return {s.slug: s for s in self.stories}

    @cached_property
    def people(self) -> dict[str, Person]:
        """Visible profiles: readable, and with a readable interview if they have any at all."""
        kept = self._from_before("people")
        if kept is not None:
            return kept
        told: dict[str, list[Story]] = defaultdict(list)
        for story in self.all_stories:
            for slug in story.people:
                told[slug].append(story)
        return {p.slug: p for p in self.all_people if can_read(p.meta, self.role)
                and (not told[p.slug] or any(s.slug in self.slugs for s in told[p.slug]))}

    @cached_property
    def _told(self) -> dict[tuple[str, str], list[int]]:
        """("slug", person slug) and ("name", narrator name) -> positions in `stories`, built in one pass
        (looking each person up in every story took 1.5 s a shelf at 2,000 stories)."""
        told: dict[tuple[str, str], list[int]] = defaultdict(list)
        for position, story in enumerate(self.stories):
            for key in {*(("slug", slug) for slug in story.people), *(("name", n) for n in story.narrators)}:
                told[key].append(position)
        return told

    def narrator_people(self, story: Story) -> list[Person]:
        """The visible profiles a story links to under `people:`."""
        return [self.people[slug] for slug in story.people if slug in self.people]

    def stories_of(self, person: Person) -> list[Story]:
        """Readable stories listing the person under `people:` or as narrator, in the shelf's order."""
        positions = sorted({*self._told.get(("slug", person.slug), ()), *self._told.get(("name", person.name), ())})
        return [self.stories[position] for position in positions]

    @cached_property
    def narrators(self) -> list[Narrator]:
        entries: dict[str, Narrator] = {}
        for person in self.people.values():
            entries[person.name] = Narrator(person.name, person, self.stories_of(person))
        for story in self.stories:
            for name in story.narrators:
                if name not in entries:
                    entries[name] = Narrator(name, None, [self.stories[i] for i in self._told[("name", name)]])
        for entry in entries.values():
            entry.letter = initial_letter(entry.name)
        return sorted(entries.values(), key=lambda e: name_sort_key(e.name))

    @cached_property
    def orders(self) -> dict[str, list[str]]:
        """Wars in the order of events, honours in rank and audiences by age, as the vocabularies list them."""
        root = self.catalog.store.root
        return {"conflict": load_terms(root, "conflicts"), "honor": load_terms(root, "honors"),
                "audience": load_terms(root, "audience")}

    @cached_property
    def topic_tree(self) -> TopicTree | None:
        """The archive's topic vocabulary (None when it keeps none)."""
        return load_topics(self.catalog.store.root)

    @cached_property
    def facts(self) -> dict[str, StoryFacts]:
        """What this reader can tell about each readable story (filters, counts, badges), by slug.

        After a save only the changed stories are worked out again: a story whose file (the same
        object from the store), profiles and media rules are unchanged keeps the previous shelf's facts."""
        carried = self._carried
        if carried is not None and "facts" in carried[0].__dict__:  # the same people and media rules
            before, swapped = carried
            found, sources = dict(before.facts), dict(before._facts_from)
            for story in swapped.values():
                if story.slug in found:
                    people = [self.people[p] for p in story.people if p in self.people]
                    facts = build_facts(story, people, self.role, self.media_denied, self.topic_tree)
                    found[story.slug], sources[story.slug] = facts, (story, tuple(people), facts)
            self._facts_from = sources
            return found
        previous = self.previous
        known: dict[str, tuple[Story, tuple, StoryFacts]] = {}
        if previous is not None and "facts" in previous.__dict__ and previous.media_denied == self.media_denied \
                and previous.vocabulary_stamp == self.vocabulary_stamp:
            known = previous._facts_from
        found, sources = {}, {}
        for story in self.stories:
            people = [self.people[p] for p in story.people if p in self.people]
            seen = known.get(story.slug)
            if seen is not None and seen[0] is story and len(seen[1]) == len(people) \
                    and all(a is b for a, b in zip(seen[1], people)):
                facts = seen[2]
            else:
                facts = build_facts(story, people, self.role, self.media_denied, self.topic_tree)
            found[story.slug], sources[story.slug] = facts, (story, tuple(people), facts)
        self._facts_from = sources
        return found

    @cached_property
    def facets(self) -> dict[str, list[tuple[str, int]]]:
        found = {}
        for key in FACET_KEYS:
            counts: Counter[str] = Counter()
            for story in self.stories:
                counts.update(set(story_values(story, key)))
            order = self.orders.get(key)
            if order:
                found[key] = [(value, counts[value]) for value in _ordered(list(counts), order)]
            else:
                found[key] = sorted(counts.items(), key=lambda item: (-item[1], title_sort_key(item[0])))
        return found

    @cached_property
    def timeline(self) -> list[tuple[int, list[tuple[int, list[Story]]]]]:
        by_year: dict[int, list[Story]] = defaultdict(list)
        for story in self.stories:
            for year in story_years(story):
                by_year[year].append(story)
        decades: dict[int, list[tuple[int, list[Story]]]] = defaultdict(list)
        for year in sorted(by_year):
            decades[year // 10 * 10].append((year, by_year[year]))
        return sorted(decades.items())

    @cached_property
    def collections(self) -> dict[str, Collection]:
        """Collections holding at least one readable story, by slug."""
        found = (self.catalog.read_collection(path, self) for path in self.catalog.collection_files())
        return {c.slug: c for c in found if c is not None and c.stories}

    def facet(self, key: str) -> list[tuple[str, int]]:
        """(value, number of readable stories) for conflict, honor, tag, audience or place."""
        return self.facets[key]

    def newest(self, limit: int = 6) -> list[Story]:
        """The most recently interviewed readable stories."""
        return sorted(self.stories, key=lambda s: s.interviewed, reverse=True)[:limit]

    def featured(self, limit: int = 6) -> list[Story]:
        """Stories to recommend: the opening story of each collection (chosen by archivists), then the newest."""
        chosen: dict[str, Story] = {}
        for story in [*(c.stories[0] for c in self.collections.values()), *self.newest(limit)]:
            chosen.setdefault(story.slug, story)
        return list(chosen.values())[:limit]

    def stats(self) -> dict[str, float | int]:
        """Figures for the home page: stories, narrators, hours of interviews, conflicts."""
        return {
            "stories": len(self.stories),
            "people": len(self.narrators),
            "hours": self.hours,
            "conflicts": len(self.facets["conflict"]),
        }

    @property
    def hours(self) -> float:
        """Hours of interviews (by timestamps) of the readable stories, as the home page shows them."""
        return round(self.seconds / 3600, 1)

    @cached_property
    def seconds(self) -> int:
        """The readable transcripts' lengths (last timestamps) summed: the home page's hours.  After a
        save of words only, the previous sum with the saved stories' lengths swapped."""
        carried = self._carried
        if carried is not None and "seconds" in carried[0].__dict__:
            before, swapped = carried
            old = {id(s): s for s in before.stories if id(s) in swapped}
            return before.seconds + sum(story_seconds(new) - story_seconds(old[key])
                                        for key, new in swapped.items() if key in old)
        return sum(story_seconds(s) for s in self.stories)

    @cached_property
    def media_denied(self) -> set[str]:
        """media/ files that some media entry, anywhere in the archive, keeps from this reader
        (its own `access` or `embargo_until`, read by archive.access.can_read_media)."""
        kept = self._from_before("media_denied")
        if kept is not None:
            return kept
        return {item.file for record in [*self.all_stories, *self.all_people] for item in record.media
                if not can_read_media(item, self.role)}

    def visible(self, name: str | None) -> str | None:
        """`name` if this reader may see that media/ file wherever it is used (portrait, cover), else None."""
        return name if name and name in self.media else None

    @cached_property
    def access_stamp(self) -> str:
        """A digest of what this reader may see (readable stories, visible profiles and collections,
        media allowed): the same across saves that change only a story's words, so a page that
        depends on the rest of the shelf only through access can outlive such a save."""
        kept = self._from_before("access_stamp")
        if kept is not None:
            return kept
        digest = hashlib.sha1()
        for part in (sorted(self.slugs), sorted(self.people), sorted(self.collections), sorted(self.media)):
            digest.update("\x1f".join(part).encode("utf-8"))
            digest.update(b"\x1e")
        return digest.hexdigest()

    @cached_property
    def names_stamp(self) -> str:
        """What the timeline, the narrators' index and the browse page show: like `shown_stamp` without
        the facts worked out from the words (reading time, length, eras), which a save of words
        changes now and then."""
        return self._stories_stamp("_names_from", lambda story: (story,),
                                   lambda story: (story.slug, story.meta, story_years(story)))

    @cached_property
    def _people_digest(self) -> bytes:
        """A digest of the visible profiles' front matter (the previous shelf's when they are the same)."""
        carried = self._carried
        if carried is not None and carried[0].__dict__.get("people") is self.people \
                and "_people_digest" in carried[0].__dict__:
            return carried[0]._people_digest
        return hashlib.sha1(repr([(slug, person.meta) for slug, person in self.people.items()]).encode()).digest()

    @cached_property
    def shown_stamp(self) -> str:
        """A digest of all that the list pages (home, all stories, browse, narrators, timeline) show of
        this shelf: the access stamp, every readable story's front matter, facts and years told about
        in the shelf's order, the visible profiles' front matter, and the collection and
        vocabulary files' mtimes.  A save that changes words no list shows keeps it, so those pages
        outlive the save; only the saved story's part is worked out again."""
        facts = self.facts
        return self._stories_stamp("_shown_from", lambda story: (story, facts[story.slug]),
                                   lambda story: (story.slug, story.meta, facts[story.slug], story_years(story)))

    def _stories_stamp(self, memo: str, sources: Callable[[Story], tuple], shown: Callable[[Story], tuple]) -> str:
        """A digest of the access stamp, the vocabulary and collection files, what `shown` gives of each
        readable story in the shelf's order, and the visible profiles.  A story's part is taken from the
        previous shelf's memo (attribute `memo`) while `sources` gives the very same objects."""
        previous = self.previous
        known = getattr(previous, memo, {}) if previous is not None else {}
        parts = {}
        digest = hashlib.sha1(repr((self.access_stamp, self.vocabulary_stamp, self.collections_stamp)).encode())
        for story in self.stories:
            objects, seen = sources(story), known.get(story.slug)
            if seen is None or len(seen[0]) != len(objects) or any(a is not b for a, b in zip(seen[0], objects)):
                seen = (objects, hashlib.sha1(repr(shown(story)).encode()).digest())
            parts[story.slug] = seen
            digest.update(seen[1])
        digest.update(self._people_digest)
        setattr(self, memo, parts)
        return digest.hexdigest()

    @cached_property
    def media(self) -> set[str]:
        """media/ files this reader may see: used by a readable record (a media entry, the portrait of a
        visible person, the cover of a visible collection) and kept back by no media entry."""
        kept = self._from_before("media")
        if kept is not None:
            return kept
        used: set[str] = set()
        for record in [*self.stories, *self.people.values()]:
            used.update(item.file for item in record.media)
            if isinstance(record, Person) and record.portrait:
                used.add(record.portrait)
        used.update(c.cover for c in self.collections.values() if c.cover)
        return used - self.media_denied


def event_order(story: Story) -> tuple:
    """Sort key: the first year told about, then the title."""
    years = story_years(story)
    return (years[0] if years else 9999, title_sort_key(story.title))
