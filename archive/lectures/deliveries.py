"""Where stories were told: the delivery logs of all plans, read as history.

Every `deliveries:` entry of a plan means each story segment in that plan was
told on that date at that venue.  From this the editor warns about repeats
at a venue, suggestions skip them, and the dashboard counts talks, audiences
and stories.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from archive.access import can_read
from archive.lectures.plan import LecturePlan
from archive.models import Story


def venue_key(venue: str) -> str:
    """Normalise a venue name so '红星小学 ' and '红星小学' are the same place."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", venue)).casefold()


@dataclass(frozen=True)
class Telling:
    """One segment told once."""

    plan_id: str
    date: str
    venue: str
    venue_key: str


def told_index(plans: list[LecturePlan]) -> dict[tuple[str, str], list[Telling]]:
    """(story slug, segment id) -> every time it was told."""
    told: dict[tuple[str, str], list[Telling]] = defaultdict(list)
    for plan in plans:
        for delivery in plan.deliveries:
            venue = delivery.venue or plan.venue
            for item in plan.items:
                if item.kind == "segment":
                    told[(item.story, item.segment)].append(Telling(plan.id, delivery.date, venue, venue_key(venue)))
    return dict(told)


def told_at(told: dict[tuple[str, str], list[Telling]], venue: str) -> set[tuple[str, str]]:
    """Segments already told at this venue."""
    here = venue_key(venue)
    return {key for key, times in told.items() if any(t.venue_key == here for t in times)}


@dataclass
class StoryCount:
    """A story and how many talks told it."""

    slug: str
    title: str
    count: int


@dataclass
class Dashboard:
    """The figures the district asks for."""

    talks: int
    listeners: int
    per_month: list[tuple[str, int]]  # (YYYY-MM, talks), oldest first
    by_venue_type: list[tuple[str, int, int]]  # (venue type, talks, listeners), most listeners first
    by_audience: list[tuple[str, int]]  # (audience, talks)
    most_told: list[StoryCount]
    least_told: list[StoryCount]
    never_told: list[StoryCount]


def _months(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last inclusive (so empty months show as zero)."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def dashboard(plans: list[LecturePlan], stories: list[Story], role: str | None, limit: int = 10) -> Dashboard:
    """Talks per month, audiences by venue type, most/least/never told stories the reader may see."""
    per_month: Counter[str] = Counter()
    talks_by_type: Counter[str] = Counter()
    listeners_by_type: Counter[str] = Counter()
    by_audience: Counter[str] = Counter()
    story_talks: Counter[str] = Counter()
    for plan in plans:
        story_slugs = {item.story for item in plan.items if item.story}
        for delivery in plan.deliveries:
            if re.match(r"^\d{4}-\d{2}", delivery.date):
                per_month[delivery.date[:7]] += 1
            venue_type = delivery.venue_type or plan.venue_type or "其他"
            talks_by_type[venue_type] += 1
            listeners_by_type[venue_type] += delivery.audience_size
            by_audience[delivery.audience or plan.audience or "未注明"] += 1
            story_talks.update(story_slugs)
    months = _months(min(per_month), max(per_month)) if per_month else []
    readable = [s for s in stories if can_read(s.meta, role)]
    counts = [StoryCount(s.slug, s.title, story_talks.get(s.slug, 0)) for s in readable]
    told = sorted((c for c in counts if c.count), key=lambda c: (-c.count, c.slug))
    return Dashboard(
        talks=sum(talks_by_type.values()),
        listeners=sum(listeners_by_type.values()),
        per_month=[(m, per_month.get(m, 0)) for m in months],
        by_venue_type=sorted(((t, talks_by_type[t], listeners_by_type[t]) for t in talks_by_type),
                             key=lambda row: (-row[2], -row[1], row[0])),
        by_audience=by_audience.most_common(),
        most_told=told[:limit],
        least_told=sorted(told, key=lambda c: (c.count, c.slug))[:limit],
        never_told=[c for c in counts if not c.count],
    )
