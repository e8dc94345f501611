"""Absolute links to this site: the configured BASE_URL (ARCHIVE_BASE_URL) joined with the
route's path.  The request's Host header never goes into a link, since any client can forge it
and a forged one would otherwise be cached into the pages later readers get."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for

_STORY_HREFS: dict[tuple[str, str], str] = {}


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of a route, on the configured base URL."""
    base = current_app.config["BASE_URL"]
    path = url_for(endpoint, **values)
    script_root = urlsplit(url_for("home.index")).path.rstrip("/")
    return base + path[len(script_root):]


def site_host() -> str:
    """The host name of the configured base URL (for calendar event ids)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def story_href(slug: str) -> str:
    """url_for('stories.show', slug=slug), kept per script root: the timeline links every story
    under each year it tells about (10,000 links at 2,000 stories, a third of the page's time)."""
    key = (request.script_root, slug)
    href = _STORY_HREFS.get(key)
    if href is None:
        if len(_STORY_HREFS) > 50_000:
            _STORY_HREFS.clear()
        href = _STORY_HREFS[key] = url_for("stories.show", slug=slug)
    return href
