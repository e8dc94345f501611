"""The writing half of the JSON API: create, update (409 on a stale edit), publish and
take down stories.  Same rules as the forms: archivists only, CSRF header required; the
fields' rules (required, declared kinds) are enforced by the Editor, whose EditError is a 422."""
from __future__ import annotations

import copy

from flask import Blueprint, g, jsonify, request

from archive.accounts import archivist_required
from archive.context import current_context
from archive.editing import ConsentNeeded, EditError, MissingBaseError, SensitiveDataFound
from archive.store import StaleEditError

bp = Blueprint("edit_api", __name__, url_prefix="/api")


def _payload() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _problems(meta, body) -> tuple[dict, int] | None:
    """400 when the request is not shaped as the API says; the fields' rules are the Editor's (422)."""
    if not isinstance(meta, dict) or not isinstance(body, str):
        return {"error": "请求须为 JSON：{\"meta\": {...}, \"body\": \"...\"}"}, 400
    return None


def _refused_sensitive(found: SensitiveDataFound):
    return jsonify(error="文字稿中可能含有个人敏感信息；确认无误后带上 confirm_sensitive: true 重新提交",
                   warnings=[{"kind": f.kind, "label": f.label, "line": f.line, "masked": f.masked}
                             for f in found.findings]), 422


def _saved(story, status: int = 200):
    return jsonify(slug=story.slug, version=story.version, status=story.meta.get("status", "published")), status


@bp.route("/stories/<slug>/source")
@archivist_required
def source(slug: str):
    """The file as it is now: its version (the `base_version` for a PUT), text, front matter and body."""
    story = current_context().store.get_story(slug)
    if story is None:
        return jsonify(error="没有这篇故事"), 404
    return jsonify(slug=story.slug, version=story.version, text=story.source, meta=story.meta, body=story.body)


@bp.route("/stories", methods=["POST"])
@archivist_required
def create_story():
    """{"slug", "meta", "body", "message"} → 201 with the new draft's version."""
    data = _payload()
    meta, body = data.get("meta"), data.get("body")
    problem = _problems(meta, body)
    if problem:
        return jsonify(problem[0]), problem[1]
    try:
        story = current_context().editor.create_story(str(data.get("slug") or ""), meta, body, g.user.username,
                                                      str(data.get("message") or ""),
                                                      confirm_sensitive=bool(data.get("confirm_sensitive")))
    except SensitiveDataFound as found:
        return _refused_sensitive(found)
    except EditError as error:
        return jsonify(error=str(error), fields=error.errors), 422
    return _saved(story, 201)


@bp.route("/stories/<slug>", methods=["PUT"])
@archivist_required
def update_story(slug: str):
    """{"meta", "body", "base_version", "message"} → 200, or 409 with the current text when stale."""
    context = current_context()
    story = context.store.get_story(slug)
    if story is None:
        return jsonify(error="没有这篇故事"), 404
    data = _payload()
    meta, body = data.get("meta"), data.get("body")
    problem = _problems(meta, body)
    if problem:
        return jsonify(problem[0]), problem[1]
    edited = copy.copy(story)
    edited.meta, edited.body = meta, body
    try:
        saved = context.editor.save_story(edited, str(data.get("base_version") or ""), g.user.username,
                                          str(data.get("message") or ""),
                                          confirm_sensitive=bool(data.get("confirm_sensitive")))
    except SensitiveDataFound as found:
        return _refused_sensitive(found)
    except MissingBaseError:
        return jsonify(error="缺少 base_version（读取时的版本号），无法判断是否覆盖了他人的修改"), 428
    except EditError as error:
        return jsonify(error=str(error), fields=error.errors), 422
    except StaleEditError as error:
        current = error.current
        return jsonify(error="保存冲突：这篇故事在您读取之后已被他人修改，您的修改没有保存",
                       current_version=current.version if current else None,
                       current_text=current.source if current else None), 409
    return _saved(saved)


@bp.route("/stories/<slug>/publish", methods=["POST"])
@archivist_required
def publish(slug: str):
    """Draft → published; {"consent_reason"} is required when consent is missing (else 409 with what is missing)."""
    if current_context().store.get_story(slug) is None:
        return jsonify(error="没有这篇故事"), 404
    try:
        story = current_context().editor.publish(slug, g.user.username, str(_payload().get("consent_reason") or ""))
    except ConsentNeeded as needed:
        return jsonify(error="缺少授权，未发布；确认后带上 consent_reason（原因）重新提交", missing=needed.problems), 409
    return _saved(story)


@bp.route("/stories/<slug>/takedown", methods=["POST"])
@archivist_required
def takedown(slug: str):
    """{"reason"} → hidden at once."""
    if current_context().store.get_story(slug) is None:
        return jsonify(error="没有这篇故事"), 404
    try:
        story = current_context().editor.takedown(slug, g.user.username, str(_payload().get("reason") or ""))
    except EditError as error:
        return jsonify(error=str(error)), 422
    return _saved(story)
