"""A save while another writer holds the index (a rebuild by `archive index --rebuild`, a repair)
answers at once and is indexed once that writer lets go (issue 10): the story is queued, the page
says so, and it is found by search when the rebuild ends."""
from __future__ import annotations

import fcntl
import re
import time

from archive.search.api import SearchRequest

SLUG = "kua-guo-ya-lu-jiang"
FIELDS = {"title": "跨过鸭绿江", "narrator": "王建国", "conflicts": ["抗美援朝战争"], "people": ["wang-jianguo"],
          "interviewed": "2023-05-01", "body": "## 参军\n\n[00:01:00] 我是在蘑菇屯报名参军的。\n"}


def _save(client, token):
    page = client.get(f"/edit/story/{SLUG}").get_data(as_text=True)
    base = re.search(r'name="base_version" value="([^"]*)"', page).group(1)
    return client.post(f"/edit/story/{SLUG}", data=FIELDS | {"csrf_token": token, "base_version": base},
                       follow_redirects=True)


def _found(engine) -> list[str]:
    return [hit.slug for hit in engine.search(SearchRequest(query="蘑菇屯", role="admin")).hits]


def test_a_save_during_a_rebuild_answers_at_once_and_is_found_when_the_rebuild_ends(app, login, tmp_path):
    engine = app.extensions["archive"].search
    client = app.test_client()
    token = login(client, "archivist")
    assert _found(engine) == []
    with open(tmp_path / "index" / ".writer.lock", "a") as rebuilding:  # what a rebuild in progress holds
        fcntl.flock(rebuilding, fcntl.LOCK_EX)
        began = time.monotonic()
        response = _save(client, token)
        took = time.monotonic() - began
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "已保存" in page and took < 2.0, took
        assert "索引正在更新" in page  # the archivist is told it will be searchable shortly
        assert engine.pending_notice(SLUG) and _found(engine) == []
        time.sleep(0.5)
        fcntl.flock(rebuilding, fcntl.LOCK_UN)
    deadline = time.monotonic() + 10
    while _found(engine) != [SLUG] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _found(engine) == [SLUG]
    assert engine.pending_notice(SLUG) is None
