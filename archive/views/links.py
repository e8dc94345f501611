"""Absolute links to this site: the configured BASE_URL (ARCHIVE_BASE_URL) joined with the
route's path.  The request's Host header never goes into a link, since any client can forge it
and a forged one would otherwise be cached into the pages later readers get."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of a route, on the configured base URL."""
    base = current_app.config["BASE_URL"]
    path = url_for(endpoint, **values)
    script_root = urlsplit(url_for("home.index")).path.rstrip("/")
    return base + path[len(script_root):]


def site_host() -> str:
    """The host name of the configured base URL (for calendar event ids)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
