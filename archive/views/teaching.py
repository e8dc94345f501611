"""Teachers' pages: the pinyin reading mode, the lesson sheet, the exhibit booklet and
the honour wall on a lobby screen.  Views parse, call the services, render."""
from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from archive.access import can_read_media, current_role
from archive.context import current_context
from archive.honour_wall import wall_entries
from archive.lessons import TeachingNotes, chosen_segments, commentary, qr_svg, sheet_photos
from archive.models import Story
from archive.pinyin_reading import ruby_html
from archive.render import render_markdown, render_transcript
from archive.views.files import media_url
from archive.views.links import external_url

bp = Blueprint("teaching", __name__)

WALL_REFRESH_SECONDS = 300
WALL_SLIDE_SECONDS = 12


def _readable_story(slug: str) -> Story:
    story = current_context().catalog.story(slug, current_role())
    if story is None:
        abort(404)
    return story


def _photos(story: Story) -> list:
    role = current_role()
    denied = current_context().catalog.shelf(role).media_denied
    return [m for m in story.media if m.kind == "image" and m.file not in denied and can_read_media(m, role)]


@bp.route("/stories/<slug>/read")
def reading(slug: str):
    """A story with pinyin over the characters, larger type and line spacing (prints too)."""
    story = _readable_story(slug)
    root = current_context().store.root
    segments = [dataclasses.replace(s, html=ruby_html(s.html, root), title=ruby_html(s.title, root) if s.title else None)
                for s in render_transcript(story.body)]
    return render_template("teaching/reading.html", story=story, segments=segments,
                           title_ruby=ruby_html(story.title, root))


@bp.route("/stories/<slug>/lesson")
def lesson(slug: str):
    """A printable lesson sheet: chosen segments, notes, questions, photos and a QR code."""
    story = _readable_story(slug)
    rendered = render_transcript(story.body)
    url = external_url("stories.show", slug=story.slug)
    return render_template("teaching/lesson.html", story=story, notes=TeachingNotes.from_meta(story.meta),
                           segments=chosen_segments(story, rendered, request.args.getlist("segment")),
                           all_segments=rendered, photos=sheet_photos(_photos(story)), url=url,
                           qr=qr_svg(url, story.title))


@bp.route("/collections/<slug>/booklet")
def booklet(slug: str):
    """A collection as an exhibit booklet: introduction, then each story with the curator's commentary."""
    role = current_role()
    catalog = current_context().catalog
    found = catalog.collection(slug, role)
    if found is None:
        abort(404)
    meta = found.meta
    url = external_url("browse.collection", slug=slug)
    return render_template("teaching/booklet.html", collection=found, notes=TeachingNotes.from_meta(meta),
                           commentary=commentary(meta), introduction=render_markdown(found.introduction),
                           url=url, qr=qr_svg(url, found.title))


def _wall_entries():
    public = current_context().catalog.shelf(None)  # only public material, whoever is signed in
    return wall_entries(public, request.args.getlist("honour") or None, request.args.get("collection") or None)


@bp.route("/wall/")
def wall():
    """The honour wall for a lobby screen: full screen, large type, no login, cycling by itself."""
    entries = _wall_entries()
    return render_template("teaching/wall.html", entries=entries, slide_seconds=WALL_SLIDE_SECONDS,
                           refresh_seconds=WALL_REFRESH_SECONDS, query=request.query_string.decode("latin-1"))


@bp.route("/wall/items.json")
def wall_items():
    """The wall's narrators as JSON, fetched again every few minutes by the screen."""
    return jsonify([{
        "slug": e.slug, "name": e.name, "honours": list(e.honours), "citation": e.citation,
        "story_title": e.story_title, "seconds": e.seconds,
        "url": url_for("stories.show", slug=e.story, _anchor=e.anchor),
        "portrait_url": media_url("web", e.portrait) if e.portrait else url_for("static", filename="favicon.svg"),
        "qr_url": url_for("teaching.wall_qr", slug=e.slug),
    } for e in _wall_entries()])


@bp.route("/wall/qr/<slug>.svg")
def wall_qr(slug: str):
    """The QR code of a wall narrator's story (only for narrators the wall shows)."""
    entry = next((e for e in _wall_entries() if e.slug == slug), None)
    if entry is None:
        abort(404)
    svg = qr_svg(external_url("stories.show", slug=entry.story), entry.story_title)
    body = str(svg) if "xmlns=" in svg else str(svg).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return Response(body, mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
