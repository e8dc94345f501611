"""The JSON API under /api/: the same stories, people, collections and search the pages
show, for the district's other tools.  Documented in docs/api.md and described at
/api/openapi.json; every answer is filtered by the reader's role exactly like the pages;
every error is JSON (archive.views.api_errors)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request, url_for

from archive.access import can_read_media, current_role
from archive.context import current_context
from archive.exchange.dublin_core import dublin_core
from archive.exchange.openapi import openapi_document
from archive.models import MediaItem, Person, Story
from archive.numbers import number_or
from archive.render import render_markdown, render_transcript
from archive.shelf import story_values, story_years
from archive.views.browse import KINDS
from archive.views.links import external_url
from archive.views.people import service_rows
from archive.views.search import search_request_from_args

bp = Blueprint("api", __name__, url_prefix="/api")

MAX_PER_PAGE = 100


def _media_json(items: list[MediaItem], role: str | None) -> list[dict]:
    shown = []
    for item in items:
        if not can_read_media(item, role):
            continue
        entry = {"file": item.file, "kind": item.kind, "caption": item.caption, "date": item.date,
                 "place": item.place, "credit": item.credit}
        if item.kind == "image":
            entry["thumbnail"] = url_for("files.image", size="thumb", name=item.file)
            entry["image"] = url_for("files.image", size="web", name=item.file)
        elif item.kind in ("audio", "video"):
            entry["recording"] = url_for("files.recording", name=item.file)
        shown.append(entry)
    return shown


def story_summary(story: Story) -> dict:
    """A story as a list entry."""
    return {
        "slug": story.slug, "title": story.title, "narrators": story.narrators,
        "interviewed": story.interviewed, "summary": story.summary,
        "conflicts": story.strings("conflicts"), "honors": story.strings("honors"),
        "tags": story.strings("tags"), "audience": story.strings("audience"),
        "place": story_values(story, "place"), "years": story_years(story),
        "url": external_url("stories.show", slug=story.slug),
        "api": external_url("api.story", slug=story.slug),
    }


def _person_summary(person: Person) -> dict:
    return {"slug": person.slug, "name": person.name, "hometown": person.meta.get("hometown"),
            "born": person.meta.get("born"), "url": external_url("people.show", slug=person.slug),
            "api": external_url("api.person", slug=person.slug)}


def _page_args() -> tuple[int, int]:
    page = request.args.get("page", "1")
    per_page = request.args.get("per_page", "20")
    return number_or(page, 1, 1, 10**6), number_or(per_page, 20, 1, MAX_PER_PAGE)


@bp.route("/stories")
def stories():
    """Readable stories, optionally narrowed by conflict, honor, tag, audience, place or narrator."""
    role = current_role()
    catalog = current_context().catalog
    found = catalog.stories(role)
    for kind in KINDS:
        for value in request.args.getlist(kind):
            matching = {s.slug for s in catalog.stories_with(kind, value, role)}
            found = [s for s in found if s.slug in matching]
    page, per_page = _page_args()
    chosen = found[(page - 1) * per_page: page * per_page]
    return jsonify({"total": len(found), "page": page, "per_page": per_page,
                    "stories": [story_summary(s) for s in chosen]})


@bp.route("/stories/<slug>")
def story(slug: str):
    """One story with its segments (Markdown and sanitized HTML), people and media."""
    role = current_role()
    catalog = current_context().catalog
    found = catalog.story(slug, role)
    if found is None:
        abort(404)
    segments = [{"id": s.id, "title": s.title, "seconds": s.seconds, "timestamp": s.timestamp,
                 "text": s.text, "html": str(s.html)} for s in render_transcript(found.body)]
    return jsonify({**story_summary(found), "interviewer": found.interviewers,
                    "content_notes": found.strings("content_notes"), "sample": found.is_sample,
                    "people": [_person_summary(p) for p in catalog.narrator_people(found, role)],
                    "media": _media_json(found.media, role), "segments": segments,
                    "dublin_core": dublin_core(found, external_url("stories.show", slug=found.slug))})


@bp.route("/people")
def people():
    """Narrators with a profile, in pinyin order."""
    narrators = current_context().catalog.narrators(current_role())
    return jsonify({"people": [{**_person_summary(n.person), "letter": n.letter, "stories": len(n.stories)}
                               for n in narrators if n.person is not None]})


@bp.route("/people/<slug>")
def person(slug: str):
    """One person: biography (Markdown and HTML), service record, stories and photos."""
    role = current_role()
    catalog = current_context().catalog
    found = catalog.person(slug, role)
    if found is None:
        abort(404)
    return jsonify({**_person_summary(found), "aliases": found.aliases,
                    "biography": found.body, "biography_html": str(render_markdown(found.body)),
                    "service": found.service, "service_rows": service_rows(found.service),
                    "stories": [story_summary(s) for s in catalog.stories_of(found, role)],
                    "media": _media_json(found.media, role)})


@bp.route("/collections")
def collections():
    """Curated collections with their ordered story slugs."""
    found = current_context().catalog.collections(current_role())
    return jsonify({"collections": [{"slug": c.slug, "title": c.title, "audience": c.audience,
                                     "stories": [s.slug for s in c.stories]} for c in found]})


@bp.route("/collections/<slug>")
def collection(slug: str):
    """One collection: introduction and stories in order."""
    found = current_context().catalog.collection(slug, current_role())
    if found is None:
        abort(404)
    return jsonify({"slug": found.slug, "title": found.title, "audience": found.audience,
                    "introduction": found.introduction, "stories": [story_summary(s) for s in found.stories]})


@bp.route("/search")
def search():
    """Search: the same query arguments as the search page; answers like `archive search --json`."""
    search_request = search_request_from_args(request.args, current_role())
    per_page = request.args.get("per_page", "")
    if per_page:
        search_request.per_page = number_or(per_page, search_request.per_page, 1, MAX_PER_PAGE)
    return jsonify(current_context().search.search(search_request).to_json())


@bp.route("/stories/<slug>/dc")
def story_dublin_core(slug: str):
    """One readable story's Dublin Core record (the same as OAI-PMH's oai_dc)."""
    found = current_context().catalog.story(slug, current_role())
    if found is None:
        abort(404)
    return jsonify(dublin_core(found, external_url("stories.show", slug=found.slug)))


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of every /api/ route."""
    return jsonify(openapi_document(current_app.config["BASE_URL"]))
