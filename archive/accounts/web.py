"""The accounts layer of every request: who is signed in (`g.user`), CSRF checks on
every state-changing request, cookie settings and the security headers.
"""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
import unicodedata
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import Flask, abort, current_app, g, jsonify, redirect, render_template, request, session, url_for
from markupsafe import Markup, escape

from archive.accounts.users import AccountStore, User

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _accounts() -> AccountStore:
    from archive.context import current_context  # late: the context module imports this package

    return current_context().accounts


def _flag(value, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off")
    return bool(value)


def configure(app: Flask) -> None:
    """Cookie and session settings.  COOKIE_SECURE (env ARCHIVE_COOKIE_SECURE=0) turns off
    the Secure flag for a plain-HTTP intranet or a test server; it is on by default."""
    secure = _flag(app.config.get("COOKIE_SECURE"), True)  # archive.config read ARCHIVE_COOKIE_SECURE
    hours = float(app.config.get("SESSION_HOURS") or 8)
    app.config.update(
        COOKIE_SECURE=secure, SESSION_HOURS=hours,
        SESSION_COOKIE_NAME="archive_session", SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=hours),
    )


def load_user() -> None:
    """Set g.user from the session cookie (None when anonymous, ended or disabled)."""
    g.user = None
    token = session.get("sid")
    if isinstance(token, str):
        g.user = _accounts().session_user(token)
        if g.user is None:
            session.pop("sid", None)


def sign_in(user: User) -> None:
    """Start a server-side session for `user` and a fresh CSRF token."""
    from flask import current_app

    session.clear()
    session.permanent = True
    session["sid"] = _accounts().start_session(user, current_app.config["SESSION_HOURS"])
    session["csrf"] = secrets.token_urlsafe(32)
    g.user = user


def sign_out() -> None:
    """End this browser's session on the server and forget the cookie."""
    token = session.get("sid")
    if isinstance(token, str):
        _accounts().end_session(token)
    session.clear()
    g.user = None


def _has_unsafe_character(text: str) -> bool:
    """Backslash, control, format or unassigned characters, or any kind of whitespace."""
    return "\\" in text or any(unicodedata.category(c)[0] in "CZ" for c in text)


def is_same_site_path(target: str) -> bool:
    """Is `target` a path on this site ('/stories/x?a=1') that no browser reads as another site?

    Browsers drop tabs and newlines, trim spaces and read a backslash as a slash before
    they parse a URL, so '/<tab>/evil' or '/\\evil' would take the reader to evil.  Rather than
    guess each browser's rules, refuse any such character outright, in the target as sent
    and in its percent-decoded path, and refuse a scheme, a host or a leading '//'.
    """
    if not target or len(target) > 2000 or _has_unsafe_character(target):
        return False
    parts = urlsplit(target)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or _has_unsafe_character(path):
        return False
    return target.startswith("/") and not target.startswith("//") and not path.startswith("//")


def csrf_token() -> str:
    """This browser's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_field() -> Markup:
    """The hidden form field every POST form carries."""
    return Markup(f'<input type="hidden" name="csrf_token" value="{escape(csrf_token())}">')


def wants_json() -> bool:
    """Is this an API request (answered in JSON rather than HTML)?"""
    return request.path.startswith("/api/") or request.is_json


def csrf_exempt(view):
    """Mark a view whose POST only reads and uses no session (the OAI-PMH endpoint): no CSRF token asked."""
    view.csrf_exempt = True
    return view


def check_csrf():
    """Refuse a state-changing request whose CSRF token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return None
    if getattr(current_app.view_functions.get(request.endpoint), "csrf_exempt", False):
        return None
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
    expected = session.get("csrf")
    if isinstance(expected, str) and hmac.compare_digest(sent.encode(), expected.encode()):
        return None
    message = "表单已过期或来源不明（CSRF 校验失败）。请返回上一页刷新后重试。"
    if wants_json():
        return jsonify(error=message), 400
    return render_template("error.html", code=400, title="无法提交", message=message), 400


def security_headers(response):
    """Headers every response carries."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()"
    if request.is_secure:  # only over HTTPS, so a plain-HTTP intranet is not locked out
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if g.get("user") is not None and response.mimetype in ("text/html", "application/json"):
        headers["Cache-Control"] = "private, no-store"
        headers.add("Vary", "Cookie")
    return response


def _deny(login_needed: bool):
    if wants_json():
        if login_needed:
            return jsonify(error="请先登录"), 401
        return jsonify(error="您的账号没有这项操作的权限"), 403
    if login_needed:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


def login_required(view):
    """Let signed-in users through; send others to the login page (401 for the API)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return _deny(True)
        return view(*args, **kwargs)
    return wrapped


def role_required(*roles: str):
    """Let only signed-in users with one of `roles` through (403 for the others)."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = g.get("user")
            if user is None:
                return _deny(True)
            if user.role not in roles:
                return _deny(False)
            return view(*args, **kwargs)
        return wrapped
    return decorate


archivist_required = role_required("admin", "archivist")
admin_required = role_required("admin")


def init_app(app: Flask) -> None:
    """Install the request hooks, template helpers and the 403 page."""
    configure(app)
    app.before_request(load_user)
    app.before_request(check_csrf)
    app.after_request(security_headers)
    app.jinja_env.globals.update(csrf_token=csrf_token, csrf_field=csrf_field)

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("error.html", code=403, title="没有权限",
                               message="您的账号没有查看或修改这项内容的权限。"), 403

    @app.errorhandler(429)
    def too_many(error):
        return render_template("error.html", code=429, title="请求太频繁",
                               message="尝试次数过多，请稍后再试。"), 429
