"""The transcription desk: the recording and the transcript side by side for an archivist.
Autosaves and the final save go through the Editor (history, audit, then the file) with the
stale-edit check, so a save never overwrites another archivist's; the result is the ordinary
story file."""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, render_template, request, url_for

from archive.access import can_read_media
from archive.accounts import archivist_required
from archive.context import current_context
from archive.editing import EditError
from archive.safe_write import StorageError
from archive.segments import split_segments
from archive.store import StaleEditError
from archive.transcription import TranscriptTooLarge, save_transcript

bp = Blueprint("desk", __name__, url_prefix="/edit")


def _story_or_404(slug: str):
    story = current_context().store.get_story(slug)
    if story is None:
        abort(404)
    return story


@bp.route("/story/<slug>/desk")
@archivist_required
def page(slug: str):
    """The desk: player, transcript editor, shortcuts, word count and progress."""
    story = _story_or_404(slug)
    recording = next((m for m in story.media if m.kind in ("audio", "video") and can_read_media(m, g.user.role)),
                     None)
    speaker = story.narrators[0] if len(story.narrators) == 1 else "讲述人"
    return render_template("desk/desk.html", story=story, recording=recording, speaker=speaker,
                           duration=(recording.extra.get("duration") if recording else None))


@bp.route("/story/<slug>/desk", methods=["POST"])
@archivist_required
def save(slug: str):
    """Save the transcript (JSON {body, base_version, final}); 409 with nothing written if it moved on."""
    data = request.get_json(silent=True) or {}
    body, base = data.get("body"), data.get("base_version")
    if not isinstance(body, str) or not isinstance(base, str):
        return jsonify(error="请求不完整：缺少文字稿或版本号，没有保存。"), 400
    context = current_context()
    story = _story_or_404(slug)
    try:
        saved = save_transcript(context.editor, story, body, base, g.user.username, bool(data.get("final")))
    except EditError as error:
        return jsonify(error="；".join(error.errors.values())), 400
    except TranscriptTooLarge as error:
        return jsonify(error=str(error)), 413
    except StaleEditError as stale:
        who = "另一位档案员"
        return jsonify(error=f"{who}刚保存了这篇故事，您的文字没有写入（仍在本页，也可下载）。请先下载您的文字，"
                             "再刷新页面合并。", current_version=stale.current.version if stale.current else None), 409
    except StorageError as error:
        return jsonify(error=f"{error.message}，没有保存（文字仍在本页）。"), error.status
    timed = [s.seconds for s in split_segments(saved.body) if s.seconds is not None]
    return jsonify(version=saved.version, segments=len(timed), story=url_for("stories.show", slug=slug))
