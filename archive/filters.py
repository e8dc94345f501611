"""Combined filters over a reader's shelf: war, era, audience, topic, place,
narrator, has recording, has photos and length, with counts.

Values of one filter are alternatives (OR); different filters narrow each
other (AND).  The count beside each value is the number of stories the list
would hold with that value added to the other filters, so a count of 0 is
never offered as a dead end.  Everything is computed from the reader's shelf
(archive.shelf.Shelf), so counts never include a story the reader may not
read.  Filters live in the query string: shareable, and the back button works.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from archive.catalog_names import title_sort_key
from archive.models import Story
from archive.shelf import Shelf
from archive.story_facts import StoryFacts

LABELS = {"conflict": "战争与时期", "era": "所讲年代", "audience": "适合对象", "topic": "主题",
          "place": "地点", "narrator": "讲述人", "recording": "录音", "photos": "照片", "length": "时长"}
LIST_KEYS = ("conflict", "era", "audience", "topic", "place", "narrator")
FLAGS = {"recording": "有录音", "photos": "有照片"}
LENGTHS = {"10": "10 分钟以内", "15": "15 分钟以内", "30": "30 分钟以内"}
SORTS = {"events": "按所讲事件先后", "newest": "按访谈时间（新→旧）", "oldest": "按访谈时间（旧→新）"}
MAX_VALUES = 10


@dataclass
class Choice:
    """One value a reader can pick, with its count and the address that toggles it."""

    value: str
    label: str
    count: int
    chosen: bool
    url: str
    depth: int = 0


@dataclass
class FilterState:
    """What the reader chose: {key: values}, and the sort."""

    chosen: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "events"

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.chosen.values())

    def params(self, key: str | None = None, values: list[str] | None = None) -> list[tuple[str, str]]:
        """The query-string pairs, with `key` set to `values` when given."""
        chosen = dict(self.chosen)
        if key is not None:
            chosen[key] = values or []
        pairs = [(k, v) for k in LABELS for v in chosen.get(k, [])]
        return pairs + ([("sort", self.sort)] if self.sort != "events" else [])

    def toggled(self, base: str, key: str, value: str) -> str:
        """`base` with this value added or taken away (back to the first page)."""
        values = self.chosen.get(key, [])
        values = [v for v in values if v != value] if value in values else [*values, value]
        query = urlencode(self.params(key, values))
        return f"{base}?{query}" if query else base

    def url(self, base: str) -> str:
        query = urlencode(self.params())
        return f"{base}?{query}" if query else base


def parse_filters(args: Mapping, preset: dict[str, list[str]] | None = None) -> FilterState:
    """Read filters from query arguments (a MultiDict); empty and unknown values are dropped."""
    chosen: dict[str, list[str]] = {k: list(v) for k, v in (preset or {}).items()}
    for key in LABELS:
        values = [v.strip()[:100] for v in args.getlist(key) if v and v.strip()]
        if key in FLAGS:
            values = ["1"] if values else []
        elif key == "length":
            values = [v for v in values if v in LENGTHS][:1]
        for value in values[:MAX_VALUES]:
            chosen.setdefault(key, [])
            if value not in chosen[key]:
                chosen[key].append(value)
    sort = args.get("sort", "events")
    return FilterState({k: v for k, v in chosen.items() if v}, sort if sort in SORTS else "events")


def matches(facts: StoryFacts, key: str, values: list[str]) -> bool:
    """Does a story pass one filter (any of its values)?"""
    if key in FLAGS:
        return getattr(facts, key)
    if key == "length":
        return any(facts.minutes <= int(v) for v in values)
    return any(v in getattr(facts, key) for v in values)


def filtered(shelf: Shelf, state: FilterState, leave_out: str | None = None) -> list[Story]:
    """The shelf's stories that pass every chosen filter (but `leave_out`), in the chosen order."""
    facts = shelf.facts
    found = [s for s in shelf.stories
             if all(matches(facts[s.slug], k, v) for k, v in state.chosen.items() if k != leave_out)]
    if state.sort == "newest":
        return sorted(found, key=lambda s: s.interviewed, reverse=True)
    if state.sort == "oldest":
        return sorted(found, key=lambda s: s.interviewed or "9999")
    return found


def _ordered_values(shelf: Shelf, key: str, counts: Counter) -> list[tuple[str, int]]:
    """Values in the order a reader expects: wars by events, audiences by age, eras by time, topics as a tree."""
    if key in ("conflict", "audience"):
        order = shelf.orders[key]
        known = [v for v in order if v in counts]
        return [(v, 0) for v in known] + sorted(((v, 0) for v in counts if v not in order),
                                                key=lambda item: title_sort_key(item[0]))
    if key == "era":
        return [(v, 0) for v in sorted(counts)]
    if key == "topic" and shelf.topic_tree is not None:
        tree = shelf.topic_tree
        return [(name, depth) for root in tree.roots for name, depth in _walk(tree, root, 0) if name in counts]
    return [(v, 0) for v in sorted(counts, key=lambda v: (-counts[v], title_sort_key(v)))]


def _walk(tree, name: str, depth: int):
    yield name, depth
    for child in tree.topics[name].children:
        yield from _walk(tree, child, depth + 1)


def choices(shelf: Shelf, state: FilterState, base: str) -> dict[str, list[Choice]]:
    """{key: choices} for the filter bar, each count taking the other filters into account."""
    facts = shelf.facts
    found: dict[str, list[Choice]] = {}
    for key in LABELS:
        pool = [facts[s.slug] for s in filtered(shelf, state, leave_out=key)]
        chosen = state.chosen.get(key, [])
        if key in FLAGS:
            options = [("1", FLAGS[key], sum(1 for f in pool if getattr(f, key)), 0)]
        elif key == "length":
            options = [(v, label, sum(1 for f in pool if f.minutes <= int(v)), 0) for v, label in LENGTHS.items()]
        else:
            counts = Counter(v for f in pool for v in set(getattr(f, key)))
            counts.update({v: 0 for v in chosen if v not in counts})
            options = [(v, v, counts[v], depth) for v, depth in _ordered_values(shelf, key, counts)]
        found[key] = [Choice(v, label, n, v in chosen, state.toggled(base, key, v), depth)
                      for v, label, n, depth in options if n or v in chosen]
    return found
