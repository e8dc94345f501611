"""Dates as the archive writes them: ISO 8601 calendar dates, kept as strings.

The one reader of dates for every path that accepts or decides by one (the
access policy, `archive check`, the forms, the JSON API, imports, uploads and
lecture plans).  A date must be a day that exists: `2099-02-30` is not one.

    parse_date("2030-06-01") -> date(2030, 6, 1)
    parse_date("2030") / parse_date("2030-02-30") / parse_date(2030) -> None
    is_partial_date("1953-07") -> True   (a year or a month is enough for when a photo was taken)
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
DATE_HINT = "应为 ISO 日期，写到日且真实存在，如 2024-05-01"
PARTIAL_DATE_HINT = "应为 ISO 日期，如 1953、1953-07 或 1953-07-27（须是真实存在的日期）"


def parse_date(value: Any) -> dt.date | None:
    """A whole calendar day written YYYY-MM-DD, or None for anything else (partial, impossible, not text)."""
    if not isinstance(value, str):
        return None
    match = FULL_DATE.match(value.strip())
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def is_partial_date(value: Any) -> bool:
    """Is `value` a year (1953), a month (1953-07) or a whole day (1953-07-27) that exists?"""
    if parse_date(value) is not None:
        return True
    if not isinstance(value, str):
        return False
    match = PARTIAL_DATE.match(value.strip())
    return match is not None and (match.group(2) is None or 1 <= int(match.group(2)) <= 12)
