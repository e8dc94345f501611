"""Every page type passes axe-core (in real Chromium, desktop and phone width) and html-validate (issue 17)."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.browser.a11y import axe_violations, html_errors
from tests.browser.conftest import DESKTOP, PHONE

SAMPLE = Path(__file__).resolve().parents[2]
PAGES = {
    "home": "/",
    "stories": "/stories/?conflict=抗美援朝战争",
    "stories-empty": "/stories/?conflict=抗美援朝战争&era=2010年代",
    "browse": "/browse/",
    "browse-values": "/browse/honor/",
    "story": "/stories/sun-dequan-chang-jin-hu",
    "reading": "/stories/sun-dequan-chang-jin-hu/read",
    "lesson": "/stories/sun-dequan-chang-jin-hu/lesson",
    "card": "/stories/sun-dequan-chang-jin-hu/card",
    "people": "/people/",
    "person": "/people/sun-dequan",
    "collections": "/collections/",
    "collection": "/collections/kang-mei-yuan-chao-lao-bing",
    "booklet": "/collections/kang-mei-yuan-chao-lao-bing/booklet",
    "timeline": "/timeline/",
    "search": "/search?q=长津湖",
    "search-none": "/search?q=长津湖+火星人",
    "search-empty": "/search",
    "wall": "/wall/",
    "login": "/login",
    "not-found": "/no-such-page",
}


@pytest.fixture(scope="module")
def sample_site(live_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("sample") / "archive"
    for folder in ("stories", "people", "media", "collections", "vocabularies", "lectures"):
        if (SAMPLE / folder).is_dir():
            shutil.copytree(SAMPLE / folder, root / folder)
    return live_server(root)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_violation(sample_site, make_page, size):
    page = make_page(size["width"], size["height"], bypass_csp=True)
    found = {}
    for name, path in PAGES.items():
        page.goto(sample_site + path)
        problems = axe_violations(page)
        if problems:
            found[name] = problems
    assert not found, "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)


def test_html_validate_finds_no_error(sample_site, tmp_path):
    files = []
    for name, path in PAGES.items():
        try:
            with urlopen(sample_site + path.replace("长津湖", "%E9%95%BF%E6%B4%A5%E6%B9%96")
                         .replace("抗美援朝战争", "%E6%8A%97%E7%BE%8E%E6%8F%B4%E6%9C%9D%E6%88%98%E4%BA%89")
                         .replace("火星人", "%E7%81%AB%E6%98%9F%E4%BA%BA").replace("2010年代", "2010%E5%B9%B4%E4%BB%A3")) as answer:
                body = answer.read()
        except OSError as error:  # the 404 page: read its body too
            body = error.read()
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(body)
    report = html_errors(files, tmp_path)
    assert not report, report
