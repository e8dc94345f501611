"""History and the editing desk show the archive's time zone, not UTC (issue 10)."""
from __future__ import annotations

import re

from archive.audit import AuditLog
from archive.local_time import shown_time


def test_utc_times_are_shown_in_the_archive_zone():
    assert shown_time("2026-12-02T06:28:43+00:00", "Asia/Shanghai") == "2026-12-02 14:28:43"
    assert shown_time("2026-12-02T23:00:00", "Asia/Shanghai") == "2026-12-03 07:00:00"  # no offset: UTC
    assert shown_time("not a time", "Asia/Shanghai") == "not a time"


def test_history_and_desk_show_beijing_time(app, login, tmp_path):
    client = app.test_client()
    token = login(client, "archivist")
    slug = "kua-guo-ya-lu-jiang"
    page = client.get(f"/edit/story/{slug}").get_data(as_text=True)
    base = re.search(r'name="base_version" value="([^"]*)"', page).group(1)
    client.post(f"/edit/story/{slug}", data={"csrf_token": token, "base_version": base, "title": "跨过鸭绿江",
                                             "narrator": "王建国", "body": "改过的文字。\n"})
    at = AuditLog(tmp_path / "instance" / "audit.jsonl").entries(target=f"stories/{slug}")[-1]["at"]
    local = shown_time(at, "Asia/Shanghai")
    assert local != at.replace("T", " ")[:19]
    assert local in client.get(f"/edit/story/{slug}/history").get_data(as_text=True)
    assert local in client.get("/edit/").get_data(as_text=True)
    app.config["TIMEZONE"] = "UTC"
    assert at.replace("T", " ")[:19] in client.get("/edit/").get_data(as_text=True)
