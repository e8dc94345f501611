"""The web app factory: `create_app(test_config)` builds the Flask app over one archive.

Kept apart from the package so that importing the domain (archive.segments, archive.store …)
does not import Flask; `from archive import create_app` still works (archive/__init__.py)."""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from archive.config import load_settings
from archive.context import ArchiveContext, ArchivePaths
from archive.safe_write import StorageError


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies (e.g. the bureau's nginx), take the client's address, scheme
    and host from their X-Forwarded-* headers, so login rate limits count each reader, not the proxy."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _secret_key(instance_dir: Path) -> str:
    """The instance secret; on an instance folder that cannot keep a new one, a key for this process
    only (sign-ins then end when it stops, which a read-only site's in-memory sessions do anyway)."""
    from archive import secrets_file

    try:
        return secrets_file.instance_secret(instance_dir)
    except StorageError:
        return secrets.token_hex(32)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web app; every setting comes from `test_config` or the environment (archive.config).

    READ_ONLY=True serves without writing anything (`archive serve --read-only`); storage that
    cannot be written gives the same mode by itself."""
    settings = load_settings(test_config)
    paths = ArchivePaths.for_root(
        settings["ARCHIVE_ROOT"], settings["INDEX_DIR"], settings["CACHE_DIR"], settings["INSTANCE_DIR"]
    )
    app = Flask("archive", instance_path=str(paths.instance_dir))
    app.config.from_mapping(
        SECRET_KEY=None,
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        JSON_AS_ASCII=False,
    )
    app.config.update(settings)
    app.config.update(INDEX_DIR=str(paths.index_dir), CACHE_DIR=str(paths.cache_dir),
                      INSTANCE_DIR=str(paths.instance_dir))
    app.json.ensure_ascii = False

    context = ArchiveContext(paths)
    context.start(read_only=bool(settings.get("READ_ONLY")))
    app.config["CACHE_DIR"] = str(paths.cache_dir)  # start() may have moved an unwritable cache
    app.extensions["archive"] = context

    from archive import views
    from archive.views import storage

    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(paths.instance_dir)
    views.init_app(app)
    storage.init_app(app)  # refused writes explained; a read-only site says so
    _trust_proxies(app)
    return app
