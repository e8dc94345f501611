"""Scheduled talks as an iCalendar (.ics) file, so they appear in a calendar.

Times are local to the district (Asia/Shanghai, with its VTIMEZONE included);
a talk without a time of day becomes an all-day event.  Only scheduled and
delivered plans with a date are included.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from archive.access import parse_iso_date
from archive.lectures.plan import LecturePlan
from archive.lectures.plan_editing import TIME

TIMEZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_MINUTES = 45
UID_DOMAIN = "lectures.red-story-archive"


def has_calendar_date(plan: LecturePlan) -> bool:
    """Can this plan go into a calendar (scheduled or delivered, with a valid date)?"""
    return plan.status in ("scheduled", "delivered") and parse_iso_date(plan.date) is not None


def _event(plan: LecturePlan, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"lecture-{plan.id}@{UID_DOMAIN}")  # the same whatever host name the site is reached by
    event.add("dtstamp", stamp)
    event.add("summary", f"宣讲：{plan.display_title}")
    day = parse_iso_date(plan.date)
    assert day is not None
    if TIME.match(plan.time):
        hour, minute = (int(part) for part in plan.time.split(":"))
        start = dt.datetime.combine(day, dt.time(hour, minute), TIMEZONE)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=plan.target_minutes or DEFAULT_MINUTES))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    if plan.venue:
        event.add("location", plan.venue)
    event.add("description", "\n".join(f"{label}：{value}" for label, value in plan.occasion()))
    event.add("status", "CONFIRMED")
    return event


def plans_ics(plans: list[LecturePlan], now: dt.datetime | None = None) -> bytes:
    """An .ics calendar with one event per scheduled or delivered plan that has a date."""
    calendar = Calendar()
    calendar.add("prodid", "-//红色故事档案//宣讲安排//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "宣讲安排")
    stamp = now or dt.datetime.now(dt.UTC)
    for plan in plans:
        if has_calendar_date(plan):
            calendar.add_component(_event(plan, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
