"""The Editor checks the kind of every front-matter field a save changes, declared once in
archive/content_model.py: a library caller, the JSON API and the form get the same refusal, and
nothing is written (issue 10: the rules live in the service, not in the views)."""
from __future__ import annotations

import copy
import json

import pytest

from archive.editing import EditError


def _edited(context, **meta):
    story = copy.copy(context.store.get_story("kua-guo-ya-lu-jiang"))
    story.meta = dict(story.meta, **meta)
    return story


def test_a_library_caller_cannot_save_a_field_of_the_wrong_kind(app, archive_root):
    context = app.extensions["archive"]
    before = (archive_root / "stories/kua-guo-ya-lu-jiang.md").read_bytes()
    story = _edited(context, interviewed="去年冬天", tags="不是列表")
    with pytest.raises(EditError) as refused:
        context.editor.save_story(story, story.version, "测试")
    assert set(refused.value.errors) == {"interviewed", "tags"}
    assert "interviewed" in refused.value.errors["interviewed"]
    assert (archive_root / "stories/kua-guo-ya-lu-jiang.md").read_bytes() == before


def test_a_field_left_as_it_was_does_not_block_a_save(app, archive_root):
    context = app.extensions["archive"]
    path = archive_root / "stories/kua-guo-ya-lu-jiang.md"
    path.write_text(path.read_text(encoding="utf-8").replace("interviewed: 2023-05-01", "interviewed: 去年"),
                    encoding="utf-8")
    story = _edited(context, summary="新的简介")
    context.editor.save_story(story, story.version, "测试")
    assert "新的简介" in path.read_text(encoding="utf-8")


def test_a_new_story_with_a_wrong_kind_is_refused(app):
    context = app.extensions["archive"]
    with pytest.raises(EditError) as refused:
        context.editor.create_story("", {"title": "新故事", "narrator": "张三", "honors": {"一等功": 1}},
                                    "正文。", "测试")
    assert set(refused.value.errors) == {"honors"}


def test_the_api_answers_422_with_the_field(app, login):
    client = app.test_client()
    token = login(client, "archivist")
    source = client.get("/api/stories/kua-guo-ya-lu-jiang/source").get_json()
    meta = dict(source["meta"], conflicts="抗美援朝战争")
    answer = client.put("/api/stories/kua-guo-ya-lu-jiang", data=json.dumps(
        {"meta": meta, "body": source["body"], "base_version": source["version"]}), content_type="application/json",
        headers={"X-CSRF-Token": token})
    assert answer.status_code == 422 and "conflicts" in answer.get_json()["fields"]


def test_front_matter_that_could_not_be_read_back_is_never_written(app, archive_root):
    """Found by schemathesis (tests/test_openapi.py): meta {"": 10**18} wrote a file the reader
    refuses (a 19-digit number), so the save answered 500 and left an unreadable story behind."""
    context = app.extensions["archive"]
    with pytest.raises(EditError) as refused:
        context.editor.create_story("", {"title": "草稿", "narrator": "张三", "": 10**18}, "正文。", "测试")
    assert "元数据无法保存" in refused.value.errors["meta"]
    assert not list((archive_root / "stories").glob("cao-gao*.md"))
    assert context.store.load_errors == {}
