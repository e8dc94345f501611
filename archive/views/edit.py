"""Archivists' story pages: new story, edit with stale-edit detection and merge,
publish, takedown, live preview.  Views only parse the request and call the
editing service (`context.editor`).  A save the storage refuses (StorageError)
shows the form again, with everything typed, at 503 or 507."""
from __future__ import annotations

import copy
import re

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for

from archive import vocabularies
from archive.accounts import archivist_required
from archive.content_model import slug_problem, slug_taken
from archive.context import current_context
from archive.editing import ConsentNeeded, EditError, MissingBaseError, SensitiveDataFound, refuse_sensitive
from archive.models import Story
from archive.render import render_transcript
from archive.safe_write import StorageError
from archive.segment_pins import pinned_ids
from archive.sensitive import find_sensitive
from archive.slugs import slug_from_title
from archive.store import StaleEditError, is_valid_slug
from archive.story_form import parse_person_form, parse_story_form, person_form_values, story_form_values
from archive.transcripts import TranscriptError, read_transcript
from archive.views.merge import conflict_page, merge_view
from archive.views.storage import not_saved

bp = Blueprint("edit", __name__, url_prefix="/edit")
bp.add_url_rule("/story/<slug>/merge", "merge", archivist_required(merge_view), methods=["POST"])
NEW_PERSON = "__new__"


def _form_page(template_story: Story | None, values: dict, body: str, errors: dict | None = None,
               warnings: list | None = None, status: int = 200, base_version: str | None = None,
               refused: str | None = None, consent: list[str] | None = None):
    """The story form (new or edit), with everything the archivist typed kept (`refused`: why it was not saved)."""
    context = current_context()
    root = context.paths.root
    stories = context.store.list_stories()
    in_use = {key: sorted({v for s in stories for v in s.strings(key)}) for key in vocabularies.FILES}
    lists = {key: vocabularies.choices(root, key, in_use[key]) for key in vocabularies.FILES}
    return render_template("edit/story_form.html", story=template_story, values=values, body=body,
                           errors=errors or {}, warnings=warnings or [], lists=lists, people=context.store.list_people(),
                           base_version=base_version, new_person=NEW_PERSON, refused=refused,
                           consent=consent), status


def _refused_page(story: Story, error: StorageError, **typed: str):
    """The story's edit page as it is on disk, saying why an action was refused, `typed` kept."""
    values = story_form_values(story.meta) | {"person_choice": ""} | typed
    return _form_page(story, values, story.body, status=error.status, base_version=story.version,
                      refused=not_saved(error))


def _body_from_request(errors: dict[str, str]) -> tuple[str, dict]:
    """The transcript: an uploaded .md/.txt/.docx file if given, else the text box."""
    upload = request.files.get("transcript_file")
    body = request.form.get("body", "").replace("\r\n", "\n")
    if upload is None or not upload.filename:
        return body, {}
    try:
        file_meta, file_body = read_transcript(upload.filename, upload.read())
    except TranscriptError as error:
        errors["transcript_file"] = f"{upload.filename}：{error.message}"
        return body, {}
    return file_body, file_meta


def _confirmed() -> bool:
    """Did the archivist tick 我已核对，仍然保存 (the editor refuses personal data otherwise)?"""
    return bool(request.form.get("confirm_sensitive"))


def _slug_for(title: str) -> str:
    """The typed 编号 (spaces and punctuation as '-'), or one made from the title's pinyin."""
    typed = re.sub(r"[^\w-]+", "-", request.form.get("slug", "").strip()).strip("-_")[:60]
    return typed or slug_from_title(title, lambda slug: current_context().store.story_path(slug).exists())


@bp.route("/")
@archivist_required
def dashboard():
    """Drafts, taken-down stories and the latest changes."""
    context = current_context()
    stories = context.store.list_stories()
    drafts = [s for s in stories if s.meta.get("status") == "draft"]
    taken_down = [s for s in stories if s.meta.get("takedown")]
    changes = context.audit.latest(40)
    return render_template("edit/dashboard.html", drafts=drafts, taken_down=taken_down, changes=changes,
                           stories=stories, people=context.store.list_people())


@bp.route("/new", methods=["GET", "POST"])
@archivist_required
def new_story():
    """Add an interview: narrator (existing or new), metadata, transcript; saved as a draft."""
    if request.method == "GET":
        return _form_page(None, story_form_values({}) | {"person_choice": ""}, "")
    context = current_context()
    meta, errors = parse_story_form(request.form)
    body, file_meta = _body_from_request(errors)
    for key, value in file_meta.items():
        meta.setdefault(key, value)
    values = request.form.to_dict() | story_form_values(meta)
    if not body.strip():
        errors["body"] = "请粘贴文字稿或上传文字稿文件"
    choice = request.form.get("person_choice", "")
    person_meta = None
    if choice == NEW_PERSON:
        person_meta, person_errors = parse_person_form(request.form, prefix="person_")
        errors |= person_errors | _person_slug_errors(request.form.get("person_slug", "").strip())
    slug = _slug_for(str(meta.get("title") or ""))
    errors |= _story_slug_errors(slug)
    if errors:
        return _form_page(None, values, body, errors, [], 422)
    try:
        if person_meta is not None:  # asked before the person is created, so a refusal leaves nothing behind
            refuse_sensitive(Story.new(slug, meta, body), _confirmed())
            person = context.editor.create_person(request.form["person_slug"].strip(), person_meta, "",
                                                  g.user.username, "随访谈新建")
            meta["people"] = [person.slug] + [p for p in meta.get("people", []) if p != person.slug]
        elif choice and context.store.get_person(choice):
            meta["people"] = [choice] + [p for p in meta.get("people", []) if p != choice]
        story = context.editor.create_story(slug, meta, body, g.user.username, request.form.get("message", ""),
                                            confirm_sensitive=_confirmed())
    except SensitiveDataFound as found:
        return _form_page(None, values, body, {}, found.findings, 422)
    except EditError as error:
        return _form_page(None, values, body, error.errors, [], 422)
    except StorageError as error:
        return _form_page(None, values, body, status=error.status, refused=not_saved(error))
    flash(f"《{story.title}》已保存为草稿。", "info")
    return redirect(url_for("edit.edit_story", slug=story.slug))


def _story_slug_errors(slug: str) -> dict[str, str]:
    """An unusable or already used story slug, found before anything is saved."""
    if not is_valid_slug(slug):
        return {"slug": slug_problem()}
    if current_context().store.story_path(slug).exists():
        return {"slug": slug_taken(slug)}
    return {}


def _person_slug_errors(slug: str) -> dict[str, str]:
    """A missing, unusable or already used person slug, found before anything is saved."""
    if not slug:
        return {"person_slug": "请填写人物编号（用于 people/ 文件名）"}
    if not is_valid_slug(slug):
        return {"person_slug": slug_problem("人物编号")}
    if (current_context().store.people_dir / f"{slug}.md").exists():
        return {"person_slug": f"人物编号 {slug} 已存在；已有的人物请在上方列表中选择"}
    return {}


def _story_or_404(slug: str) -> Story:
    story = current_context().store.get_story(slug)
    if story is None:
        abort(404)
    return story


@bp.route("/story/<slug>", methods=["GET", "POST"])
@archivist_required
def edit_story(slug: str):
    """Edit a story; a save made on a stale copy gets the conflict page (409), never overwrites."""
    story = _story_or_404(slug)
    if request.method == "GET":
        values = story_form_values(story.meta) | {"person_choice": ""}
        return _form_page(story, values, story.body, base_version=story.version)
    meta, errors = parse_story_form(request.form, story.meta)
    body, _ = _body_from_request(errors)
    values = request.form.to_dict() | story_form_values(meta)
    base_version = request.form.get("base_version", "")
    if errors:
        return _form_page(story, values, body, errors, [], 422, base_version)
    edited = copy.copy(story)
    edited.meta, edited.body = meta, body
    try:
        saved = current_context().editor.save_story(edited, base_version, g.user.username,
                                                    request.form.get("message", ""), confirm_sensitive=_confirmed())
    except SensitiveDataFound as found:
        return _form_page(story, values, body, {}, found.findings, 422, base_version)
    except StaleEditError as error:
        return conflict_page(error.current or story, base_version, edited.to_text())
    except EditError as error:  # no base version: refused, with everything typed kept
        return _form_page(story, values, body, error.errors, [], 409, story.version,
                          refused=next(iter(error.errors.values())))
    except StorageError as error:
        return _form_page(story, values, body, status=error.status, base_version=base_version,
                          refused=not_saved(error))
    flash("已保存。" if saved.version != story.version else "没有改动。", "info")
    pinned = pinned_ids(edited.body, saved.body)
    if pinned:
        flash(f"有讲稿引用的段落编号已固定（标题后加了 {{#{'}、{#'.join(pinned)}}}），已有的链接和讲稿引用照常可用。", "info")
    _flash_searchable(slug)
    return redirect(url_for("edit.edit_story", slug=slug))


def _flash_searchable(slug: str) -> None:
    """Say when the saved story will be searchable, if the search engine says it is not yet."""
    notice = current_context().editor.searchable_notice(slug)
    if notice:
        flash(notice, "info")


@bp.route("/story/<slug>/publish", methods=["POST"])
@archivist_required
def publish(slug: str):
    """Draft → published; missing consent asks for a confirmation with a reason first (409)."""
    story = _story_or_404(slug)
    try:
        story = current_context().editor.publish(story.slug, g.user.username, request.form.get("consent_reason", ""))
    except ConsentNeeded as needed:
        values = story_form_values(story.meta) | {"person_choice": ""}
        return _form_page(story, values, story.body, status=409, base_version=story.version, consent=needed.problems)
    except StorageError as error:
        return _refused_page(story, error)
    flash(f"《{story.title}》已发布。" + ("（仍处于下架状态，需恢复上架后才可见）" if story.meta.get("takedown") else ""),
          "info")
    return redirect(url_for("edit.edit_story", slug=slug))


@bp.route("/story/<slug>/unpublish", methods=["POST"])
@archivist_required
def unpublish(slug: str):
    """Published → draft."""
    current_context().editor.unpublish(_story_or_404(slug).slug, g.user.username)
    flash("已撤回为草稿。", "info")
    return redirect(url_for("edit.edit_story", slug=slug))


@bp.route("/story/<slug>/takedown", methods=["POST"])
@archivist_required
def takedown(slug: str):
    """Hide a story at once, pending review, with a reason."""
    story = _story_or_404(slug)
    try:
        current_context().editor.takedown(story.slug, g.user.username, request.form.get("reason", ""))
    except EditError as error:
        flash(error.errors["reason"], "error")
        return redirect(url_for("edit.edit_story", slug=slug)), 303
    except StorageError as error:
        return _refused_page(story, error, takedown_reason=request.form.get("reason", ""))
    flash("已下架，读者立即看不到这篇故事。", "info")
    return redirect(url_for("edit.edit_story", slug=slug))


@bp.route("/story/<slug>/reinstate", methods=["POST"])
@archivist_required
def reinstate(slug: str):
    """End a takedown after review."""
    story = _story_or_404(slug)
    try:
        current_context().editor.reinstate(story.slug, g.user.username, request.form.get("note", ""))
    except StorageError as error:
        return _refused_page(story, error, reinstate_note=request.form.get("note", ""))
    flash("已恢复上架。", "info")
    return redirect(url_for("edit.edit_story", slug=slug))


@bp.route("/preview", methods=["POST"])
@archivist_required
def preview():
    """Live preview: the transcript as readers will see it, and any sensitive-data warnings."""
    body = (request.get_json(silent=True) or {}).get("body") if request.is_json else request.form.get("body")
    body = body if isinstance(body, str) else ""
    warnings = [{"label": f.label, "line": f.line, "masked": f.masked} for f in find_sensitive(body)]
    html = render_template("stories/_transcript.html", segments=render_transcript(body), with_tools=False)
    return jsonify(html=html, warnings=warnings)


@bp.route("/person/new", methods=["GET", "POST"])
@archivist_required
def new_person():
    """A narrator's profile on its own (stories can also create one as they are entered)."""
    if request.method == "GET":
        return render_template("edit/person_form.html", person=None, values={}, body="", errors={})
    meta, errors = parse_person_form(request.form)
    slug = request.form.get("person_slug", "").strip()
    errors |= _person_slug_errors(slug)
    body = request.form.get("body", "").replace("\r\n", "\n")
    if errors:
        return render_template("edit/person_form.html", person=None, values=request.form.to_dict(), body=body,
                               errors=errors), 422
    try:
        person = current_context().editor.create_person(slug, meta, body, g.user.username,
                                                        request.form.get("message", ""))
    except EditError as error:
        return render_template("edit/person_form.html", person=None, values=request.form.to_dict(), body=body,
                               errors=error.errors), 422
    except StorageError as error:
        return render_template("edit/person_form.html", person=None, values=request.form.to_dict(), body=body,
                               errors={}, refused=not_saved(error)), error.status
    flash(f"已新建人物档案：{person.name}。", "info")
    return redirect(url_for("edit.edit_person", slug=person.slug))


@bp.route("/person/<slug>", methods=["GET", "POST"])
@archivist_required
def edit_person(slug: str):
    """Edit a narrator's profile and service record (stale edits get a 409 page)."""
    context = current_context()
    person = context.store.get_person(slug)
    if person is None:
        abort(404)
    if request.method == "GET":
        return render_template("edit/person_form.html", person=person, values=person_form_values(person.meta),
                               body=person.body, errors={}, base_version=person.version)
    meta, errors = parse_person_form(request.form, person.meta)
    body = request.form.get("body", "").replace("\r\n", "\n")
    if errors:
        return render_template("edit/person_form.html", person=person, values=request.form.to_dict(), body=body,
                               errors=errors, base_version=request.form.get("base_version")), 422
    edited = copy.copy(person)
    edited.meta, edited.body = meta, body
    try:
        context.editor.save_person(edited, request.form.get("base_version", ""), g.user.username,
                                   request.form.get("message", ""))
    except MissingBaseError as error:
        return render_template("edit/person_form.html", person=person, values=request.form.to_dict(), body=body,
                               errors=error.errors | {"conflict": error.errors["base_version"]},
                               base_version=person.version), 409
    except StaleEditError as error:
        current = error.current
        return render_template("edit/person_form.html", person=current or person, values=request.form.to_dict(),
                               body=body, errors={"conflict": "保存前这份资料已被他人修改。下方保留了您的输入；"
                                                  "请对照当前版本后再次保存。"},
                               base_version=current.version if current else None,
                               theirs=current.source if current else ""), 409
    except StorageError as error:
        return render_template("edit/person_form.html", person=person, values=request.form.to_dict(), body=body,
                               errors={}, base_version=request.form.get("base_version"),
                               refused=not_saved(error)), error.status
    flash("人物资料已保存。", "info")
    return redirect(url_for("edit.edit_person", slug=slug))
