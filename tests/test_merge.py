"""Two archivists editing one story at once (issue 10): the conflict page merges both
changes (base = the version each opened), asks about overlapping paragraphs side by
side, saves nothing until the archivist confirms, and keeps every version in history."""
from __future__ import annotations

import html
import re

import pytest

from archive.audit import AuditLog

SLUG = "kua-guo-ya-lu-jiang"
BASE = re.compile(r'name="base_version" value="([^"]*)"')
FORM = re.compile(r'<form[^>]*action="[^"]*/merge"[^>]*>(.*?)</form>', re.DOTALL)
INPUT = re.compile(r'<input([^>]*)>')
TEXTAREA = re.compile(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', re.DOTALL)
ATTR = re.compile(r'(\w+)="([^"]*)"')
FIELDS = {"title": "跨过鸭绿江", "narrator": "王建国", "conflicts": ["抗美援朝战争"], "people": ["wang-jianguo"],
          "interviewed": "2023-05-01"}


@pytest.fixture
def two_archivists(app, login):
    first, second = app.test_client(), app.test_client()
    return (first, login(first, "archivist")), (second, login(second, "admin"))


def _opened(client) -> tuple[str, str]:
    """(base_version, body) as the edit page shows them."""
    page = client.get(f"/edit/story/{SLUG}").get_data(as_text=True)
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1)
    return BASE.search(page).group(1), html.unescape(body).lstrip("\n")


def _save(client, token, base, body, **fields):
    return client.post(f"/edit/story/{SLUG}", data=FIELDS | fields | {"csrf_token": token, "base_version": base,
                                                                      "body": body})


def merge_form(page: str, **choices: str) -> dict[str, str]:
    """The merge form's fields as a browser would send them (checked radios only), plus `choices`."""
    form = FORM.search(page).group(1)
    data: dict[str, str] = {}
    for attrs in INPUT.findall(form):
        found = dict(ATTR.findall(attrs))
        if "name" in found and (found.get("type") != "radio" or " checked" in attrs):
            data[found["name"]] = html.unescape(found.get("value", ""))
    data |= {name: html.unescape(text) for name, text in TEXTAREA.findall(form)}
    return data | choices


def _file(archive_root) -> str:
    return (archive_root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")


def test_different_paragraphs_merge_and_the_confirmed_file_has_both(two_archivists, archive_root, tmp_path):
    (first, token1), (second, token2) = two_archivists
    base1, body = _opened(first)
    base2, _ = _opened(second)
    assert _save(first, token1, base1, body.replace("1947年", "1947年春天")).status_code == 302
    stale = _save(second, token2, base2, body.replace("连夜跨过", "冒着大雪连夜跨过"))
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "保存冲突" in page
    assert "1947年春天" in page and "冒着大雪" in page  # both changes shown
    assert "冒着大雪" not in _file(archive_root)  # nothing saved before the archivist confirms
    assert "title:" not in page and "---" not in page  # the form editor never sees raw front matter
    confirmed = second.post(f"/edit/story/{SLUG}/merge", data=merge_form(page))
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)
    saved = _file(archive_root)
    assert "1947年春天参军" in saved and "冒着大雪连夜跨过鸭绿江" in saved
    actions = [e["action"] for e in AuditLog(tmp_path / "instance" / "audit.jsonl").entries(target=f"stories/{SLUG}")]
    assert actions[-2:] == ["stories.edit", "stories.merge"]


def test_overlapping_edits_need_an_explicit_choice_and_history_keeps_both(two_archivists, archive_root):
    (first, token1), (second, token2) = two_archivists
    base1, body = _opened(first)
    base2, _ = _opened(second)
    assert _save(first, token1, base1, body.replace("连夜", "趁夜")).status_code == 302
    page = _save(second, token2, base2, body.replace("连夜", "冒雪连夜"), place="丹东").get_data(as_text=True)
    assert "趁夜跨过" in page and "冒雪连夜跨过" in page and 'name="body-1"' in page
    unchosen = second.post(f"/edit/story/{SLUG}/merge", data=merge_form(page))
    assert unchosen.status_code == 422 and "请选择" in unchosen.get_data(as_text=True)
    assert "冒雪" not in _file(archive_root) and "丹东" not in _file(archive_root)
    chosen = second.post(f"/edit/story/{SLUG}/merge", data=merge_form(page, **{"body-1": "mine"}))
    assert chosen.status_code == 302
    saved = _file(archive_root)
    assert "冒雪连夜跨过" in saved and "趁夜" not in saved and "place: 丹东" in saved
    history = second.get(f"/edit/story/{SLUG}/history").get_data(as_text=True)
    assert "合并冲突" in history and "冲突时提交" in history
    versions = [v for v in first.application.extensions["archive"].history.versions("stories", SLUG)]
    texts = [first.application.extensions["archive"].history.text("stories", SLUG, v.version) for v in versions]
    assert any("趁夜跨过" in t for t in texts) and any("冒雪连夜" in t for t in texts)


def test_the_page_asks_again_when_a_third_save_lands_before_confirming(two_archivists, archive_root):
    (first, token1), (second, token2) = two_archivists
    base1, body = _opened(first)
    base2, _ = _opened(second)
    assert _save(first, token1, base1, body.replace("1947年", "1947年春天")).status_code == 302
    page = _save(second, token2, base2, body.replace("连夜", "冒雪连夜")).get_data(as_text=True)
    base3, body3 = _opened(first)
    assert _save(first, token1, base3, body3.replace("春天", "春天三月")).status_code == 302
    again = second.post(f"/edit/story/{SLUG}/merge", data=merge_form(page))
    assert again.status_code == 409 and "又有人保存" in again.get_data(as_text=True)
    assert "冒雪" not in _file(archive_root)
    final = second.post(f"/edit/story/{SLUG}/merge", data=merge_form(again.get_data(as_text=True)))
    assert final.status_code == 302
    saved = _file(archive_root)
    assert "1947年春天三月" in saved and "冒雪连夜" in saved
