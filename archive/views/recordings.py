"""Uploading an interview recording to a story (archivists).  The page sends the file as the
raw request body (JavaScript, with the CSRF token in a header), so a 2 GB file streams to disk
and is never parsed into memory; the answer is JSON for that script."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, url_for

from archive.accounts import archivist_required
from archive.context import current_context
from archive.editing import EditError
from archive.recording_uploads import DETAIL_KEYS, MAX_RECORDING_BYTES, add_recording
from archive.safe_write import StorageError
from archive.segments import format_seconds
from archive.store import StaleEditError
from archive.uploads import UploadRefused
from archive.views.storage import not_saved

bp = Blueprint("recordings", __name__, url_prefix="/edit")
bp.add_app_template_filter(format_seconds, "format_seconds")


def _limit() -> int:
    return int(current_app.config.get("RECORDING_MAX_BYTES", MAX_RECORDING_BYTES))


def _story_or_404(slug: str):
    story = current_context().store.get_story(slug)
    if story is None:
        abort(404)
    return story


@bp.route("/story/<slug>/recordings")
@archivist_required
def page(slug: str):
    """The story's recordings and the upload form."""
    story = _story_or_404(slug)
    recordings = [m for m in story.media if m.kind in ("audio", "video")]
    return render_template("recordings/upload.html", story=story, recordings=recordings,
                           limit_gb=_limit() / 1073741824, base_version=story.version)


@bp.route("/story/<slug>/recordings", methods=["PUT"])
@archivist_required
def upload(slug: str):
    """Receive one recording as the request body; name and details come in the query string."""
    context = current_context()
    story = _story_or_404(slug)
    request.max_content_length = _limit() + 1  # the app-wide limit is for forms; this route streams
    details = {key: request.args.get(key, "").strip() for key in DETAIL_KEYS}
    name = request.args.get("name", "").strip()[:200]
    try:
        saved = add_recording(context.editor, context.store, story, request.stream, name, request.content_length,
                              details, g.user.username, request.args.get("base_version") or None, _limit())
    except UploadRefused as refused:
        return jsonify(error=f"{refused.name}：{refused.message}。录音没有保存。"), refused.status
    except EditError as error:
        return jsonify(error="；".join(error.errors.values())), 400
    except StaleEditError:
        return jsonify(error="上传期间这篇故事已被他人修改，录音没有保存。请刷新页面后重新上传。"), 409
    except StorageError as error:
        return jsonify(error=not_saved(error)), error.status
    return jsonify(saved=saved.meta["media"][-1], version=saved.version,
                   story=url_for("stories.show", slug=slug), desk=url_for("desk.page", slug=slug))
