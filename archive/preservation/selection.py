"""What a bag carries: the whole archive or a selection of stories, people, conflicts and
collections, filtered by the one access rule (archive.catalog's shelf) so that restricted,
internal and embargoed material stays out unless the export is made with --include-restricted."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archive.preservation.content import content_files
from archive.shelf import Shelf


class SelectionError(ValueError):
    """A selection that names something that does not exist or may not be exported (Chinese)."""


@dataclass
class Selection:
    """What the exporter asked for (empty lists: the whole archive)."""

    stories: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    include_restricted: bool = False

    @property
    def whole(self) -> bool:
        """No --story, --person, --conflict or --collection was given."""
        return not (self.stories or self.people or self.conflicts or self.collections)


@dataclass
class Chosen:
    """Relative paths (from the archive root) that go into the payload, and what they hold."""

    files: list[str]
    stories: list[str]
    people: list[str]


def choose(root: Path, shelf: Shelf, selection: Selection) -> Chosen:
    """The files of `selection` that the shelf's reader may see (all content with --include-restricted)."""
    if selection.whole and selection.include_restricted:
        files = list(content_files(root))
        return Chosen(files, [s.slug for s in shelf.all_stories], [p.slug for p in shelf.all_people])
    stories = {s.slug: s for s in shelf.stories}
    picked = _picked_stories(shelf, selection, stories)
    people = _picked_people(shelf, selection, picked)
    collections = _picked_collections(shelf, selection, picked)
    media = _media_of(shelf, [stories[slug] for slug in picked], people, collections)
    files = [f"stories/{slug}.md" for slug in sorted(picked)] + [f"people/{slug}.md" for slug in sorted(people)]
    files += [f"collections/{slug}.md" for slug in sorted(collections)]
    files += [f"media/{name}" for name in sorted(media) if (Path(root) / "media" / name).is_file()]
    files += [name for name in content_files(root) if name.startswith("vocabularies/")]
    return Chosen(files, sorted(picked), sorted(people))


def _picked_stories(shelf: Shelf, selection: Selection, stories: dict) -> set[str]:
    if selection.whole:
        return set(stories)
    picked = set()
    for slug in selection.stories:
        if slug not in stories:
            raise SelectionError(f"找不到故事 {slug}，或它不能公开导出（受限、内部或禁阅期内需 --include-restricted）")
        picked.add(slug)
    for slug in selection.people:
        person = shelf.people.get(slug)
        if person is None:
            raise SelectionError(f"找不到人物 {slug}，或其资料不能公开导出")
        picked.update(s.slug for s in shelf.stories_of(person))
    for conflict in selection.conflicts:
        found = {s.slug for s in stories.values() if conflict in s.strings("conflicts")}
        if not found:
            raise SelectionError(f"没有可导出的故事属于战争“{conflict}”")
        picked |= found
    for slug in selection.collections:
        collection = shelf.collections.get(slug)
        if collection is None:
            raise SelectionError(f"找不到专题 {slug}，或其中没有可导出的故事")
        picked.update(s.slug for s in collection.stories)
    return picked


def _picked_people(shelf: Shelf, selection: Selection, picked: set[str]) -> dict:
    if selection.whole:
        return dict(shelf.people)
    wanted = set(selection.people)
    for story in shelf.stories:
        if story.slug in picked:
            wanted.update(story.people)
    return {slug: person for slug, person in shelf.people.items() if slug in wanted}


def _picked_collections(shelf: Shelf, selection: Selection, picked: set[str]) -> dict:
    if selection.whole:
        return dict(shelf.collections)
    return {slug: c for slug, c in shelf.collections.items() if slug in selection.collections}


def _media_of(shelf: Shelf, stories: list, people: dict, collections: dict) -> set[str]:
    """media/ files the chosen records use, less any the reader may not see."""
    used = {item.file for record in [*stories, *people.values()] for item in record.media}
    used.update(p.portrait for p in people.values() if p.portrait)
    used.update(c.cover for c in collections.values() if c.cover)
    return used - shelf.media_denied if shelf.role not in ("admin",) else used
