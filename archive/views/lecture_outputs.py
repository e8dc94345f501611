"""What a talk becomes at the venue: the printable script, the .docx/.pptx/.pdf/.ics
downloads (named after the talk), presenter mode for the projector, and the
one-page story card handed out afterwards (`story_card`, used by stories/card.html).
Thin: each view reviews the plan for the reader (archive.lectures.review) and renders it.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, url_for

from archive.context import current_context
from archive.lectures.exports import Export, ExportError, download_name, export_plan
from archive.lectures.ics_export import plans_ics
from archive.lessons import qr_svg
from archive.models import MediaItem, Story
from archive.story_cards import MORE, card_photo, card_text
from archive.views.lectures import plan_or_404, review_for_reader, speakers_only
from archive.views.links import external_url

bp = Blueprint("lecture_outputs", __name__, url_prefix="/lectures")


@bp.app_template_global()
def story_card(story: Story, photos: list[MediaItem], segment_id: str = "") -> dict:
    """What a one-page story card prints: text cut to fit, one readable photo, QR code to the story online."""
    photo = card_photo(photos)
    text = card_text(story, segment_id, with_photo=photo is not None)
    url = external_url("stories.show", slug=story.slug) + (f"#{text.segment_id}" if text.segment_id else "")
    return {"text": text, "photo": photo, "url": url, "more": MORE, "qr": qr_svg(url, f"《{story.title}》在线全文")}


def attachment(exported: Export) -> Response:
    """A download named after the talk: an ASCII fallback plus the UTF-8 `filename*`."""
    response = Response(exported.data, mimetype=exported.media_type)
    stem, _, suffix = exported.filename.rpartition(".")
    fallback = "".join(ch for ch in stem if ch.isascii() and (ch.isalnum() or ch in "-_")).strip("-_") or "lecture"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}.{suffix}\"; filename*=UTF-8''{quote(exported.filename)}")
    return response


@bp.get("/<plan_id>/script")
@speakers_only
def script(plan_id: str):
    """The printable A4 script with timings, speaker notes and citations."""
    plan = plan_or_404(plan_id)
    return render_template("lectures/script.html", plan=plan, reviewed=review_for_reader(plan))


def _export(plan_id: str, fmt: str) -> Response:
    plan = plan_or_404(plan_id)
    try:
        exported = export_plan(review_for_reader(plan), fmt, current_context().store.media_path)
    except ExportError as error:
        flash(str(error), "error")
        return redirect(url_for("lectures.edit", plan_id=plan_id))
    return attachment(exported)


@bp.get("/<plan_id>/export.docx")
@speakers_only
def export_docx(plan_id: str):
    """The plan as an editable Word document."""
    return _export(plan_id, "docx")


@bp.get("/<plan_id>/export.pptx")
@speakers_only
def export_pptx(plan_id: str):
    """The plan as slides with photos and a key quote per item."""
    return _export(plan_id, "pptx")


@bp.get("/<plan_id>/export.pdf")
@speakers_only
def export_pdf(plan_id: str):
    """The Word script as PDF (converted by LibreOffice)."""
    return _export(plan_id, "pdf")


@bp.get("/<plan_id>/calendar.ics")
@speakers_only
def export_ics(plan_id: str):
    """One scheduled talk as a calendar event."""
    return _export(plan_id, "ics")


@bp.get("/calendar.ics")
@speakers_only
def calendar():
    """Every scheduled talk, for a calendar subscription."""
    data = plans_ics(current_context().lectures.list_plans())
    return attachment(Export(data, download_name("宣讲安排", "ics"), "text/calendar"))


@bp.get("/<plan_id>/present")
@speakers_only
def present(plan_id: str):
    """Presenter mode: the talk one item at a time for the projector, with a private view."""
    plan = plan_or_404(plan_id)
    return render_template("lectures/present.html", plan=plan, reviewed=review_for_reader(plan))
