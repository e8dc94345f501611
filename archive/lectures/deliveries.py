"""Where stories were told: the delivery logs of all plans, read as history.

Every `deliveries:` entry of a plan dated today or earlier means each story in
that plan was told on that date at that venue; an entry dated in the future is a
scheduled talk, not a delivery.  From this the editor warns about repeats at a
venue, suggestions skip them, and the dashboard counts talks, audiences and
stories.  Venue types and audiences are counted by the archive's vocabularies
(VENUE_TYPES, vocabularies/audiences.txt), so "中学" and "学校" are one kind.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from archive.access import can_read
from archive.lectures.plan import AUDIENCES, VENUE_TYPES, Delivery, LecturePlan, PlanItem
from archive.models import Story

# words in a free-text venue type or venue name -> the vocabulary's venue type
VENUE_WORDS = (("学校", ("学校", "中学", "小学", "大学", "学院", "高中", "初中", "幼儿园", "职校", "技校")),
               ("部队", ("部队", "军营", "武警", "连队", "营区", "舰")),
               ("机关", ("机关", "政府", "委员会", "局", "办公室", "人大", "政协", "党校")),
               ("企业", ("企业", "公司", "工厂", "集团", "厂")),
               ("社区", ("社区", "街道", "村", "居委会", "小区", "养老院", "敬老院")))
OTHER_AUDIENCE = "其他听众"


def venue_type_term(venue_type: str, venue: str = "") -> str:
    """'中学' -> '学校': a venue type (or, failing that, the venue's name) as a VENUE_TYPES term."""
    for text in (venue_type.strip(), venue.strip()):
        if text in VENUE_TYPES:
            return text
        for term, words in VENUE_WORDS:
            if any(word in text for word in words):
                return term
    return "其他"


def audience_term(audience: str, terms: tuple[str, ...] | list[str] = AUDIENCES) -> str:
    """An audience as one of the vocabulary's terms ('其他听众' when it is none of them)."""
    return audience if audience in terms else OTHER_AUDIENCE


def is_work_record(story: Story) -> bool:
    """A record about the archive's own work (工作纪实), not a veteran's story to tell."""
    genre = story.meta.get("genre")
    source = story.meta.get("source")
    return genre == "工作纪实" or (isinstance(source, str) and "工作纪实" in source)


def is_past(delivery: Delivery, today: dt.date) -> bool:
    """Was this delivery given (dated today or earlier)?  A future date is a scheduled talk."""
    return delivery.date[:10] <= today.isoformat()


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


def told_index(plans: list[LecturePlan], today: dt.date | None = None,
               covered: Callable[[PlanItem], list[str]] | None = None) -> dict[tuple[str, str], list[Telling]]:
    """(story slug, segment id) -> every time it was told (future dates are not tellings).

    `covered(item)` names the segments a section, range or clip item spans (see
    review.covered_segments); without it only single-segment items count.
    """
    today = today or dt.date.today()
    told: dict[tuple[str, str], list[Telling]] = defaultdict(list)
    for plan in plans:
        spans = [(item.story, covered(item) if covered else []) for item in plan.items if item.kind != "segment"]
        spans += [(item.story, [item.segment]) for item in plan.items if item.kind == "segment"]
        for delivery in (d for d in plan.deliveries if is_past(d, today)):
            venue = delivery.venue or plan.venue
            for story, segment_ids in spans:
                for segment_id in segment_ids:
                    told[(story, segment_id)].append(Telling(plan.id, delivery.date, venue, venue_key(venue)))
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
    least_told: list[StoryCount]  # stories to tell: fewest talks first, never-told ones included
    never_told: list[StoryCount]
    scheduled: list[tuple[str, str]]  # (date, talk title) of talks still to come


def _months(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last inclusive (so empty months show as zero)."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass
class _Tally:
    per_month: Counter
    talks_by_type: Counter
    listeners_by_type: Counter
    by_audience: Counter
    story_talks: Counter
    scheduled: list


def _tally(plans: list[LecturePlan], today: dt.date, audiences) -> _Tally:
    tally = _Tally(Counter(), Counter(), Counter(), Counter(), Counter(), [])
    for plan in plans:
        story_slugs = {item.story for item in plan.items if item.story}
        for delivery in plan.deliveries:
            if not is_past(delivery, today):
                tally.scheduled.append((delivery.date, plan.display_title))
                continue
            if re.match(r"^\d{4}-\d{2}", delivery.date):
                tally.per_month[delivery.date[:7]] += 1
            venue_type = venue_type_term(delivery.venue_type or plan.venue_type, delivery.venue or plan.venue)
            tally.talks_by_type[venue_type] += 1
            tally.listeners_by_type[venue_type] += delivery.audience_size
            tally.by_audience[audience_term(delivery.audience or plan.audience, audiences)] += 1
            tally.story_talks.update(story_slugs)
        if plan.status == "scheduled" and plan.date and plan.date >= today.isoformat() and not plan.deliveries:
            tally.scheduled.append((plan.date, plan.display_title))
    return tally


def dashboard(plans: list[LecturePlan], stories: list[Story], role: str | None, limit: int = 10,
              today: dt.date | None = None, audiences: tuple[str, ...] | list[str] = AUDIENCES) -> Dashboard:
    """Talks per month, audiences by venue type, most/least/never told stories the reader may see."""
    tally = _tally(plans, today or dt.date.today(), audiences)
    months = _months(min(tally.per_month), max(tally.per_month)) if tally.per_month else []
    readable = [s for s in stories if can_read(s.meta, role)]
    counts = [StoryCount(s.slug, s.title, tally.story_talks.get(s.slug, 0)) for s in readable]
    to_tell = [StoryCount(s.slug, s.title, tally.story_talks.get(s.slug, 0)) for s in readable if not is_work_record(s)]
    told = sorted((c for c in counts if c.count), key=lambda c: (-c.count, c.slug))
    return Dashboard(
        talks=sum(tally.talks_by_type.values()),
        listeners=sum(tally.listeners_by_type.values()),
        per_month=[(m, tally.per_month.get(m, 0)) for m in months],
        by_venue_type=sorted(((t, tally.talks_by_type[t], tally.listeners_by_type[t]) for t in tally.talks_by_type),
                             key=lambda row: (-row[2], -row[1], row[0])),
        by_audience=tally.by_audience.most_common(),
        most_told=told[:limit],
        least_told=sorted(to_tell, key=lambda c: (c.count, c.slug))[:limit],
        never_told=[c for c in to_tell if not c.count],
        scheduled=sorted(tally.scheduled),
    )
