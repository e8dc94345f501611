"""The transcription desk in a real Chromium over a copy of the sample archive: an archivist
plays the sample recording, inserts three timecodes with the shortcut, labels the speakers,
marks an uncertain word, saves, and the saved story file has those segments at those times."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from archive.accounts.users import AccountStore
from archive.store import ContentStore
from browser.conftest import PHONE, wait_until

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "archivist-pass-18"
SLUG = "liu-guiying-yao-xiang"
PLAYER = "document.getElementById('desk-player')"


@pytest.fixture(scope="module")
def site(live_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("desk") / "archive"
    for folder in ("stories", "people", "media", "collections", "vocabularies"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    url = live_server(root)
    AccountStore(root.parent / f"{root.name}-instance").add_user("linxiao", PASSWORD, "archivist", "林晓")
    return url, root


def _signed_in(make_page, base, **size):
    page = make_page(**size)
    page.goto(base + "/login")
    page.locator("#username").fill("linxiao")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-nav")).to_contain_text("林晓")
    page.goto(base + f"/edit/story/{SLUG}/desk")
    wait_until(page, f"{PLAYER}.readyState >= 1")
    return page


def _play_to(page, start: float) -> int:
    """Seek, play a moment with Esc, pause with Esc; the whole second the player stopped at."""
    page.evaluate(f"{PLAYER}.currentTime = {start}")
    page.keyboard.press("Escape")
    wait_until(page, f"!{PLAYER}.paused && {PLAYER}.currentTime > {start + 0.6}")
    page.keyboard.press("Escape")
    wait_until(page, f"{PLAYER}.paused")
    return int(page.evaluate(f"{PLAYER}.currentTime"))


def test_an_archivist_transcribes_with_the_keyboard_and_saves(site, make_page, screenshot):
    base, root = site
    page = _signed_in(make_page, base)
    text = page.locator("#desk-body")
    text.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    times, lines = [], [("您是怎么参的军？", "跟着妇救会走了。"), ("刚到卫生部，", "绷带都缠不好。"),
                        ("药箱里有什么？", "几卷绷带、一包盐。")]
    for start, (question, answer) in zip((20, 220, 375), lines, strict=True):
        times.append(_play_to(page, start))
        text.focus()
        page.keyboard.press("Control+J")
        page.keyboard.press("Alt+1")
        page.keyboard.insert_text(question)
        page.keyboard.press("Alt+2")
        page.keyboard.insert_text(answer)
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Alt+U")  # the last two characters ("一包盐。" -> "一包[?盐。?]") are uncertain
    before = page.evaluate(f"{PLAYER}.currentTime")
    page.keyboard.press("F2")
    assert page.evaluate(f"{PLAYER}.currentTime") == pytest.approx(before - 3, abs=0.3)
    page.keyboard.press("F3")
    assert page.evaluate(f"{PLAYER}.playbackRate") == 0.9
    page.keyboard.press("F4")
    page.keyboard.press("F4")
    assert page.evaluate(f"{PLAYER}.playbackRate") == 1.25
    expect(page.locator("#desk-words")).to_contain_text("字")
    expect(page.locator("#desk-progress")).to_contain_text(f"时间码已到 00:0{times[2] // 60}:")
    screenshot(page, "desk-desktop", full_page=False)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#desk-saved")).to_contain_text("已保存", timeout=10_000)
    expect(page.locator("#desk-saved")).to_contain_text("3 个时间码段落")

    story = ContentStore(root).get_story(SLUG)
    segments = [s for s in story.segments if s.seconds is not None]
    assert [s.seconds for s in segments] == times
    assert segments[0].text.startswith(f"[{segments[0].timestamp}] **问：** 您是怎么参的军？\n\n**刘桂英：** 跟着妇救会走了。")
    assert story.body.rstrip().endswith("**刘桂英：** 几卷绷带、一包[?盐。?]")
    assert story.title == "卫生员的药箱" and story.meta["segments"]  # front matter untouched
    page.goto(base + f"/stories/{SLUG}")
    assert page.locator("#transcript .segment[data-seconds]").count() == 3


def test_the_desk_on_a_phone(site, make_page, screenshot):
    base, _root = site
    page = _signed_in(make_page, base, **PHONE)
    assert page.locator("#desk-body").is_visible()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = page.locator("#desk-player").bounding_box()
    assert box is not None and 0 <= box["y"] < 40  # the player stays at the top while typing below
    screenshot(page, "desk-phone", full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"desk is {width} px wide on a phone"


def test_an_archivist_uploads_a_recording_on_the_media_page(site, make_page, tmp_path, screenshot):
    import subprocess

    base, root = site
    clip = tmp_path / "补录.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=4",
                    "-c:a", "libmp3lame", str(clip)], check=True)
    fake = tmp_path / "不是录音.mp3"
    fake.write_text("这只是一段文字\n" * 100, encoding="utf-8")
    page = _signed_in(make_page, base)
    page.goto(base + "/edit/story/sun-dequan-chang-jin-hu/recordings")
    page.locator("#rec-file").set_input_files(str(fake))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#rec-status")).to_contain_text("不是录音.mp3：不是可以识别的音频或视频文件")
    page.locator("#rec-file").set_input_files(str(clip))
    page.locator("#rec-caption").fill("补录的一段")
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#rec-status")).to_contain_text("已保存：补录.mp3，时长 4 秒")
    expect(page.locator(".recording-list")).to_contain_text("原文件名：补录.mp3")
    screenshot(page, "recording-upload-desktop", full_page=False)
    entry = ContentStore(root).get_story("sun-dequan-chang-jin-hu").media[-1]
    assert entry.caption == "补录的一段" and entry.extra["duration"] == 4 and entry.file.endswith(".mp3")
    page.goto(base + "/stories/sun-dequan-chang-jin-hu#t=00:00:02")
    wait_until(page, "document.getElementById('player').currentTime >= 2")


def test_a_refused_autosave_loses_no_word(site, make_page):
    base, root = site
    slug = "li-chunsheng-du-jiang"
    page = make_page()
    page.goto(base + "/login")
    page.locator("#username").fill("linxiao")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(base + f"/edit/story/{slug}/desk")
    path = root / "stories" / f"{slug}.md"
    theirs = path.read_text(encoding="utf-8") + "\n另一位档案员补的一句。\n"
    path.write_text(theirs, encoding="utf-8")  # someone else saves while this page is open
    page.locator("#desk-body").click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n\n我刚听出来的一句。")
    expect(page.locator("#desk-saved")).to_contain_text("没有写入", timeout=10_000)  # the autosave was refused
    assert path.read_text(encoding="utf-8") == theirs
    page.reload()
    assert "我刚听出来的一句。" not in page.locator("#desk-body").input_value()
    page.get_by_role("button", name="恢复本机保存的文字").click()
    assert "我刚听出来的一句。" in page.locator("#desk-body").input_value()
    page.locator("#desk-body").press("End")
    page.keyboard.insert_text("\n\n另一位档案员补的一句。")  # merged by hand: both sentences kept
    expect(page.locator("#desk-saved")).to_contain_text("已自动保存", timeout=10_000)
    saved = path.read_text(encoding="utf-8")
    assert "我刚听出来的一句。" in saved and "另一位档案员补的一句。" in saved
