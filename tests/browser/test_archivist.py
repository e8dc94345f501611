"""An archivist, in a real browser against the real server: logs in, adds a story with
a new narrator profile (live preview on), uploads two photos at once, publishes it,
and a reader finds it by search within a second of publishing."""
from __future__ import annotations

import io
import re
import time

import pytest
from conftest import PERSON, STORY, write_tree
from PIL import Image
from playwright.sync_api import expect

from archive.accounts.users import AccountStore

PASSWORD = "archivist-pass-1"
WORD = "芦苇荡"  # only the new story contains it


@pytest.fixture(scope="module")
def site(live_server, tmp_path_factory):
    """A real server (default Secure cookies: Chromium accepts them on 127.0.0.1) with one archivist."""
    root = write_tree(tmp_path_factory.mktemp("archivist") / "archive",
                      {"stories/kua-guo-ya-lu-jiang.md": STORY, "people/wang-jianguo.md": PERSON})
    url = live_server(root)
    AccountStore(root.parent / f"{root.name}-instance").add_user("zhangli", PASSWORD, "archivist", "张丽")
    return url, root


def images_load(images) -> None:
    """Every matched <img> finished loading a real picture (no eval: the site's CSP forbids it)."""
    for image in images.all():
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0


def _photo(path, color) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_archivist_adds_a_story_with_two_photos_publishes_it_and_readers_find_it(site, make_page, tmp_path,
                                                                                  screenshot):
    base, root = site
    page = make_page()
    page.goto(base + "/login")
    page.locator("#username").fill("zhangli")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-nav")).to_contain_text("张丽")

    page.get_by_role("link", name="录入访谈").click()
    page.locator("#f-title").fill("芦苇荡里的交通员")
    page.locator("#f-slug").fill("lu-wei-dang")
    page.locator("#f-narrator").fill("向秀英")
    page.locator("#f-interviewed").fill("2024-06-01")
    page.locator("#f-person_choice").select_option("__new__")
    expect(page.locator("#new-person")).to_be_visible()
    page.locator("#f-person_slug").fill("xiang-xiuying")
    page.locator("#f-person_name").fill("向秀英")
    page.locator("#f-person_born").fill("1930")
    page.locator("input[name=conflicts][value=抗日战争]").check()
    page.locator("input[name=audience][value=初中]").check()
    page.locator("#f-body").fill(f"## 送信\n\n[00:03:10] 我十三岁就在{WORD}里给游击队送信。\n")
    expect(page.locator("#preview h2")).to_contain_text("送信")  # live preview, rendered by the server
    page.locator("#f-message").fill("首次录入")
    page.get_by_role("button", name="保存为草稿").click()
    expect(page.locator(".flash")).to_contain_text("已保存为草稿")
    expect(page.locator(".status-badge").first).to_have_text("草稿")

    page.get_by_role("link", name=re.compile(r"照片（0）")).click()
    page.locator("#photo-0").set_input_files(_photo(tmp_path / "交通站旧址.jpg", (90, 110, 60)))
    page.locator("#caption-0").fill("交通站旧址")
    page.locator("#photo-1").set_input_files(_photo(tmp_path / "老人近照.jpg", (150, 60, 40)))
    page.locator("#caption-1").fill("向秀英近照")
    page.get_by_role("button", name="上传").click()
    expect(page.locator(".flash")).to_contain_text("已添加 2 张照片")
    expect(page.locator(".photo-list img")).to_have_count(2)
    assert page.locator(".photo-list").inner_text().count("原文件名") == 2
    images_load(page.locator(".photo-list img"))

    reader = make_page()  # a teacher already using the site: nothing to find yet
    reader.goto(f"{base}/search?q={WORD}")
    expect(reader.locator(".hit-title a")).to_have_count(0)

    page.get_by_role("link", name="返回编辑").click()
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".consent-check")).to_contain_text("讲述人的知情同意书没有登记为已存档")  # asked first
    screenshot(page, "archivist-consent-check")
    page.locator("#consent-reason").fill("讲述人已口头同意，纸质同意书下周补交")
    page.get_by_role("button", name="确认发布").click()
    expect(page.locator(".flash")).to_contain_text("已发布")
    published = time.monotonic()
    # The reader's search, timed from the moment publishing returned (the index is updated in
    # that request, not by a later batch).  The page is then checked without a clock: how fast
    # Chromium lays out a page on a busy test machine is not what this measures.
    answer = reader.request.get(f"{base}/api/search?q={WORD}").json()
    found_after = time.monotonic() - published
    assert [hit["slug"] for hit in answer["hits"]] == ["lu-wei-dang"]
    assert found_after < 1.0, f"found {found_after:.2f} s after publishing"
    reader.goto(f"{base}/search?q={WORD}")
    expect(reader.locator(".hit-title a")).to_have_text("芦苇荡里的交通员")
    reader.locator(".hit-title a").click()
    expect(reader.locator(".gallery img")).to_have_count(2)
    images_load(reader.locator(".gallery img"))
    screenshot(page, "archivist-story-published")
    text = (root / "stories" / "lu-wei-dang.md").read_text(encoding="utf-8")
    assert "status: published" in text and "original_name: 交通站旧址.jpg" in text
    assert (root / "people" / "xiang-xiuying.md").is_file()


def test_sensitive_data_is_flagged_and_saved_only_after_confirming(site, make_page):
    base, root = site
    page = make_page()
    page.goto(base + "/login")
    page.locator("#username").fill("zhangli")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(base + "/edit/new")
    page.locator("#f-title").fill("老兵的家")
    page.locator("#f-slug").fill("lao-bing-de-jia")
    page.locator("#f-narrator").fill("王建国")
    page.locator("#f-person_choice").select_option("wang-jianguo")  # an existing narrator: no new-person fields
    page.locator("#f-body").fill("他家住在解放路12号3单元501室，电话13812345678。\n")
    expect(page.locator("#preview-warnings")).to_contain_text("电话号码")  # warned while typing
    page.get_by_role("button", name="保存为草稿").click()
    expect(page.locator("#sensitive-warning")).to_contain_text("第 1 行：电话号码 13*******78")
    assert not (root / "stories" / "lao-bing-de-jia.md").exists()
    expect(page.locator("#f-body")).to_have_value("他家住在解放路12号3单元501室，电话13812345678。\n")
    page.get_by_label("我已核对，仍然保存").check()
    page.get_by_role("button", name="保存为草稿").click()
    expect(page.locator(".flash")).to_contain_text("已保存为草稿")
    assert "- wang-jianguo" in (root / "stories" / "lao-bing-de-jia.md").read_text(encoding="utf-8")
