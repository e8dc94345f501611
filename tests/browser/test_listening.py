"""The listening page in a real Chromium over the sample archive and its one recording
(刘桂英《卫生员的药箱》, a 23-minute Ogg Opus file): the sticky player, the transcript
following the playback, #t= links, and search inside the story."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser.conftest import PHONE, wait_until

REPO = Path(__file__).resolve().parents[2]
STORY = "/stories/liu-guiying-yao-xiang"
PLAYER = "document.getElementById('player')"


@pytest.fixture(scope="module")
def base(live_server, tmp_path_factory) -> str:
    """A real server over a copy of the sample archive."""
    root = tmp_path_factory.mktemp("listening") / "archive"
    for folder in ("stories", "people", "media", "collections", "vocabularies"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    return live_server(root)


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= height + 1


def _playing(page) -> str:
    return page.evaluate("(document.querySelector('#transcript .segment.playing') || {}).id || ''")


def test_player_stays_in_view_and_the_transcript_follows_playback(page, base, screenshot):
    page.goto(base + STORY)
    wait_until(page, f"{PLAYER}.readyState >= 1")
    screenshot(page, "listening-desktop", full_page=False)
    page.locator("#t002310").scroll_into_view_if_needed()  # the last segment
    assert _in_view(page, "#player"), "the player scrolled out of view"
    entries = page.locator(".index-entry")
    assert entries.count() == 8
    first = entries.first.inner_text()
    assert "**" not in first and first.count("00:00:20") == 1 and "问：" in first  # clean label
    assert "十九岁跟着妇救会" in first and "妇救会" in entries.first.locator(".index-keywords").inner_text()
    page.locator("#t000615 .play-from").click()  # 从这里播放 on a segment far below the top
    wait_until(page, f"{PLAYER}.currentTime >= 375 && !{PLAYER}.paused")
    wait_until(page, "document.querySelector('#t000615.playing') !== null")
    assert _in_view(page, "#player")
    assert page.locator('.index-entry[data-segment="t000615"]').get_attribute("class").endswith("playing")
    page.evaluate(f"{PLAYER}.currentTime = 586; {PLAYER}.playbackRate = 2")  # 4 s before 00:09:50
    wait_until(page, f"{PLAYER}.currentTime > 586.5")
    assert _playing(page) == "t000615"
    wait_until(page, "document.querySelector('#t000950.playing') !== null", timeout=8)
    assert 589.5 <= page.evaluate(f"{PLAYER}.currentTime") < 593  # it changed at the segment's timecode
    assert _in_view(page, "#t000950 .ts"), "the transcript did not follow the playback"
    page.locator("#follow-playback").uncheck()  # the reader turns following off
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate(f"{PLAYER}.currentTime = 810")  # 00:13:30
    wait_until(page, "document.querySelector('#t001330.playing') !== null")
    assert page.evaluate("window.scrollY") < 50


def test_a_t_link_starts_at_that_second_and_an_index_entry_seeks(make_page, base):
    page = make_page()
    page.goto(base + STORY + "#t=t001605")  # a fresh visit: the browser may refuse to start sound by itself
    wait_until(page, f"{PLAYER}.currentTime >= 965")
    assert page.evaluate(f"{PLAYER}.currentTime") < 967
    if page.evaluate(f"{PLAYER}.paused"):
        assert "00:16:05" in page.locator("#now-playing").inner_text()  # the reader is told to press play
        page.evaluate(f"{PLAYER}.play()")  # what the play button does: it starts at 00:16:05
        wait_until(page, f"!{PLAYER}.paused")
        assert 965 <= page.evaluate(f"{PLAYER}.currentTime") < 968
    page.locator("h1").click()  # once the reader has used the page, a #t= link plays at once
    page.goto(base + STORY + "#t=00:12:30")
    wait_until(page, f"{PLAYER}.currentTime >= 750 && !{PLAYER}.paused")
    assert page.evaluate(f"{PLAYER}.currentTime") < 752
    wait_until(page, "document.querySelector('#t000950.playing') !== null")
    assert _in_view(page, "#player") and _in_view(page, "#t000950 .ts")
    page.locator('.index-entry[data-segment="t000340"] .index-link').click()
    wait_until(page, f"(p => p.currentTime >= 220 && p.currentTime < 222)({PLAYER})")


def test_search_inside_the_story_steps_through_every_hit(page, base):
    page.goto(base + STORY)
    text = page.locator("#transcript").inner_text() + page.locator("#toc ol").inner_text()
    expected = text.count("伤员")
    assert expected >= 5
    page.locator("#find-q").fill("伤员")
    page.locator("#find-q").press("Enter")
    count = page.locator("#find-count")
    assert count.inner_text() == f"第 1 / {expected} 处"
    assert page.locator("mark.find-hit").count() == expected
    seen = [page.locator("mark.find-hit.current").evaluate("m => m.closest('[id], [data-segment]').id || ''")]
    for number in range(2, expected + 1):
        page.locator("#find-q").press("Enter")
        assert count.inner_text() == f"第 {number} / {expected} 处"
        assert _in_view(page, "mark.find-hit.current")
    page.locator("#find-q").press("Enter")  # past the last hit: back to the first
    assert count.inner_text() == f"第 1 / {expected} 处"
    page.locator("#find-q").press("Shift+Enter")
    assert count.inner_text() == f"第 {expected} / {expected} 处"
    page.get_by_role("button", name="上一处").click()
    assert count.inner_text() == f"第 {expected - 1} / {expected} 处"
    segment = page.locator("mark.find-hit.current").evaluate("m => m.closest('.segment').id")
    page.get_by_role("button", name="从此处播放").click()
    wait_until(page, f"document.querySelector('#{segment}.playing') !== null && !{PLAYER}.paused")
    page.locator("#find-q").fill("不存在的词")
    page.locator("#find-q").press("Enter")
    assert count.inner_text() == "本篇中没有“不存在的词”" and page.locator("mark.find-hit").count() == 0
    assert seen[0] in ("toc", "")  # the first hit is in the interview index (it comes first on the page)


def test_a_search_hit_opens_with_the_count_at_its_passage(page, base):
    page.goto(base + "/search?q=" + "担架" + "&story=liu-guiying-yao-xiang")
    assert page.locator(".result-count").inner_text().startswith("本篇 ")
    page.locator("a.segment-hit").first.click()
    page.wait_for_url("**/stories/liu-guiying-yao-xiang?hl=*")
    count = page.locator("#find-count").inner_text()
    total = page.locator("mark.find-hit").count()
    assert total >= 2 and page.locator("#find-q").input_value() == "担架"
    current = page.locator("mark.find-hit.current").evaluate("m => (m.closest('.segment') || {}).id")
    assert current == page.evaluate("location.hash.slice(1)")  # the passage the hit named
    page.locator("#find-q").press("Enter")
    assert page.locator("#find-count").inner_text() != count


def test_phone_keeps_the_player_and_folds_the_index(make_page, base, screenshot):
    page = make_page(**PHONE)
    page.goto(base + STORY)
    assert page.locator("#toc").get_attribute("open") is None  # folded on a phone
    page.get_by_role("button", name="段落目录").click()
    assert page.locator("#toc").get_attribute("open") is not None and _in_view(page, "#toc summary")
    page.locator('.index-entry[data-segment="t001940"] .index-link').click()
    wait_until(page, f"{PLAYER}.currentTime >= 1180")
    assert _in_view(page, "#player") and _in_view(page, "#t001940 .ts")
    screenshot(page, "listening-phone", full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width} px wide on a phone"
