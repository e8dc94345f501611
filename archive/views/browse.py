"""Browsing: by conflict, honour, theme, audience and place, the timeline, and collections."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from archive.access import current_role
from archive.context import current_context
from archive.render import render_markdown
from archive.views.paging import paged

bp = Blueprint("browse", __name__)

KINDS = {"conflict": "战争", "honor": "荣誉", "tag": "主题", "place": "地点", "audience": "适合对象",
         "narrator": "讲述人"}


@bp.route("/browse/")
def index():
    """Every way in: wars, honours, themes, places, audiences."""
    catalog = current_context().catalog
    role = current_role()
    facets = [(kind, KINDS[kind], catalog.facet(kind, role)) for kind in ("conflict", "honor", "tag", "place",
                                                                          "audience")]
    return render_template("browse/index.html", facets=facets)


@bp.route("/browse/<kind>/")
def values(kind: str):
    """All values of one kind (e.g. every war) with their story counts."""
    if kind not in KINDS or kind == "narrator":
        abort(404)
    values = current_context().catalog.facet(kind, current_role())
    return render_template("browse/values.html", kind=kind, label=KINDS[kind], values=values)


@bp.route("/browse/<kind>/<path:value>")
def stories(kind: str, value: str):
    """Stories with one value (e.g. the War to Resist US Aggression), in order of events."""
    if kind not in KINDS:
        abort(404)
    found = current_context().catalog.stories_with(kind, value, current_role())
    if not found:
        abort(404)
    return render_template("browse/stories.html", kind=kind, label=KINDS[kind], value=value, stories=paged(found))


@bp.route("/timeline/")
def timeline():
    """Stories laid out by the years they tell about."""
    return render_template("timeline.html", decades=current_context().catalog.timeline(current_role()))


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
    return render_template("collections/collection.html", collection=found,
                           introduction=render_markdown(found.introduction))
