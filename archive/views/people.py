"""Narrators: the pinyin index and one person's page."""
from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, render_template

from archive.access import can_read_media, current_role
from archive.content_model import SERVICE_FIELDS
from archive.context import current_context
from archive.render import render_markdown
from archive.views.caching import list_page

bp = Blueprint("people", __name__, url_prefix="/people")


def service_rows(service: dict) -> list[tuple[str, str]]:
    """A service record as (label, text) rows, in the declared order with the declared (short) labels."""
    rows = []
    for f in SERVICE_FIELDS:
        value = service.get(f.key)
        if value in (None, "", []):
            continue
        rows.append((f.short_label, "、".join(str(v) for v in value) if isinstance(value, list) else str(value)))
    return rows


@bp.route("/")
def index():
    """Narrators A–Z by pinyin, with portraits."""
    shelf = current_context().catalog.shelf(current_role())

    def render() -> str:
        groups = [(letter, list(items)) for letter, items in groupby(shelf.narrators, key=lambda n: n.letter)]
        return render_template("people/index.html", groups=groups, count=len(shelf.narrators))

    return list_page(shelf, render, names_only=True)  # names, portraits and numbers of interviews


@bp.route("/<slug>")
def show(slug: str):
    """Biography, service record, interviews and photos of one person."""
    role = current_role()
    catalog = current_context().catalog
    person = catalog.person(slug, role)
    if person is None:
        abort(404)
    stories = catalog.stories_of(person, role)
    photos = [m for m in person.media if m.kind == "image" and can_read_media(m, role)]
    for story in stories:
        photos += [m for m in story.media if m.kind == "image" and person.slug in m.people
                   and can_read_media(m, role) and m not in photos]
    return render_template("people/person.html", person=person, stories=stories, photos=photos,
                           biography=render_markdown(person.body), service=service_rows(person.service))
