"""Citations that tools read (issue 12): Dublin Core and citation_* <meta> tags on story pages,
and the same Dublin Core record in the JSON API."""
from __future__ import annotations

from html.parser import HTMLParser

from tests.conftest import write_tree

HIDDEN = """
---
title: 不公开的访谈
narrator: 某老兵
access: restricted
---
正文。
"""


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.tags.append((attrs["name"], attrs.get("content") or ""))


def _meta_tags(html: str) -> list[tuple[str, str]]:
    parser = _Meta()
    parser.feed(html)
    return parser.tags


def test_a_story_page_carries_the_citation_zotero_reads(client, archive_root):
    write_tree(archive_root, {"stories/kua-guo-ya-lu-jiang.md": (archive_root / "stories/kua-guo-ya-lu-jiang.md")
               .read_text(encoding="utf-8").replace("interviewed: 2023-05-01", "interviewed: 2023-05-01\ninterviewer: 周文涛")})
    html = client.get("/stories/kua-guo-ya-lu-jiang").get_data(as_text=True)
    tags = _meta_tags(html[:html.index("</head>")])
    assert ("DC.title", "跨过鸭绿江") in tags and ("citation_title", "跨过鸭绿江") in tags
    assert ("DC.creator", "王建国") in tags and ("citation_author", "王建国") in tags
    assert ("DC.contributor", "周文涛") in tags
    assert ("DC.date", "2023-05-01") in tags and ("citation_date", "2023/05/01") in tags
    assert ("DC.identifier", "http://localhost/stories/kua-guo-ya-lu-jiang") in tags
    assert ("DC.publisher", "红色故事 · 老兵口述历史档案") in tags
    assert any(name == "DC.rights" and content.startswith("公开") for name, content in tags)


def test_the_api_gives_the_same_dublin_core_record(client):
    record = client.get("/api/stories/kua-guo-ya-lu-jiang/dc").get_json()
    assert record["title"] == ["跨过鸭绿江"] and record["creator"] == ["王建国"]
    assert record["identifier"] == ["http://localhost/stories/kua-guo-ya-lu-jiang"]
    assert client.get("/api/stories/kua-guo-ya-lu-jiang").get_json()["dublin_core"] == record


def test_a_restricted_story_has_no_dublin_core_record_for_an_anonymous_reader(client, archive_root):
    write_tree(archive_root, {"stories/bu-gong-kai.md": HIDDEN})
    response = client.get("/api/stories/bu-gong-kai/dc")
    assert response.status_code == 404 and response.is_json
