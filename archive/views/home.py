"""The home page: what the archive holds at a glance, and where to start reading."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory

from archive.access import current_role
from archive.context import current_context
from archive.filters import LENGTHS
from archive.views.caching import list_page

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Figures, entry points by war, honour, theme and place, collections and newest stories."""
    shelf = current_context().catalog.shelf(current_role())

    def render() -> str:
        return render_template(
            "home.html",
            stats=shelf.stats(),
            conflicts=shelf.facet("conflict"),
            audiences=shelf.facet("audience"),
            lengths=LENGTHS,
            honors=shelf.facet("honor")[:8],
            tags=shelf.facet("tag")[:12],
            places=shelf.facet("place")[:8],
            collections=list(shelf.collections.values()),
            featured=shelf.featured(),
        )

    return list_page(shelf, render, shelf.hours)  # the hours it shows too


@bp.route("/favicon.ico")
def favicon():
    """The site's icon where browsers look for it (the pages also name it in <head>)."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.route("/ping")
def ping():
    """A trivial route: the baseline of the web benchmark and a health check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
