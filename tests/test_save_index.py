"""A save stands whatever the search index does afterwards (issue 10): the file, history and audit
are written, the archivist is told it was saved, and when the engine says the story is not yet
searchable (queued behind a rebuild) the page says when it will be."""
from __future__ import annotations

import re

from archive.audit import AuditLog

SLUG = "kua-guo-ya-lu-jiang"
FIELDS = {"title": "跨过鸭绿江", "narrator": "王建国", "conflicts": ["抗美援朝战争"], "people": ["wang-jianguo"],
          "interviewed": "2023-05-01", "body": "## 参军\n\n[00:01:00] 我是1947年春天参军的。\n"}


def _save(app, login):
    client = app.test_client()
    token = login(client, "archivist")
    base = re.search(r'name="base_version" value="([^"]*)"', client.get(f"/edit/story/{SLUG}").get_data(as_text=True))
    response = client.post(f"/edit/story/{SLUG}", data=FIELDS | {"csrf_token": token, "base_version": base.group(1)},
                           follow_redirects=True)
    return response


def test_an_index_that_fails_after_the_file_is_written_does_not_fail_the_save(app, login, archive_root, tmp_path,
                                                                              monkeypatch):
    def broken(story):
        raise RuntimeError("the index exploded")

    monkeypatch.setattr(app.extensions["archive"].search, "index_story", broken)
    response = _save(app, login)
    assert response.status_code == 200 and "已保存" in response.get_data(as_text=True)
    assert "春天参军" in (archive_root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")
    entries = AuditLog(tmp_path / "instance" / "audit.jsonl").entries(target=f"stories/{SLUG}")
    assert entries[-1]["action"] == "stories.edit"


def test_the_page_says_when_a_queued_story_will_be_searchable(app, login, monkeypatch):
    engine = app.extensions["archive"].search
    monkeypatch.setattr(engine, "pending_notice", lambda slug: f"索引正在重建：《{slug}》约 1 分钟后可以检索到", raising=False)
    page = _save(app, login).get_data(as_text=True)
    assert "已保存" in page and f"《{SLUG}》约 1 分钟后可以检索到" in page


def test_a_profile_saved_through_the_editor_updates_its_stories_in_the_index(app, archive_root):
    from archive.search.api import SearchRequest

    context = app.extensions["archive"]
    person = context.store.get_person("wang-jianguo")
    person.meta = dict(person.meta, service=dict(person.service, units=["志愿军第27军", "独立侦察营"]))
    context.editor.save_person(person, person.version, "测试")
    found = context.search.search(SearchRequest(query="独立侦察营", role="archivist"))
    assert [hit.slug for hit in found.hits] == ["kua-guo-ya-lu-jiang"]
