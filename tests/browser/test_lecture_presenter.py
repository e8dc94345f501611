"""A lecturer builds a 20-minute middle-school talk from one whole section, one recorded
clip (in and out points picked on the player), one photo and their own words, watches
the running time reach the target, and gives it in presenter mode: arrow keys and
PageUp/PageDown move, the clip plays from its in point and stops at its out point.
The recording is made in the test with ffmpeg (a 10-minute tone), never downloaded."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import write_tree
from lecture_archive import png_bytes
from playwright.sync_api import expect

from archive.accounts.users import AccountStore
from browser.conftest import PHONE, wait_until

PASSWORD = "correct-horse-battery"
SENTENCE = "那年冬天我们趴在雪地里等了一整夜，天亮的时候很多战友的手脚都冻得没有知觉了，可是谁也没有往后退一步。"


def story_text() -> str:
    """A story whose first `##` section is long enough for thirteen minutes at 200 characters a minute."""
    paragraphs = [f"[00:{minute:02d}:00] {SENTENCE * 4}" for minute in range(10, 24)]
    front = ["---", "title: 长津湖的冬天", "narrator: 孙德全", "interviewed: 2023-03-01", "audience:", "  - 初中",
             "media:", "  - file: sun/interview.mp3", "    caption: 孙德全访谈录音", "  - file: sun/snow.png",
             "    caption: 雪地行军（示意图）", "---", "## 雪地潜伏 {#xue-di}", ""]
    tail = ["## 回到祖国 {#hui-guo}", "", "[00:30:00] 1953年停战以后，我们回到了祖国。", ""]
    return "\n".join(front + [line for p in paragraphs for line in (p, "")] + tail)


@pytest.fixture(scope="module")
def base(live_server, tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("presenter") / "archive"
    write_tree(root, {"stories/sun.md": story_text(), "media/sun/snow.png": png_bytes("grey")})
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=330:duration=600",
                    "-ac", "1", "-ar", "22050", "-c:a", "libmp3lame", "-b:a", "16k", str(root / "media/sun/interview.mp3")],
                   check=True, timeout=120)
    url = live_server(root, COOKIE_SECURE=False)
    AccountStore(root.parent / f"{root.name}-instance").add_user("linxiao", PASSWORD, "lecturer", "林晓")
    return url


def sign_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.locator("#username").fill("linxiao")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(base + "/")


def running_time(page) -> tuple[str, str]:
    return page.locator("#total-time").inner_text(), page.locator("#slot-fit").inner_text()


def add_page(page, base: str, plan_id: str):
    page.goto(base + "/lectures/add?story=sun")
    expect(page.locator("#plan")).to_have_value(plan_id)  # 加入讲稿 offers the plan being built
    return page


def submit_add(page) -> None:
    page.get_by_role("button", name="加入讲稿").click()
    page.wait_for_url(re.compile(r"/lectures/\d{8}-[0-9a-f]{4}#items"))


def pick_point(page, seconds: float, button: str) -> None:
    page.evaluate(f"document.querySelector('.clip-player').currentTime = {seconds}")
    wait_until(page, f"Math.abs(document.querySelector('.clip-player').currentTime - {seconds}) < 0.5")
    page.locator(f".clip-recording .{button}").click()


def build_talk(page, base: str) -> str:
    page.goto(base + "/lectures/")
    page.locator("input[name=title]").first.fill("长津湖的冬天：国防教育课")
    page.locator("select[name=audience]").first.select_option("初中")
    page.locator("input[name=target_minutes]").first.fill("20")
    page.locator("form[action$='/lectures/new'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/lectures/\d{8}-[0-9a-f]{4}$"))
    plan_id = page.url.rsplit("/", 1)[-1]
    steps = []
    add_page(page, base, plan_id).locator("input[name=section][value=xue-di]").check()
    submit_add(page)
    steps.append(running_time(page))
    add_page(page, base, plan_id)
    pick_point(page, 390, "clip-set-in")
    pick_point(page, 550, "clip-set-out")
    expect(page.locator("#clip-in")).to_have_value("00:06:30")
    expect(page.locator("#clip-out")).to_have_value("00:09:10")
    expect(page.locator(".clip-length")).to_have_text("片段长 2分40秒")
    submit_add(page)
    steps.append(running_time(page))
    add_page(page, base, plan_id).locator("input[name=photo][value='sun/snow.png']").check()
    submit_add(page)
    steps.append(running_time(page))
    page.locator("#own-title").fill("结束语")
    page.locator("#own-text").fill("同学们，" + "今天我们听到的是一位老兵在零下四十度的雪地里守住阵地的故事。" * 20)
    page.get_by_role("button", name="加入串词").click()
    page.wait_for_url(re.compile(r"#items$"))
    steps.append(running_time(page))
    assert all(fit.startswith("不足") for _total, fit in steps[:3]), steps  # shown against the target at every step
    assert steps[-1][1] == "时长合适", steps  # the running time reached the 20-minute target
    return plan_id


def test_build_a_twenty_minute_talk_and_present_it(base, make_page, screenshot):
    page = make_page()
    sign_in(page, base)
    plan_id = build_talk(page, base)
    kinds = page.locator("#plan-items .item-kind").all_inner_texts()
    assert kinds == ["整节", "录音", "照片", "串词"]
    clip_card = page.locator("#plan-items li.kind-clip")
    expect(clip_card.locator(".item-duration")).to_have_text("2分40秒")  # the real length, not the words
    expect(page.locator("#plan-items li.kind-section details.item-text")).not_to_have_attribute("open", "")
    screenshot(page, "lecture-talk-editor-desktop")

    page.get_by_role("link", name="放映（演讲者模式）").click()
    page.wait_for_url(base + f"/lectures/{plan_id}/present")
    expect(page.locator(".title-slide h1")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".slide.kind-section .slide-heading")).to_have_text("长津湖的冬天 · 雪地潜伏")
    expect(page.locator("#next-heading")).to_have_text("长津湖的冬天 · 录音 00:06:30–00:09:10")
    page.keyboard.press("PageDown")  # a presenter remote: the clip slide, which starts playing
    audio = "document.querySelector('.slide.kind-clip .clip-media')"
    wait_until(page, f"!{audio}.paused && {audio}.currentTime > 390.2")
    assert 390 <= page.evaluate(f"{audio}.currentTime") < 393
    screenshot(page, "lecture-presenter-clip-desktop")
    page.evaluate(f"{audio}.currentTime = 548.5")  # skip ahead: it must stop by itself at the out point
    wait_until(page, f"{audio}.paused", timeout=15)
    assert abs(page.evaluate(f"{audio}.currentTime") - 550) < 0.1
    expect(page.locator(".slide.kind-clip .clip-state")).to_contain_text("录音已播完")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".slide.kind-photo img")).to_be_visible()
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".slide.kind-section")).to_be_visible()
    assert page.evaluate(f"{audio}.paused")
    expect(page.locator("#elapsed")).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(page.locator("#budget")).to_have_text("20:00")
    speaker = page.context.new_page()  # the private view on a second screen follows and drives the projector
    speaker.goto(base + f"/lectures/{plan_id}/present?view=private")
    expect(speaker.locator(".slide.kind-section")).to_be_visible()  # opens at the projector's item
    speaker.keyboard.press("PageDown")
    expect(page.locator(".slide.kind-clip")).to_be_visible()
    expect(speaker.locator("#next-heading")).to_have_text("雪地行军（示意图）")
    assert speaker.evaluate("document.querySelector('.slide.kind-clip .clip-media').paused")  # sound from one place
    screenshot(speaker, "lecture-presenter-private-window")
    speaker.close()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".slide.kind-section")).to_be_visible()
    page.keyboard.press("n")
    expect(page.locator("#private-view")).to_be_hidden()
    screenshot(page, "lecture-presenter-audience-only-desktop")

    phone = make_page(**PHONE)
    sign_in(phone, base)
    phone.goto(base + f"/lectures/{plan_id}")
    expect(phone.locator("#slot-fit")).to_have_text("时长合适")
    screenshot(phone, "lecture-talk-editor-phone")
    phone.goto(base + f"/lectures/{plan_id}/present")
    phone.keyboard.press("End")
    phone.keyboard.press("ArrowLeft")
    expect(phone.locator(".slide.kind-text .key-sentence")).to_be_visible()
    screenshot(phone, "lecture-presenter-phone")
    assert Path(page.url).name == "present"
