"""Photos and recordings from media/: image derivatives and recordings, each only for
readers allowed to see it.  Originals of photos are never served."""
from __future__ import annotations

from flask import Blueprint, abort, send_file, url_for

from archive.access import can_read_media, current_role
from archive.context import current_context
from archive.media import MediaError, derivative
from archive.models import MediaItem, Story
from archive.views.caching import ONE_YEAR, request_shelf

bp = Blueprint("files", __name__, url_prefix="/media")


def _allowed_path(name: str):
    """The media file if it exists and the reader may see it; 404 otherwise (no hint which)."""
    context = current_context()
    path = context.store.media_path(name)
    if path is None or not context.catalog.media_allowed(name, current_role()):
        abort(404)
    return path


def _cache_control(response, name: str):
    public = current_context().catalog.media_allowed(name, None)
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.public = public or None
    response.cache_control.private = (not public) or None
    response.cache_control.immutable = True
    return response


@bp.route("/<any(thumb, web):size>/<path:name>")
def image(size: str, name: str):
    """A photo scaled for the page ('thumb') or the larger view ('web'), without metadata."""
    path = _allowed_path(name)
    if MediaItem(file=name).kind != "image":
        abort(404)
    try:
        target = derivative(current_context().paths.cache_dir, path, size)
    except MediaError:
        abort(404)
    return _cache_control(send_file(target, mimetype="image/jpeg", conditional=True, max_age=ONE_YEAR), name)


@bp.route("/recording/<path:name>")
def recording(name: str):
    """An interview recording (audio or video), with range requests so the player can seek."""
    path = _allowed_path(name)
    if MediaItem(file=name).kind not in ("audio", "video"):
        abort(404)
    return _cache_control(send_file(path, conditional=True, max_age=ONE_YEAR), name)


@bp.app_template_global()
def media_url(kind: str, name: str) -> str:
    """URL of a photo derivative ('thumb', 'web') or a recording ('recording'), versioned by the file."""
    path = current_context().store.media_path(name)
    version = f"{int(path.stat().st_mtime)}" if path is not None else "0"
    if kind == "recording":
        return url_for("files.recording", name=name, v=version)
    return url_for("files.image", size=kind, name=name, v=version)


@bp.app_template_filter()
def first_photo(story: Story) -> MediaItem | None:
    """The first photo of a story that the reader may see (for story cards), or None."""
    role = current_role()
    return next((m for m in story.media if m.kind == "image" and can_read_media(m, role)), None)


@bp.app_template_filter()
def portrait(person) -> str | None:
    """The media/ name of a person's portrait if the reader may see it (archive.catalog), else None."""
    return request_shelf().visible(person.portrait)
