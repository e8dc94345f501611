"""The transcription desk's server side: saves go through the Editor with the stale-edit check
(never over another archivist's save), produce the ordinary story file, and the counts."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.models import content_version
from archive.transcription import last_timecode, word_count

STORY = "---\ntitle: 药箱\nnarrator: 刘桂英\nsummary: 一只药箱\n---\n[00:00:01] 我们沂蒙山的闺女。\n"


@pytest.fixture
def desk(archive_root: Path, app, client, login):
    (archive_root / "stories" / "yao-xiang.md").write_text(STORY, encoding="utf-8")
    token = login(client, "archivist")
    return archive_root / "stories" / "yao-xiang.md", client, token


def post(client, token, body: str, base: str, final: bool = False):
    return client.post("/edit/story/yao-xiang/desk", json={"body": body, "base_version": base, "final": final},
                       headers={"X-CSRF-Token": token})


def test_the_desk_page_is_for_archivists(desk, app):
    _path, client, _token = desk
    html = client.get("/edit/story/yao-xiang/desk").get_data(as_text=True)
    assert 'id="desk-body"' in html and "我们沂蒙山的闺女。" in html and "**刘桂英：**" in html
    assert app.test_client().get("/edit/story/yao-xiang/desk").status_code in (302, 403)


def test_autosave_and_save_write_the_ordinary_story_file_with_history(desk):
    path, client, token = desk
    base = content_version(path.read_bytes())
    body = "[00:00:01] **问：** 您是怎么参的军？\n\n[00:00:04] **刘桂英：** 我十九岁那年[?参?]的军。\n"
    first = post(client, token, body, base)
    assert first.status_code == 200 and first.get_json()["segments"] == 2
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 药箱\nnarrator: 刘桂英\nsummary: 一只药箱\n---\n") and text.endswith(body)
    final = post(client, token, body + "\n[00:00:09] 完。\n", first.get_json()["version"], final=True)
    assert final.status_code == 200 and final.get_json()["segments"] == 3
    history = client.get("/edit/story/yao-xiang/history").get_data(as_text=True)
    assert "转写台自动保存" in history and "转写台保存" in history


def test_a_save_based_on_an_old_version_never_overwrites_another(desk):
    path, client, token = desk
    base = content_version(path.read_bytes())
    assert post(client, token, "[00:00:01] 别人的版本。\n", base).status_code == 200  # another archivist
    theirs = path.read_bytes()
    mine = post(client, token, "[00:00:01] 我的版本。\n", base)
    assert mine.status_code == 409 and "没有写入" in mine.get_json()["error"]
    assert path.read_bytes() == theirs
    assert post(client, token, "x", "").status_code == 400  # no base version: refused, nothing written
    assert path.read_bytes() == theirs


def test_word_count_and_progress():
    assert word_count("[00:00:01] **问：** 您好 OK 2023年\n\n[00:01:05] 好。") == 7
    assert last_timecode("[00:00:01] a\n\n[00:01:05] b\n\n[00:00:30] c") == 65
    assert last_timecode("没有时间码") is None


def test_archivists_find_the_desk_and_the_upload_page_from_the_story(desk, app):
    _path, client, _token = desk
    html = client.get("/stories/yao-xiang").get_data(as_text=True)
    assert 'href="/edit/story/yao-xiang/desk"' in html and 'href="/edit/story/yao-xiang/recordings"' in html
    photos = client.get("/edit/story/yao-xiang/photos").get_data(as_text=True)
    assert 'href="/edit/story/yao-xiang/recordings"' in photos
    answer = app.test_client().get("/stories/yao-xiang")
    reader = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "我们沂蒙山的闺女" in reader
    assert "/desk" not in reader and "/recordings" not in reader
