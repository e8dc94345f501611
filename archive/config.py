"""Configuration, read in one place: every ARCHIVE_* environment variable the archive knows,
with its default, checked once and passed down (the app factory, the CLI).

No other module reads the environment: they take their values from `load_settings()`'s
mapping (the Flask app's config, or the CLI's context)."""
from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.numbers import NumberError, parse_number

DEFAULT_BASE_URL = "http://localhost"
DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Setting:
    """One configuration key: its environment variable and default (None: unset)."""

    key: str
    env: str
    default: str | None
    help: str


SETTINGS = (
    Setting("ARCHIVE_ROOT", "ARCHIVE_ROOT", ".", "档案根目录（含 stories/、people/、media/）"),
    Setting("INDEX_DIR", "ARCHIVE_INDEX_DIR", None, "搜索索引目录（默认 ROOT/search_index）"),
    Setting("CACHE_DIR", "ARCHIVE_CACHE_DIR", None, "图片缩略图缓存目录（默认 ROOT/cache）"),
    Setting("INSTANCE_DIR", "ARCHIVE_INSTANCE_DIR", None, "账号库、密钥与审计日志目录（默认 ROOT/instance）"),
    Setting("PROXY_HOPS", "ARCHIVE_PROXY_HOPS", "0", "网站前面反向代理的层数"),
    Setting("BASE_URL", "ARCHIVE_BASE_URL", None, "读者访问网站的完整地址，用于引用和导出中的链接"),
    Setting("COOKIE_SECURE", "ARCHIVE_COOKIE_SECURE", None, "0 表示纯 HTTP 内网不加 Secure 标记（默认加）"),
    Setting("SESSION_HOURS", "ARCHIVE_SESSION_HOURS", None, "登录保持的小时数（默认 8）"),
    Setting("LECTURE_CHARS_PER_MINUTE", "ARCHIVE_LECTURE_CHARS_PER_MINUTE", None, "宣讲语速（字/分钟，默认 200）"),
    Setting("TIMEZONE", "ARCHIVE_TIMEZONE", DEFAULT_TIMEZONE, "修改历史与编辑台显示时间所用的时区"),
)


def setting(key: str, environ: Mapping[str, str] | None = None) -> str | None:
    """One setting as the environment gives it (or its default), unchecked."""
    environ = os.environ if environ is None else environ
    found = next(s for s in SETTINGS if s.key == key)
    return environ.get(found.env) or found.default


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting: `overrides` (test config, CLI options) first, then the environment, then the
    default; ARCHIVE_ROOT resolved, BASE_URL, PROXY_HOPS and TIMEZONE checked (ValueError in Chinese)."""
    environ = os.environ if environ is None else environ
    settings = dict(overrides or {})
    for setting in SETTINGS:
        if settings.get(setting.key) in (None, ""):
            settings[setting.key] = environ.get(setting.env) or setting.default
    settings["ARCHIVE_ROOT"] = str(Path(settings["ARCHIVE_ROOT"]).resolve())
    settings["BASE_URL_GIVEN"] = bool(settings["BASE_URL"])
    settings["BASE_URL"] = checked_base_url(settings["BASE_URL"] or DEFAULT_BASE_URL)
    settings["PROXY_HOPS"] = checked_proxy_hops(settings["PROXY_HOPS"])
    checked_timezone(settings["TIMEZONE"])
    return settings


def checked_base_url(value: Any) -> str:
    """The site's address as readers reach it ('https://dangan.example.gov.cn/koushu'), without the
    trailing slash; absolute links use it, never the request's Host header (anyone can forge that)."""
    parts = urlsplit(str(value or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"ARCHIVE_BASE_URL 应为网站的完整地址，如 https://dangan.example.gov.cn，而不是 {value!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def checked_proxy_hops(value: Any) -> int:
    """How many reverse proxies stand in front (0 or more)."""
    try:
        return int(parse_number(str(value).strip(), minimum=0, maximum=10))
    except NumberError:
        raise ValueError(f"ARCHIVE_PROXY_HOPS 应为 0 或正整数（反向代理的层数），而不是 {value!r}") from None


def checked_timezone(name: Any) -> zoneinfo.ZoneInfo:
    """The archive's time zone (ARCHIVE_TIMEZONE, an IANA name such as Asia/Shanghai)."""
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"ARCHIVE_TIMEZONE 应为时区名称，如 {DEFAULT_TIMEZONE}，而不是 {name!r}") from None
