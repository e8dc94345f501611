"""The red-story oral-history archive: veterans' interviews kept as Markdown files,
searched in Chinese, served to speakers, teachers and archivists."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from archive.context import ArchiveContext, ArchivePaths
from archive.safe_write import StorageError

DEFAULT_BASE_URL = "http://localhost"


def _settings(test_config: dict[str, Any] | None) -> dict[str, Any]:
    config = dict(test_config or {})
    root = config.get("ARCHIVE_ROOT") or os.environ.get("ARCHIVE_ROOT") or "."
    config["ARCHIVE_ROOT"] = str(Path(root).resolve())
    for key, env in (("INDEX_DIR", "ARCHIVE_INDEX_DIR"), ("CACHE_DIR", "ARCHIVE_CACHE_DIR"),
                     ("INSTANCE_DIR", "ARCHIVE_INSTANCE_DIR")):
        config.setdefault(key, os.environ.get(env))
    config.setdefault("PROXY_HOPS", os.environ.get("ARCHIVE_PROXY_HOPS", "0"))
    config.setdefault("BASE_URL", os.environ.get("ARCHIVE_BASE_URL") or DEFAULT_BASE_URL)
    config["BASE_URL"] = checked_base_url(config["BASE_URL"])
    return config


def checked_base_url(value: Any) -> str:
    """The site's address as readers reach it ('https://dangan.example.gov.cn/koushu'), without the
    trailing slash; absolute links use it, never the request's Host header (anyone can forge that)."""
    parts = urlsplit(str(value or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"ARCHIVE_BASE_URL 应为网站的完整地址，如 https://dangan.example.gov.cn，而不是 {value!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies (e.g. the bureau's nginx), take the client's address, scheme
    and host from their X-Forwarded-* headers, so login rate limits count each reader, not the proxy."""
    hops = str(app.config["PROXY_HOPS"]).strip()
    if not hops.isdigit():
        raise ValueError(f"ARCHIVE_PROXY_HOPS 应为 0 或正整数（反向代理的层数），而不是 {hops!r}")
    if int(hops):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(hops), x_proto=int(hops), x_host=int(hops))


def _secret_key(instance_dir: Path) -> str:
    """The instance secret; on an instance folder that cannot keep a new one, a key for this process
    only (sign-ins then end when it stops, which a read-only site's in-memory sessions do anyway)."""
    from archive import secrets_file

    try:
        return secrets_file.instance_secret(instance_dir)
    except StorageError:
        return secrets.token_hex(32)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web app; every path comes from `test_config` or the environment.

    READ_ONLY=True serves without writing anything (`archive serve --read-only`); storage that
    cannot be written gives the same mode by itself."""
    settings = _settings(test_config)
    paths = ArchivePaths.for_root(
        settings["ARCHIVE_ROOT"], settings["INDEX_DIR"], settings["CACHE_DIR"], settings["INSTANCE_DIR"]
    )
    app = Flask(__name__, instance_path=str(paths.instance_dir))
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
