"""Uploading photos to a story (several at once) and the archivist-only originals.  An upload
or a change the storage refuses (StorageError) shows the page again with what was typed."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for

from archive.accounts import archivist_required
from archive.context import current_context
from archive.editing import MissingBaseError
from archive.safe_write import StorageError
from archive.store import StaleEditError
from archive.story_form import split_terms
from archive.uploads import (
    DETAIL_NAMES,
    MAX_BYTES,
    MAX_PIXELS,
    TEXT_KEYS,
    PhotoUpload,
    UploadRefused,
    add_photos,
    change_photo,
)
from archive.views.storage import not_saved

bp = Blueprint("upload", __name__, url_prefix="/edit")
ROWS = 4


def _details(suffix: str) -> dict:
    details = {key: request.form.get(f"{key}-{suffix}", "").strip() for key in DETAIL_NAMES}
    details["people"] = split_terms(request.form.get(f"people-{suffix}", ""))
    return details


def _uploads_from_request() -> list[PhotoUpload]:
    """Files chosen together (sharing one description) and files described one by one."""
    shared = _details("batch")
    uploads = [PhotoUpload(upload.filename, upload.read(), dict(shared))
               for upload in request.files.getlist("photos") if upload.filename]
    for row in range(ROWS):
        upload = request.files.get(f"photo-{row}")
        if upload is not None and upload.filename:
            uploads.append(PhotoUpload(upload.filename, upload.read(), _details(str(row))))
    return uploads


def _page(story, errors: list[str] | None = None, status: int = 200, typed: dict | None = None,
          changed: dict | None = None):
    """The photos page; `typed` refills the upload rows, `changed` ({row, typed}) one photo's details."""
    limit_mb = current_app.config.get("UPLOAD_MAX_BYTES", MAX_BYTES) / 1048576
    return render_template("edit/photos.html", story=story, rows=range(ROWS), errors=errors or [],
                           limit_mb=limit_mb, base_version=story.version, typed=typed or {},
                           changed=changed), status


@bp.route("/story/<slug>/photos", methods=["GET", "POST"])
@archivist_required
def photos(slug: str):
    """The story's photos and a form to add several at once."""
    context = current_context()
    story = context.store.get_story(slug)
    if story is None:
        abort(404)
    if request.method == "GET":
        return _page(story)
    uploads = _uploads_from_request()
    if not uploads:
        return _page(story, ["请至少选择一张照片。"], 400)
    config = current_app.config
    try:
        saved = add_photos(context.editor, context.store, story, uploads, g.user.username,
                           request.form.get("base_version") or None,
                           config.get("UPLOAD_MAX_BYTES", MAX_BYTES), config.get("UPLOAD_MAX_PIXELS", MAX_PIXELS))
    except UploadRefused as refused:
        message = f"{refused.name}：{refused.message}。这一批照片都没有保存，请去掉或更换这个文件后重新上传。"
        return _page(story, [message], refused.status)
    except StaleEditError:
        return _page(context.store.get_story(slug) or story,
                     ["上传期间这篇故事已被他人修改，照片没有保存。请重新上传。"], 409)
    except MissingBaseError as error:
        return _page(story, [error.errors["base_version"]], 409)
    except StorageError as error:
        return _page(story, [f"{not_saved(error)}照片文件需要重新选择。"], error.status, typed=request.form.to_dict())
    flash(f"已添加 {len(uploads)} 张照片。", "info")
    return redirect(url_for("upload.photos", slug=saved.slug))


@bp.route("/story/<slug>/photos/<int:index>", methods=["POST"])
@archivist_required
def change(slug: str, index: int):
    """Correct one photo's details, or take it off the story."""
    context = current_context()
    story = context.store.get_story(slug)
    if story is None:
        abort(404)
    details = None
    if request.form.get("action") != "remove":
        details = {key: request.form.get(key, "").strip() for key in TEXT_KEYS + ("access",)}
        details["people"] = split_terms(request.form.get("people", ""))
    try:
        change_photo(context.editor, story, index, details, g.user.username, request.form.get("base_version") or None)
    except KeyError:
        abort(404)
    except UploadRefused as refused:
        return _page(story, [f"{refused.name}：{refused.message}"], 400)
    except StaleEditError:
        return _page(context.store.get_story(slug) or story,
                     ["这篇故事刚被他人修改，您的改动没有保存。请在下面重新修改。"], 409)
    except MissingBaseError as error:
        return _page(story, [error.errors["base_version"]], 409)
    except StorageError as error:
        return _page(story, [not_saved(error)], error.status, changed={"row": index, "typed": request.form.to_dict()})
    flash("照片已从故事中移除（文件仍保留，可在修改历史中恢复）。" if details is None else "照片说明已保存。", "info")
    return redirect(url_for("upload.photos", slug=slug))


@bp.route("/original/<path:name>")
@archivist_required
def original(name: str):
    """An original file from media/, exactly as uploaded (with its metadata): archivists only."""
    context = current_context()
    path = context.store.media_path(name)
    if path is None:
        abort(404)
    context.audit.record(g.user.username, "media.original", f"media/{name}")  # originals may carry GPS
    response = send_file(path, as_attachment=True, download_name=path.name, conditional=True)
    response.headers["Cache-Control"] = "private, no-store"
    return response
