"""The editing side: new stories as drafts, validation next to the field, stale edits
getting a conflict (not a lost update), history and restore, publish, takedown,
sensitive-data warnings, controlled vocabularies."""
from __future__ import annotations

import html
import io
import json
import re

import pytest

from archive.audit import AuditLog

BASE = re.compile(r'name="base_version" value="([^"]*)"')


def _form(token, **fields):
    data = {"csrf_token": token, "title": "夜渡长江", "narrator": "白秀兰", "interviewed": "2024-04-21",
            "interviewer": "区档案馆 刘洋", "place": "和平街道", "conflicts": ["解放战争"], "audience": ["初中"],
            "tags": "渡江、担架队", "access": "public", "consent_release_form": "1", "consent_date": "2024-04-21",
            "consent_scope": "档案馆与学校教学", "body": "## 出发\n\n[00:01:00] 那天夜里我们上了木船。\n", "slug": "ye-du"}
    data.update(fields)
    return data


@pytest.fixture
def archivist(app, login):
    client = app.test_client()
    return client, login(client, "archivist")


def _base(client, slug):
    return BASE.search(client.get(f"/edit/story/{slug}").get_data(as_text=True)).group(1)


def test_new_story_is_saved_as_a_draft_with_history_and_audit(app, archivist, archive_root, tmp_path):
    client, token = archivist
    response = client.post("/edit/new", data=_form(token, message="第一次录入"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit/story/ye-du")
    text = (archive_root / "stories" / "ye-du.md").read_text(encoding="utf-8")
    assert "status: draft" in text and "form_on_file: true" in text and "signed: '2024-04-21'" in text and "那天夜里" in text
    assert app.test_client().get("/stories/ye-du").status_code == 404  # drafts are archivists' only
    history = client.get("/edit/story/ye-du/history").get_data(as_text=True)
    assert "archivist1" in history and "新建" in history and "第一次录入" in history
    entries = AuditLog(tmp_path / "instance" / "audit.jsonl").entries(target="stories/ye-du")
    assert entries[-1]["action"] == "stories.create" and entries[-1]["before"] is None and entries[-1]["after"]


def test_new_story_with_a_new_narrator_profile(archivist, archive_root):
    client, token = archivist
    response = client.post("/edit/new", data=_form(token, person_choice="__new__", person_slug="bai-xiulan",
                                                   person_name="白秀兰", person_born="1931", person_enlisted="1948",
                                                   person_units="华东野战军第三纵队", person_honors="三等功"))
    assert response.status_code == 302
    person = (archive_root / "people" / "bai-xiulan.md").read_text(encoding="utf-8")
    assert "name: 白秀兰" in person and "enlisted: 1948" in person and "华东野战军第三纵队" in person
    assert "- bai-xiulan" in (archive_root / "stories" / "ye-du.md").read_text(encoding="utf-8")


def test_validation_errors_are_shown_next_to_the_field(archivist, archive_root):
    client, token = archivist
    response = client.post("/edit/new", data=_form(token, title="", interviewed="2024年4月", person_choice="__new__",
                                                   person_slug="x", person_name="", person_born="一九三一"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请填写标题" in page and "应为 ISO 日期" in page and "请填写四位年份" in page
    assert "那天夜里我们上了木船" in page  # nothing the archivist typed is lost
    assert not (archive_root / "stories" / "ye-du.md").exists()


def test_transcript_uploaded_as_docx_keeps_its_headings(archivist, archive_root):
    import docx

    document = docx.Document()
    document.add_heading("参军", level=2)
    document.add_paragraph("[00:02:00] 我是一九四八年参军的。")
    buffer = io.BytesIO()
    document.save(buffer)
    client, token = archivist
    data = _form(token, body="")
    data["transcript_file"] = (io.BytesIO(buffer.getvalue()), "白秀兰访谈.docx")
    assert client.post("/edit/new", data=data, content_type="multipart/form-data").status_code == 302
    text = (archive_root / "stories" / "ye-du.md").read_text(encoding="utf-8")
    assert "## 参军\n\n[00:02:00] 我是一九四八年参军的。" in text


def test_stale_edit_gets_a_conflict_page_not_a_lost_update(app, archivist, login, archive_root):
    first, token = archivist
    second = app.test_client()
    token2 = login(second, "admin")
    slug = "kua-guo-ya-lu-jiang"
    base_first, base_second = _base(first, slug), _base(second, slug)
    assert base_first == base_second
    edit = {"title": "跨过鸭绿江", "narrator": "王建国", "conflicts": ["抗美援朝战争"], "people": ["wang-jianguo"],
            "interviewed": "2023-05-01"}
    body = (archive_root / "stories" / f"{slug}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    ok = first.post(f"/edit/story/{slug}", data=edit | {"csrf_token": token, "base_version": base_first,
                                                        "body": body.replace("连夜", "冒着大雪连夜")})
    assert ok.status_code == 302
    stale = second.post(f"/edit/story/{slug}", data=edit | {"csrf_token": token2, "base_version": base_second,
                                                            "body": body + "\n补充：第二位档案员的段落。\n"})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "冒着大雪连夜" in page and "第二位档案员的段落" in page and "保存冲突" in page
    saved = (archive_root / "stories" / f"{slug}.md").read_text(encoding="utf-8")
    assert "冒着大雪连夜" in saved and "第二位档案员" not in saved
    from tests.test_merge import merge_form

    merged = second.post(f"/edit/story/{slug}/merge", data=merge_form(page))
    assert merged.status_code == 302
    saved = (archive_root / "stories" / f"{slug}.md").read_text(encoding="utf-8")
    assert "冒着大雪连夜" in saved and "补充：第二位档案员的段落。" in saved


def test_api_answers_409_for_a_stale_edit(app, archivist, archive_root):
    client, token = archivist
    slug = "kua-guo-ya-lu-jiang"
    source = client.get(f"/api/stories/{slug}/source").json
    old = source["version"]
    assert old == _base(client, slug) and source["meta"]["title"] == "跨过鸭绿江"
    assert app.test_client().get(f"/api/stories/{slug}/source").status_code == 401
    headers = {"X-CSRF-Token": token}
    payload = {"meta": {"title": "跨过鸭绿江", "narrator": "王建国"}, "body": "## 过江\n\n新的文字。\n"}
    first = client.put(f"/api/stories/{slug}", json=payload | {"base_version": old}, headers=headers)
    assert first.status_code == 200
    stale = client.put(f"/api/stories/{slug}", json=payload | {"base_version": old, "body": "覆盖"}, headers=headers)
    assert stale.status_code == 409
    assert stale.json["current_version"] == first.json["version"] and "新的文字" in stale.json["current_text"]
    assert "覆盖" not in (archive_root / "stories" / f"{slug}.md").read_text(encoding="utf-8")
    assert client.put(f"/api/stories/{slug}", json=payload | {"base_version": old}).status_code == 400  # no CSRF


def test_restore_an_old_version(archivist, archive_root):
    client, token = archivist
    path = archive_root / "stories" / "kua-guo-ya-lu-jiang.md"
    original = path.read_bytes()
    for words in ("第一次修改。", "第二次修改。"):
        response = client.put("/api/stories/kua-guo-ya-lu-jiang", headers={"X-CSRF-Token": token},
                              json={"meta": {"title": "跨过鸭绿江", "narrator": "王建国"}, "body": words,
                                    "base_version": _base(client, "kua-guo-ya-lu-jiang")})
        assert response.status_code == 200
    page = client.get("/edit/story/kua-guo-ya-lu-jiang/history").get_data(as_text=True)
    versions = re.findall(r"/edit/story/kua-guo-ya-lu-jiang/restore/(\w+)", page)
    assert len(versions) == 2  # the file as found, and the first edit (the current one has no button)
    response = client.post(f"/edit/story/kua-guo-ya-lu-jiang/restore/{versions[-1]}", data={"csrf_token": token})
    assert response.status_code == 302
    assert path.read_bytes() == original
    page = client.get("/edit/story/kua-guo-ya-lu-jiang/history").get_data(as_text=True)
    assert "恢复旧版本" in page and "第二次修改" not in path.read_text(encoding="utf-8")
    diff = client.get(f"/edit/story/kua-guo-ya-lu-jiang/history/{versions[0]}").get_data(as_text=True)
    assert "第一次修改。" in diff and 'class="add"' in diff


def test_publish_makes_a_draft_readable_and_shows_in_history(app, archivist, archive_root):
    client, token = archivist
    client.post("/edit/new", data=_form(token))
    assert client.post("/edit/story/ye-du/publish", data={"csrf_token": token}).status_code == 302
    assert "status: published" in (archive_root / "stories" / "ye-du.md").read_text(encoding="utf-8")
    assert app.test_client().get("/stories/ye-du").status_code == 200
    assert "发布" in client.get("/edit/story/ye-du/history").get_data(as_text=True)


def test_takedown_hides_at_once_with_the_reason_in_the_audit_log(app, archivist, tmp_path):
    client, token = archivist
    slug = "kua-guo-ya-lu-jiang"
    assert app.test_client().get(f"/stories/{slug}").status_code == 200
    refused = client.post(f"/edit/story/{slug}/takedown", data={"csrf_token": token, "reason": " "})
    assert refused.status_code == 303 and app.test_client().get(f"/stories/{slug}").status_code == 200
    reader = app.test_client()
    assert reader.get("/api/search?q=鸭绿江").json["total"] == 1
    client.post(f"/edit/story/{slug}/takedown", data={"csrf_token": token, "reason": "家属要求暂不公开"})
    assert reader.get(f"/stories/{slug}").status_code == 404
    assert reader.get("/api/search?q=鸭绿江").json["total"] == 0  # gone from search at once too
    last = AuditLog(tmp_path / "instance" / "audit.jsonl").entries(target=f"stories/{slug}")[-1]
    assert last["action"] == "stories.takedown" and last["reason"] == "家属要求暂不公开"
    client.post(f"/edit/story/{slug}/reinstate", data={"csrf_token": token, "note": "家属同意"})
    assert app.test_client().get(f"/stories/{slug}").status_code == 200


def test_sensitive_data_warns_before_saving(archivist, archive_root):
    client, token = archivist
    body = "我家住在和平区解放路12号3单元501室，电话13812345678。\n"
    response = client.post("/edit/new", data=_form(token, body=body))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "个人敏感信息" in page and "电话号码" in page and "住址门牌" in page
    assert "13812345678" in page  # the archivist's own text is kept in the box …
    assert "第 1 行：电话号码 13*******78" in page  # … and the warning shows where, masked
    assert not (archive_root / "stories" / "ye-du.md").exists()
    response = client.post("/edit/new", data=_form(token, body=body, confirm_sensitive="1"))
    assert response.status_code == 302 and (archive_root / "stories" / "ye-du.md").exists()


def test_saving_without_changes_keeps_the_file_byte_identical(archivist, archive_root):
    path = archive_root / "stories" / "kua-guo-ya-lu-jiang.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "custom_key: 保留\ntitle:"), encoding="utf-8")
    before = path.read_bytes()
    client, token = archivist
    page = client.get("/edit/story/kua-guo-ya-lu-jiang").get_data(as_text=True)
    body = re.search(r'<textarea id="f-body"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1)
    response = client.post("/edit/story/kua-guo-ya-lu-jiang", data={
        "csrf_token": token, "base_version": BASE.search(page).group(1), "title": "跨过鸭绿江", "narrator": "王建国",
        "interviewed": "2023-05-01", "conflicts": ["抗美援朝战争"], "people": ["wang-jianguo"],
        "body": html.unescape(body)})
    assert response.status_code == 302
    assert path.read_bytes() == before


def test_controlled_lists_come_from_editable_files(archivist, archive_root):
    client, token = archivist
    (archive_root / "vocabularies").mkdir()
    (archive_root / "vocabularies" / "conflicts.txt").write_text("# 战争\n抗日战争\n中印边境自卫反击战\n", encoding="utf-8")
    page = client.get("/edit/new").get_data(as_text=True)
    assert 'value="中印边境自卫反击战"' in page and 'value="抗美援朝战争"' in page  # the file's, plus ones in use
    client.post("/edit/vocabularies", data={"csrf_token": token, "honors": "一等功\n人民功臣\n"})
    assert "人民功臣" in (archive_root / "vocabularies" / "honors.txt").read_text(encoding="utf-8")
    assert 'value="人民功臣"' in client.get("/edit/new").get_data(as_text=True)


def test_audit_log_is_a_readable_unbroken_chain(archivist, tmp_path):
    client, token = archivist
    client.post("/edit/new", data=_form(token))
    client.post("/edit/story/ye-du/publish", data={"csrf_token": token})
    log = AuditLog(tmp_path / "instance" / "audit.jsonl")
    lines = (tmp_path / "instance" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["who"] for line in lines)
    assert [e["action"] for e in log.entries(target="stories/ye-du")] == ["stories.create", "stories.publish"]
    assert log.verify_chain() == []
    assert log.latest(2) == log.entries()[::-1][:2]  # the dashboard reads the newest from the end


def test_person_edit_keeps_service_record_and_refuses_a_stale_copy(app, archivist, login, archive_root):
    client, token = archivist
    other = app.test_client()
    token2 = login(other, "admin")
    page = client.get("/edit/person/wang-jianguo").get_data(as_text=True)
    assert 'value="志愿军第27军"' in page and 'value="长津湖战役"' in page
    base = BASE.search(page).group(1)
    fields = {"name": "王建国", "born": "1928", "hometown": "山东莱阳", "enlisted": "1947", "units": "志愿军第27军",
              "rank": "班长", "campaigns": "长津湖战役", "honors": "二等功", "base_version": base}
    first = client.post("/edit/person/wang-jianguo", data=fields | {"csrf_token": token, "wounds": "左臂冻伤",
                                                                    "body": "王建国，1928年生于山东莱阳。\n"})
    assert first.status_code == 302
    text = (archive_root / "people" / "wang-jianguo.md").read_text(encoding="utf-8")
    assert "wounds: 左臂冻伤" in text and "enlisted: 1947" in text
    stale = other.post("/edit/person/wang-jianguo", data=fields | {"csrf_token": token2, "born": "1929",
                                                                   "body": "另一位档案员的改动。\n"})
    assert stale.status_code == 409 and "左臂冻伤" in stale.get_data(as_text=True)
    assert "born: 1928" in (archive_root / "people" / "wang-jianguo.md").read_text(encoding="utf-8")
    assert "archivist1" in client.get("/edit/person/wang-jianguo/history").get_data(as_text=True)


def test_a_taken_slug_is_reported_before_anything_is_saved(archivist, archive_root):
    client, token = archivist
    response = client.post("/edit/new", data=_form(token, slug="kua-guo-ya-lu-jiang", person_choice="__new__",
                                                   person_slug="bai-xiulan", person_name="白秀兰"))
    assert response.status_code == 422 and "已被另一篇故事使用" in response.get_data(as_text=True)
    assert not (archive_root / "people" / "bai-xiulan.md").exists()  # no half-done narrator left behind
    response = client.post("/edit/new", data=_form(token, person_choice="__new__", person_slug="wang-jianguo",
                                                   person_name="王建国"))
    assert response.status_code == 422 and "人物编号 wang-jianguo 已存在" in response.get_data(as_text=True)
    assert not (archive_root / "stories" / "ye-du.md").exists()


def test_the_history_diff_marks_just_the_corrected_characters(archivist, archive_root):
    client, token = archivist
    slug = "kua-guo-ya-lu-jiang"
    path = archive_root / "stories" / f"{slug}.md"
    response = client.put(f"/api/stories/{slug}", headers={"X-CSRF-Token": token}, json={
        "meta": {"title": "跨过鸭绿江", "narrator": "王建国", "interviewed": "2023-05-01",
                 "conflicts": ["抗美援朝战争"], "people": ["wang-jianguo"]},
        "body": path.read_text(encoding="utf-8").split("---\n", 2)[2].replace("连夜", "冒着大雪连夜"),
        "base_version": _base(client, slug), "message": "据录音补字"})
    assert response.status_code == 200
    page = client.get(f"/edit/story/{slug}/history/{response.json['version']}").get_data(as_text=True)
    assert "<ins>冒着大雪</ins>" in page and "据录音补字" in page
    assert page.count("<ins>") == 1 and "<del>" not in page  # nothing else changed


def test_a_narrator_profile_can_be_added_on_its_own(archivist, archive_root):
    client, token = archivist
    assert "新建人物档案" in client.get("/edit/").get_data(as_text=True)
    response = client.post("/edit/person/new", data={"csrf_token": token, "person_slug": "wang-jianguo",
                                                      "name": "王建国"})
    assert response.status_code == 422 and "已存在" in response.get_data(as_text=True)
    response = client.post("/edit/person/new", data={"csrf_token": token, "person_slug": "yu-chunsheng",
                                                      "name": "于春生", "born": "1926", "enlisted": "1945",
                                                      "campaigns": "渡江战役", "body": "于春生，1926年生。"})
    assert response.status_code == 302
    text = (archive_root / "people" / "yu-chunsheng.md").read_text(encoding="utf-8")
    assert "name: 于春生" in text and "- 渡江战役" in text and text.endswith("于春生，1926年生。")


def test_archivists_get_an_edit_link_on_story_and_person_pages(app, archivist, login):
    client, _ = archivist
    assert 'href="/edit/story/kua-guo-ya-lu-jiang">编辑本篇' in client.get("/stories/kua-guo-ya-lu-jiang").get_data(
        as_text=True)
    assert 'href="/edit/person/wang-jianguo">编辑此人资料' in client.get("/people/wang-jianguo").get_data(as_text=True)
    lecturer = app.test_client()
    login(lecturer, "lecturer")
    assert "编辑本篇" not in lecturer.get("/stories/kua-guo-ya-lu-jiang").get_data(as_text=True)


def test_a_reference_to_a_missing_profile_is_not_dropped_by_an_edit(archivist, archive_root):
    path = archive_root / "stories" / "kua-guo-ya-lu-jiang.md"
    path.write_text(path.read_text(encoding="utf-8").replace("  - wang-jianguo", "  - wang-jianguo\n  - li-ming"),
                    encoding="utf-8")
    client, token = archivist
    page = client.get("/edit/story/kua-guo-ya-lu-jiang").get_data(as_text=True)
    assert 'value="li-ming" checked> li-ming（人物档案缺失）' in page
    response = client.post("/edit/story/kua-guo-ya-lu-jiang", data={
        "csrf_token": token, "base_version": BASE.search(page).group(1), "title": "跨过鸭绿江（修订）",
        "narrator": "王建国", "people": ["wang-jianguo", "li-ming"], "body": "正文。\n"})
    assert response.status_code == 302
    assert "- li-ming" in path.read_text(encoding="utf-8")
