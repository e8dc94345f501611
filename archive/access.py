"""Who may read what: the one place the access rule lives.

Every page, search result, count, facet, snippet, thumbnail, export and API
answer asks `can_read` (or filters with `readable_levels`); nothing else
decides.  A story's effective level is its `access` value, raised to
`restricted` while it is a draft, taken down, or under an embargo that has
not yet lifted (embargoes lift by themselves on their date).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from archive.dates import DATE_HINT, parse_date

LEVELS = ("public", "internal", "restricted")
STATUSES = ("draft", "published")
ROLES = ("admin", "archivist", "lecturer")
ARCHIVIST_ROLES = {"admin", "archivist"}


def today() -> dt.date:
    """Today's date (one place, so tests and embargoes agree)."""
    return dt.date.today()


def parse_iso_date(value: Any) -> dt.date | None:
    """'2030-01-01' -> date; anything else (None, '2030', '2030-02-30', junk) -> None."""
    return parse_date(value)


def standing(meta: dict[str, Any]) -> tuple[str, dt.date | None]:
    """(the level a record has whatever the day, the day its embargo lifts or None).

    Fails closed: an `access`, `status`, `takedown` or `embargo_until` value the policy
    cannot read (another spelling, a list, a partial or impossible date) makes the
    record restricted, so only archivists see it until `archive check` gets it fixed.
    """
    access = meta.get("access", "public")
    level = access if isinstance(access, str) and access in LEVELS else "restricted"
    status = meta.get("status", "published")
    if not (isinstance(status, str) and status == "published") or meta.get("takedown") not in (None, False):
        level = "restricted"
    embargo_value = meta.get("embargo_until")
    embargo = None if embargo_value is None else parse_date(embargo_value)
    if embargo_value is not None and embargo is None:
        level = "restricted"
    return level, embargo


def policy_problems(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, Chinese message) for each access value `standing` cannot read and so treats as restricted."""
    problems = []
    if "access" in meta and meta["access"] not in LEVELS:
        problems.append(("access", f"access 只能是 {' / '.join(LEVELS)}（实际是 {meta['access']!r}），在改正前按受限处理"))
    if "status" in meta and meta["status"] not in STATUSES:
        problems.append(("status", f"status 只能是 {' / '.join(STATUSES)}（实际是 {meta['status']!r}），在改正前按受限处理"))
    if "embargo_until" in meta and parse_date(meta["embargo_until"]) is None:
        value = meta["embargo_until"]
        problems.append(("embargo_until", f"embargo_until {DATE_HINT}（实际是 {value!r}），在改正前按受限处理"))
    return problems


def effective_level(meta: dict[str, Any], on: dt.date | None = None) -> str:
    """The access level that applies to a story or photo today."""
    level, embargo = standing(meta)
    if embargo is not None and (on or today()) < embargo:
        return "restricted"
    return level


def readable_levels(role: str | None) -> set[str]:
    """Levels a reader with this role (None = anonymous) may read."""
    if role in ARCHIVIST_ROLES:
        return set(LEVELS)
    if role in ROLES:
        return {"public", "internal"}
    return {"public"}


def can_read(meta: dict[str, Any], role: str | None, on: dt.date | None = None) -> bool:
    """May a reader with `role` read the item described by `meta` today?"""
    return effective_level(meta, on) in readable_levels(role)


def can_read_media(item: Any, role: str | None, on: dt.date | None = None) -> bool:
    """May a reader with `role` see this photo or recording (an `archive.models.MediaItem`) today?
    A media entry may have its own `access` and `embargo_until`; the story's own rule applies besides."""
    return can_read(item.rules, role, on)


def current_role() -> str | None:
    """The role of the signed-in reader of this request (None when anonymous or outside a request).

    The accounts module sets `flask.g.user` (an object with `.role`) for signed-in users.
    """
    from flask import g, has_request_context

    if not has_request_context():
        return None
    user = g.get("user")
    return getattr(user, "role", None) if user is not None else None
