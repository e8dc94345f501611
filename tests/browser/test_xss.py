"""XSS payloads in every field a user can write — story text and every front-matter field,
photo captions and original file names, person records, collections, lecture plans (notes,
speaker's words, delivery log), a user's display name and search queries — rendered in real
Chromium on every page that shows them: no payload runs, none becomes an element with an
event handler or a javascript: link, and the Content-Security-Policy never has to block one
(the guard in conftest fails the test on any CSP violation or page error)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from reading_archive import jpeg

from tests.conftest import write_tree

PAYLOAD = ('<script>window.__xss=1</script><img src=x onerror="window.__xss=2">"\'><svg onload=window.__xss=3>'
           '<a href="javascript:window.__xss=4">链接</a>')
LINK = "[点我](javascript:window.__xss=5)"
PASSWORD = "xss-password-123"


def _front(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def _archive(root: Path) -> Path:
    x = PAYLOAD
    story = {"title": f"老兵{x}", "narrator": f"讲述人{x}", "interviewer": f"访谈人{x}", "interviewed": "2024-01-01",
             "place": f"地点{x}", "summary": f"摘要{x}", "conflicts": [f"抗美援朝战争{x}"], "honors": [f"一等功{x}"],
             "tags": [f"标签{x}"], "audience": [f"初中{x}"], "content_notes": [f"提示{x}"], "people": ["lao-bing"],
             "consent": {"form_on_file": True, "scope": f"范围{x}"},
             "media": [{"file": "x/photo.jpg", "caption": f"照片{x}", "credit": f"来源{x}", "place": f"拍摄地{x}",
                        "original_name": f"原名{x}.jpg"}]}
    body = f"## 第一段{x}\n\n[00:00:10] 正文{x}\n\n{LINK}\n\n## 第二段\n\n[00:01:00] <b onmouseover=alert(1)>粗</b>\n"
    person = {"name": f"老兵{x}", "born": 1930, "hometown": f"家乡{x}", "aliases": [f"别名{x}"],
              "service": {"units": [f"部队{x}"], "rank": f"军衔{x}", "campaigns": [f"战役{x}"]}}
    collection = {"title": f"专题{x}", "stories": ["xss"]}
    plan = {"title": f"讲稿{x}", "audience": "初中", "venue": f"场地{x}", "status": "draft", "owner": "xss-admin",
            "target_minutes": 20, "date": "2026-12-10",
            "items": [{"title": f"开场{x}", "text": f"串词{x}"}, {"story": "xss", "segment": "t000010",
                                                                   "notes": f"备注{x}"}],
            "deliveries": [{"date": "2026-12-10", "venue": f"场地{x}", "note": f"记录{x}"}]}
    return write_tree(root, {
        "stories/xss.md": _front(story, body),
        "people/lao-bing.md": _front(person, f"生平{x}\n"),
        "collections/xss.md": _front(collection, f"介绍{x}\n"),
        "lectures/20261201-aaaa.md": _front(plan, f"说明{x}\n"),
        "media/x/photo.jpg": jpeg(),
    })


PAGES = ["/", "/stories/", "/stories/xss", "/stories/xss/card", "/people/", "/people/lao-bing", "/browse/",
         "/browse/tag/", "/timeline/", "/collections/", "/collections/xss", f"/search?q={quote(PAYLOAD)}",
         "/search?q=老兵", "/edit/", "/edit/story/xss", "/edit/story/xss/history", "/edit/story/xss/photos",
         "/edit/person/lao-bing", "/admin/users", "/lectures/", "/lectures/20261201-aaaa",
         "/lectures/20261201-aaaa/script", "/lectures/dashboard", "/lectures/add?story=xss"]
FOUND = """() => {
  const handlers = [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on')));
  const links = [...document.querySelectorAll('a[href], iframe[src], form[action]')].filter(
      e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')));
  const scripts = [...document.scripts].filter(s => !s.src || new URL(s.src).origin !== location.origin);
  return {ran: window.__xss || 0, handlers: handlers.map(e => e.outerHTML.slice(0, 120)),
          links: links.map(e => e.outerHTML.slice(0, 120)), scripts: scripts.map(s => s.outerHTML.slice(0, 120))};
}"""


@pytest.fixture(scope="module")
def base(live_server, tmp_path_factory) -> str:
    root = _archive(tmp_path_factory.mktemp("xss") / "archive")
    url = live_server(root, COOKIE_SECURE=False)
    from archive.accounts.users import AccountStore

    AccountStore(root.parent / "archive-instance").add_user("xss-admin", PASSWORD, "admin",
                                                            display_name=f"管理员{PAYLOAD}")
    return url


def _sign_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", "xss-admin")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()


def test_no_payload_runs_on_any_page_for_an_archivist(page, base):
    _sign_in(page, base)
    for path in PAGES:
        response = page.goto(base + path)
        assert response.status < 500, (path, response.status)
        found = page.evaluate(FOUND)
        assert found == {"ran": 0, "handlers": [], "links": [], "scripts": []}, (path, found)
        if path == "/stories/xss":
            page.locator("a.gallery-link").first.click()  # the lightbox shows the caption
            assert page.evaluate(FOUND)["ran"] == 0


def test_no_payload_runs_for_an_anonymous_reader_searching(page, base):
    for query in (PAYLOAD, LINK, "老兵"):
        page.goto(f"{base}/search?q={quote(query)}")
        assert page.evaluate(FOUND) == {"ran": 0, "handlers": [], "links": [], "scripts": []}, query
