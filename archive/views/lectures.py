"""Lecture planning pages (宣讲): plans, the plan editor, adding content, suggestions
and the dashboard (the script, exports and presenter mode are in lecture_outputs).  Thin: each view reads the request, calls
archive.lectures, and renders.  Lecturers, archivists and administrators only.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from archive.access import can_read, current_role
from archive.accounts import role_required
from archive.context import current_context
from archive.lectures import plan_editing, talk_items
from archive.lectures.charts import bar_chart
from archive.lectures.deliveries import dashboard, told_index
from archive.lectures.plan import AUDIENCES, STATUS_LABELS, VENUE_TYPES, LecturePlan
from archive.lectures.review import ReviewedPlan, can_read_photo, review_plan
from archive.lectures.spans import covered_segments
from archive.lectures.talk_items import sections_of
from archive.lectures.talk_suggest import suggest_segments
from archive.lectures.timing import DEFAULT_CHARS_PER_MINUTE, format_clock, format_duration
from archive.numbers import NumberError, number_or, parse_number
from archive.store import StaleEditError

bp = Blueprint("lectures", __name__, url_prefix="/lectures")
speakers_only = role_required("admin", "archivist", "lecturer")
BUILDING = "lecture_building"  # session key: the plan the speaker is working on
STALE = "讲稿已被他人修改，您这次的修改没有保存，请在最新版本上重做。"


@bp.app_context_processor
def lecture_choices() -> dict:
    """Lists the lecture templates offer in their drop-downs."""
    return {"lecture_audiences": AUDIENCES, "lecture_venue_types": VENUE_TYPES, "lecture_statuses": STATUS_LABELS}


bp.add_app_template_filter(format_duration, "duration")
bp.add_app_template_filter(format_clock, "clock")


def _rate() -> float:
    """Speaking rate: LECTURE_CHARS_PER_MINUTE (env ARCHIVE_LECTURE_CHARS_PER_MINUTE, read by archive.config), else 200."""
    value = current_app.config.get("LECTURE_CHARS_PER_MINUTE")
    try:
        rate = float(value or DEFAULT_CHARS_PER_MINUTE)
    except ValueError:
        return DEFAULT_CHARS_PER_MINUTE
    return rate if 0 < rate <= 1000 else DEFAULT_CHARS_PER_MINUTE


def plan_or_404(plan_id: str) -> LecturePlan:
    plan = current_context().lectures.get(plan_id)
    if plan is None:
        abort(404)
    return plan


def review_for_reader(plan: LecturePlan) -> ReviewedPlan:
    context = current_context()
    told = told_index(context.lectures.list_plans(), covered=covered_segments(context.store))
    return review_plan(plan, context.store, current_role(), told, _rate())


def _save(plan: LecturePlan, message: str | None = None) -> bool:
    """Save; on a stale edit tell the user and return False."""
    try:
        current_context().lectures.save(plan, g.user.username)
    except StaleEditError:
        flash(STALE, "error")
        return False
    if message:
        flash(message, "success")
    return True


def _editor(plan_id: str, anchor: str = "") -> Response:
    return redirect(url_for("lectures.edit", plan_id=plan_id) + (f"#{anchor}" if anchor else ""))


@bp.route("/")
@speakers_only
def index():
    """Every plan, newest first, and a form to start a new one."""
    lectures = current_context().lectures
    return render_template("lectures/index.html", plans=lectures.list_plans(), load_errors=lectures.load_errors())


@bp.post("/new")
@speakers_only
def create():
    """Start a new plan from the title, audience and slot."""
    lectures = current_context().lectures
    plan = LecturePlan(id=lectures.new_id(), owner=g.user.username, speakers=[g.user.label])
    try:
        plan_editing.update_details(plan, {**request.form.to_dict(), "speakers": g.user.label, "status": "draft"})
    except plan_editing.PlanError as error:
        flash(str(error), "error")
        return redirect(url_for("lectures.index"))
    plan.title = plan.title or "新讲稿"
    _save(plan, "已新建讲稿。")
    return _editor(plan.id)


@bp.get("/<plan_id>")
@speakers_only
def edit(plan_id: str):
    """The plan editor: occasion, ordered items with times and checks, delivery log."""
    plan = plan_or_404(plan_id)
    session[BUILDING] = plan.id  # 加入讲稿 then offers this plan first
    return render_template("lectures/edit.html", plan=plan, reviewed=review_for_reader(plan))


@bp.post("/<plan_id>/details")
@speakers_only
def details(plan_id: str):
    """Save the occasion: title, theme, audience, venue, date, slot, status."""
    plan = plan_or_404(plan_id)
    plan.version = request.form.get("version", "")  # a form without its version is refused, not waved through
    try:
        plan_editing.update_details(plan, request.form.to_dict())
    except plan_editing.PlanError as error:
        flash(str(error), "error")
        return _editor(plan_id, "details")
    _save(plan, "讲稿信息已保存。")
    return _editor(plan_id)


def _apply_item_form(plan: LecturePlan, form) -> str:
    """Notes, trims, texts, the new order and one action (up/down/remove/accept) from the items form."""
    context = current_context()
    order = [n for n in (number_or(i, -1, -1, 10**6) for i in form.getlist("order")) if n >= 0]
    for index in range(len(plan.items)):
        if f"notes-{index}" in form:
            plan_editing.update_item(
                plan, index, notes=form.get(f"notes-{index}", ""), quote=form.get(f"quote-{index}"),
                trim=plan_editing.parse_trim(form.get(f"trim_first-{index}", ""), form.get(f"trim_last-{index}", "")),
                text=form.get(f"text-{index}"), title=form.get(f"title-{index}"))
    plan_editing.reorder(plan, order)
    verb, _, target = form.get("action", "save").partition(":")
    if number_or(target, -1, -1, 10**6) < 0:
        return "讲稿已保存。"
    target_index = number_or(target, -1, -1, 10**6)
    position = order.index(target_index) if target_index in order else -1
    if verb in ("up", "down"):
        plan_editing.move(plan, position, -1 if verb == "up" else 1)
        return "顺序已调整。"
    if verb == "remove":
        plan_editing.remove(plan, position)
        return "已从讲稿中删除。"
    if verb == "accept":
        plan_editing.accept_current(plan, context.store, position, current_role())
        return "已确认使用修改后的片段。"
    return "讲稿已保存。"


@bp.post("/<plan_id>/items")
@speakers_only
def items(plan_id: str):
    """Save the items form (also sent by the editor script after a drag or keyboard move)."""
    plan = plan_or_404(plan_id)
    plan.version = request.form.get("version", "")  # a form without its version is refused, not waved through
    wants_json = request.headers.get("Accept") == "application/json"
    try:
        message = _apply_item_form(plan, request.form)
        current_context().lectures.save(plan, g.user.username)
    except plan_editing.PlanError as error:
        message, ok = str(error), False
    except StaleEditError:
        message, ok = STALE, False
    else:
        ok = True
    if wants_json:
        saved = current_context().lectures.get(plan_id)
        return jsonify(ok=ok, message=message, version=saved.version if saved else None), (200 if ok else 409)
    flash(message, "success" if ok else "error")
    return _editor(plan_id, "items")


@bp.post("/<plan_id>/text")
@speakers_only
def add_text(plan_id: str):
    """Add the speaker's own words (opening, link, closing)."""
    plan = plan_or_404(plan_id)
    try:
        plan_editing.add_text(plan, request.form.get("title", ""), request.form.get("text", ""))
    except plan_editing.PlanError as error:
        flash(str(error), "error")
        return _editor(plan_id, "add-text")
    _save(plan, "已加入串词。")
    return _editor(plan_id, "items")


@bp.get("/add")
@speakers_only
def choose():
    """'Add to a talk': pick sections, segments, clips and photos of a story, and the plan they go into."""
    context = current_context()
    role = current_role()
    story = context.store.get_story(request.args.get("story", ""))
    if story is None or not can_read(story.meta, role):
        abort(404)
    photos = [m for m in story.media if m.kind == "image" and can_read_photo(story, m, role)]
    recordings = [m for m in story.media if m.kind in ("audio", "video") and can_read_photo(story, m, role)]
    plans = context.lectures.list_plans()  # delivered talks stay listed: they are given again
    chosen_plan = request.args.get("plan") or session.get(BUILDING, "")
    return render_template("lectures/add.html", story=story, photos=photos, recordings=recordings, plans=plans,
                           sections=sections_of(story), chosen_plan=chosen_plan,
                           chosen_segment=request.args.get("segment", ""), chosen_photo=request.args.get("photo", ""))


def _new_plan_from(form) -> LecturePlan:
    plan = LecturePlan(id=current_context().lectures.new_id(), owner=g.user.username)
    plan_editing.update_details(plan, {"title": form.get("new_title", "").strip() or "新讲稿", "speakers": g.user.label,
                                  "audience": form.get("new_audience", ""), "target_minutes": form.get("new_minutes", "")})
    return plan


@bp.post("/add")
@speakers_only
def add():
    """Add the chosen sections, segments, clip and photos to a plan (a new one if asked)."""
    context = current_context()
    role = current_role()
    slug = request.form.get("story", "")
    segments, photos = request.form.getlist("segment"), request.form.getlist("photo")
    sections, clip = request.form.getlist("section"), request.form.get("clip_file", "")
    span = (request.form.get("range_first", ""), request.form.get("range_last", ""))
    if not (segments or photos or sections or clip or all(span)):
        flash("请至少选择一节、一个片段、一段录音或一张照片。", "error")
        return redirect(url_for("lectures.choose", story=slug))
    try:
        plan = _new_plan_from(request.form) if request.form.get("plan") == "new" else None
        plan = plan or plan_or_404(request.form.get("plan", ""))
        for section in sections:
            talk_items.add_section(plan, context.store, slug, section, role)
        for segment in segments:
            plan_editing.add_segment(plan, context.store, slug, segment, role)
        if all(span):
            talk_items.add_range(plan, context.store, slug, *span, role)
        if clip:
            talk_items.add_clip(plan, context.store, slug, clip, request.form.get("clip_in", ""),
                                request.form.get("clip_out", ""), role)
        for photo in photos:
            plan_editing.add_photo(plan, context.store, slug, photo, role)
    except plan_editing.PlanError as error:
        flash(str(error), "error")
        return redirect(url_for("lectures.choose", story=slug))
    _save(plan, f"已加入讲稿《{plan.display_title}》：{len(sections)} 节、{len(segments)} 个片段、"
                f"{1 if clip else 0} 段录音、{len(photos)} 张照片。")
    return _editor(plan.id, "items")


@bp.get("/<plan_id>/suggest")
@speakers_only
def suggest(plan_id: str):
    """Proposed segments for an audience, theme and length, not yet told at the venue."""
    plan = plan_or_404(plan_id)
    context = current_context()
    audience = request.args.get("audience", plan.audience)
    theme = request.args.get("theme", plan.theme)
    try:
        minutes = parse_number(request.args.get("minutes") or str(plan.target_minutes or 20), whole=False)
    except NumberError:
        minutes = float(plan.target_minutes or 20)
    minutes = min(max(minutes, 1), 240)
    reviewed = review_for_reader(plan)
    covered = covered_segments(context.store)
    have = {(i.item.story, segment) for i in reviewed.items if i.item.story for segment in covered(i.item)}
    remaining = max(minutes * 60 - reviewed.total_seconds, 60) / 60
    suggestions = suggest_segments(
        context.store, getattr(context, "search", None), audience=audience, theme=theme, minutes=remaining,
        role=current_role(), venue=plan.venue, told=told_index(context.lectures.list_plans(), covered=covered), exclude=have,
        rate=reviewed.chars_per_minute)
    return render_template("lectures/suggest.html", plan=plan, suggestions=suggestions, audience=audience,
                           theme=theme, minutes=minutes, remaining=remaining)


@bp.post("/<plan_id>/suggest")
@speakers_only
def add_suggested(plan_id: str):
    """Add the suggested segments the speaker kept ticked."""
    plan = plan_or_404(plan_id)
    context = current_context()
    added = 0
    for choice in request.form.getlist("pick"):
        slug, _, segment = choice.partition("#")
        try:
            plan_editing.add_segment(plan, context.store, slug, segment, current_role())
            added += 1
        except plan_editing.PlanError as error:
            flash(str(error), "error")
    if added:
        _save(plan, f"已加入 {added} 个建议片段。")
    return _editor(plan_id, "items")


@bp.post("/<plan_id>/deliver")
@speakers_only
def deliver(plan_id: str):
    """Log a delivery (date, venue, audience size, note) and mark the talk delivered."""
    plan = plan_or_404(plan_id)
    try:
        plan_editing.mark_delivered(plan, request.form.to_dict())
    except plan_editing.PlanError as error:
        flash(str(error), "error")
        return _editor(plan_id, "deliver")
    _save(plan, "已记录本次宣讲。")
    return _editor(plan_id, "log")


@bp.post("/<plan_id>/delete")
@speakers_only
def delete(plan_id: str):
    """Delete a plan file."""
    plan = plan_or_404(plan_id)
    current_context().lectures.delete(plan.id, g.user.username)
    flash(f"已删除讲稿《{plan.display_title}》。", "success")
    return redirect(url_for("lectures.index"))


@bp.get("/dashboard")
@speakers_only
def board():
    """Talks per month, audiences by venue type, most/least/never told stories."""
    context = current_context()
    figures = dashboard(context.lectures.list_plans(), context.store.list_stories(), current_role())
    months = figures.per_month
    span = f"（{months[0][0]} 至 {months[-1][0]}）" if months else ""
    charts = {
        "months": bar_chart(f"每月宣讲场次{span}", [(f"{int(month[5:])}月", count) for month, count in months]),
        "venues": bar_chart("各类场所听众人数", [(kind, listeners) for kind, _talks, listeners in figures.by_venue_type]),
    }
    return render_template("lectures/dashboard.html", figures=figures, charts=charts)
