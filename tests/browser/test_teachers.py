"""A teacher and a lobby screen in real Chromium (issue 17): the fewest clicks from the home page
to a printed lesson sheet, and the honour wall running for an hour of fast-forwarded time."""
from __future__ import annotations

import subprocess

import pytest
from teaching_archive import PEOPLE, build_teaching_archive

from tests.browser.conftest import DESKTOP, PHONE, wait_until

SLIDE_MS = 12_000
HOUR_MS = 3_600_000


@pytest.fixture(scope="module")
def site(live_server, tmp_path_factory):
    return live_server(build_teaching_archive(tmp_path_factory.mktemp("teachers") / "archive"))


def test_teacher_finds_a_story_and_prints_a_lesson_sheet(site, make_page, tmp_path, screenshot):
    page = make_page()
    page.goto(site + "/")
    finder = page.locator(".teacher-finder")
    finder.get_by_label("战争与时期").select_option("抗美援朝战争")
    finder.get_by_label("适合对象").select_option("小学高年级")
    finder.get_by_label("时长").select_option("15")
    finder.get_by_label("有录音").check()
    finder.get_by_role("button", name="找故事").click()  # click 1
    page.wait_for_url("**/stories/?**")
    titles = page.locator(".story-card-title").all_inner_texts()
    assert titles == ["雪夜过江"]
    assert page.locator(".chosen-filters .chip").count() == 4
    page.go_back()
    page.go_forward()  # the filters live in the address: back and forward come back to the same list
    assert page.locator(".story-card-title").all_inner_texts() == ["雪夜过江"]
    page.get_by_role("link", name="雪夜过江").click()  # click 2
    page.get_by_role("link", name="教案单").click()  # click 3
    assert page.locator(".lesson-segments .segment").count() == 2
    assert page.locator(".lesson-questions li").count() == 3
    pdf = tmp_path / "lesson.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                  text=True, check=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    assert 1 <= pages <= 2
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "sheet")], check=True, timeout=60)
    pngs = sorted(tmp_path.glob("sheet*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", *map(str, pngs)], check=False, capture_output=True, text=True,
                             timeout=60)
    assert decoded.stdout.strip().endswith("/stories/kmyc-xiao"), decoded
    page.emulate_media(media="screen")
    screenshot(page, "teachers-lesson-desktop")


def test_filter_bar_folds_on_a_phone(site, make_page, screenshot):
    page = make_page(PHONE["width"], PHONE["height"])
    page.goto(site + "/stories/?conflict=抗美援朝战争&audience=小学高年级")
    bar = page.locator("#filter-bar")
    assert bar.get_attribute("open") is None and not page.get_by_text("有录音 ", exact=False).first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "teachers-filtered-phone")
    bar.locator("summary").click()
    page.locator("#filter-bar a[data-filter='recording=1']").click()
    assert "recording=1" in page.url and page.locator(".story-card-title").all_inner_texts() == ["雪夜过江", "长津湖的冬天"]
    desktop = make_page(DESKTOP["width"], DESKTOP["height"])
    desktop.goto(site + "/stories/?conflict=抗美援朝战争")
    wait_until(desktop, "document.getElementById('filter-bar').open")
    screenshot(desktop, "teachers-filtered-desktop")


def test_reading_mode_screens(site, make_page, screenshot):
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page = make_page(size["width"], size["height"])
        page.goto(site + "/stories/polyphones")
        page.get_by_role("link", name="拼音阅读模式").click()
        page.wait_for_url("**/polyphones/read")
        page.wait_for_load_state("load")
        assert page.locator("#transcript ruby").count() > 20
        assert float(page.evaluate("getComputedStyle(document.querySelector('.reading-text')).fontSize")[:-2]) > 20
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        screenshot(page, f"teachers-reading-{name}")
        home = make_page(size["width"], size["height"])
        home.goto(site + "/")
        screenshot(home, f"teachers-home-{name}")


def _heap(cdp) -> int:
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"]


def test_honour_wall_cycles_an_hour_with_flat_memory_and_only_public_people(site, make_page, screenshot):
    page = make_page(DESKTOP["width"], DESKTOP["height"])
    page.clock.install()
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "items.json" in request.url else None)
    page.goto(site + "/wall/")
    wait_until(page, "document.getElementById('wall-count').textContent === '4'")
    cdp = page.context.new_cdp_session(page)
    eligible = {"张英雄", "李战斗", "王百岁", "孙照片"}
    hidden = {spec[0] for slug, spec in PEOPLE.items() if spec[0] not in eligible}
    seen, nodes, heaps = set(), set(), []
    down = False
    for step in range(HOUR_MS // SLIDE_MS):
        if step == 100:  # the server goes away for ten minutes (a restart): the wall keeps cycling
            page.route("**/wall/items.json", lambda route: route.abort())
            down = True
        if step == 150:
            page.unroute("**/wall/items.json")
            down = False
        page.clock.run_for(SLIDE_MS)
        name = page.locator("#wall-name").inner_text()
        assert name in eligible and name not in hidden, name
        assert page.locator("#wall-hint-name").inner_text() == name
        assert "hero-hidden-photo.jpg" not in page.locator("#wall-portrait").get_attribute("src")
        seen.add(name)
        nodes.add(page.evaluate("document.getElementsByTagName('*').length"))
        if step in (25, 150, HOUR_MS // SLIDE_MS - 1):
            heaps.append(_heap(cdp))
        if step == 1:
            screenshot(page, "teachers-wall-desktop", full_page=False)
    assert not down and seen == eligible
    assert len(nodes) == 1  # one slide, reused
    print(f"wall heap after 5, 30, 60 min: {heaps} B; items.json fetched {len(requests)} times")
    assert heaps[-1] < heaps[0] * 1.2 + 200_000 and heaps[-1] < heaps[1] * 1.1, heaps  # flat over the hour
    fetched = len(requests)
    assert fetched >= 12  # refreshed every 5 minutes, and retried while the server was away
    page.clock.run_for(60_000)
    assert page.locator("#wall-name").inner_text() in eligible
    page.locator("#wall-slide").click()  # a touch opens the story's key segment
    page.wait_for_url("**/stories/*-story#t=zhan-dou")  # the listening page starts the recording there
