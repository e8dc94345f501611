"""Shared fixtures: every test builds its own small archive in tmp_path."""
from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

from archive import create_app
from archive.cli import cli


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root; text is dedented and UTF-8."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dedent(content).lstrip("\n"), encoding="utf-8")
    return root


STORY = """
---
title: 跨过鸭绿江
narrator: 王建国
interviewed: 2023-05-01
conflicts:
  - 抗美援朝战争
people:
  - wang-jianguo
---
## 参军

[00:01:00] 我是1947年参军的。

## 过江

[00:10:00] 1950年10月，我们连夜跨过鸭绿江。
"""

PERSON = """
---
name: 王建国
born: 1928
hometown: 山东莱阳
service:
  enlisted: 1947
  units:
    - 志愿军第27军
  rank: 班长
  campaigns:
    - 长津湖战役
  honors:
    - 二等功
---
王建国，1928年生于山东莱阳。
"""


@pytest.fixture
def archive_root(tmp_path: Path) -> Path:
    """A minimal valid archive: one story, one person."""
    return write_tree(tmp_path / "archive", {"stories/kua-guo-ya-lu-jiang.md": STORY,
                                             "people/wang-jianguo.md": PERSON})


@pytest.fixture
def app(archive_root: Path, tmp_path: Path):
    """The web app over archive_root, with every path inside tmp_path."""
    return create_app({
        "TESTING": True,
        "ARCHIVE_ROOT": str(archive_root),
        "INDEX_DIR": str(tmp_path / "index"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "INSTANCE_DIR": str(tmp_path / "instance"),
    })


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def run_cli(archive_root: Path):
    """Run `archive --root <archive_root> ARGS…`; returns click's Result."""
    runner = CliRunner()

    def run(*args: str, root: Path | None = None):
        return runner.invoke(cli, ["--root", str(root or archive_root), *args], catch_exceptions=False)

    return run


# -- accounts: one user per role, and signing a test client in ---------------
TEST_PASSWORD = "correct-horse-battery"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token_of(client) -> str:
    """The CSRF token of the client's session, read from the login form like a browser would."""
    html = client.get("/login").get_data(as_text=True)
    return CSRF_FIELD.search(html).group(1)


@pytest.fixture
def accounts(app) -> dict[str, str]:
    """One account per role in the app's real SQLite database: {role: username}, password TEST_PASSWORD."""
    store = app.extensions["archive"].accounts
    names = {}
    for role in ("admin", "archivist", "lecturer"):
        names[role] = store.add_user(f"{role}1", TEST_PASSWORD, role, display_name=f"测试{role}").username
    return names


@pytest.fixture
def login(accounts):
    """login(client, role) signs the client in through the real form; returns its new CSRF token."""
    def sign_in(test_client, role: str) -> str:
        token = csrf_token_of(test_client)
        response = test_client.post("/login", data={"username": accounts[role], "password": TEST_PASSWORD,
                                                    "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return csrf_token_of(test_client)

    return sign_in
