"""The preservation page in a real browser (issue 11): an administrator sees the last fixity check
and what it found, asks to purge a story, sees what will go, confirms by typing the slug, and
the story is gone; the pages fit a 390 px phone."""
from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from playwright.sync_api import expect

from archive.accounts.users import AccountStore
from archive.cli import cli
from tests.browser.conftest import PHONE

SAMPLE = Path(__file__).resolve().parents[2]
SLUG = "chen-zhiyuan-jiu-jiang-da-di"
PASSWORD = "correct-horse-battery"


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_admin_sees_fixity_and_purges_a_story_with_confirmation(live_server, make_page, screenshot, tmp_path):
    root = tmp_path / "archive"
    for folder in ("stories", "people", "media", "collections", "lectures", "vocabularies"):
        shutil.copytree(SAMPLE / folder, root / folder)
    instance = tmp_path / "archive-instance"
    AccountStore(instance).add_user("admin1", PASSWORD, "admin", display_name="王管理员")
    run = CliRunner(env={"ARCHIVE_INSTANCE_DIR": str(instance)})
    assert run.invoke(cli, ["--root", str(root), "fixity", "--init"]).exit_code == 0
    (root / "media" / "stray-扫描件.jpg").write_bytes(b"\xff\xd8 not from the app")
    assert run.invoke(cli, ["--root", str(root), "fixity"]).exit_code == 1
    base = live_server(root)
    for name, size in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        page = make_page(**size)
        page.goto(base + "/login")
        page.locator("#username").fill("admin1")
        page.locator("#password").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.goto(base + "/admin/preservation")
        expect(page.locator(".preservation-fixity")).to_contain_text("清单外的新文件 1 个")
        expect(page.locator(".preservation-fixity")).to_contain_text("media/stray-扫描件.jpg")
        _fits(page)
        screenshot(page, f"preservation-{name}")
        page.locator("input[name=slug]").fill(SLUG)
        page.get_by_role("button", name="查看将被清除的内容").click()
        expect(page.locator(".purge-summary")).to_contain_text("此操作无法撤销")
        expect(page.locator(".purge-summary")).to_contain_text("20261125-d04f")
        _fits(page)
        screenshot(page, f"purge-confirm-{name}")
        if name == "phone":
            page.locator("input[name=reason]").fill("家属撤回授权")
            page.locator("input[name=confirm]").fill(SLUG)
            page.get_by_role("button", name="永久清除").click()
            expect(page.locator("body")).to_contain_text(f"已永久清除 {SLUG}")
            assert not (root / "stories" / f"{SLUG}.md").exists()
            assert page.goto(base + f"/stories/{SLUG}").status == 404
