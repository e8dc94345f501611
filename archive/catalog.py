"""The read side of the archive: what a reader with a given role may browse.

Every list here (stories, people, facets, timeline, collections, counts and
media) is built only from items `archive.access.can_read` lets the role see,
so a restricted, internal-only, embargoed or draft story never shows up in a
page, count, timeline, related list, thumbnail or API answer for a reader not
allowed to read it.  Views call these functions and render; nothing else.
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from archive.access import can_read, can_read_media, readable_levels, today
from archive.catalog_names import initial_letter, name_sort_key, title_sort_key
from archive.frontmatter import FrontMatterError, parse_document
from archive.models import Person, Story, as_list
from archive.store import ContentError, ContentStore, is_valid_slug, read_text_file
from archive.story_facts import StoryFacts, build_facts, story_seconds
from archive.topics import TOPICS_FILE, TopicTree, load_topics
from archive.vocabularies import load_terms, vocabulary_path

YEAR = re.compile(r"(?<!\d)(19[1-9]\d|20[0-4]\d)(?=\s*年)")
_GENERATIONS = itertools.count(1)
FULL_SCAN_SECONDS = 2.0
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


def _mtime(path: Path) -> int:
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
        self.generation = next(_GENERATIONS)  # a new number whenever the files (or the day) change
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
        previous = self.previous
        known = getattr(previous, "_names_from", {}) if previous is not None else {}
        parts = {}
        digest = hashlib.sha1(repr((self.access_stamp, self.vocabulary_stamp, self.collections_stamp)).encode())
        for story in self.stories:
            seen = known.get(story.slug)
            if seen is None or seen[0] is not story:
                seen = (story, hashlib.sha1(repr((story.slug, story.meta, story_years(story))).encode()).digest())
            parts[story.slug] = seen
            digest.update(seen[1])
        digest.update(self._people_digest)
        self._names_from = parts
        return digest.hexdigest()

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
        previous = self.previous
        known = getattr(previous, "_shown_from", {}) if previous is not None else {}
        facts, parts = self.facts, {}
        digest = hashlib.sha1(repr((self.access_stamp, self.vocabulary_stamp, self.collections_stamp)).encode())
        for story in self.stories:
            mine, seen = facts[story.slug], known.get(story.slug)
            if seen is None or seen[0] is not story or seen[1] is not mine:
                shown = (story.slug, story.meta, mine, story_years(story))
                seen = (story, mine, hashlib.sha1(repr(shown).encode()).digest())
            parts[story.slug] = seen
            digest.update(seen[2])
        digest.update(self._people_digest)
        self._shown_from = parts
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


@dataclass(frozen=True)
class _Scan:
    """One listing of the records: when it was made (monotonic), the watched paths' mtimes then, the
    stories and profiles (by file name), the collection files' names and mtimes, and a token that
    changes exactly when any of them changed."""

    at: float
    folders: tuple
    stories: list[Story]
    people: list[Person]
    collections: tuple
    token: int


def _same_objects(before: list, after: list) -> bool:
    """The same records, object for object (the store hands out one object per state of a file)."""
    return len(before) == len(after) and all(a is b for a, b in zip(before, after))


def _put(records: list, slug: str, record) -> None:
    """Put the record of `slug` in its place of a listing sorted by file name (None: take it out)."""
    names = [f"{r.slug}.md" for r in records]
    position = bisect.bisect_left(names, f"{slug}.md")
    if position < len(records) and records[position].slug == slug:
        if record is None:
            del records[position]
        else:
            records[position] = record
    elif record is not None:
        records.insert(position, record)


class Catalog:
    """Read-only views over one content store, always filtered by the reader's role.

    The work is done once per role and state of the files (a `Shelf`): any
    change to a story, profile or collection file, or a new day (embargoes),
    gives a new shelf.
    """

    def __init__(self, store: ContentStore):
        self.store = store
        self.collections_dir = Path(store.root) / "collections"
        self._shelves: dict[tuple, tuple[int, Shelf]] = {}
        self._scanned: _Scan | None = None
        self._lock = threading.Lock()  # one listing replaces another whole, never half of one
        self._listing = threading.Lock()  # held while the folders are listed
        store.listeners.append(self.written)
        self._documents: dict[Path, tuple[tuple[int, int], object]] = {}
        self._watched = (store.stories_dir, store.people_dir, self.collections_dir,
                         vocabulary_path(store.root, "conflicts"), vocabulary_path(store.root, "honors"),
                         vocabulary_path(store.root, "audience"), Path(store.root) / TOPICS_FILE)

    def collection_files(self) -> list[Path]:
        if not self.collections_dir.is_dir():
            return []
        return [p for p in sorted(self.collections_dir.glob("*.md")) if is_valid_slug(p.stem)]

    def _files(self) -> _Scan:
        """The records and a token of their state.  The store's own writes show at once without a
        listing (`written`), other writes (another process, a file replaced by hand) through the
        folders' mtimes; in-place edits by hand within FULL_SCAN_SECONDS, the longest a listing is
        trusted."""
        folders = tuple(_mtime(path) for path in self._watched)
        scanned = self._scanned
        if scanned is not None and scanned.folders == folders and (
                time.monotonic() - scanned.at < FULL_SCAN_SECONDS or self._listing.locked()):
            return scanned  # (while another thread lists again for edits in place, the last listing serves)
        with self._listing:  # one listing at a time: 16 threads listing 2,000 files at once starved the rest
            scanned = self._scanned
            if scanned is not None and scanned.folders == folders and time.monotonic() - scanned.at < FULL_SCAN_SECONDS:
                return scanned  # another thread listed them while this one waited
            at = time.monotonic()
            stories, people = self.store.list_stories(), self.store.list_people()
            collections = tuple((p.name, _mtime(p)) for p in self.collection_files())
            with self._lock:
                before = self._scanned
                if before is not scanned:  # the store told of a write meanwhile: this listing may be older
                    return before
                same = before is not None and before.collections == collections and before.folders[3:] == folders[3:] \
                    and _same_objects(before.stories, stories) and _same_objects(before.people, people)
                token = before.token if same else next(_GENERATIONS)
                self._scanned = _Scan(at, folders, stories, people, collections, token)
                return self._scanned

    def written(self, path: Path, record: Story | Person | None) -> None:
        """The store wrote (or deleted: None) this story or profile, under the folder's write lock
        (ContentStore.listeners): the listing takes it without listing 2,000 files again, and readers
        go on with their shelf until then.  Left to the next listing when anything else watched
        changed since it was made (a file edited by hand is seen within FULL_SCAN_SECONDS)."""
        which = {self.store.stories_dir: 0, self.store.people_dir: 1}.get(path.parent)
        if which is None:
            return
        with self._lock:
            scanned = self._scanned
            if scanned is None:
                return
            lists = [list(scanned.stories), list(scanned.people)]
            _put(lists[which], path.stem, record)
            folders = tuple(_mtime(folder) for folder in self._watched)
            if folders[1 - which] != scanned.folders[1 - which] or folders[2:] != scanned.folders[2:]:
                return  # something else changed too: the next reader lists everything
            same = _same_objects(lists[which], [scanned.stories, scanned.people][which])  # a reader listed it already
            self._scanned = _Scan(scanned.at, folders, lists[0], lists[1], scanned.collections,
                                  scanned.token if same else next(_GENERATIONS))

    def shelf(self, role: str | None) -> Shelf:
        """What this role may see now (cached until a file changes or the day turns)."""
        scanned = self._files()
        key = (frozenset(readable_levels(role)), today())
        cached = self._shelves.get(key)
        if cached is not None and cached[0] == scanned.token:
            return cached[1]
        shelf = Shelf(self, role, scanned.stories, scanned.people, cached[1] if cached is not None else None,
                      scanned.folders[3:], scanned.collections)
        if len(self._shelves) > 16:
            self._shelves.clear()
        self._shelves[key] = (scanned.token, shelf)
        return shelf

    # -- stories ------------------------------------------------------------
    def stories(self, role: str | None) -> list[Story]:
        """Stories the role may read, in order of the events they tell about."""
        return self.shelf(role).stories

    def story(self, slug: str, role: str | None) -> Story | None:
        """The story if it exists and the role may read it, else None (a 404 either way)."""
        story = self.store.get_story(slug)
        return story if story is not None and can_read(story.meta, role) else None

    def newest(self, role: str | None, limit: int = 6) -> list[Story]:
        """The most recently interviewed readable stories."""
        return self.shelf(role).newest(limit)

    # -- browsing -----------------------------------------------------------
    def facet(self, key: str, role: str | None) -> list[tuple[str, int]]:
        """(value, number of readable stories) for conflict, honor, tag, audience or place."""
        return self.shelf(role).facet(key)

    def stories_with(self, key: str, value: str, role: str | None) -> list[Story]:
        """Readable stories whose `key` (conflict, honor, tag, audience, place, narrator) has `value`."""
        if key == "narrator":
            return [s for s in self.stories(role) if value in s.narrators]
        return [s for s in self.stories(role) if value in story_values(s, key)]

    def timeline(self, role: str | None) -> list[tuple[int, list[tuple[int, list[Story]]]]]:
        """[(decade, [(year, stories told about that year)])], oldest first."""
        return self.shelf(role).timeline

    # -- people -------------------------------------------------------------
    def person(self, slug: str, role: str | None) -> Person | None:
        """The profile if the role may see it."""
        return self.shelf(role).people.get(slug)

    def stories_of(self, person: Person, role: str | None) -> list[Story]:
        """Readable stories told by or about a person (listed in `people:` or as narrator)."""
        return self.shelf(role).stories_of(person)

    def narrators(self, role: str | None) -> list[Narrator]:
        """Everyone with a visible profile or a readable story, in pinyin order."""
        return self.shelf(role).narrators

    def narrator_people(self, story: Story, role: str | None) -> list[Person]:
        """The visible profiles a story links to under `people:`."""
        return self.shelf(role).narrator_people(story)

    # -- collections --------------------------------------------------------
    def read_collection(self, path: Path, shelf: Shelf) -> Collection | None:
        """A collection file with the stories of it that the shelf's reader may read."""
        try:
            doc = self._collection_document(path)
        except FrontMatterError as error:
            self.store.load_errors[path] = ContentError(path, error.line, error.message)
            return None  # `archive check` and the admin page report it; readers simply do not see it
        except (ContentError, OSError) as error:
            self.store.load_errors[path] = error if isinstance(error, ContentError) else ContentError(path, 1, str(error))
            return None
        self.store.load_errors.pop(path, None)
        meta = doc.meta
        readable = shelf.by_slug
        stories = [readable[str(slug)] for slug in as_list(meta.get("stories")) if str(slug) in readable]
        cover = meta.get("cover") if isinstance(meta.get("cover"), str) else None
        cover = None if cover in shelf.media_denied else cover
        return Collection(path.stem, str(meta.get("title") or path.stem), doc.body, stories, cover,
                          [str(a) for a in as_list(meta.get("audience"))], meta)

    def _collection_document(self, path: Path):
        """The parsed collection file, kept until its mtime or size changes (every save builds a new
        shelf, and parsing every collection again each time cost a tenth of a rebuild)."""
        stat = os.stat(path)
        key = (stat.st_mtime_ns, stat.st_size)
        kept = self._documents.get(path)
        if kept is None or kept[0] != key:
            kept = (key, parse_document(read_text_file(path)))
            self._documents[path] = kept
        return kept[1]

    def collections(self, role: str | None) -> list[Collection]:
        """Collections that hold at least one story the role may read."""
        return list(self.shelf(role).collections.values())

    def collection(self, slug: str, role: str | None) -> Collection | None:
        """One collection, or None if unknown or empty for this reader."""
        return self.shelf(role).collections.get(slug)

    # -- files the site could not read --------------------------------------
    def unreadable_files(self) -> list[tuple[str, int, str]]:
        """(path relative to the root, line, problem) of every story, profile or collection skipped as unreadable."""
        self.shelf("admin").collections  # noqa: B018 - reading the collections records their problems
        root = self.store.root
        return sorted((str(path.relative_to(root)), error.line, error.message)
                      for path, error in list(self.store.load_errors.items()) if path.exists())

    # -- figures and media --------------------------------------------------
    def stats(self, role: str | None) -> dict[str, float | int]:
        """Figures for the home page: stories, narrators, hours of interviews, conflicts."""
        return self.shelf(role).stats()

    def media_allowed(self, name: str, role: str | None) -> bool:
        """May the role see this media/ file (a derivative of it, or the recording)?"""
        return name in self.shelf(role).media

    def portrait(self, person: Person, role: str | None) -> str | None:
        """The person's portrait if the role may see that photo, else None."""
        return self.shelf(role).visible(person.portrait)
