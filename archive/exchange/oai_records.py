"""What the OAI-PMH repository holds: every story an anonymous reader may read (from
archive.catalog's shelf for role None), and, reported as deleted, the stories that were public
until they were taken down or purged.  Sets: one per conflict and one per collection."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

from archive.access import can_read
from archive.catalog import Catalog
from archive.models import Story

ANONYMOUS = None


@dataclass(frozen=True)
class OaiSet:
    """An OAI set: setSpec (ASCII, as the protocol requires) and its Chinese name."""

    spec: str
    name: str


@dataclass
class OaiRecord:
    """One item of the repository: a readable story, or only the header of a deleted one."""

    slug: str
    datestamp: dt.datetime  # UTC, whole seconds: when the file last changed
    sets: list[str] = field(default_factory=list)
    story: Story | None = None  # None for a deleted record

    @property
    def deleted(self) -> bool:
        return self.story is None


def set_spec(kind: str, value: str) -> str:
    """'conflict', '抗美援朝战争' -> 'conflict:kang-mei-yuan-chao-zhan-zheng' (setSpec allows no Chinese)."""
    words = "-".join(w for w in lazy_pinyin(value) if w.strip())
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in words).strip("-")
    return f"{kind}:{safe or 'x'}"


def _datestamp(story: Story) -> dt.datetime:
    mtime = story.mtime if story.mtime is not None else 0.0
    return dt.datetime.fromtimestamp(int(mtime), dt.UTC)


def _was_public(story: Story) -> bool:
    """Taken down, but readable by anyone without the takedown: a harvester may hold it, so say it is deleted."""
    meta = {k: v for k, v in story.meta.items() if k != "takedown"}
    return story.meta.get("takedown") not in (None, False) and can_read(meta, ANONYMOUS)


def _purged(audit) -> dict[str, dt.datetime]:
    """slug -> when it was purged, for purged stories that were public then (the tombstone says so)."""
    found = {}
    for entry in audit.entries() if audit is not None else []:
        target = str(entry.get("target") or "")
        if entry.get("action") == "purge" and entry.get("public") is True and target.startswith("stories/"):
            try:
                found[target[len("stories/"):]] = dt.datetime.fromisoformat(entry["at"]).replace(microsecond=0)
            except (KeyError, TypeError, ValueError):
                continue
    return found


class OaiRepository:
    """The records and sets an anonymous harvester may see, read afresh from the catalog."""

    def __init__(self, catalog: Catalog, audit=None):
        self.catalog, self.audit = catalog, audit  # the audit log's tombstones tell of purged stories

    def sets(self) -> list[OaiSet]:
        """One set per conflict told about in a public story, one per collection holding public stories."""
        found = {OaiSet("conflict", "按战争"), OaiSet("collection", "专题")}
        found |= {OaiSet(set_spec("conflict", value), f"战争：{value}")
                 for value, _count in self.catalog.facet("conflict", ANONYMOUS)}
        found |= {OaiSet(f"collection:{c.slug}", f"专题：{c.title}") for c in self.catalog.collections(ANONYMOUS)}
        return sorted(found, key=lambda s: s.spec)

    def _sets_of(self, story: Story, in_collections: dict[str, list[str]]) -> list[str]:
        specs = [set_spec("conflict", value) for value in story.strings("conflicts")]
        return sorted(set(specs) | {f"collection:{slug}" for slug in in_collections.get(story.slug, [])})

    def records(self) -> list[OaiRecord]:
        """Every record, oldest change first (ties by slug), so that paging is stable."""
        in_collections: dict[str, list[str]] = {}
        for collection in self.catalog.collections(ANONYMOUS):
            for story in collection.stories:
                in_collections.setdefault(story.slug, []).append(collection.slug)
        readable = [OaiRecord(s.slug, _datestamp(s), self._sets_of(s, in_collections), s)
                    for s in self.catalog.stories(ANONYMOUS)]
        gone = [OaiRecord(s.slug, _datestamp(s), []) for s in self.catalog.store.list_stories() if _was_public(s)]
        held = {r.slug for r in readable + gone}
        gone += [OaiRecord(slug, at, []) for slug, at in _purged(self.audit).items() if slug not in held]
        return sorted(readable + gone, key=lambda r: (r.datestamp, r.slug))

    def record(self, slug: str) -> OaiRecord | None:
        """The record of one story, or None if the repository does not hold it."""
        return next((r for r in self.records() if r.slug == slug), None)

    def earliest(self) -> dt.datetime:
        """The oldest datestamp (the epoch in an empty archive)."""
        records = self.records()
        return records[0].datestamp if records else dt.datetime.fromtimestamp(0, dt.UTC)

