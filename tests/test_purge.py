"""Purge on withdrawn consent (issue 11): after an administrator purges a story through the web
(with confirmation), no page of the site, no search result, no export, no thumbnail and no file
in the root, index, cache or instance folders holds its text or its photos; the lecture plan that
cited it keeps a note; the audit log keeps a tombstone without personal data."""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from click.testing import CliRunner

from archive import create_app
from archive.cli import cli
from tests.conftest import TEST_PASSWORD, csrf_token_of

SAMPLE = Path(__file__).resolve().parent.parent
FOLDERS = ("stories", "people", "media", "collections", "lectures", "vocabularies")
SLUG = "chen-zhiyuan-jiu-jiang-da-di"
PLAN = "20261125-d04f"  # a lecture plan in the sample that cites the story
LINK = re.compile(r'(?:href|src)="([^"#]+)"')
MAX_PAGES = 900
QUERY_VARIANTS = 1
SKIPPED = ("/static/", "/logout")


@pytest.fixture
def site(tmp_path):
    """The sample archive in tmp_path, served by the app, with a signed-in administrator."""
    root = tmp_path / "archive"
    for folder in FOLDERS:
        shutil.copytree(SAMPLE / folder, root / folder)
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                      "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance")})
    app.extensions["archive"].accounts.add_user("admin1", TEST_PASSWORD, "admin")
    admin = app.test_client()
    admin.post("/login", data={"username": "admin1", "password": TEST_PASSWORD, "csrf_token": csrf_token_of(admin)})
    return root, tmp_path, app, admin


def _unique_phrases(root: Path) -> list[str]:
    """Lines of the story's body (and its title) that no other file of the archive contains."""
    text = (root / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")
    others = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in root.rglob("*.md") if p.stem != SLUG)
    body = text.split("---", 2)[2]
    candidates = [s.strip() for s in re.split(r"[。！？\n]", body) if len(s.strip()) >= 14]
    phrases = [s[:14] for s in candidates if s[:14] not in others]
    assert len(phrases) >= 3, phrases
    return phrases[:8]


def _photo_marks(root: Path, client) -> list[bytes]:
    """64-byte pieces of the story's own photo and of its thumbnail and web size (made on the way)."""
    marks = []
    photo = root / "media" / "chen-zhiyuan" / "da-di.jpg"
    data = photo.read_bytes()
    marks.append(data[len(data) // 2: len(data) // 2 + 64])
    for size in ("thumb", "web"):
        derived = client.get(f"/media/{size}/chen-zhiyuan/da-di.jpg")
        assert derived.status_code == 200
        marks.append(derived.data[len(derived.data) // 2: len(derived.data) // 2 + 64])
    return marks


def _readable(response) -> bytes:
    """The bytes to search: the body, or every member of a zip (docx, pptx)."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return data


def _crawl(client, seeds: list[str]) -> dict[str, bytes]:
    """Every same-site page reachable from `seeds` by GET links (a few query variants of each path,
    up to MAX_PAGES), with its bytes."""
    seen, queue, pages, variants = set(), list(seeds), {}, Counter()
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in ("localhost", "localhost:5000") or url in seen:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        # a lecture's PDF is its Word handout converted by LibreOffice (1.5 s each, text compressed):
        # the .docx of the same plan is read instead
        if not path.startswith("/") or path.startswith(SKIPPED) or parts.path.endswith(".pdf") or path in seen:
            continue
        if parts.query and path not in seeds:  # facet and paging links: a few of each page are enough
            variants[parts.path] += 1
            if variants[parts.path] > QUERY_VARIANTS:
                continue
        seen.update((url, path))
        response = client.get(path)
        body = _readable(response)
        pages[path] = body
        if response.mimetype == "text/html":
            queue += [urljoin(path, link.replace("&amp;", "&")) for link in LINK.findall(body.decode("utf-8", "ignore"))]
    return pages


def _holders(blobs: dict[str, bytes], phrases: list[str], marks: list[bytes]) -> list[str]:
    needles = [p.encode("utf-8") for p in phrases] + marks
    return sorted(name for name, data in blobs.items() if any(n in data for n in needles))


def _files(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for folder in folders for p in folder.rglob("*") if p.is_file()}


def _search_everywhere(client, phrases: list[str], root: Path) -> list[str]:
    """Pages of web search and API search, and the CLI's JSON, for each phrase."""
    found = {}
    for phrase in phrases[:3]:
        found[f"/search {phrase}"] = _readable(client.get("/search", query_string={"q": phrase}))
        found[f"/api/search {phrase}"] = _readable(client.get("/api/search", query_string={"q": phrase}))
        result = CliRunner().invoke(cli, ["--root", str(root), "--index-dir", str(root.parent / "index"),
                                          "search", phrase, "--json"])
        found[f"archive search {phrase}"] = result.output.encode("utf-8")
    return [name for name, data in found.items() if SLUG.encode() in data]


def _purge_through_the_web(admin) -> None:
    token = csrf_token_of(admin)
    asked = admin.post("/admin/preservation/purge", data={"csrf_token": token, "kind": "stories", "slug": SLUG})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "此操作无法撤销" in page and "chen-zhiyuan/da-di.jpg" not in page
    assert "1 篇" in page and PLAN in page
    wrong = admin.post("/admin/preservation/purge/confirmed",
                       data={"csrf_token": token, "kind": "stories", "slug": SLUG, "reason": "家属撤回授权",
                             "confirm": "wrong"})
    assert wrong.status_code == 400 and "请在确认框中输入编号" in wrong.get_data(as_text=True)
    done = admin.post("/admin/preservation/purge/confirmed",
                      data={"csrf_token": token, "kind": "stories", "slug": SLUG, "reason": "家属撤回授权",
                            "confirm": SLUG}, follow_redirects=True)
    assert done.status_code == 200 and f"已永久清除 {SLUG}" in done.get_data(as_text=True)


def test_nothing_keeps_the_purged_story_after_a_purge(site):
    root, tmp_path, app, admin = site
    phrases, marks = _unique_phrases(root), _photo_marks(root, admin)
    anonymous = app.test_client()
    seeds = ["/", f"/stories/{SLUG}", f"/stories/{SLUG}/card", f"/stories/{SLUG}/read", f"/api/stories/{SLUG}",
             "/api/stories", "/lectures/", f"/lectures/{PLAN}", "/edit/", "/oai?verb=ListRecords&metadataPrefix=oai_dc",
             "/wall/items.json", "/collections/he-ping-nian-dai-de-bing", f"/history/stories/{SLUG}/history"]
    before = _crawl(admin, seeds)
    assert _holders(before, phrases, marks), "the check must be able to see the story before the purge"
    assert _search_everywhere(admin, phrases, root)
    _crawl(anonymous, seeds)  # fill the page cache as a reader would
    _purge_through_the_web(admin)

    after = _crawl(admin, list(before) + seeds)
    assert _holders(after, phrases, marks) == []
    assert _holders(_crawl(anonymous, list(before)), phrases, marks) == []
    assert admin.get(f"/stories/{SLUG}").status_code == 404
    assert admin.get("/media/thumb/chen-zhiyuan/da-di.jpg").status_code == 404
    assert _search_everywhere(admin, phrases, root) == []
    assert _holders(_files(root, tmp_path / "index", tmp_path / "cache", tmp_path / "instance"), phrases, marks) == []

    for args in ([], ["--include-restricted", "--user", "admin1"]):
        out = tmp_path / f"bag{len(args)}"
        result = CliRunner(env={"ARCHIVE_INSTANCE_DIR": str(tmp_path / "instance")}).invoke(
            cli, ["--root", str(root), "export", "--bag", str(out), *args])
        assert result.exit_code == 0, result.output
        assert _holders(_files(out), phrases, marks) == []

    plan = (root / "lectures" / f"{PLAN}.md").read_text(encoding="utf-8")
    assert SLUG not in plan and "材料已撤回" in plan
    tombstone = [json.loads(line) for line in (tmp_path / "instance" / "audit.jsonl").read_text().splitlines()
                 if '"purge"' in line]
    assert [(t["target"], t["who"], t["reason"]) for t in tombstone] == [(f"stories/{SLUG}", "admin1", "家属撤回授权")]
    assert "九江" not in json.dumps(tombstone, ensure_ascii=False)


def test_purge_on_the_command_line_asks_and_needs_a_reason(site):
    root, _tmp, _app, _admin = site
    run = CliRunner()
    base = ["--root", str(root)]
    assert "撤回授权" in run.invoke(cli, [*base, "purge", "--help"]).output
    no_reason = run.invoke(cli, [*base, "purge", "--story", SLUG])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    declined = run.invoke(cli, [*base, "purge", "--story", SLUG, "--reason", "撤回授权"], input="n\n")
    assert declined.exit_code == 1 and "已取消" in declined.output and (root / "stories" / f"{SLUG}.md").exists()
    done = run.invoke(cli, [*base, "purge", "--person", "chen-zhiyuan", "--reason", "撤回授权", "--yes", "--by", "张三"])
    assert done.exit_code == 0, done.output
    assert not (root / "people" / "chen-zhiyuan.md").exists() and not (root / "stories" / f"{SLUG}.md").exists()
    assert not (root / "media" / "portraits" / "chen-zhiyuan.jpg").exists()
    assert run.invoke(cli, [*base, "check"]).exit_code == 0
    unknown = run.invoke(cli, [*base, "purge", "--story", "no-such-story", "--reason", "x", "--yes"])
    assert unknown.exit_code == 1 and "没有故事 no-such-story" in unknown.output
