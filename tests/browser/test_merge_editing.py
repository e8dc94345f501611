"""Two archivists edit one story at once in real browsers (issue 10): different paragraphs
end in a published file with both changes; overlapping ones save nothing until one is
chosen, on a conflict page that fits a 390 px phone; history shows both."""
from __future__ import annotations

import pytest
from conftest import PERSON, STORY, write_tree
from playwright.sync_api import expect

from archive.accounts.users import AccountStore

PASSWORD = "archivist-pass-2"
SLUG = "kua-guo-ya-lu-jiang"


@pytest.fixture(scope="module")
def site(live_server, tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("merge") / "archive",
                      {f"stories/{SLUG}.md": STORY, "people/wang-jianguo.md": PERSON})
    url = live_server(root)
    accounts = AccountStore(root.parent / f"{root.name}-instance")
    accounts.add_user("zhangli", PASSWORD, "archivist", "张丽")
    accounts.add_user("wangfang", PASSWORD, "archivist", "王芳")
    return url, root


def _signed_in(make_page, base: str, username: str, width: int):
    page = make_page(width=width, height=900)
    page.goto(base + "/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-nav")).to_be_visible()
    page.goto(f"{base}/edit/story/{SLUG}")
    return page


def _edit_body(page, old: str, new: str) -> None:
    body = page.locator("#f-body")
    body.fill(body.input_value().replace(old, new))
    page.get_by_role("button", name="保存", exact=True).click()


def _file(root) -> str:
    return (root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")


def test_two_archivists_at_once_keep_both_changes(site, make_page, screenshot):
    base, root = site
    first = _signed_in(make_page, base, "zhangli", 1280)
    second = _signed_in(make_page, base, "wangfang", 390)
    _edit_body(first, "1947年", "1947年春天")
    expect(first.locator("body")).to_contain_text("已保存")
    _edit_body(second, "连夜跨过", "冒着大雪连夜跨过")
    expect(second.locator("h1")).to_contain_text("保存冲突")
    expect(second.locator(".merged-theirs")).to_contain_text("1947年春天")
    expect(second.locator(".merged-mine")).to_contain_text("冒着大雪")
    assert "title:" not in second.locator("main").inner_text()
    assert second.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(second, "merge-clean-390")
    assert "冒着大雪" not in _file(root)  # not before the archivist confirms
    second.get_by_role("button", name="确认并保存").click()
    expect(second.locator("body")).to_contain_text("双方的修改都已写入")
    saved = _file(root)
    assert "1947年春天参军" in saved and "冒着大雪连夜跨过" in saved
    first.goto(f"{base}/stories/{SLUG}")  # the published story, as readers see it
    expect(first.locator("main")).to_contain_text("1947年春天参军")
    expect(first.locator("main")).to_contain_text("冒着大雪连夜跨过")

    first.goto(f"{base}/edit/story/{SLUG}")
    second.goto(f"{base}/edit/story/{SLUG}")
    _edit_body(first, "冒着大雪", "顶着风雪")
    _edit_body(second, "冒着大雪", "冒着鹅毛大雪")
    conflict = second.locator(".merge-conflict")
    expect(conflict.locator(".merge-side.theirs")).to_contain_text("顶着风雪")
    expect(conflict.locator(".merge-side.mine")).to_contain_text("冒着鹅毛大雪")
    assert second.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(second, "merge-conflict-390")
    second.set_viewport_size({"width": 1280, "height": 900})
    screenshot(second, "merge-conflict-desktop")
    second.get_by_role("button", name="确认并保存").click()  # no choice made: the browser refuses
    assert "鹅毛" not in _file(root)
    second.get_by_label("保留我的版本").check()
    second.get_by_role("button", name="确认并保存").click()
    expect(second.locator("body")).to_contain_text("双方的修改都已写入")
    assert "冒着鹅毛大雪" in _file(root) and "顶着风雪" not in _file(root)
    second.goto(f"{base}/edit/story/{SLUG}/history")
    history = second.locator("main").inner_text()
    assert "合并冲突" in history and "冲突时提交" in history and "zhangli" in history
