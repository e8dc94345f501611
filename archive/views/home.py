"""The home page: what the archive holds at a glance, and where to start reading."""
from __future__ import annotations

from flask import Blueprint, render_template

from archive.access import current_role
from archive.context import current_context

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Figures, entry points by war, honour, theme and place, collections and newest stories."""
    catalog = current_context().catalog
    role = current_role()
    return render_template(
        "home.html",
        stats=catalog.stats(role),
        conflicts=catalog.facet("conflict", role),
        honors=catalog.facet("honor", role)[:8],
        tags=catalog.facet("tag", role)[:12],
        places=catalog.facet("place", role)[:8],
        collections=catalog.collections(role),
        newest=catalog.newest(role),
    )


@bp.route("/ping")
def ping():
    """A trivial route: the baseline of the web benchmark and a health check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
