"""Accounts: real SQLite users and sessions, argon2 hashes, login, logout, disabling,
rate limiting, CSRF, cookie flags and security headers."""
from __future__ import annotations

import sqlite3

import pytest
from conftest import TEST_PASSWORD, csrf_token_of

from archive import create_app
from archive.audit import AuditLog


def _post_login(client, username, password):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token_of(client)})


def test_database_is_created_on_first_start_in_the_instance_folder(app, tmp_path):
    path = tmp_path / "instance" / "accounts.sqlite3"
    assert path.is_file()
    tables = {row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert {"users", "sessions", "login_failures"} <= tables


def test_passwords_are_stored_as_argon2id_at_owasp_strength(app, accounts, tmp_path):
    row = sqlite3.connect(tmp_path / "instance" / "accounts.sqlite3").execute(
        "SELECT password_hash FROM users WHERE username = 'archivist1'").fetchone()
    assert row[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert TEST_PASSWORD not in row[0]


def test_login_shows_the_user_and_wrong_password_is_refused(client, accounts):
    response = _post_login(client, "archivist1", "wrong-password-x")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)
    response = _post_login(client, "archivist1", TEST_PASSWORD)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "测试archivist" in page and "退出" in page


def test_session_cookie_flags_and_lifetime(client, accounts):
    response = _post_login(client, "lecturer1", TEST_PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie


def test_secure_flag_can_be_turned_off_for_plain_http(archive_root, tmp_path):
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "INSTANCE_DIR": str(tmp_path / "i2"),
                      "COOKIE_SECURE": False})
    cookie = app.test_client().get("/login").headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie


def test_logout_ends_the_session_on_the_server(app, client, login):
    token = login(client, "archivist")
    stolen = client.get_cookie("archive_session").value
    client.post("/logout", data={"csrf_token": token})
    replay = app.test_client()
    replay.set_cookie("archive_session", stolen)
    assert "退出" not in replay.get("/").get_data(as_text=True)


def test_disabling_an_account_ends_its_sessions(app, login):
    archivist, admin = app.test_client(), app.test_client()
    login(archivist, "archivist")
    token = login(admin, "admin")
    user = app.extensions["archive"].accounts.by_name("archivist1")
    response = admin.post(f"/admin/users/{user.id}", data={"action": "disable", "csrf_token": token})
    assert response.status_code == 302
    assert "退出" not in archivist.get("/").get_data(as_text=True)
    assert _post_login(archivist, "archivist1", TEST_PASSWORD).status_code == 401


def test_expired_session_is_anonymous(app, client, login, tmp_path):
    login(client, "lecturer")
    with sqlite3.connect(tmp_path / "instance" / "accounts.sqlite3") as db:
        db.execute("UPDATE sessions SET expires_at = 0")
    assert "退出" not in client.get("/").get_data(as_text=True)


def test_login_attempts_are_rate_limited(client, accounts):
    for _ in range(5):
        assert _post_login(client, "admin1", "not-the-password").status_code == 401
    response = _post_login(client, "admin1", TEST_PASSWORD)
    assert response.status_code == 429
    assert "分钟后再试" in response.get_data(as_text=True)


def test_many_failures_from_one_address_are_limited_across_user_names(client, accounts):
    for number in range(20):
        assert _post_login(client, f"guess{number}", "not-the-password").status_code == 401
    response = _post_login(client, "lecturer1", TEST_PASSWORD)
    assert response.status_code == 429


def test_admin_actions_are_in_the_audit_log(app, client, login, tmp_path):
    token = login(client, "admin")
    client.post("/admin/users", data={"username": "wangli", "role": "lecturer", "password": "long-enough-pass",
                                      "csrf_token": token})
    user = app.extensions["archive"].accounts.by_name("wangli")
    client.post(f"/admin/users/{user.id}", data={"action": "disable", "csrf_token": token})
    entries = AuditLog(tmp_path / "instance" / "audit.jsonl").entries(target="user:wangli")
    assert [(e["who"], e["action"]) for e in entries] == [("admin1", "user.add"), ("admin1", "user.disable")]


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_post_without_or_with_wrong_csrf_token_is_refused(client, accounts):
    response = client.post("/login", data={"username": "admin1", "password": TEST_PASSWORD})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    csrf_token_of(client)
    response = client.post("/login", data={"username": "admin1", "password": TEST_PASSWORD, "csrf_token": "x" * 43})
    assert response.status_code == 400


def test_security_headers_on_pages_errors_and_static_files(client):
    for path in ("/", "/login", "/no-such-page", "/static/css/archive.css"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_login_redirects_only_to_same_site_paths(client, accounts):
    token = csrf_token_of(client)
    response = client.post("/login", data={"username": "admin1", "password": TEST_PASSWORD, "csrf_token": token,
                                           "next": "//evil.example/steal"})
    assert response.headers["Location"] == "/"


def test_admin_adds_an_account_in_the_ui_and_others_may_not(app, client, login):
    token = login(client, "admin")
    response = client.post("/admin/users", data={"username": "wangli", "display_name": "王丽", "role": "lecturer",
                                                 "password": "short", "csrf_token": token})
    assert response.status_code == 400 and "至少需要 10 个字符" in response.get_data(as_text=True)
    response = client.post("/admin/users", data={"username": "wangli", "display_name": "王丽", "role": "lecturer",
                                                 "password": "long-enough-pass", "csrf_token": token})
    assert response.status_code == 302
    assert "王丽" in client.get("/admin/users").get_data(as_text=True)
    other = app.test_client()
    login(other, "archivist")
    assert other.get("/admin/users").status_code == 403
    assert app.test_client().get("/admin/users").status_code == 302


def test_the_last_administrator_cannot_be_disabled(app, client, login):
    token = login(client, "admin")
    admin = app.extensions["archive"].accounts.by_name("admin1")
    response = client.post(f"/admin/users/{admin.id}", data={"action": "disable", "csrf_token": token})
    assert response.status_code == 400 and "至少要保留一个可用的管理员账号" in response.get_data(as_text=True)


def test_change_own_password(client, login):
    token = login(client, "lecturer")
    response = client.post("/account/password", data={"current": TEST_PASSWORD, "new": "another-good-one",
                                                       "repeat": "another-good-one", "csrf_token": token})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token_of(client)})
    assert _post_login(client, "lecturer1", "another-good-one").status_code == 302


def test_cli_user_add(run_cli, archive_root):
    result = run_cli("user", "add", "zhaomin", "--role", "archivist", "--name", "赵敏",
                     "--password", "a-strong-password")
    assert result.exit_code == 0 and "已添加账号 zhaomin（档案员）" in result.output
    result = run_cli("user", "add", "zhaomin", "--role", "archivist", "--password", "a-strong-password")
    assert result.exit_code == 1 and "用户名 zhaomin 已存在" in result.output
    result = run_cli("user", "add", "张三", "--role", "archivist", "--password", "a-strong-password")
    assert result.exit_code == 1 and "用户名须为" in result.output
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root)})
    assert _post_login(app.test_client(), "zhaomin", "a-strong-password").status_code == 302


def test_cli_password_reset_and_disable_end_sessions(app, client, login, run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_INSTANCE_DIR", str(tmp_path / "instance"))  # the app's accounts database
    login(client, "admin")
    result = run_cli("user", "password", "admin1", "--password", "brand-new-password")
    assert result.exit_code == 0 and "已重设 admin1 的密码" in result.output
    assert "退出" not in client.get("/").get_data(as_text=True)  # the old session ended
    assert _post_login(client, "admin1", "brand-new-password").status_code == 302
    result = run_cli("user", "disable", "archivist1")
    assert result.exit_code == 0
    assert _post_login(app.test_client(), "archivist1", TEST_PASSWORD).status_code == 401
    assert run_cli("user", "disable", "admin1").output.startswith("错误：至少要保留一个可用的管理员账号")
    assert run_cli("user", "enable", "archivist1").exit_code == 0
    assert _post_login(app.test_client(), "archivist1", TEST_PASSWORD).status_code == 302
    assert run_cli("user", "password", "nobody", "--password", "whatever-long").output == "错误：没有用户 nobody\n"


def _proxied_app(archive_root, tmp_path, hops: str):
    return create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "INDEX_DIR": str(tmp_path / "index"),
                       "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance"),
                       "PROXY_HOPS": hops})


def _guess_from(client, address: str, username: str, password: str):
    return client.post("/login", headers={"X-Forwarded-For": address},
                       data={"username": username, "password": password, "csrf_token": csrf_token_of(client)})


def test_behind_a_proxy_each_reader_has_their_own_login_limit(archive_root, tmp_path):
    app = _proxied_app(archive_root, tmp_path, "1")
    app.extensions["archive"].accounts.add_user("lecturer1", TEST_PASSWORD, "lecturer")
    client = app.test_client()
    for number in range(20):
        assert _guess_from(client, "10.0.0.66", f"guess{number}", "not-the-password").status_code == 401
    assert _guess_from(client, "10.0.0.66", "lecturer1", TEST_PASSWORD).status_code == 429
    assert _guess_from(client, "10.0.0.7", "lecturer1", TEST_PASSWORD).status_code == 302


def test_without_a_proxy_a_forged_forwarded_address_is_ignored(client, accounts):
    for number in range(20):
        assert _guess_from(client, f"10.0.1.{number}", f"guess{number}", "not-the-password").status_code == 401
    assert _guess_from(client, "10.0.0.7", "lecturer1", TEST_PASSWORD).status_code == 429


def test_a_proxy_setting_that_is_not_a_number_is_refused_in_one_line(run_cli, monkeypatch):
    import waitress

    monkeypatch.setenv("ARCHIVE_PROXY_HOPS", "nginx")
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: pytest.fail("served despite a bad setting"))
    result = run_cli("serve", "--port", "8765")
    assert result.exit_code == 2
    assert "ARCHIVE_PROXY_HOPS" in result.output and "Traceback" not in result.output
