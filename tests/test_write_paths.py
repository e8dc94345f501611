"""Every write path carries the version it was based on (issue 10): web form, JSON API, import,
CLI, lecture plan, media, person.  A stale write, or one without a version, is refused (409 or
a conflict page) and loses nothing; every change is in the history and the audit log."""
from __future__ import annotations

import io
import re

import pytest
from conftest import write_tree
from PIL import Image

from archive.audit import AuditLog
from archive.importer import plan_import, run_import
from archive.lectures.plan import LecturePlan

SLUG = "kua-guo-ya-lu-jiang"
STORY_FIELDS = {"title": "跨过鸭绿江", "narrator": "王建国", "conflicts": ["抗美援朝战争"], "people": ["wang-jianguo"],
                "interviewed": "2023-05-01"}
BODY = "## 参军\n\n[00:01:00] 我是1947年参军的。\n"


@pytest.fixture
def context(app):
    return app.extensions["archive"]


@pytest.fixture
def archivist(app, login):
    client = app.test_client()
    return client, login(client, "archivist")


def audit_actions(tmp_path, target: str) -> list[str]:
    return [e["action"] for e in AuditLog(tmp_path / "instance" / "audit.jsonl").entries(target=target)]


def history_actions(context, kind: str, slug: str) -> list[str]:
    return [v.action for v in context.history.versions(kind, slug)]


def _text(context, kind="stories", slug=SLUG) -> str:
    return (context.paths.root / kind / f"{slug}.md").read_text(encoding="utf-8")


def test_story_form_refuses_a_save_without_its_version(context, archivist):
    client, token = archivist
    before = _text(context)
    response = client.post(f"/edit/story/{SLUG}", data=STORY_FIELDS | {"csrf_token": token, "body": BODY})
    assert response.status_code == 409 and "缺少所依据的版本号" in response.get_data(as_text=True)
    assert "1947年参军的。" in response.get_data(as_text=True)  # what was typed is on the page again
    assert _text(context) == before


def test_story_form_stale_save_gets_the_conflict_page_and_a_save_is_recorded(context, archivist, tmp_path):
    client, token = archivist
    base = context.store.get_story(SLUG).version
    ok = client.post(f"/edit/story/{SLUG}", data=STORY_FIELDS | {"csrf_token": token, "body": BODY, "base_version": base})
    assert ok.status_code == 302
    stale = client.post(f"/edit/story/{SLUG}", data=STORY_FIELDS | {"csrf_token": token, "body": "覆盖", "base_version": base})
    assert stale.status_code == 409 and "保存冲突" in stale.get_data(as_text=True)
    assert "覆盖" not in _text(context)
    assert history_actions(context, "stories", SLUG)[0] == "edit"
    assert audit_actions(tmp_path, f"stories/{SLUG}")[-1] == "stories.edit"


def test_api_refuses_stale_and_versionless_writes_and_records_the_save(context, archivist, tmp_path):
    client, token = archivist
    headers = {"X-CSRF-Token": token}
    payload = {"meta": {"title": "跨过鸭绿江", "narrator": "王建国"}, "body": BODY}
    assert client.put(f"/api/stories/{SLUG}", json=payload, headers=headers).status_code == 428
    base = context.store.get_story(SLUG).version
    assert client.put(f"/api/stories/{SLUG}", json=payload | {"base_version": base}, headers=headers).status_code == 200
    stale = client.put(f"/api/stories/{SLUG}", json=payload | {"base_version": base, "body": "覆盖"}, headers=headers)
    assert stale.status_code == 409 and "覆盖" not in _text(context)
    assert history_actions(context, "stories", SLUG)[0] == "edit"
    assert audit_actions(tmp_path, f"stories/{SLUG}")[-1] == "stories.edit"


def test_import_refuses_a_story_whose_file_appeared_meanwhile_and_goes_on(context, tmp_path):
    folder = write_tree(tmp_path / "incoming", {"ye-du.md": "---\ntitle: 夜渡\nnarrator: 白秀兰\n---\n那天夜里。\n",
                                                "bai-lao.md": "---\ntitle: 白老\nnarrator: 白玉清\n---\n一九七九年。\n"})
    items, _ = plan_import(folder, context.store)
    context.editor.create_story("ye-du", {"title": "另一篇", "narrator": "甲"}, "先到的文字。\n", "archivist1")
    saved = run_import(items, context.editor, "cli:test")
    assert saved == ["bai-lao"]
    assert "先到的文字" in _text(context, slug="ye-du")
    refused = next(item for item in items if item.slug == "ye-du")
    assert "已被另一篇故事使用" in refused.problems[0].message
    assert history_actions(context, "stories", "bai-lao") == ["import"]
    assert audit_actions(tmp_path, "stories/bai-lao") == ["stories.import"]


def test_cli_import_refuses_an_existing_slug_with_path_line_and_records_the_rest(run_cli, archive_root, tmp_path):
    folder = write_tree(tmp_path / "incoming", {f"{SLUG}.md": "---\ntitle: 重名\nnarrator: 甲\n---\n覆盖？\n",
                                                "xin.md": "---\ntitle: 新的一篇\nnarrator: 乙\n---\n新的文字。\n"})
    before = (archive_root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")
    result = run_cli("import", str(folder), "--who", "cli:test")
    assert result.exit_code == 1
    assert re.search(rf"incoming/{SLUG}\.md:\d+: ", result.output)
    assert (archive_root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8") == before
    assert "新的文字" in (archive_root / "stories" / "xin.md").read_text(encoding="utf-8")
    assert audit_actions(archive_root, "stories/xin") == ["stories.import"]  # the CLI's instance: ROOT/instance


def test_lecture_plan_saves_and_deletes_go_through_history_and_audit(context, app, login, tmp_path):
    client = app.test_client()
    token = login(client, "lecturer")
    created = client.post("/lectures/new", data={"title": "走进红星小学", "audience": "小学高年级", "target_minutes": "3",
                                                 "csrf_token": token})
    plan_id = created.headers["Location"].rsplit("/", 1)[-1]
    old = context.lectures.get(plan_id).version
    form = {"csrf_token": token, "title": "走进红星小学（修订）", "audience": "小学高年级", "target_minutes": "5"}
    assert client.post(f"/lectures/{plan_id}/details", data=form | {"version": old}).status_code == 302
    for stale in ({"version": old}, {}):  # an old version, or none at all
        client.post(f"/lectures/{plan_id}/details", data=form | stale | {"title": "覆盖"})
        assert "覆盖" not in _text(context, "lectures", plan_id)
    assert client.post(f"/lectures/{plan_id}/delete", data={"csrf_token": token}).status_code == 302
    assert not (context.paths.root / "lectures" / f"{plan_id}.md").exists()
    assert history_actions(context, "lectures", plan_id) == ["delete", "edit", "create"]
    texts = [context.history.text("lectures", plan_id, v.version) for v in context.history.versions("lectures", plan_id)]
    assert "走进红星小学（修订）" in texts[1]  # the deleted plan can be brought back from its history
    assert audit_actions(tmp_path, f"lectures/{plan_id}") == ["lectures.create", "lectures.edit", "lectures.delete"]
    assert all(e["who"] == "lecturer1" for e in AuditLog(tmp_path / "instance" / "audit.jsonl").entries(
        target=f"lectures/{plan_id}"))


def test_lecture_store_refuses_a_stale_plan(context):
    plan = context.lectures.save(LecturePlan(id="20261202-abcd", title="甲", owner="lecturer1"), "lecturer1")
    context.lectures.save(LecturePlan(id=plan.id, title="乙", owner="lecturer1", version=plan.version), "lecturer1")
    from archive.store import StaleEditError

    with pytest.raises(StaleEditError):
        context.lectures.save(LecturePlan(id=plan.id, title="丙", owner="lecturer1", version=plan.version), "lecturer1")
    assert "乙" in _text(context, "lectures", plan.id)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_photo_upload_and_change_carry_the_version(context, archivist, tmp_path):
    client, token = archivist
    url = f"/edit/story/{SLUG}/photos"
    photo = {"csrf_token": token, "photo-0": (io.BytesIO(_jpeg()), "合影.jpg")}
    versionless = client.post(url, data=photo, content_type="multipart/form-data")
    assert versionless.status_code == 409 and "缺少所依据的版本号" in versionless.get_data(as_text=True)
    base = context.store.get_story(SLUG).version
    photo = {"csrf_token": token, "photo-0": (io.BytesIO(_jpeg()), "合影.jpg"), "base_version": base}
    assert client.post(url, data=photo, content_type="multipart/form-data").status_code == 302
    stale = client.post(f"{url}/0", data={"csrf_token": token, "base_version": base, "action": "remove"})
    assert stale.status_code == 409 and len(context.store.get_story(SLUG).media) == 1
    assert history_actions(context, "stories", SLUG)[0] == "media"
    assert audit_actions(tmp_path, f"stories/{SLUG}")[-1] == "stories.media"


def test_person_form_refuses_stale_and_versionless_saves(context, archivist, tmp_path):
    client, token = archivist
    url = "/edit/person/wang-jianguo"
    form = {"csrf_token": token, "name": "王建国", "born": "1928", "body": "王建国，1928年生。\n"}
    assert client.post(url, data=form).status_code == 409
    base = context.store.get_person("wang-jianguo").version
    assert client.post(url, data=form | {"base_version": base, "hometown": "山东莱阳县"}).status_code == 302
    stale = client.post(url, data=form | {"base_version": base, "hometown": "覆盖"})
    assert stale.status_code == 409 and "覆盖" not in _text(context, "people", "wang-jianguo")
    assert history_actions(context, "people", "wang-jianguo")[0] == "edit"
    assert audit_actions(tmp_path, "people/wang-jianguo")[-1] == "people.edit"
