"""Suggesting a talk: suitable segments, not yet told at the venue, that fill the slot.

Stories come from the search engine (the theme as a query, searched with the
reader's role so nothing unreadable is found) and from exact matches of the
theme among a story's conflicts, tags and honours.  Stories with content
notes are left out for primary-school audiences, and so are stories whose
archivist-set audience list leaves this audience out.  Segments are taken one
story at a time, round-robin, so a talk draws on several voices.
"""
from __future__ import annotations

from dataclasses import dataclass

from archive.access import can_read
from archive.lectures.deliveries import Telling, is_work_record, told_at
from archive.lectures.plan import is_primary_school
from archive.lectures.timing import plain_text, seconds_for, spoken_chars
from archive.models import Story
from archive.search.api import SearchEngine, SearchRequest
from archive.segments import Segment
from archive.store import ContentStore

MIN_SEGMENT_CHARS = 20
SEARCH_DEPTH = 40


@dataclass
class Suggestion:
    """A segment proposed for the talk, with why and how long."""

    story: Story
    segment: Segment
    seconds: int
    reason: str


def suits(story: Story, audience: str) -> bool:
    """May this story be proposed to this audience (content notes, archivist's audience list)?"""
    if is_primary_school(audience) and story.strings("content_notes"):
        return False
    suited = story.strings("audience")
    return not (audience and suited and audience not in suited)


def _theme_matches(story: Story, theme: str) -> bool:
    wanted = theme.strip().casefold()
    values = story.strings("conflicts") + story.strings("tags") + story.strings("honors")
    return any(wanted == v.casefold() for v in values)


def _candidates(store: ContentStore, engine: SearchEngine | None, theme: str,
                role: str | None) -> list[tuple[Story, str | None, str]]:
    """(story, preferred segment, reason), best first."""
    found: list[tuple[Story, str | None, str]] = []
    seen: set[str] = set()
    if theme.strip() and engine is not None:
        results = engine.search(SearchRequest(query=theme, role=role, per_page=SEARCH_DEPTH))
        for hit in results.hits:
            story = store.get_story(hit.slug)
            if story is not None and hit.slug not in seen:
                seen.add(hit.slug)
                found.append((story, hit.segment, "hit"))
    for story in store.list_stories():
        if story.slug in seen:
            continue
        if not theme.strip():
            found.append((story, None, "audience"))
        elif _theme_matches(story, theme):
            found.append((story, None, "tag"))
    return [c for c in found if can_read(c[0].meta, role) and not is_work_record(c[0])]


def _reason(basis: str, story: Story, segment: Segment, preferred: str | None, theme: str, audience: str,
            told: dict[tuple[str, str], list[Telling]]) -> str:
    """Why this segment is proposed, saying only what is true of it."""
    if basis == "hit":
        why = f"检索“{theme}”命中这一段" if segment.id == preferred else f"同一故事中检索“{theme}”命中了另一段"
    elif basis == "tag":
        why = f"故事标注为“{theme}”"
    elif audience and audience in story.strings("audience"):
        why = f"档案员标注适合{audience}"
    else:
        why = "档案员未限定听众"
    times = len(told.get((story.slug, segment.id), []))
    return why + ("；还没讲过" if not times else f"；已讲过 {times} 次")


def _segment_queue(story: Story, preferred: str | None, skip: set[tuple[str, str]]) -> list[Segment]:
    segments = sorted(story.segments, key=lambda s: s.id != preferred)
    return [s for s in segments if (story.slug, s.id) not in skip
            and spoken_chars(plain_text(s.text)) >= MIN_SEGMENT_CHARS]


def suggest_segments(store: ContentStore, engine: SearchEngine | None, *, audience: str, theme: str,
                     minutes: float, role: str | None, venue: str = "",
                     told: dict[tuple[str, str], list[Telling]] | None = None,
                     exclude: set[tuple[str, str]] | None = None, rate: float = 200) -> list[Suggestion]:
    """Propose segments that suit the audience and theme, skip those told at `venue`, and fill `minutes`."""
    skip = set(exclude or set()) | (told_at(told or {}, venue) if venue else set())
    queues = [(story, (basis, preferred), _segment_queue(story, preferred, skip))
              for story, preferred, basis in _candidates(store, engine, theme, role) if suits(story, audience)]
    target = round(minutes * 60)
    tolerance = max(60, round(target * 0.1))
    chosen: list[Suggestion] = []
    total = 0
    while total < target and any(queue for _story, _reason, queue in queues):
        for story, reason, queue in queues:
            while queue:
                segment = queue.pop(0)
                seconds = seconds_for(spoken_chars(plain_text(segment.text)), rate)
                if total + seconds <= target + tolerance:
                    why = _reason(reason[0], story, segment, reason[1], theme, audience, told or {})
                    chosen.append(Suggestion(story, segment, seconds, why))
                    total += seconds
                    break
            if total >= target:
                break
    return chosen
