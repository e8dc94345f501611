"""History that replicates (issue 11): saves on a git primary become commits by their author;
a service station's `git clone` served by a real `archive serve --read-only` shows a story saved
on the primary after `git pull` (page and search), and refuses edits with a clear message."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archive import create_app
from archive.accounts.users import AccountStore
from tests.conftest import PERSON, STORY, TEST_PASSWORD, write_tree

SLUG = "kua-guo-ya-lu-jiang"
NEW_TEXT = "[00:30:00] 冰雕连的战友们，永远留在了长津湖。"
ARCHIVE = str(Path(sys.executable).with_name("archive"))
GIT_ENV = {"GIT_AUTHOR_NAME": "档案员", "GIT_AUTHOR_EMAIL": "a@example.invalid",
           "GIT_COMMITTER_NAME": "档案员", "GIT_COMMITTER_EMAIL": "a@example.invalid"}


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=dict(os.environ, **GIT_ENV)).stdout


@pytest.fixture
def primary(tmp_path) -> Path:
    """An archive root set up as the docs say: git init, opt in, fixity manifest, first commit."""
    root = write_tree(tmp_path / "primary", {f"stories/{SLUG}.md": STORY, "people/wang-jianguo.md": PERSON,
                                             ".gitignore": "instance/\nsearch_index/\ncache/\n.lock\n*.tmp\n"})
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "archive.commits", "true")
    subprocess.run([ARCHIVE, "--root", str(root), "fixity", "--init"], check=True, capture_output=True)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "建档")
    return root


def _edit_on_primary(primary: Path, tmp_path: Path) -> None:
    """An archivist saves the story through the primary's web form."""
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(primary), "INDEX_DIR": str(tmp_path / "pix"),
                      "CACHE_DIR": str(tmp_path / "pcache"), "INSTANCE_DIR": str(tmp_path / "pinstance")})
    app.extensions["archive"].accounts.add_user("archivist1", TEST_PASSWORD, "archivist")
    client = app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "archivist1", "password": TEST_PASSWORD, "csrf_token": token})
    page = client.get(f"/edit/story/{SLUG}").get_data(as_text=True)
    base = page.split('name="base_version" value="', 1)[1].split('"', 1)[0]
    body = STORY.split("---\n", 2)[2] + "\n" + NEW_TEXT + "\n"
    saved = client.post(f"/edit/story/{SLUG}", data={
        "csrf_token": _token(page), "base_version": base, "title": "跨过鸭绿江", "narrator": "王建国",
        "interviewed": "2023-05-01", "conflicts": ["抗美援朝战争"], "body": body, "message": "补记冰雕连"})
    assert saved.status_code in (200, 302, 303), saved.get_data(as_text=True)[:500]


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """urllib with cookies, against the replica's real server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        return self._send(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str]:
        encoded = urllib.parse.urlencode(data, doseq=True).encode()
        return self._send(urllib.request.Request(self.base + path, data=encoded, method="POST"))

    def _send(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")


@pytest.fixture
def replica(primary, tmp_path):
    """`git clone` of the primary, served read-only by a real `archive serve` subprocess."""
    clone = tmp_path / "服务站"
    subprocess.run(["git", "clone", "-q", str(primary), str(clone)], check=True)
    instance = tmp_path / "replica-instance"
    AccountStore(instance).add_user("station1", TEST_PASSWORD, "archivist")
    port = _free_port()
    env = dict(os.environ, ARCHIVE_INSTANCE_DIR=str(instance), ARCHIVE_CACHE_DIR=str(tmp_path / "rcache"),
               ARCHIVE_COOKIE_SECURE="0")  # plain http on 127.0.0.1
    server = subprocess.Popen([ARCHIVE, "--root", str(clone), "serve", "--read-only", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    browser = Browser(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    while True:
        try:
            if browser.get("/")[0] == 200:
                break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, server.stdout.read()
            time.sleep(0.2)
    yield clone, browser
    server.terminate()
    output, _ = server.communicate(timeout=10)
    assert "Traceback" not in output, output


def test_a_save_on_the_primary_is_a_commit_by_its_author(primary, tmp_path):
    _edit_on_primary(primary, tmp_path)
    author, subject = _git(primary, "log", "-1", "--format=%an%n%s").splitlines()[:2]
    assert author == "archivist1" and f"stories/{SLUG}.md" in subject
    changed = _git(primary, "show", "--name-only", "--format=", "HEAD").split()
    assert f"stories/{SLUG}.md" in changed and ".fixity/manifest-sha256.txt" in changed
    assert any(name.startswith(f".history/stories/{SLUG}/") for name in changed)
    assert _git(primary, "status", "--porcelain", "--", "stories", ".fixity", ".history") == ""


def test_the_replica_follows_git_pull_and_refuses_edits(primary, replica, tmp_path):
    clone, browser = replica
    status, page = browser.get(f"/stories/{SLUG}")
    assert status == 200 and "连夜跨过鸭绿江" in page and "冰雕连" not in page
    assert SLUG in browser.get("/search?q=" + urllib.parse.quote("鸭绿江"))[1]
    _edit_on_primary(primary, tmp_path)
    subprocess.run(["git", "-C", str(clone), "pull", "-q", "--ff-only"], check=True)
    time.sleep(1.1)  # the replica looks at the git index at most once a second
    assert "冰雕连" in browser.get(f"/stories/{SLUG}")[1]
    found = browser.get("/search?q=" + urllib.parse.quote("冰雕连"))[1]
    assert f"/stories/{SLUG}" in found
    login_page = browser.get("/login")[1]
    browser.post("/login", {"username": "station1", "password": TEST_PASSWORD, "csrf_token": _token(login_page)})
    form = browser.get(f"/edit/story/{SLUG}")[1]
    base = form.split('name="base_version" value="', 1)[1].split('"', 1)[0]
    status, refused = browser.post(f"/edit/story/{SLUG}", {
        "csrf_token": _token(form), "base_version": base, "title": "跨过鸭绿江", "narrator": "王建国",
        "body": "改写", "message": "试图在服务站修改"})
    assert status == 503 and "只读副本" in refused and "主站" in refused
    assert "改写" not in (clone / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert subprocess.run([ARCHIVE, "--root", str(clone), "fixity"], check=False, capture_output=True).returncode == 0


def test_purge_commits_and_the_separate_rewrite_clears_git_history(primary, tmp_path):
    _edit_on_primary(primary, tmp_path)
    env = {"ARCHIVE_INSTANCE_DIR": str(tmp_path / "pinstance")}
    base = [ARCHIVE, "--root", str(primary), "purge"]
    subprocess.run([*base, "--story", SLUG, "--reason", "家属撤回授权", "--yes", "--by", "admin1"],
                   check=True, capture_output=True, env=dict(os.environ, **env))
    assert _git(primary, "log", "-1", "--format=%an").strip() == "admin1"
    assert "冰雕连" in _git(primary, "log", "--all", "-p"), "before the rewrite, old commits still hold it"
    rewritten = subprocess.run([*base, "--rewrite-git-history"], capture_output=True, text=True,
                               env=dict(os.environ, **env), check=False)
    assert rewritten.returncode == 0, rewritten.stdout + rewritten.stderr
    assert "重新克隆" in rewritten.stdout
    history = _git(primary, "log", "--all", "-p")
    assert "冰雕连" not in history and "连夜跨过鸭绿江" not in history
    assert (primary / "people" / "wang-jianguo.md").is_file()


def test_the_preservation_guide_gives_every_command():
    guide = (Path(__file__).resolve().parent.parent / "docs" / "preservation.md").read_text(encoding="utf-8")
    for command in ("fixity --init", "fixity --accept", "export --bag", "archive restore", "serve --read-only",
                    "git clone", "git pull", "purge --story", "purge --person", "purge --rewrite-git-history",
                    "git config archive.commits true"):
        assert command in guide, command
    from click.testing import CliRunner

    from archive.cli import cli

    for name, explains in (("fixity", "changed PATH"), ("export", "BagIt"), ("restore", "校验失败则拒绝"),
                           ("purge", "撤回授权")):
        shown = CliRunner().invoke(cli, [name, "--help"])
        assert shown.exit_code == 0 and explains in shown.output, shown.output
