"""Issue 17, item 8: small things seen on the pages (each failed on the code before it)."""
from __future__ import annotations

from conftest import write_tree


def test_new_person_page_has_no_empty_biography_heading(archive_root, client):
    write_tree(archive_root, {"people/xin-ren.md": "---\nname: 新人\n---\n"})
    page = client.get("/people/xin-ren").get_data(as_text=True)
    assert "新人" in page and "生平" not in page
    assert "<h2>生平</h2>" in client.get("/people/wang-jianguo").get_data(as_text=True)


def test_search_without_results_has_no_empty_filter_heading(client):
    page = client.get("/search?q=火星人基地").get_data(as_text=True)
    assert "没有找到相关的故事" in page and "<h2>筛选</h2>" not in page


def test_a_word_that_matched_nothing_is_named(client):
    page = client.get("/search?q=鸭绿江 火星人").get_data(as_text=True)
    assert "跨过鸭绿江" in page
    assert "“火星人”没有找到，下面是按其余的词找到的故事。" in page
    assert "没有找到，下面" not in client.get("/search?q=鸭绿江").get_data(as_text=True)


def test_every_page_names_an_icon_that_exists(client):
    page = client.get("/").get_data(as_text=True)
    assert client.get("/favicon.ico").status_code == 200
    assert 'rel="icon"' in page
