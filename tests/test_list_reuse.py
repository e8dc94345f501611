"""List pages (home, all stories, browse, narrators, timeline) outlive a save that changes nothing
they show, and show at once whatever a save did change (issue 15: every save re-rendered them all).

The fast paths guarded here: those pages are cached by the shelf's `shown_stamp` (archive/views/
caching.py `list_page`), and the catalog takes the editor's saved file into its listing without
listing the folder again (archive/catalog.py `Catalog.written`, told by the store)."""
from __future__ import annotations

import copy
import datetime as dt
import threading
import time

import pytest

from archive import catalog
from archive.store import ContentStore
from tests.conftest import write_tree

LISTS = ["/", "/stories/", "/browse/", "/people/", "/timeline/"]
SECOND = """---
title: 上甘岭的坑道
narrator: 李春生
interviewed: 2021-03-02
summary: 坑道里的十四天。
conflicts:
  - 抗美援朝战争
---
## 坑道

[00:02:00] 1952年，坑道里闷热，伤员一个挨一个躺着。
"""


@pytest.fixture
def context(app, archive_root):
    write_tree(archive_root, {"stories/shang-gan-ling.md": SECOND})
    found = app.extensions["archive"]
    found.search.update()
    return found


def _save(context, slug: str, words: str = "", **meta) -> None:
    story = copy.copy(context.store.get_story(slug))  # as the app does: the store's object stays as read
    story.meta = dict(story.meta, **meta)
    story.body = story.body + (f"\n[00:03:00] {words}\n" if words else "")
    context.editor.save_story(story, story.version, "测试")


def test_a_save_of_words_no_list_shows_keeps_every_list_page(context, client):
    first = {path: client.get(path) for path in LISTS}
    assert all(page.status_code == 200 for page in first.values())
    _save(context, "shang-gan-ling", "水比油还金贵。")
    for path, page in first.items():
        again = client.get(path, headers={"If-None-Match": page.headers["ETag"]})
        assert again.status_code == 304, path  # not rendered again


def test_a_new_summary_shows_on_the_next_list_page(context, client):
    assert "坑道里的十四天" in client.get("/stories/").get_data(as_text=True)
    _save(context, "shang-gan-ling", summary="坑道里的十五天。")
    for path in ("/", "/stories/"):
        page = client.get(path).get_data(as_text=True)
        assert "坑道里的十五天" in page and "坑道里的十四天" not in page, path


def test_a_new_year_told_about_shows_on_the_timeline(context, client):
    assert "1953" not in client.get("/timeline/").get_data(as_text=True)
    _save(context, "shang-gan-ling", "1953年停战那天，我们从坑道里出来。")
    assert "1953" in client.get("/timeline/").get_data(as_text=True)


def test_a_longer_transcript_shows_on_the_home_pages_hours(context, client):
    assert "0.2</strong> 小时" in client.get("/").get_data(as_text=True)
    story = copy.copy(context.store.get_story("shang-gan-ling"))
    story.body += "\n[02:00:00] 两个小时以后，天亮了。\n"
    context.editor.save_story(story, story.version, "测试")
    assert "2.2</strong> 小时" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("change", [{"access": "restricted"}, {"status": "draft"},
                                    {"embargo_until": (dt.date.today() + dt.timedelta(days=30)).isoformat()}])
def test_a_story_closed_to_readers_leaves_every_cached_list_page(context, client, change):
    for path in LISTS:
        client.get(path)  # cached now, with the story on them
    assert "上甘岭的坑道" in client.get("/stories/").get_data(as_text=True)
    _save(context, "shang-gan-ling", **change)
    for path in LISTS:
        page = client.get(path).get_data(as_text=True)
        assert "上甘岭的坑道" not in page and "李春生" not in page, (path, change)


def test_an_archivists_cached_list_is_never_an_anonymous_readers(context, app, login):
    _save(context, "shang-gan-ling", access="internal")
    archivist = app.test_client()
    login(archivist, "archivist")
    assert "上甘岭的坑道" in archivist.get("/stories/").get_data(as_text=True)
    assert "上甘岭的坑道" in archivist.get("/timeline/").get_data(as_text=True)
    reader = app.test_client()
    for path in LISTS:
        assert "上甘岭的坑道" not in reader.get(path).get_data(as_text=True), path


def test_the_editors_save_is_listed_without_listing_the_folder(context, client, monkeypatch):
    assert "上甘岭的坑道" in client.get("/stories/").get_data(as_text=True)
    listed = []
    real = context.store.list_stories
    monkeypatch.setattr(context.store, "list_stories", lambda: listed.append(1) or real())
    _save(context, "shang-gan-ling", title="上甘岭的坑道战")
    assert "上甘岭的坑道战" in client.get("/stories/").get_data(as_text=True)
    assert listed == []  # the catalog took the saved file from the editor


def test_a_new_and_a_deleted_story_are_listed_at_once(context, client):
    client.get("/stories/")
    context.editor.create_story("xin-gu-shi", {"title": "新的一篇", "narrator": "赵一"}, "[00:01:00] 开头。\n", "测试")
    context.editor.publish("xin-gu-shi", "测试", reason="测试：同意书另存")
    assert "新的一篇" in client.get("/stories/").get_data(as_text=True)
    context.editor.delete(context.store.get_story("xin-gu-shi"), "测试")
    assert "新的一篇" not in client.get("/stories/").get_data(as_text=True)


def test_a_file_changed_behind_the_apps_back_shows_once_the_listing_is_old(context, client, archive_root,
                                                                          monkeypatch):
    """A hand edit (or another process) in the instant of the editor's save: the listing that took
    only the editor's file is trusted for FULL_SCAN_SECONDS at most."""
    client.get("/stories/")
    write_tree(archive_root, {"stories/shang-gan-ling.md": SECOND.replace("上甘岭的坑道", "手改的标题")})
    _save(context, "kua-guo-ya-lu-jiang", "又想起一件事。")
    monkeypatch.setattr(catalog, "FULL_SCAN_SECONDS", 0.0)
    assert "手改的标题" in client.get("/stories/").get_data(as_text=True)


def test_a_save_by_another_process_shows_at_once(context, client, archive_root):
    """Another process (a second server, `archive import`) writes through its own store: the
    folder's mtime tells this one at once, without waiting for FULL_SCAN_SECONDS."""
    client.get("/stories/")
    other = ContentStore(archive_root)
    story = copy.copy(other.get_story("shang-gan-ling"))
    story.meta = dict(story.meta, title="另一个进程改的标题")
    other.save_story(story, story.version)
    assert "另一个进程改的标题" in client.get("/stories/").get_data(as_text=True)


def test_a_longer_reading_time_changes_the_badge_but_keeps_the_timeline(context, client):
    timeline = client.get("/timeline/")
    assert "朗读约 1 分钟" in client.get("/stories/").get_data(as_text=True)
    _save(context, "shang-gan-ling", "坑道里" * 200)  # 600 more characters: two more minutes read aloud
    assert "朗读约 3 分钟" in client.get("/stories/").get_data(as_text=True)
    again = client.get("/timeline/", headers={"If-None-Match": timeline.headers["ETag"]})
    assert again.status_code == 304  # the timeline shows no reading time


def test_a_renamed_profile_shows_on_the_narrators_index_and_a_new_title_on_the_timeline(context, client):
    assert "王建国" in client.get("/people/").get_data(as_text=True)
    client.get("/timeline/")
    person = copy.copy(context.store.get_person("wang-jianguo"))
    person.meta = dict(person.meta, name="王建国（老王）")
    context.editor.commit(person, person.version, "测试", "edit")
    assert "王建国（老王）" in client.get("/people/").get_data(as_text=True)
    _save(context, "shang-gan-ling", title="上甘岭坑道十四天")
    assert "上甘岭坑道十四天" in client.get("/timeline/").get_data(as_text=True)


def test_readers_arriving_together_list_the_folders_once(context, monkeypatch):
    """When the listing is due again (edits in place), one thread lists; the others go on with the
    last listing instead of all listing 2,000 files at once (it starved the server under load)."""
    catalog_ = context.catalog
    catalog_.shelf(None)
    listed = []
    real = context.store.list_stories

    def slow_listing():
        listed.append(1)
        time.sleep(0.2)
        return real()

    monkeypatch.setattr(context.store, "list_stories", slow_listing)
    monkeypatch.setattr(catalog, "FULL_SCAN_SECONDS", 0.0)
    readers = [threading.Thread(target=catalog_.shelf, args=(None,)) for _ in range(8)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert len(listed) == 1
