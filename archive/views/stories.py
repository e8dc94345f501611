"""Story pages: the list of all stories, one story, and its printable card."""
from __future__ import annotations

import datetime as dt
import os
import time
from collections import OrderedDict

from flask import Blueprint, abort, render_template

from archive.access import can_read_media, current_role, readable_levels
from archive.context import current_context
from archive.interview_index import interview_index
from archive.models import Story
from archive.render import render_transcript
from archive.segment_labels import plain_text, segment_label
from archive.segments import format_seconds
from archive.story_facts import story_seconds
from archive.views.caching import cached_page, file_stamp, request_shelf
from archive.views.links import external_url, story_href

bp = Blueprint("stories", __name__, url_prefix="/stories")


_RELATED: OrderedDict[tuple, tuple[float, list[str]]] = OrderedDict()
RELATED_SECONDS = 300  # how long a list of related stories is reused (it is re-checked for access every time)


def related_stories(story: Story, role: str | None, limit: int = 5) -> list[Story]:
    """Stories like this one that the reader may read (from the search engine).

    Every save gives a new shelf and so a new rendering of every story page; asking the index
    again each time cost 35 ms a page under load, so the slugs are kept for RELATED_SECONDS per
    story version, reader's levels and index generation.  Each is checked with the catalog's
    access rule at every use, so a story that became restricted drops out at once."""
    context = current_context()
    engine = getattr(context, "search", None)
    if engine is None:
        return []
    key = (str(context.paths.root), story.slug, story.version, frozenset(readable_levels(role)), engine.version())
    kept = _RELATED.get(key)
    if kept is None or time.monotonic() - kept[0] > RELATED_SECONDS:
        kept = (time.monotonic(), [hit.slug for hit in engine.related(story.slug, role, limit)])
        _RELATED[key] = kept
        while len(_RELATED) > 4096:
            _RELATED.popitem(last=False)
    found = (context.catalog.story(slug, role) for slug in kept[1])
    return [s for s in found if s is not None and s.slug != story.slug][:limit]


def citation(story: Story) -> str:
    """The "how to cite" line."""
    narrators = "、".join(story.narrators) or "佚名"
    parts = [f"{narrators}口述"]
    if story.interviewers:
        parts.append(f"{'、'.join(story.interviewers)}访谈")
    if story.interviewed:
        parts.append(story.interviewed)
    url = external_url("stories.show", slug=story.slug)
    return (f"{'，'.join(parts)}：《{story.title}》，红色故事 · 老兵口述历史档案，{url}"
            f"（访问日期：{dt.date.today().isoformat()}）。")


def _story_context(story: Story, role: str | None) -> dict:
    allowed = [m for m in story.media if can_read_media(m, role)]
    segments = render_transcript(story.body)
    return {
        "story": story,
        "segments": segments,
        "index": interview_index(story, segments),
        "people": request_shelf().narrator_people(story),
        "photos": [m for m in allowed if m.kind == "image"],
        "recording": next((m for m in allowed if m.kind in ("audio", "video")), None),
        "citation": citation(story),
        "length": format_seconds(story_seconds(story)) if story_seconds(story) else None,
    }


def _version(story: Story, role: str | None, shown: list[Story] = ()) -> tuple[str, float]:
    """What a story page depends on: its file, its media and its people's files, what the reader may
    see of the rest of the archive (the shelf's access stamp: readable stories, profiles, collections
    and media), what it shows of the related stories (`shown`: slug, title, narrators) and the live index generation.  A save that changes only another
    story's words keeps the page, so one archivist's save does not re-render every story page."""
    context = current_context()
    shelf = request_shelf()
    media_dir = str(context.store.media_dir)
    paths = [str(context.store.story_path(story.slug)), *(os.path.join(media_dir, item.file) for item in story.media)]
    stamp, updated = file_stamp(paths)
    people = shelf.narrator_people(story)
    told = "/".join([*(f"{person.slug}:{person.version}" for person in people),  # the narrator cards
                     *(f"{other.slug}:{other.title}:{other.narrators}" for other in shown)])  # what the related list shows
    updated = max([updated, *(record.mtime or 0.0 for record in people)])
    index = context.search.version()  # related stories: a rebuilt index (say, after damage) shows at once
    return f"{shelf.access_stamp}|{stamp}|{told}|{index}", updated


bp.add_app_template_filter(segment_label, "segment_label")
bp.add_app_template_global(story_href, "story_href")
bp.add_app_template_filter(plain_text, "plain_text")


@bp.route("/")
def index():
    """Every story the reader may read, under the shared filter bar (archive.filters)."""
    from archive.views.browse import filtered_list

    return filtered_list()


@bp.route("/<slug>")
def show(slug: str):
    """One story: transcript with segment anchors, player, gallery, narrator card, related stories."""
    role = current_role()
    story = current_context().catalog.story(slug, role)
    if story is None:
        abort(404)

    related = related_stories(story, role)

    def render() -> str:
        return render_template("stories/story.html", related=related, **_story_context(story, role))

    return cached_page(*_version(story, role, related), render)


@bp.route("/<slug>/card")
def card(slug: str):
    """A clean one-story handout for printing on A4."""
    role = current_role()
    story = current_context().catalog.story(slug, role)
    if story is None:
        abort(404)
    return cached_page(*_version(story, role),
                       lambda: render_template("stories/card.html", **_story_context(story, role)))
