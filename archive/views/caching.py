"""HTTP caching for the reading side.

- Static files get a version in their URL (`?v=<hash of mtime and size>`) and a
  one-year `Cache-Control`, so browsers never ask again until the file changes.
- Pages built from stories get an ETag and Last-Modified.  The ETag covers
  everything that shapes the page (the files it is built from, the reader's
  role and session, today's date for embargoes, the process start), so a
  conditional GET answers 304 without rendering, and the rendered page is kept
  in a small in-memory cache keyed by that ETag.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

from flask import Flask, Response, current_app, g, request, session

from archive.access import current_role, today
from archive.context import current_context

ONE_YEAR = 365 * 24 * 3600
PAGE_CACHE_SIZE = 256
_STARTED = str(time.time_ns())


class _PageCache:
    """A small thread-safe LRU of rendered pages."""

    def __init__(self, size: int):
        self.size = size
        self.pages: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: bytes) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


def init_app(app: Flask) -> None:
    """Long-lived caching for static files, with versioned URLs."""
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:  # Flask's default: no max-age
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = ONE_YEAR
    app.extensions["page_cache"] = _PageCache(PAGE_CACHE_SIZE)
    versions: dict[str, str] = {}

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        name = values["filename"]
        if name not in versions or app.debug:
            path = Path(app.static_folder or "") / name
            try:
                stat = path.stat()
                versions[name] = hashlib.sha1(f"{stat.st_mtime_ns}{stat.st_size}".encode()).hexdigest()[:10]
            except OSError:
                versions[name] = "0"
        values["v"] = versions[name]


def file_stamp(paths: Iterable[Path | str]) -> tuple[str, float]:
    """(a digest of the files' mtimes and sizes, the latest mtime); missing files count too."""
    digest = hashlib.sha1()
    latest = 0.0
    for path in paths:
        try:
            stat = os.stat(path)
        except (OSError, ValueError):  # ValueError: a NUL in a name written in a hostile file
            digest.update(f"{path}|missing".encode())
            continue
        digest.update(f"{path}|{stat.st_mtime_ns}|{stat.st_size}".encode())
        latest = max(latest, stat.st_mtime)
    return digest.hexdigest(), latest


def list_page(shelf, render: Callable[[], str], *more: object, names_only: bool = False) -> Response:
    """A page built from a reader's whole shelf (home, lists, timeline): rendered again only when
    what such pages show changed (archive.shelf.Shelf.shown_stamp; `names_only`: a page showing no
    facts worked out from the words, Shelf.names_stamp) or a media folder did (the photos' versioned
    URLs) or `more` (what else the page shows), not after every save."""
    stamp = shelf.names_stamp if names_only else shelf.shown_stamp
    return cached_page(f"{stamp}|{_media_folders()}|{more!r}", shelf.updated, render)


def request_shelf():
    """The reader's shelf, looked up once per request: a page asks for it for every story card, and
    each look checks seven paths on disk (under load each check waits for the GIL again)."""
    shelf = g.get("reader_shelf")
    if shelf is None:
        shelf = g.reader_shelf = current_context().catalog.shelf(current_role())
    return shelf


def _media_folders() -> str:
    """The mtimes of media/ and its folders: a photo added or replaced (atomically) changes one."""
    media = current_context().store.media_dir
    try:
        with os.scandir(media) as entries:
            found = [(entry.name, entry.stat().st_mtime_ns) for entry in entries if entry.is_dir()]
        return repr((os.stat(media).st_mtime_ns, sorted(found)))
    except OSError:
        return "no media"


def cached_page(version: str, last_modified: float, render: Callable[[], str]) -> Response:
    """A page whose content depends only on `version` (and the reader), with ETag/Last-Modified,
    304 answers to conditional GETs and an in-memory cache of the rendered page."""
    user = getattr(g.get("user"), "id", None)
    reader = repr(sorted((k, str(v)) for k, v in session.items()))
    key = hashlib.sha1("|".join([request.full_path, version, str(current_role()), str(user), reader,
                                 today().isoformat(), _STARTED]).encode()).hexdigest()
    cacheable = "_flashes" not in session
    response = Response(status=200, mimetype="text/html")
    response.set_etag(key)
    if last_modified:
        response.last_modified = dt.datetime.fromtimestamp(int(last_modified), dt.UTC)
    response.cache_control.no_cache = True  # revalidate every time: edits and sign-ins show at once
    response.cache_control.private = user is not None or None
    if cacheable and request.if_none_match.contains(key):
        return response.make_conditional(request)
    pages: _PageCache = current_app.extensions["page_cache"]
    body = pages.get(key) if cacheable else None
    if body is None:
        body = render().encode("utf-8")
        if cacheable:
            pages.put(key, body)
    response.set_data(body)
    conditional = request.if_none_match or request.if_modified_since
    return response.make_conditional(request) if cacheable and conditional else response
