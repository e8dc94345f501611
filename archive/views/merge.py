"""The conflict page: a save made on a stale copy is merged three ways (the version the
archivist opened, the one saved meanwhile, the one submitted) and shown for confirmation.
Changes to different paragraphs or fields are merged and marked; overlapping ones are
shown side by side with an explicit choice.  Nothing is saved until the archivist
confirms; a save that lands in between makes the page ask again."""
from __future__ import annotations

import base64
import binascii

from flask import abort, flash, g, redirect, render_template, request, url_for

from archive.context import current_context
from archive.frontmatter import FrontMatterError
from archive.merging import CHOICES, FIELD_LABELS, StoryMerge, shown_value
from archive.models import Story
from archive.safe_write import StorageError
from archive.store import StaleEditError
from archive.views.storage import not_saved


def conflict_page(current: Story, opened_version: str, mine_text: str, notice: str = "",
                  errors: list[str] | None = None, refused: StorageError | None = None):
    """The merge of `mine_text` (made on `opened_version`) with `current`, for confirmation (409;
    422 when choices are missing; the storage's status when it refused the merged text)."""
    mine = Story.from_text(current.slug, mine_text)
    merge = current_context().editor.open_merge(current, opened_version, mine)
    status = refused.status if refused else 422 if errors else 409
    return render_template("edit/conflict.html", slug=current.slug, current=current, merge=merge,
                           opened_version=opened_version, mine_text=packed(mine_text), choices=CHOICES, labels=FIELD_LABELS,
                           chosen=request.form if errors else {}, shown=shown_value, notice=notice,
                           missing=set(errors or ()), refused=not_saved(refused) if refused else None), status


def packed(text: str) -> str:
    """The submitted file carried through the page untouched (and unshown): base64 of its UTF-8."""
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii")


def _unpacked(value: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(value.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None


def _choices() -> dict[str, str]:
    return {key: value for key, value in request.form.items() if key.startswith(("body-", "field-"))}


def merge_view(slug: str):
    """Save the merge the archivist confirmed (POST from the conflict page)."""
    context = current_context()
    current = context.store.get_story(slug)
    if current is None:
        abort(404)
    opened = request.form.get("opened_version", "")
    mine_text = _unpacked(request.form.get("mine_text", ""))
    try:
        mine = Story.from_text(slug, mine_text or "")
    except FrontMatterError:
        mine_text = None
    if not mine_text:
        abort(400)
    if request.form.get("theirs_version") != current.version:
        return conflict_page(current, opened, mine_text, notice="您确认之前又有人保存了新的版本，下面已按最新版本重新合并，请再确认一次。")
    merge: StoryMerge = context.editor.open_merge(current, opened, mine)
    missing = merge.missing_choices(_choices())
    if missing:
        return conflict_page(current, opened, mine_text, errors=missing)
    try:
        context.editor.save_merge(current, merge, _choices(), mine_text, g.user.username,
                                  request.form.get("message", ""))
    except StaleEditError as error:
        return conflict_page(error.current or current, opened, mine_text,
                             notice="您确认之前又有人保存了新的版本，下面已按最新版本重新合并，请再确认一次。")
    except StorageError as error:
        return conflict_page(current, opened, mine_text, refused=error)
    flash("已保存合并后的版本：双方的修改都已写入。", "info")
    notice = context.editor.searchable_notice(slug)
    if notice:
        flash(notice, "info")
    return redirect(url_for("edit.edit_story", slug=slug))
