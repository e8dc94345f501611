"""The home page."""
from __future__ import annotations

from flask import Blueprint, render_template

from archive.context import current_context

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """What the archive holds, at a glance."""
    stories = current_context().store.list_stories()
    return render_template("home.html", stories=stories)
