"""Browser fixtures: Playwright driving Debian's Chromium (/usr/bin/chromium, never
downloaded) against the real app served by waitress on a free localhost port.

Meant for every area's browser tests (reading, accounts, lecture plans):

- `browser` (session): one Chromium for the whole run.
- `live_server` (session): a factory.  `live_server(archive_root, **config)` builds
  the app over that archive (index, cache and instance folders beside it, or as
  given in `config`), serves it with waitress in a thread, and returns the base
  URL such as "http://127.0.0.1:41234".  One server per root; all stop at the end.
- `make_page` (function): `make_page(width=1920, height=1080)` opens a fresh
  context and page.  Every request to a host other than localhost is aborted
  and FAILS the test, as do uncaught JavaScript errors and Content-Security-
  Policy violations (checked when the test ends).
- `page` (function): `make_page()` at the projector size 1920x1080.
- `wait_until(page, "js expression")`: poll until true (the CSP forbids the eval
  that `page.wait_for_function` needs).
- `screenshot` (function): `screenshot(page, "name")` loads every lazy image, then
  saves name.png under the folder named by ARCHIVE_SCREENSHOTS (default
  test-artifacts/screenshots/).

Example:

    def test_login_page(live_server, page, tmp_path):
        base = live_server(build_my_archive(tmp_path))
        page.goto(base + "/login")
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1920, "height": 1080}


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression until it is true.  Use this, not `page.wait_for_function`:
    Playwright evaluates that predicate with eval(), which the app's CSP (no unsafe-eval) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:.0f} s: {expression}")
        time.sleep(0.05)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/browser/ carries the `browser` marker (`-m "not browser"` skips them)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's, not a downloaded one)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class _Server:
    """The app under waitress in a background thread."""

    def __init__(self, app):
        import waitress

        self.server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4, ident="archive-test")
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server() -> Iterator[Callable[..., str]]:
    """A factory: live_server(archive_root, **config) -> base URL of a real waitress server over it."""
    from archive import create_app

    servers: dict[Path, _Server] = {}

    def start(root: Path, **config) -> str:
        root = Path(root).resolve()
        if root not in servers:
            settings = {"ARCHIVE_ROOT": str(root), "INDEX_DIR": str(root.parent / f"{root.name}-index"),
                        "CACHE_DIR": str(root.parent / f"{root.name}-cache"),
                        "INSTANCE_DIR": str(root.parent / f"{root.name}-instance"), **config}
            servers[root] = _Server(create_app(settings))
        return servers[root].url

    yield start
    for server in servers.values():
        server.stop()


class _Guard:
    """Records what must fail a test: off-localhost requests, page errors, CSP violations."""

    def __init__(self):
        self.problems: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.problems.append(f"request off localhost: {url}")
            route.abort()

    def console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")

    def page_error(self, error) -> None:
        self.problems.append(f"JavaScript error: {error}")


@pytest.fixture
def make_page(browser):
    """A factory: make_page(width=1920, height=1080) -> a guarded Playwright page."""
    contexts = []
    guard = _Guard()

    def open_page(width: int = DESKTOP["width"], height: int = DESKTOP["height"], **options):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **options)
        context.route("**/*", guard.route)
        contexts.append(context)
        page = context.new_page()
        page.on("console", guard.console)
        page.on("pageerror", guard.page_error)
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not guard.problems, "\n".join(guard.problems)


@pytest.fixture
def page(make_page):
    """A guarded page at the 1920x1080 projector size."""
    return make_page()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where screenshots go: $ARCHIVE_SCREENSHOTS or test-artifacts/screenshots/."""
    folder = Path(os.environ.get("ARCHIVE_SCREENSHOTS") or "test-artifacts/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot(screenshot_dir: Path) -> Callable[..., Path]:
    """screenshot(page, name, full_page=True) saves <name>.png in the screenshot folder."""

    def shoot(page, name: str, full_page: bool = True) -> Path:
        path = screenshot_dir / f"{name}.png"
        # Lazy images below the fold would show as blanks in a full-page picture: load them all first.
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        wait_until(page, "[...document.images].every(i => i.complete)")
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return shoot
