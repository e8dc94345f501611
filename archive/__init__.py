"""The red-story oral-history archive: veterans' interviews kept as Markdown files,
searched in Chinese, served to speakers, teachers and archivists.

Importing the package loads nothing else: the web app factory lives in archive.app and
configuration in archive.config; `from archive import create_app` reaches them lazily."""
from __future__ import annotations

from typing import Any

_LAZY = {"create_app": "archive.app", "checked_base_url": "archive.config", "DEFAULT_BASE_URL": "archive.config"}


def __getattr__(name: str) -> Any:
    """`create_app` (and the base-URL helpers) on first use, so the domain modules stay Flask-free."""
    if name not in _LAZY:
        raise AttributeError(f"module 'archive' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
