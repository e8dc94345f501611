"""Version history pages of stories and people: who, when, message, a readable diff,
and restoring any version (archivists only)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from archive import vocabularies
from archive.accounts import archivist_required
from archive.config import DEFAULT_TIMEZONE
from archive.context import current_context
from archive.local_time import shown_time
from archive.versions import readable_diff

bp = Blueprint("history", __name__, url_prefix="/edit")


@bp.app_template_filter("local_time")
def local_time(at: object) -> str:
    """A stored UTC time in the archive's time zone (TIMEZONE)."""
    return shown_time(at, current_app.config.get("TIMEZONE") or DEFAULT_TIMEZONE)
KINDS = {"story": "stories", "person": "people"}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


def _record(kind: str, slug: str):
    store = current_context().store
    return store.get_story(slug) if kind == "story" else store.get_person(slug)


@bp.route("/<kind>/<slug>/history")
@archivist_required
def versions(kind: str, slug: str):
    """Every kept version of one story or person, newest first."""
    folder = _kind(kind)
    record = _record(kind, slug)
    kept = current_context().history.versions(folder, slug)
    if record is None and not kept:
        abort(404)
    return render_template("edit/history.html", kind=kind, slug=slug, record=record, versions=kept,
                           current=record.version if record else None)


@bp.route("/<kind>/<slug>/history/<version>")
@archivist_required
def show_version(kind: str, slug: str, version: str):
    """One version: its text and what changed from the version before it."""
    folder = _kind(kind)
    history = current_context().history
    entry = next((v for v in history.versions(folder, slug) if v.version == version), None)
    text = history.text(folder, slug, version)
    if entry is None or text is None:
        abort(404)
    previous = history.previous(folder, slug, entry.number)
    before = history.text(folder, slug, previous.version) if previous else ""
    record = _record(kind, slug)
    return render_template("edit/version.html", kind=kind, slug=slug, entry=entry, text=text,
                           previous=previous, diff=readable_diff(before or "", text),
                           is_current=record is not None and record.version == version)


@bp.route("/<kind>/<slug>/restore/<version>", methods=["POST"])
@archivist_required
def restore(kind: str, slug: str, version: str):
    """Make an old version current again (itself a new version in the history)."""
    folder = _kind(kind)
    try:
        current_context().editor.restore(folder, slug, version, g.user.username)
    except KeyError:
        abort(404)
    flash(f"已恢复到 {version[:8]} 版本；恢复前的版本仍保留在历史中。", "info")
    return redirect(url_for("history.versions", kind=kind, slug=slug))


@bp.route("/vocabularies", methods=["GET", "POST"])
@archivist_required
def edit_vocabularies():
    """The controlled lists (conflicts, honours, audiences) as editable text."""
    context = current_context()
    root = context.paths.root
    if request.method == "POST":
        for name in vocabularies.FILES:
            if name in request.form:
                terms = vocabularies.save_terms(root, name, request.form[name])
                context.audit.record(g.user.username, "vocabulary.save", f"vocabularies/{name}",
                                     terms=len(terms))
                context.editor.notify([vocabularies.vocabulary_path(root, name)], g.user.username,
                                      "vocabulary.save")  # fixity manifest and git follow every write
        flash("词表已保存。", "info")
        return redirect(url_for("history.edit_vocabularies"))
    texts = {name: "\n".join(vocabularies.load_terms(root, name)) for name in vocabularies.FILES}
    return render_template("edit/vocabularies.html", texts=texts, labels=vocabularies.LABELS)
