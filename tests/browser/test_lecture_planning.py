"""A lecturer builds a primary-school talk in a real browser: search, add three segments
and a photo, reorder (keyboard and drag and drop), watch the total time, see the audience
flag, export the script, .docx and .pptx, mark it delivered, and find it on the dashboard."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from lecture_archive import lecture_archive
from playwright.sync_api import expect
from pptx import Presentation

from archive.accounts.users import AccountStore

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def base(live_server, tmp_path_factory) -> str:
    """A real server over the lecture test archive, with one lecturer account."""
    root = lecture_archive(tmp_path_factory.mktemp("lectures") / "archive")
    url = live_server(root, COOKIE_SECURE=False)
    AccountStore(root.parent / f"{root.name}-instance").add_user("lihong", PASSWORD, "lecturer", "李红")
    return url


def sign_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.locator("#username").fill("lihong")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(base + "/")


def headings(page) -> list[str]:
    return page.locator("#plan-items .item-heading").all_inner_texts()


def add_from(page, url: str, *, segment_link: bool = True, new_plan: bool = False, photo: str = "") -> None:
    """Open a page, click its (first) “加入讲稿”, choose the plan and add."""
    page.goto(url)
    page.locator("a.add-to-talk").first.click()
    page.wait_for_url(re.compile(r"/lectures/add\?"))
    if photo:
        page.locator(f"input[name=photo][value='{photo}']").check()
    if new_plan:
        page.locator("#plan").select_option("new")
        page.locator("#new-title").fill("走进红星路小学")
        page.locator("#new-audience").select_option("小学高年级")
    page.get_by_role("button", name="加入讲稿").click()
    page.wait_for_url(re.compile(r"/lectures/\d{8}-[0-9a-f]{4}#items"))


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return Path(info.value.path()).read_bytes()


def test_lecturer_builds_exports_and_delivers_a_primary_school_talk(make_page, base, screenshot):
    page = make_page(height=2400)  # the whole plan in view, so a drag needs no scrolling
    sign_in(page, base)
    page.get_by_role("link", name="宣讲").click()
    assert page.locator("h1").inner_text() == "宣讲讲稿"

    # search, and add the hit's segment to a new primary-school talk
    page.get_by_role("link", name="搜索").first.click()
    page.locator("#q").fill("鸭绿江")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    add_from(page, page.url, new_plan=True)
    assert headings(page) == ["跨过鸭绿江 · 00:10:00"]
    first_total = page.locator("#total-time").inner_text()

    # a second segment from another search: a story with content notes
    add_from(page, base + "/search?q=" + "七天七夜")
    assert headings(page) == ["跨过鸭绿江 · 00:10:00", "阵地上的七天七夜 · 00:05:00"]
    assert page.locator("#total-time").inner_text() != first_total
    flag = page.locator("#plan-items .plan-item").nth(1).locator(".flag-audience")
    assert flag.is_visible() and "战争暴力细节" in flag.inner_text() and "小学高年级" in flag.inner_text()

    # a third segment from the story page, and a photo
    page.goto(base + "/stories/crossing")
    page.locator("section#t002000 a.add-to-talk").click()
    page.get_by_role("button", name="加入讲稿").click()
    page.wait_for_url(re.compile(r"#items$"))
    add_from(page, base + "/stories/crossing", photo="crossing/bridge.png")
    assert headings(page) == ["跨过鸭绿江 · 00:10:00", "阵地上的七天七夜 · 00:05:00", "跨过鸭绿江 · 00:20:00",
                              "鸭绿江边的老兵"]
    plan_url = page.url.split("#")[0]

    # reorder with the keyboard: the photo moves up to second place, and it is saved
    page.locator("#plan-items .plan-item").nth(3).locator(".drag-handle").focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.locator(".move-status").inner_text() == "已移到第 2 项。"  # told to screen readers
    expect(page.locator(".save-status")).to_have_text("顺序已保存。")
    expected = ["跨过鸭绿江 · 00:10:00", "鸭绿江边的老兵", "阵地上的七天七夜 · 00:05:00", "跨过鸭绿江 · 00:20:00"]
    assert headings(page) == expected
    assert page.locator("#plan-items .item-number").all_inner_texts() == ["1", "2", "3", "4"]
    # …and with drag and drop: the last segment goes to the top
    last = page.locator("#plan-items .plan-item").nth(3)
    with page.expect_response(lambda r: r.url.endswith("/items") and r.request.method == "POST") as saved:
        last.locator(".drag-handle").drag_to(page.locator("#plan-items .plan-item").nth(0),
                                             target_position={"x": 40, "y": 5})
    assert saved.value.ok
    expected = [expected[3]] + expected[:3]
    assert headings(page) == expected
    expect(page.locator(".save-status")).to_have_text("顺序已保存。")
    page.reload()
    assert headings(page) == expected

    # the total time follows a trim at once, and the slot mark with it
    before = page.locator("#total-time").inner_text()
    page.locator("#plan-items .plan-item").nth(1).locator(".trim-last").fill("1")
    assert page.locator("#total-time").inner_text() != before
    assert page.locator("#slot-fit").inner_text().startswith("不足")
    page.get_by_role("button", name="保存修改").click()
    page.wait_for_url(re.compile(r"#items$"))
    screenshot(page, "lecture-editor")

    # the printable script, in order, with timings and citations
    page.get_by_role("link", name="打印讲稿（A4）").click()
    script_headings = page.locator(".script-item h2").all_inner_texts()
    assert [re.sub(r"^\S+ \d\. | （约.*$", "", h) for h in script_headings] == expected
    assert script_headings[0].startswith("0:00–")
    assert page.locator(".citation").first.inner_text().startswith("出处：《跨过鸭绿江》，王建国 口述")
    screenshot(page, "lecture-script")
    page.goto(plan_url)

    # the Word document and the slide deck, opened with their own libraries
    document = Document(io.BytesIO(download(page, "导出 Word")))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == [
        f"{n}. {h}" for n, h in enumerate(expected, start=1)]
    assert sum(p.text.startswith("出处：") for p in document.paragraphs) == 4
    deck = Presentation(io.BytesIO(download(page, "导出幻灯片")))
    titles = [slide.shapes[0].text_frame.text for slide in list(deck.slides)[1:]]
    assert titles == [f"{n}. {h}" for n, h in enumerate(expected, start=1)]

    # delivered: the log records it and the dashboard counts it
    page.locator("#l-venue").fill("红星路小学")
    page.locator("#l-venue-type").fill("学校")
    page.locator("#l-size").fill("45")
    page.locator("#l-note").fill("学生提问踊跃")
    page.get_by_role("button", name="记录并标记为已宣讲").click()
    assert "已记录本次宣讲" in page.locator(".flash").inner_text()
    assert page.locator("h1 .status-badge").inner_text() == "已宣讲"
    page.goto(base + "/lectures/dashboard")
    assert page.locator("#talk-count").inner_text() == "1"
    assert page.locator("#listener-count").inner_text() == "45"
    assert "跨过鸭绿江：1 场" in page.locator(".most-told").inner_text()
    assert page.locator("svg rect.bar").count() >= 2
    screenshot(page, "lecture-dashboard")
