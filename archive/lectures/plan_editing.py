"""Changing a plan: add, reorder, trim, annotate and remove items, log deliveries.

These functions change a `LecturePlan` in memory; the caller saves it with
`LectureStore.save`.  Whatever a user can get wrong raises `PlanError` with a
Chinese message.  Adding story content checks `archive.access.can_read` for
the person adding it, so restricted stories never enter their plans.
"""
from __future__ import annotations

import datetime as dt
import re

from archive.access import can_read, parse_iso_date
from archive.content_model import PLAN_FIELDS, choice_message
from archive.lectures.deliveries import venue_type_term
from archive.lectures.plan import STATUSES, Delivery, LecturePlan, PlanItem, Trim
from archive.lectures.review import can_read_photo, media_entry
from archive.lectures.spans import range_segments, section_hash, section_segments, segment_hash
from archive.numbers import NumberError, parse_number
from archive.store import ContentStore

TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
DETAILS = {f.key: f for f in PLAN_FIELDS}  # the labels and choices of the details form's fields
MAX_TEXT = 20000


class PlanError(ValueError):
    """Something the user asked for that cannot be done, with a Chinese message."""


def _readable_story(store: ContentStore, slug: str, role: str | None):
    story = store.get_story(slug)
    if story is None or not can_read(story.meta, role):
        raise PlanError("找不到这篇故事，或您无权查看。")
    return story


def add_segment(plan: LecturePlan, store: ContentStore, slug: str, segment_id: str, role: str | None) -> PlanItem:
    """Append a story segment (with its content hash) if the reader may read it."""
    story = _readable_story(store, slug, role)
    segment = story.segment(segment_id)
    if segment is None:
        raise PlanError(f"《{story.title}》中没有片段 {segment_id}。")
    item = PlanItem(story=slug, segment=segment.id, hash=segment_hash(segment))
    plan.items.append(item)
    return item


def add_photo(plan: LecturePlan, store: ContentStore, slug: str, file: str, role: str | None) -> PlanItem:
    """Append a photo listed in a story's media, if the reader may see it."""
    story = _readable_story(store, slug, role)
    photo = media_entry(story, file)
    if photo is None or photo.kind != "image" or not can_read_photo(story, photo, role):
        raise PlanError(f"《{story.title}》中没有这张照片，或您无权查看。")
    item = PlanItem(story=slug, photo=photo.file)
    plan.items.append(item)
    return item


def add_text(plan: LecturePlan, title: str, text: str) -> PlanItem:
    """Append the speaker's own words (an opening, a link between stories, a closing)."""
    if not (title.strip() or text.strip()):
        raise PlanError("请填写串词的标题或内容。")
    item = PlanItem(title=title.strip()[:200], text=text.strip()[:MAX_TEXT])
    plan.items.append(item)
    return item


def _check_index(plan: LecturePlan, index: int) -> None:
    if not 0 <= index < len(plan.items):
        raise PlanError("讲稿中没有这一项，可能已被删除，请刷新页面。")


def reorder(plan: LecturePlan, order: list[int]) -> None:
    """Put items in the given order of their current positions (a permutation)."""
    if sorted(order) != list(range(len(plan.items))):
        raise PlanError("条目顺序与讲稿不一致，可能有人同时修改了讲稿，请刷新页面。")
    plan.items = [plan.items[i] for i in order]


def move(plan: LecturePlan, index: int, offset: int) -> None:
    """Move one item up (-1) or down (+1); at either end nothing happens."""
    _check_index(plan, index)
    target = index + offset
    if 0 <= target < len(plan.items):
        plan.items[index], plan.items[target] = plan.items[target], plan.items[index]


def remove(plan: LecturePlan, index: int) -> PlanItem:
    """Take one item out of the plan."""
    _check_index(plan, index)
    return plan.items.pop(index)


def parse_trim(first: str, last: str) -> Trim | None:
    """Form fields '2', '5' -> Trim(2, 5); both empty -> None (whole segment)."""
    first, last = first.strip(), last.strip()
    if not first and not last:
        return None
    try:
        first_n = int(first or "1")
        last_n = int(last) if last else 10**6
    except ValueError:
        raise PlanError("截取范围应填句子序号（正整数）。") from None
    if first_n < 1 or last_n < 1:
        raise PlanError("截取范围应填句子序号（正整数）。")
    return Trim(min(first_n, last_n), max(first_n, last_n))


def update_item(plan: LecturePlan, index: int, *, notes: str | None = None, trim: Trim | None = None,
                quote: str | None = None, text: str | None = None, title: str | None = None) -> None:
    """Change an item's notes, trim, key quote or (for the speaker's words) text."""
    _check_index(plan, index)
    item = plan.items[index]
    if notes is not None:
        item.notes = notes.strip()[:MAX_TEXT]
    if item.kind == "segment":
        item.trim = trim
    if quote is not None:
        item.quote = quote.strip()[:200]
    if item.kind == "text":
        if text is not None:
            item.text = text.strip()[:MAX_TEXT]
        if title is not None:
            item.title = title.strip()[:200]


def accept_current(plan: LecturePlan, store: ContentStore, index: int, role: str | None) -> None:
    """The speaker has checked a changed segment: remember its current content."""
    _check_index(plan, index)
    item = plan.items[index]
    story = _readable_story(store, item.story, role)
    if item.kind in ("section", "range"):
        segments = (section_segments(story, item.section) if item.kind == "section"
                    else range_segments(story, item.segment, item.through))
        if not segments:
            raise PlanError("这些片段已不存在，只能从讲稿中删除。")
        item.hash = section_hash(segments)
        return
    segment = story.segment(item.segment)
    if segment is None:
        raise PlanError("这一片段已不存在，只能从讲稿中删除。")
    item.hash = segment_hash(segment)


def _clean_date(value: str, label: str) -> str:
    value = value.strip()
    if value and parse_iso_date(value) is None:
        raise PlanError(f"{label}应为日期，如 2026-05-01。")
    return value


def _positive(value: str, label: str, whole: bool = False) -> int | float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = parse_number(value, label, whole=whole, maximum=100000)
    except NumberError:
        raise PlanError(f"{label}应为正数。") from None
    if number <= 0:
        raise PlanError(f"{label}应为正数。")
    return int(number) if float(number).is_integer() else number


def update_details(plan: LecturePlan, form: dict[str, str]) -> None:
    """Set the occasion (title, theme, audience, venue, date, time, speakers, slot, rate, status) from a form."""
    time = form.get("time", "").strip()
    if time and not TIME.match(time):
        raise PlanError(f"{DETAILS['time'].label}应写成 14:30 这样的格式。")
    status = form.get("status", plan.status)
    if status not in STATUSES:
        raise PlanError(f"{choice_message(DETAILS['status'])}。")
    date = _clean_date(form.get("date", ""), DETAILS["date"].label)
    if status == "scheduled" and not date:
        raise PlanError("安排宣讲需要填写日期。")
    plan.target_minutes = _positive(form.get("target_minutes", ""), DETAILS["target_minutes"].label)
    plan.chars_per_minute = _positive(form.get("chars_per_minute", ""), DETAILS["chars_per_minute"].label)
    plan.title = form.get("title", "").strip()[:200]
    plan.theme = form.get("theme", "").strip()[:200]
    plan.audience = form.get("audience", "").strip()[:50]
    plan.venue = form.get("venue", "").strip()[:200]
    plan.venue_type = form.get("venue_type", "").strip()[:50]
    plan.speakers = [s for s in re.split(r"[，,、\s]+", form.get("speakers", "")) if s][:20]
    plan.date, plan.time, plan.status = date, time, status


def mark_delivered(plan: LecturePlan, form: dict[str, str], today: dt.date | None = None) -> Delivery:
    """Log one delivery (a date up to today, venue, audience size, note) and mark the plan delivered."""
    today = today or dt.date.today()
    date = _clean_date(form.get("date", ""), "宣讲日期") or plan.date or today.isoformat()
    if date > today.isoformat():
        raise PlanError(f"{date} 还没到：以后的宣讲请在“宣讲信息”中填日期、状态选“已安排”，讲完后再记录。")
    size = _positive(form.get("audience_size", ""), "听众人数", whole=True)
    venue = form.get("venue", "").strip()[:200] or plan.venue
    delivery = Delivery(
        date=date, venue=venue,
        venue_type=venue_type_term(form.get("venue_type", "").strip()[:50] or plan.venue_type, venue),
        audience=form.get("audience", "").strip()[:50] or plan.audience,
        audience_size=size or 0, note=form.get("note", "").strip()[:2000], speakers=list(plan.speakers),
    )
    if not delivery.venue:
        raise PlanError("请填写宣讲地点。")
    plan.deliveries.append(delivery)
    plan.status = "delivered"
    return delivery
