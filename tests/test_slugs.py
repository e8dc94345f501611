"""A blank 编号 makes a short pinyin slug, unique, never a Chinese file name (issue 10)."""
from __future__ import annotations

from archive.slugs import MAX_LENGTH, slug_from_title

FORM = {"title": "跨过鸭绿江", "narrator": "王建国", "interviewed": "2024-04-21", "access": "public",
        "body": "[00:01:00] 那天夜里我们上了木船。\n", "slug": ""}


def test_pinyin_short_and_unique():
    assert slug_from_title("跨过鸭绿江") == "kua-guo-ya-lu-jiang"
    long = slug_from_title("百岁老党员讲党史：从一九三八年入党到今天的故事与回忆录第二部分")
    assert long.isascii() and len(long) <= MAX_LENGTH and not long.endswith("-")
    assert slug_from_title("《上甘岭》The Battle 1952") == "shang-gan-ling-the-battle-1952"
    assert slug_from_title("！？") == "story"
    taken = {"kua-guo-ya-lu-jiang", "kua-guo-ya-lu-jiang-2"}
    assert slug_from_title("跨过鸭绿江", taken.__contains__) == "kua-guo-ya-lu-jiang-3"


def test_new_story_with_blank_slug_gets_a_pinyin_file_name(app, login, archive_root):
    client = app.test_client()
    token = login(client, "archivist")
    response = client.post("/edit/new", data=FORM | {"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/edit/story/kua-guo-ya-lu-jiang-2")  # the sample has the first
    assert (archive_root / "stories" / "kua-guo-ya-lu-jiang-2.md").is_file()


def test_api_and_import_get_the_same_rule(app, login, archive_root):
    client = app.test_client()
    token = login(client, "archivist")
    response = client.post("/api/stories", headers={"X-CSRF-Token": token},
                           json={"meta": {"title": "夜渡长江", "narrator": "白秀兰"}, "body": "那天夜里。\n"})
    assert response.status_code == 201 and response.json["slug"] == "ye-du-chang-jiang"
