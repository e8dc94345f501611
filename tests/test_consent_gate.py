"""Publishing without consent asks for an explicit confirmation with a reason (issue 10)."""
from __future__ import annotations

import pytest
from conftest import write_tree

from archive.audit import AuditLog
from archive.consent import consent_problems

DRAFT = """
---
title: 夜渡长江
narrator: 白秀兰
status: draft
consent:
  form_on_file: true
media:
  - file: bai/chuan.jpg
    caption: 木船
  - file: bai/he-ying.jpg
    consent:
      form_on_file: true
---
那天夜里我们上了木船。
"""


@pytest.fixture
def archive_root(tmp_path):
    return write_tree(tmp_path / "archive", {"stories/ye-du.md": DRAFT, "media/bai/chuan.jpg": b"x",
                                             "media/bai/he-ying.jpg": b"x"})


def test_what_is_missing():
    assert consent_problems({"consent": {"form_on_file": True}}) == []
    assert consent_problems({"consent": {"form_on_file": "yes"}}) == ["讲述人的知情同意书没有登记为已存档"]
    assert consent_problems({"consent": {"form_on_file": True}, "media": [{"file": "a.JPG"}, {"file": "b.mp3"}]}) \
        == ["照片 a.JPG 没有登记知情同意"]


def test_publish_asks_for_a_reason_and_audits_it(app, login, archive_root, tmp_path):
    client = app.test_client()
    token = login(client, "archivist")
    edit_page = client.get("/edit/story/ye-du").get_data(as_text=True)
    publish_at, takedown_at = edit_page.index("/publish"), edit_page.index("立即下架")
    assert edit_page.index("<form", publish_at) < takedown_at and "修改说明" in edit_page[publish_at:takedown_at]
    asked = client.post("/edit/story/ye-du/publish", data={"csrf_token": token})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 409 and "照片 bai/chuan.jpg 没有登记知情同意" in page and "确认发布" in page
    assert "status: draft" in (archive_root / "stories" / "ye-du.md").read_text(encoding="utf-8")
    confirmed = client.post("/edit/story/ye-du/publish", data={"csrf_token": token, "consent_reason": "照片为本人提供，口头同意"})
    assert confirmed.status_code == 302
    assert "status: published" in (archive_root / "stories" / "ye-du.md").read_text(encoding="utf-8")
    entry = AuditLog(tmp_path / "instance" / "audit.jsonl").entries(target="stories/ye-du")[-1]
    assert entry["action"] == "stories.publish" and entry["reason"] == "照片为本人提供，口头同意"
    assert entry["consent_missing"] == ["照片 bai/chuan.jpg 没有登记知情同意"]


def test_api_publish_needs_the_reason_too(app, login, archive_root):
    client = app.test_client()
    token = login(client, "archivist")
    refused = client.post("/api/stories/ye-du/publish", headers={"X-CSRF-Token": token}, json={})
    assert refused.status_code == 409 and refused.json["missing"] == ["照片 bai/chuan.jpg 没有登记知情同意"]
    done = client.post("/api/stories/ye-du/publish", headers={"X-CSRF-Token": token}, json={"consent_reason": "已核实"})
    assert done.status_code == 200 and done.json["status"] == "published"
