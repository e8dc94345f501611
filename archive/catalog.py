"""The read side of the archive: the listing of the content folders, kept current from the store's
writes, and one `archive.shelf.Shelf` per reader's role and state of the files (views call these
functions and render; nothing else)."""
from __future__ import annotations

import bisect
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from archive.access import can_read, readable_levels, today
from archive.frontmatter import FrontMatterError, parse_document
from archive.models import Person, Story, as_list
from archive.shelf import GENERATIONS, Collection, Narrator, Shelf, mtime_ns, story_values
from archive.store import ContentError, ContentStore, is_valid_slug, read_text_file
from archive.topics import TOPICS_FILE
from archive.vocabularies import vocabulary_path

FULL_SCAN_SECONDS = 2.0


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
        folders = tuple(mtime_ns(path) for path in self._watched)
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
            collections = tuple((p.name, mtime_ns(p)) for p in self.collection_files())
            with self._lock:
                before = self._scanned
                if before is not scanned:  # the store told of a write meanwhile: this listing may be older
                    return before
                same = before is not None and before.collections == collections and before.folders[3:] == folders[3:] \
                    and _same_objects(before.stories, stories) and _same_objects(before.people, people)
                token = before.token if same else next(GENERATIONS)
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
            folders = tuple(mtime_ns(folder) for folder in self._watched)
            if folders[1 - which] != scanned.folders[1 - which] or folders[2:] != scanned.folders[2:]:
                return  # something else changed too: the next reader lists everything
            same = _same_objects(lists[which], [scanned.stories, scanned.people][which])  # a reader listed it already
            self._scanned = _Scan(scanned.at, folders, lists[0], lists[1], scanned.collections,
                                  scanned.token if same else next(GENERATIONS))

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
