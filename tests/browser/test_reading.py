"""The reading side in a real browser: what a teacher does with a class, on a projector
or a phone.  Every page here is also checked for requests off localhost, JavaScript
errors and CSP violations by the `make_page` fixture."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from reading_archive import build_reading_archive

from browser.conftest import DESKTOP, PHONE, TABLET, wait_until

MAIN_PAGES = {
    "home": "/",
    "story": "/stories/kua-guo-ya-lu-jiang",
    "story-card": "/stories/kua-guo-ya-lu-jiang/card",
    "search": "/search?q=鸭绿江",
    "browse-conflict": "/browse/conflict/抗美援朝战争",
    "people": "/people/",
    "person": "/people/wang-jianguo",
    "timeline": "/timeline/",
    "collections": "/collections/",
    "browse": "/browse/",
    "collection": "/collections/kang-mei-yuan-chao",
    "not-found": "/stories/no-such-story",
}


@pytest.fixture(scope="module")
def base(live_server, tmp_path_factory) -> str:
    """A real server over the reading-side test archive (one per module)."""
    return live_server(build_reading_archive(tmp_path_factory.mktemp("reading") / "archive"))


def test_home_page_shows_what_the_archive_holds(page, base):
    page.goto(base + "/")
    assert "篇口述故事" in page.locator(".stats").inner_text()
    assert page.locator(".stats strong").first.inner_text() == "3"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_browse_by_conflict_from_the_home_page(page, base):
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile("抗美援朝战争")).first.click()
    assert page.locator("h1").inner_text() == "战争：抗美援朝战争"
    assert page.get_by_role("link", name="跨过鸭绿江").is_visible()


def test_search_for_a_narrator_and_follow_a_segment_hit(page, base):
    page.goto(base + "/")
    page.locator("#search-q").fill("王建国")
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("#q").input_value() == "王建国"  # the box keeps the query
    assert page.locator(".hit-title").first.inner_text() == "跨过鸭绿江"
    assert "王建国" in page.locator(".hit-meta").first.inner_text()
    page.goto(base + "/search?q=鸭绿江")
    page.locator("a.segment-hit").first.click()
    page.wait_for_url(re.compile(r"/stories/kua-guo-ya-lu-jiang\?hl=.*#"))
    target = page.locator(".segment.target")
    assert target.count() == 1
    assert target.locator("mark.hit").first.inner_text() == "鸭绿江"
    assert target.locator("mark.hit").first.is_visible()


def test_search_finds_nothing_hidden_and_helps_when_empty(page, base):
    page.goto(base + "/search?q=受限故事")
    assert "没有找到" in page.locator(".result-count").inner_text()
    assert page.locator(".no-results").is_visible()


def test_print_preview_of_a_story_card(page, base):
    page.goto(base + "/stories/kua-guo-ya-lu-jiang/card")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".card-tools").is_hidden()
    assert page.locator("h1").inner_text() == "跨过鸭绿江"
    assert "王建国口述" in page.locator(".card-cite").inner_text()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 sheet


def test_story_page_prints_the_story_without_the_controls(page, base):
    page.goto(base + "/stories/kua-guo-ya-lu-jiang")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".story-actions", ".player", ".segment-tools", ".search-in-story"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator("#transcript").is_visible() and page.locator("#citation").is_visible()


def test_script_onerror_and_javascript_links_do_not_run(page, base):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base + "/stories/hostile")
    for text in ("点我", "另一个链接"):
        link = page.get_by_text(text)
        link.click()
    page.wait_for_timeout(300)
    assert "PWNED" not in page.title() and page.url.startswith(base)
    assert dialogs == []
    assert page.locator("#transcript script, #transcript img, #transcript [onerror]").count() == 0


def test_timestamp_plays_the_recording_from_that_moment(page, base):
    page.goto(base + "/stories/kua-guo-ya-lu-jiang")
    page.locator('a.ts[data-seconds="5"]').first.click()
    wait_until(page, "document.getElementById('player').currentTime >= 5")
    assert page.url.endswith("#t000005")
    page.evaluate("document.getElementById('player').pause()")
    page.locator("#t000003 .segment-title").click()  # clicking a segment's heading plays it, as in OHMS
    wait_until(page, "(p => p.currentTime >= 3 && p.currentTime < 4.5)(document.getElementById('player'))")


def test_gallery_opens_a_larger_view_and_closes_with_escape(page, base):
    page.goto(base + "/stories/kua-guo-ya-lu-jiang")
    thumbnail = page.locator(".gallery img").first
    assert thumbnail.get_attribute("alt") == "鸭绿江边的老兵"
    thumbnail.click()
    dialog = page.locator("#lightbox")
    assert dialog.is_visible()
    assert "/media/web/crossing/bridge.jpg" in page.locator("#lightbox-image").get_attribute("src")
    wait_until(page, "document.getElementById('lightbox-image').naturalWidth > 0")
    page.keyboard.press("Escape")
    assert dialog.is_hidden()


def test_copy_link_of_a_segment(page, base):
    page.goto(base + "/stories/kua-guo-ya-lu-jiang")
    button = page.locator('button.copy-link[data-anchor="can-jun"]')
    button.click()  # the clipboard answers asynchronously: wait for the button to say it copied
    expect(button).to_have_attribute("data-copied", base + "/stories/kua-guo-ya-lu-jiang#can-jun", timeout=5000)


def test_every_image_has_alt_text(page, base):
    for path in ("/", "/stories/kua-guo-ya-lu-jiang", "/people/", "/people/wang-jianguo", "/collections/"):
        page.goto(base + path)
        assert page.locator("img:not([alt])").count() == 0, path


@pytest.mark.parametrize("size_name, size", [("phone", PHONE), ("tablet", TABLET), ("desktop", DESKTOP)])
def test_main_pages_fit_the_screen_and_are_saved_as_screenshots(make_page, base, screenshot, size_name, size):
    page = make_page(**size)
    for name, path in MAIN_PAGES.items():
        response = page.goto(base + path)
        assert response.status == (404 if name == "not-found" else 200), name
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name} scrolls sideways on a {size_name}: {width}px"
        assert screenshot(page, f"{name}-{size_name}").stat().st_size > 0


def test_keyboard_reader_opens_a_photo_and_plays_from_a_segment(page, base):
    page.goto(base + "/stories/kua-guo-ya-lu-jiang")
    page.locator("a.gallery-link").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("#lightbox").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#lightbox").is_hidden()
    page.locator('button.play-from[data-seconds="3"]').focus()
    page.keyboard.press("Enter")
    wait_until(page, "document.getElementById('player').currentTime >= 3")


def test_the_guard_catches_a_request_off_localhost(browser):
    from browser.conftest import _Guard

    guard = _Guard()
    context = browser.new_context()
    context.route("**/*", guard.route)
    page = context.new_page()
    with page.expect_event("requestfailed"):  # about:blank has no CSP to stop the request first
        page.set_content('<img src="http://192.0.2.1/tracker.png" alt="">')
    context.close()
    assert guard.problems == ["request off localhost: http://192.0.2.1/tracker.png"]
