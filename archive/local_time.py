"""Times as the archive's people read them: stored in UTC (audit log, history), shown in the
archive's time zone (ARCHIVE_TIMEZONE, default Asia/Shanghai)."""
from __future__ import annotations

import datetime as dt
import zoneinfo


def shown_time(at: object, zone: str) -> str:
    """'2026-12-02T06:28:43+00:00' -> '2026-12-02 14:28:43' in `zone`; a time without an offset is
    taken as UTC; a value that is not a time is shown as it is."""
    try:
        moment = dt.datetime.fromisoformat(str(at))
        local = zoneinfo.ZoneInfo(zone)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return str(at or "")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(local).strftime("%Y-%m-%d %H:%M:%S")
