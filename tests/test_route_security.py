"""Security tests generated from the app itself: every route in Flask's url map must be in
the allow/deny table (tests/route_table.py); every route × role answers as the table says,
allowed roles get the real content, every answer carries the security headers, the session
cookie has its flags, and every state-changing route refuses a request without its CSRF token."""
from __future__ import annotations

import io
import wave

import pytest
from flask import Flask
from PIL import Image

from archive import create_app
from tests.conftest import csrf_token_of
from tests.route_table import ROLES, TABLE, build_route_archive, route_key, unclassified_routes

PASSWORD = "matrix-password-1"
KINDS = {
    "gongkai": "access: public",
    "neibu": "access: internal",
    "shouxian": "access: restricted",
    "caogao": "status: draft",
}


def _story(kind: str, line: str) -> str:
    recording = "  - file: gongkai.wav\n    caption: 录音\n" if kind == "gongkai" else ""
    return (f"---\ntitle: 标题{kind}\nnarrator: 讲述人{kind}\ninterviewed: 2020-01-01\ntags:\n  - 标签{kind}\n"
            f"{line}\npeople:\n  - laobing\nmedia:\n  - file: {kind}.jpg\n    caption: 照片{kind}\n{recording}---\n"
            f"## 第一段\n\n[00:00:10] 那年我们在红高粱地旁边守了三天三夜。\n")


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 20, 20)).save(buffer, "JPEG")
    return buffer.getvalue()


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000)
    return buffer.getvalue()


def _make_app(tmp) -> Flask:
    root = build_route_archive(tmp / "archive", {f"stories/{k}.md": _story(k, line) for k, line in KINDS.items()},
                               _jpeg(), _wav())
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp / "index"),
                      "CACHE_DIR": str(tmp / "cache"), "INSTANCE_DIR": str(tmp / "instance")})
    for role in ("lecturer", "archivist", "admin"):
        app.extensions["archive"].accounts.add_user(f"m-{role}", PASSWORD, role)
    return app


def _client(app, role):
    client = app.test_client()
    if role is not None:
        response = client.post("/login", data={"username": f"m-{role}", "password": PASSWORD,
                                               "csrf_token": csrf_token_of(client)})
        assert response.status_code == 302
    return client, csrf_token_of(client)


def _fill(text: str, app) -> str:
    story = app.extensions["archive"].store.get_story("gongkai")
    return (text.replace("{story}", "gongkai").replace("{person}", "laobing").replace("{plan}", "20261201-ab12")
            .replace("{version}", story.version if story else "0"))


def _request(client, app, method, route, token: str | None):
    path = _fill(route.path, app)
    kwargs: dict = {}
    if route.json is not None:
        kwargs["json"] = {k: _fill(v, app) if isinstance(v, str) else v for k, v in route.json.items()}
        kwargs["headers"] = {"X-CSRF-Token": token} if token else {}
    elif method != "GET":
        data = {k: _fill(v, app) for k, v in route.data.items()}
        kwargs["data"] = {**data, "csrf_token": token} if token and not route.reads_only else data
    return client.open(path, method=method, **kwargs)


def _denied(response, role) -> bool:
    if role is not None:
        return response.status_code == 403
    return response.status_code == 401 or (
        response.status_code == 302 and "/login" in response.headers.get("Location", ""))


def _ordered():
    """Table entries with signing out last (it ends the session the others need)."""
    return sorted(TABLE.items(), key=lambda item: item[0] == ("POST", "/logout"))


def test_every_route_is_in_the_table(tmp_path):
    app = _make_app(tmp_path)
    assert unclassified_routes(app) == [], "classify these routes in tests/route_table.py"
    known = {key for rule in app.url_map.iter_rules() for key in route_key(rule)}
    assert sorted(set(TABLE) - known) == [], "these table entries name routes that no longer exist"


def test_a_new_route_without_an_entry_makes_the_check_fail(tmp_path):
    app = _make_app(tmp_path)
    app.add_url_rule("/export/everything", "everything", lambda: "all the archive")
    assert unclassified_routes(app) == [("GET", "/export/everything")]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_every_route_answers_each_role_as_the_table_says(tmp_path, role):
    app = _make_app(tmp_path)
    client, token = _client(app, role)
    for (method, rule), route in _ordered():
        response = _request(client, app, method, route, token)
        where = (role, method, rule, response.status_code)
        if role in route.allowed:
            assert not _denied(response, role) or response.status_code in route.ok, where
            assert response.status_code in route.ok, where
            if route.marker and response.status_code == 200:
                assert route.marker in response.get_data(as_text=True), where
        else:
            assert _denied(response, role), where
        assert response.status_code < 500, where


@pytest.mark.parametrize("role", [None, "admin"], ids=["anonymous", "admin"])
def test_every_answer_carries_the_security_headers(tmp_path, role):
    app = _make_app(tmp_path)
    client, _token = _client(app, role)
    for (method, rule), route in TABLE.items():
        if method != "GET":
            continue
        response = _request(client, app, method, route, None)
        headers = response.headers
        where = (role, rule)
        assert "default-src 'self'" in headers.get("Content-Security-Policy", ""), where
        assert "object-src 'none'" in headers["Content-Security-Policy"] or "default-src 'none'" in headers[
            "Content-Security-Policy"], where
        assert headers.get("X-Content-Type-Options") == "nosniff", where
        assert headers.get("X-Frame-Options") == "DENY", where
        assert headers.get("Referrer-Policy") == "same-origin", where
        if role is not None and response.mimetype in ("text/html", "application/json"):
            assert "no-store" in headers.get("Cache-Control", ""), where


def test_the_session_cookie_is_http_only_same_site_and_secure(tmp_path):
    app = _make_app(tmp_path)
    client = app.test_client()
    response = client.post("/login", data={"username": "m-admin", "password": PASSWORD,
                                           "csrf_token": csrf_token_of(client)})
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("archive_session="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in flags and "secure" in flags
    assert flags["samesite"].lower() in ("samesite=lax", "samesite=strict")


def test_every_state_changing_route_refuses_a_request_without_its_csrf_token(tmp_path):
    app = _make_app(tmp_path)
    before = {path: path.read_bytes() for path in (app.extensions["archive"].paths.root / "stories").glob("*.md")}
    for (method, rule), route in _ordered():
        if method == "GET" or route.reads_only:
            continue
        role = "admin" if "admin" in route.allowed else None
        client, _token = _client(app, role)
        response = _request(client, app, method, route, token=None)
        assert response.status_code == 400, (method, rule, response.status_code)
        assert "CSRF" in response.get_data(as_text=True), (method, rule)
    after = {path: path.read_bytes() for path in (app.extensions["archive"].paths.root / "stories").glob("*.md")}
    assert after == before  # nothing was written by any refused request
