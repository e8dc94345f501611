"""The small things of issue 17, measured in Chromium: a compact narrators' index, a phone header
that leaves the screen to the content, and no page pushed sideways at 390 px (admin tables too)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.accounts.users import AccountStore
from tests.browser.conftest import DESKTOP, PHONE

SAMPLE = Path(__file__).resolve().parents[2]
PASSWORD = "layout-admin-pass-1"


@pytest.fixture(scope="module")
def sample(live_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("layout") / "archive"
    for folder in ("stories", "people", "media", "collections", "vocabularies", "lectures"):
        if (SAMPLE / folder).is_dir():
            shutil.copytree(SAMPLE / folder, root / folder)
    url = live_server(root)
    AccountStore(root.parent / f"{root.name}-instance").add_user("layoutadmin", PASSWORD, "admin", "版式管理员")
    return url


def test_narrators_index_is_compact(sample, make_page, screenshot):
    for name, size, limit in (("desktop", DESKTOP, 1400), ("phone", PHONE, 2400)):
        page = make_page(size["width"], size["height"])
        page.goto(sample + "/people/")
        tiles = page.locator(".person-tile").count()
        height = page.evaluate("document.documentElement.scrollHeight")
        assert tiles >= 11 and height < limit, (name, tiles, height)  # was 4,117 px (desktop), ~7,300 (phone)
        screenshot(page, f"teachers-people-{name}")


def test_phone_header_is_short_and_nothing_goes_sideways(sample, make_page):
    page = make_page(PHONE["width"], PHONE["height"])
    page.goto(sample + "/")
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert header <= PHONE["height"] * 0.15, header  # was a quarter of the first screen
    page.goto(sample + "/login")
    page.locator("#username").fill("layoutadmin")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(sample + "/")
    for path in ("/", "/stories/", "/people/", "/edit/", "/admin/users", "/stories/sun-dequan-chang-jin-hu"):
        page.goto(sample + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
