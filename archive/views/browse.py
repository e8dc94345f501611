"""Browsing: the filtered story list (one filter bar for every way in), wars, honours,
topics, audiences and places, the timeline, and collections."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from archive.access import current_role
from archive.context import current_context
from archive.filters import LABELS, SORTS, choices, filtered, parse_filters
from archive.lessons import commentary
from archive.models import Story
from archive.render import render_markdown
from archive.story_facts import StoryFacts
from archive.views.caching import list_page, request_shelf
from archive.views.links import story_href
from archive.views.paging import paged

bp = Blueprint("browse", __name__)

KINDS = {"conflict": "战争", "honor": "荣誉", "tag": "主题", "place": "地点", "audience": "适合对象",
         "narrator": "讲述人", "topic": "主题", "era": "所讲年代"}
FILTER_OF_KIND = {"conflict": "conflict", "tag": "topic", "topic": "topic", "place": "place",
                  "audience": "audience", "narrator": "narrator", "era": "era"}


@bp.app_template_filter("facts")
def story_facts(story: Story | str) -> StoryFacts | None:
    """What the reader can tell about a story (or a slug) at a glance: the badges on its card."""
    slug = story if isinstance(story, str) else story.slug
    return request_shelf().facts.get(slug)


def filtered_list(preset: dict[str, list[str]] | None = None, title: str = "全部故事"):
    """The story list under the shared filter bar (all stories, or one way in with its value preset)."""
    shelf = current_context().catalog.shelf(current_role())
    state = parse_filters(request.args, preset)
    base = f"{request.script_root}/stories/"
    return list_page(shelf, lambda: render_template(
        "browse/filtered.html", title=title, state=state, labels=LABELS, sorts=SORTS,
        choices=choices(shelf, state, base), base=base, stories=paged(filtered(shelf, state))))


@bp.route("/browse/")
def index():
    """Every way in: wars, honours, the topic tree, places, audiences."""
    shelf = current_context().catalog.shelf(current_role())

    def render() -> str:
        facets = [(kind, KINDS[kind], shelf.facet(kind)) for kind in ("conflict", "honor", "place", "audience")]
        topics = choices(shelf, parse_filters(MultiDict()), f"{request.script_root}/stories/")["topic"]
        return render_template("browse/index.html", facets=facets, topics=topics, tree=shelf.topic_tree)

    return list_page(shelf, render, names_only=True)  # counts by war, honour, place, audience, topic


@bp.route("/browse/<kind>/")
def values(kind: str):
    """All values of one kind (e.g. every war) with their story counts."""
    if kind not in KINDS or kind in ("narrator", "topic", "era"):
        abort(404)
    values = current_context().catalog.facet(kind, current_role())
    return render_template("browse/values.html", kind=kind, label=KINDS[kind], values=values)


@bp.route("/browse/<kind>/<path:value>")
def stories(kind: str, value: str):
    """Stories with one value (e.g. the War to Resist US Aggression) under the filter bar."""
    if kind not in KINDS:
        abort(404)
    if kind == "honor":
        found = current_context().catalog.stories_with(kind, value, current_role())
        if not found:
            abort(404)
        return render_template("browse/stories.html", kind=kind, label=KINDS[kind], value=value,
                               stories=paged(found))
    shelf = current_context().catalog.shelf(current_role())
    key = FILTER_OF_KIND[kind]
    if key == "topic" and shelf.topic_tree is not None:
        value = shelf.topic_tree.topic_of(value) or value  # an old tag link finds its topic
    if not any(value in getattr(f, key) for f in shelf.facts.values()):
        abort(404)
    return filtered_list({key: [value]}, f"{KINDS[kind]}：{value}")


_TIMELINE_ENTRIES: dict[tuple, Markup] = {}


@bp.app_template_global()
def timeline_entry(story: Story) -> Markup:
    """One story's line on the timeline (link, title, narrators), made once per what it shows:
    a story stands under every year it tells about, 10,000 lines at 2,000 stories."""
    key = (request.script_root, story.slug, story.title, tuple(story.narrators))
    entry = _TIMELINE_ENTRIES.get(key)
    if entry is None:
        if len(_TIMELINE_ENTRIES) > 50_000:
            _TIMELINE_ENTRIES.clear()
        entry = _TIMELINE_ENTRIES[key] = Markup(
            f'<li><a href="{escape(story_href(story.slug))}">{escape(story.title)}</a>'
            f'<span class="muted"> · {escape("、".join(story.narrators))}</span></li>')
    return entry


@bp.route("/timeline/")
def timeline():
    """Stories laid out by the years they tell about (rendered again only when what it shows changed)."""
    role = current_role()
    shelf = current_context().catalog.shelf(role)
    return list_page(shelf, lambda: render_template("timeline.html", decades=shelf.timeline), names_only=True)


@bp.route("/collections/")
def collections():
    """Curated collections (专题)."""
    return render_template("collections/index.html",
                           collections=current_context().catalog.collections(current_role()))


@bp.route("/collections/<slug>")
def collection(slug: str):
    """One collection: its introduction and ordered stories."""
    found = current_context().catalog.collection(slug, current_role())
    if found is None:
        abort(404)
    return render_template("collections/collection.html", collection=found, commentary=commentary(found.meta),
                           introduction=render_markdown(found.introduction))
