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

LEVELS = ("public", "internal", "restricted")
ROLES = ("admin", "archivist", "lecturer")
ARCHIVIST_ROLES = {"admin", "archivist"}


def today() -> dt.date:
    """Today's date (one place, so tests and embargoes agree)."""
    return dt.date.today()


def parse_iso_date(value: Any) -> dt.date | None:
    """'2030-01-01' -> date; anything else (None, '2030', junk) -> None."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def effective_level(meta: dict[str, Any], on: dt.date | None = None) -> str:
    """The access level that applies to a story or photo today."""
    level = meta.get("access") if meta.get("access") in LEVELS else "public"
    if meta.get("status") == "draft" or meta.get("takedown"):
        return "restricted"
    embargo = parse_iso_date(meta.get("embargo_until"))
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
    return can_read({"access": item.access, "embargo_until": item.extra.get("embargo_until")}, role, on)


def current_role() -> str | None:
    """The role of the signed-in reader of this request (None when anonymous or outside a request).

    The accounts module sets `flask.g.user` (an object with `.role`) for signed-in users.
    """
    from flask import g, has_request_context

    if not has_request_context():
        return None
    user = g.get("user")
    return getattr(user, "role", None) if user is not None else None
