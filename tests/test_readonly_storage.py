"""Storage that cannot be written (issue 14): a full disk or a read-only folder is explained in
Chinese, keeps what the archivist typed, leaves no partial file and no record of a save that did
not happen; a read-only archive still starts, serves its reading pages and lets people sign in.

These tests use real filesystems: a small tmpfs filled to its last page gives a real "disk full"
(ENOSPC) and a tmpfs remounted read-only a real EROFS.  (The tests run as root, and root ignores
permission bits, so a chmod would prove nothing.)
"""
from __future__ import annotations

import errno
import html
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from conftest import PERSON, STORY, TEST_PASSWORD, csrf_token_of, write_tree
from PIL import Image

from archive import create_app
from archive.audit import AuditLog
from archive.cli import cli

SLUG = "kua-guo-ya-lu-jiang"
TYPED = "[00:20:00] 那天夜里下着大雪，我们在长津湖边趴了整整一夜，谁也没有出声。"
TYPED_MESSAGE = "根据录音补上长津湖一段"


class Mounts:
    """tmpfs mounts made by one test, read-only or filled on request, always unmounted afterwards."""

    def __init__(self):
        self.points: list[Path] = []

    def tmpfs(self, path: Path, size: str = "16m") -> Path:
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              check=False, capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); these tests need a real "
                        "read-only / full filesystem")
        self.points.append(path)
        return path

    @staticmethod
    def read_only(path: Path) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)

    @staticmethod
    def fill(path: Path) -> None:
        """Use up every free page of the tmpfs at `path`: the next write of any data gets ENOSPC."""
        with open(path / "filler.bin", "wb", buffering=0) as handle:
            chunk = b"\0" * 65536
            while True:
                try:
                    handle.write(chunk)
                except OSError as error:
                    assert error.errno == errno.ENOSPC
                    break

    def unmount_all(self) -> None:
        for point in reversed(self.points):
            if subprocess.run(["umount", str(point)], check=False, capture_output=True).returncode:
                subprocess.run(["umount", "-l", str(point)], check=True)  # a file still open: detach lazily


@pytest.fixture
def mounts():
    made = Mounts()
    yield made
    made.unmount_all()


def _archive_in(root: Path) -> Path:
    return write_tree(root, {f"stories/{SLUG}.md": STORY, "people/wang-jianguo.md": PERSON})


def _app(root: Path, **paths: Path | bool):
    return create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), **{k: v if isinstance(v, bool) else str(v)
                                                                      for k, v in paths.items()}})


def _add_archivist(app) -> None:
    app.extensions["archive"].accounts.add_user("archivist1", TEST_PASSWORD, "archivist", display_name="测试档案员")


def _sign_in(app):
    client = app.test_client()
    answer = client.post("/login", data={"username": "archivist1", "password": TEST_PASSWORD,
                                         "csrf_token": csrf_token_of(client)})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client, csrf_token_of(client)


def _edit_form(client, token: str) -> dict:
    page = client.get(f"/edit/story/{SLUG}").get_data(as_text=True)
    base = page.split('name="base_version" value="', 1)[1].split('"', 1)[0]
    return {"csrf_token": token, "base_version": base, "title": "跨过鸭绿江", "narrator": "王建国",
            "interviewed": "2023-05-01", "conflicts": ["抗美援朝战争"], "body": STORY.split("---\n", 2)[2] + TYPED,
            "message": TYPED_MESSAGE}


def _new_story_form(token: str) -> dict:
    return {"csrf_token": token, "title": "长津湖的雪夜", "narrator": "白秀兰", "slug": "xue-ye",
            "interviewed": "2024-04-21", "access": "public", "body": f"## 雪夜\n\n{TYPED}\n", "message": TYPED_MESSAGE}


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _saves_recorded(instance: Path) -> list[str]:
    return [e["action"] for e in AuditLog(instance / "audit.jsonl").entries() if e["action"].startswith("stories.")]


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def full_disk(mounts, tmp_path):
    """An archive whose content folder sits on a tmpfs that is full; the instance folder is elsewhere."""
    root = _archive_in(mounts.tmpfs(tmp_path / "archive", "2m"))
    instance = tmp_path / "instance"
    app = _app(root, INDEX_DIR=tmp_path / "index", INSTANCE_DIR=instance, CACHE_DIR=tmp_path / "cache")
    _add_archivist(app)
    client, token = _sign_in(app)
    form = _edit_form(client, token)
    mounts.fill(root)
    return SimpleNamespace(app=app, root=root, instance=instance, client=client, token=token, form=form)


# -- writes that fail: full disk ------------------------------------------------------------------
def test_a_form_save_on_a_full_disk_keeps_everything_typed_and_records_nothing(full_disk):
    app, root, instance = full_disk.app, full_disk.root, full_disk.instance
    before = (root / "stories" / f"{SLUG}.md").read_bytes()
    answer = full_disk.client.post(f"/edit/story/{SLUG}", data=full_disk.form)
    page = _page(answer)
    assert answer.status_code == 507
    assert "存储空间已满" in page and "没有保存" in page
    assert TYPED in page and TYPED_MESSAGE in page  # the archivist's words come back in the form
    assert (root / "stories" / f"{SLUG}.md").read_bytes() == before
    assert _leftovers(root / "stories") == []
    assert _saves_recorded(instance) == []  # no audit line claims a save
    assert app.extensions["archive"].history.versions("stories", SLUG) == []


def test_a_json_api_save_on_a_full_disk_answers_a_json_error(full_disk):
    root, instance = full_disk.root, full_disk.instance
    answer = full_disk.client.put(f"/api/stories/{SLUG}", headers={"X-CSRF-Token": full_disk.token},
                                  json={"meta": {"title": "跨过鸭绿江", "narrator": "王建国"}, "body": TYPED,
                                        "base_version": full_disk.form["base_version"]})
    assert answer.status_code == 507
    assert "存储空间已满" in answer.get_json()["error"]
    assert TYPED not in (root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert _saves_recorded(instance) == []


def test_an_upload_on_a_full_disk_keeps_the_captions_and_stores_no_file(full_disk):
    app, root, instance = full_disk.app, full_disk.root, full_disk.instance
    answer = full_disk.client.post(f"/edit/story/{SLUG}/photos", content_type="multipart/form-data",
                                   data={"csrf_token": full_disk.token, "base_version": full_disk.form["base_version"],
                                         "photo-0": (io.BytesIO(_jpeg()), "老照片.jpg"),
                                         "caption-0": "1951年冬在长津湖前线", "place-0": "长津湖"})
    page = _page(answer)
    assert answer.status_code == 507
    assert "存储空间已满" in page and "1951年冬在长津湖前线" in page
    assert not (root / "media").exists() or not any(p.is_file() for p in (root / "media").rglob("*"))
    assert "media" not in app.extensions["archive"].store.get_story(SLUG).meta
    assert _saves_recorded(instance) == []


def test_a_disk_that_fills_during_the_save_is_explained_and_logged_as_failed(app, login, archive_root, tmp_path,
                                                                             monkeypatch):
    client = app.test_client()
    token = login(client, "archivist")
    form = _edit_form(client, token)

    def disk_fills(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    monkeypatch.setattr("archive.store.atomic_write_text", disk_fills)
    answer = client.post(f"/edit/story/{SLUG}", data=form)
    assert answer.status_code == 507 and TYPED in _page(answer)
    assert TYPED not in (archive_root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert _saves_recorded(tmp_path / "instance")[-1] == "stories.edit.failed"


def test_signing_in_on_a_full_instance_disk_is_explained_not_a_500(mounts, archive_root, tmp_path):
    instance = mounts.tmpfs(tmp_path / "instance", "2m")
    app = _app(archive_root, INDEX_DIR=tmp_path / "index", INSTANCE_DIR=instance, CACHE_DIR=tmp_path / "cache")
    _add_archivist(app)
    mounts.fill(instance)
    client = app.test_client()
    answer = client.post("/login", data={"username": "archivist1", "password": TEST_PASSWORD,
                                         "csrf_token": csrf_token_of(client)})
    assert answer.status_code == 507
    assert "存储空间已满" in _page(answer)


# -- writes that fail: read-only ------------------------------------------------------------------
def test_content_turning_read_only_while_running_keeps_a_new_story_typed(mounts, tmp_path):
    root = _archive_in(mounts.tmpfs(tmp_path / "archive"))
    instance = tmp_path / "instance"
    app = _app(root, INDEX_DIR=tmp_path / "index", INSTANCE_DIR=instance, CACHE_DIR=tmp_path / "cache")
    _add_archivist(app)
    client, token = _sign_in(app)
    mounts.read_only(root)
    answer = client.post("/edit/new", data=_new_story_form(token))
    page = _page(answer)
    assert answer.status_code == 503
    assert "只读" in page and TYPED in page and "长津湖的雪夜" in page and "白秀兰" in page
    assert not (root / "stories" / "xue-ye.md").exists()
    assert _saves_recorded(instance) == []


def test_a_fully_read_only_root_starts_serves_pages_and_lets_archivists_sign_in(mounts, tmp_path):
    root = _archive_in(mounts.tmpfs(tmp_path / "archive"))
    _add_archivist(_app(root))  # first start: index, instance folder and accounts inside the root
    (root / "stories" / f".{SLUG}.md.0123456789ab.tmp").write_text("半截", encoding="utf-8")  # a crash's leftover
    mounts.read_only(root)
    app = _app(root)
    reader = app.test_client()
    assert "跨过鸭绿江" in _page(reader.get("/"))
    assert "连夜跨过鸭绿江" in _page(reader.get(f"/stories/{SLUG}"))
    assert "跨过鸭绿江" in _page(reader.get("/search?q=鸭绿江"))  # the index already built is used
    client, token = _sign_in(app)
    edit_page = _page(client.get(f"/edit/story/{SLUG}"))
    assert "只读模式" in edit_page
    form = _edit_form(client, token)
    answer = client.post(f"/edit/story/{SLUG}", data=form)
    assert answer.status_code == 503
    assert "只读" in _page(answer) and TYPED in _page(answer)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_read_only_content_with_a_writable_instance_folder_starts_read_only(mounts, tmp_path):
    root = _archive_in(mounts.tmpfs(tmp_path / "archive"))
    mounts.read_only(root)
    app = _app(root, INDEX_DIR=tmp_path / "index", INSTANCE_DIR=tmp_path / "instance", CACHE_DIR=tmp_path / "cache")
    _add_archivist(app)
    client, token = _sign_in(app)
    assert "只读模式" in _page(client.get("/edit/"))
    assert "跨过鸭绿江" in _page(client.get("/search?q=鸭绿江"))  # the index folder is writable: built as usual
    answer = client.post("/edit/new", data=_new_story_form(token))
    assert answer.status_code == 503 and TYPED in _page(answer)
    assert _saves_recorded(tmp_path / "instance") == []


def test_an_unwritable_index_folder_without_an_index_says_search_is_unavailable(mounts, archive_root, tmp_path):
    index = mounts.tmpfs(tmp_path / "index")
    mounts.read_only(index)
    app = _app(archive_root, INDEX_DIR=index, INSTANCE_DIR=tmp_path / "instance", CACHE_DIR=tmp_path / "cache")
    reader = app.test_client()
    assert "连夜跨过鸭绿江" in _page(reader.get(f"/stories/{SLUG}"))
    answer = reader.get("/search?q=鸭绿江")
    assert answer.status_code == 503 and "搜索暂不可用" in _page(answer)
    assert reader.get("/api/search?q=鸭绿江").status_code == 503
    assert "搜索暂不可用" in reader.get("/api/search?q=鸭绿江").get_json()["error"]
    _add_archivist(app)
    client, token = _sign_in(app)
    assert client.post(f"/edit/story/{SLUG}", data=_edit_form(client, token)).status_code == 302  # saving still works
    assert TYPED in (archive_root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")


# -- the command line -----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_archive_serve_on_a_fully_read_only_root_serves_and_explains(mounts, tmp_path):
    root = _archive_in(mounts.tmpfs(tmp_path / "archive"))
    _add_archivist(_app(root))
    mounts.read_only(root)
    port = _free_port()
    archive = Path(sys.executable).with_name("archive")
    server = subprocess.Popen([str(archive), "--root", str(root), "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/stories/{SLUG}", timeout=5) as response:
                    assert "连夜跨过鸭绿江" in response.read().decode("utf-8")
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stdout.read()
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "Traceback" not in output
    assert "只读模式" in output and "已启动" in output


def test_serve_read_only_forces_the_read_only_mode(archive_root, tmp_path, monkeypatch):
    import waitress

    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(app=app))
    monkeypatch.setenv("ARCHIVE_INSTANCE_DIR", str(tmp_path / "instance"))
    result = CliRunner().invoke(cli, ["--root", str(archive_root), "serve", "--read-only"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "只读模式" in result.output
    reader = served["app"].test_client()
    assert "连夜跨过鸭绿江" in _page(reader.get(f"/stories/{SLUG}"))
    assert "--read-only" in CliRunner().invoke(cli, ["serve", "--help"]).output


def test_forced_read_only_refuses_saves_and_keeps_the_text(accounts, archive_root, tmp_path):
    forced = _app(archive_root, INDEX_DIR=tmp_path / "index", INSTANCE_DIR=tmp_path / "instance",
                  CACHE_DIR=tmp_path / "cache", READ_ONLY=True)  # `accounts` made archivist1 in that instance
    client, token = _sign_in(forced)
    before = (archive_root / "stories" / f"{SLUG}.md").read_bytes()
    answer = client.post(f"/edit/story/{SLUG}", data=_edit_form(client, token))
    assert answer.status_code == 503 and "只读模式" in _page(answer) and TYPED in _page(answer)
    assert (archive_root / "stories" / f"{SLUG}.md").read_bytes() == before



def test_every_refused_form_in_read_only_mode_keeps_what_was_typed(accounts, archive_root, tmp_path):
    forced = _app(archive_root, INDEX_DIR=tmp_path / "index", INSTANCE_DIR=tmp_path / "instance",
                  CACHE_DIR=tmp_path / "cache", READ_ONLY=True)
    client, token = _sign_in(forced)
    before = sorted(p.name for p in archive_root.rglob("*") if p.is_file())
    takedown = client.post(f"/edit/story/{SLUG}/takedown", data={"csrf_token": token, "reason": "家属要求暂缓公开"})
    assert takedown.status_code == 503 and "家属要求暂缓公开" in _page(takedown)
    person = client.post("/edit/person/new", data={"csrf_token": token, "person_slug": "bai-xiulan", "name": "白秀兰",
                                                   "hometown": "江苏泰州", "body": "白秀兰，1931年生。"})
    assert person.status_code == 503 and "江苏泰州" in _page(person) and "白秀兰，1931年生。" in _page(person)
    base = _edit_form(client, token)["base_version"]
    merged = STORY.lstrip("\n") + TYPED
    from archive.views.merge import packed  # the conflict page carries the submitted file this way

    merge = client.post(f"/edit/story/{SLUG}/merge", data={"csrf_token": token, "opened_version": base,
                                                           "theirs_version": base, "mine_text": packed(merged)})
    assert merge.status_code == 503 and TYPED in _page(merge)
    admin = forced.test_client()
    answer = admin.post("/login", data={"username": accounts["admin"], "password": TEST_PASSWORD,
                                        "csrf_token": csrf_token_of(admin)})
    assert answer.status_code == 302
    users = admin.post("/admin/users", data={"csrf_token": csrf_token_of(admin), "username": "newcomer",
                                             "password": "another-long-password-7", "role": "lecturer"})
    assert users.status_code == 503 and "只读模式" in _page(users)  # views that keep no form are refused up front
    assert forced.extensions["archive"].accounts.by_name("newcomer") is None
    assert sorted(p.name for p in archive_root.rglob("*") if p.is_file()) == before  # nothing was written


# -- the write path itself ------------------------------------------------------------------------
def test_the_write_path_turns_storage_failures_into_a_chinese_error_and_leaves_no_temp_file(mounts, tmp_path):
    from archive.safe_write import StorageError, atomic_write_bytes, sweep_temp_files

    full = mounts.tmpfs(tmp_path / "full", "1m")
    mounts.fill(full)
    with pytest.raises(StorageError) as refused:
        atomic_write_bytes(full / "stories" / "a.md", "口述".encode() * 4096)
    assert "存储空间已满" in refused.value.message and refused.value.status == 507
    assert _leftovers(full / "stories") == []
    read_only = mounts.tmpfs(tmp_path / "ro", "1m")
    (read_only / ".a.md.0123456789ab.tmp").write_text("半截", encoding="utf-8")
    mounts.read_only(read_only)
    with pytest.raises(StorageError) as refused:
        atomic_write_bytes(read_only / "a.md", b"x")
    assert "存储为只读" in refused.value.message and refused.value.status == 503
    assert sweep_temp_files(read_only) == []  # nothing could be removed, and no crash
