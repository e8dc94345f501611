"""Every role against every write route and every restricted read route.

Write routes: anonymous readers are sent to the login page (401 for the API),
signed-in users without the role get 403, the others get through.  Read routes:
public, internal, restricted, embargoed, draft and taken-down stories are
readable exactly as archive.access says — on pages, in search totals, facets and
snippets, in the JSON API, and for thumbnails and originals of their photos.
"""
from __future__ import annotations

import io
import re

import pytest
from conftest import csrf_token_of, write_tree
from PIL import Image

from archive import create_app

ROLES = (None, "lecturer", "archivist", "admin")
# kind -> (front matter lines, a word only this story contains, the roles that may read it)
KINDS = {
    "gongkai": ("access: public", "红高粱", {None, "lecturer", "archivist", "admin"}),
    "neibu": ("access: internal", "蒲公英", {"lecturer", "archivist", "admin"}),
    "shouxian": ("access: restricted", "山楂树", {"archivist", "admin"}),
    "baomi": ("embargo_until: '2999-01-01'", "野菊花", {"archivist", "admin"}),
    "caogao": ("status: draft", "白杨树", {"archivist", "admin"}),
    "xiajia": ("takedown: {date: '2026-01-01', reason: 家属要求}", "马兰花", {"archivist", "admin"}),
}
ARCHIVISTS = {"archivist", "admin"}
SPEAKERS = {"lecturer", "archivist", "admin"}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 20, 20)).save(buffer, "JPEG")
    return buffer.getvalue()


def _story(kind: str, line: str, word: str) -> str:
    return f"""
        ---
        title: 标题{kind}
        narrator: 讲述人{kind}
        interviewed: 2020-01-01
        tags:
          - 标签{kind}
        {line}
        media:
          - file: {kind}.jpg
            caption: 照片{kind}
        ---
        ## 第一段

        [00:00:10] 那年我们在{word}旁边守了三天三夜，{word}开得正好。
        """


def _make_app(tmp):
    files: dict[str, str | bytes] = {f"stories/{kind}.md": _story(kind, line, word)
                                     for kind, (line, word, _) in KINDS.items()}
    files |= {f"media/{kind}.jpg": _jpeg() for kind in KINDS}
    files["people/laobing.md"] = "---\nname: 老兵\nborn: 1930\n---\n生平。\n"
    root = write_tree(tmp / "archive", files)
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp / "index"),
                      "CACHE_DIR": str(tmp / "cache"), "INSTANCE_DIR": str(tmp / "instance")})
    accounts = app.extensions["archive"].accounts
    for role in ("lecturer", "archivist", "admin"):
        accounts.add_user(f"m-{role}", "matrix-password-1", role)
    return app


@pytest.fixture(scope="module")
def archive_app(tmp_path_factory):
    """The archive the read tests look at (nothing writes to it)."""
    return _make_app(tmp_path_factory.mktemp("read"))


@pytest.fixture(scope="module")
def write_app(tmp_path_factory):
    """A separate archive for the write tests, whose allowed requests change it."""
    return _make_app(tmp_path_factory.mktemp("write"))


def _client(app, role):
    client = app.test_client()
    if role is not None:
        response = client.post("/login", data={"username": f"m-{role}", "password": "matrix-password-1",
                                               "csrf_token": csrf_token_of(client)})
        assert response.status_code == 302
    return client, csrf_token_of(client)


def _denied(response) -> bool:
    return response.status_code in (401, 403) or (
        response.status_code == 302 and "/login" in response.headers.get("Location", ""))


def _write_routes(version: str) -> list[tuple[str, str, set[str], dict]]:
    """(method, path, roles allowed, extra request arguments) for every state-changing route."""
    story = "gongkai"
    json_story = {"meta": {"title": "标题gongkai", "narrator": "讲述人gongkai"}, "body": "正文", "base_version": version}
    return [
        ("GET", "/edit/", ARCHIVISTS, {}),
        ("GET", "/edit/new", ARCHIVISTS, {}),
        ("POST", "/edit/new", ARCHIVISTS, {"data": {"title": ""}}),
        ("GET", f"/edit/story/{story}", ARCHIVISTS, {}),
        ("POST", f"/edit/story/{story}", ARCHIVISTS, {"data": {"title": "", "base_version": version}}),
        ("POST", f"/edit/story/{story}/merge", ARCHIVISTS, {"data": {"text": "坏", "base_version": version}}),
        ("POST", f"/edit/story/{story}/publish", ARCHIVISTS, {}),
        ("POST", f"/edit/story/{story}/unpublish", ARCHIVISTS, {}),
        ("POST", f"/edit/story/{story}/takedown", ARCHIVISTS, {"data": {"reason": ""}}),
        ("POST", f"/edit/story/{story}/reinstate", ARCHIVISTS, {}),
        ("POST", "/edit/preview", ARCHIVISTS, {"data": {"body": "预览"}}),
        ("GET", f"/edit/story/{story}/history", ARCHIVISTS, {}),
        ("GET", f"/edit/story/{story}/history/{version}", ARCHIVISTS, {}),
        ("POST", f"/edit/story/{story}/restore/{version}", ARCHIVISTS, {}),
        ("GET", "/edit/person/new", ARCHIVISTS, {}),
        ("POST", "/edit/person/new", ARCHIVISTS, {"data": {"person_slug": ""}}),
        ("GET", "/edit/person/laobing", ARCHIVISTS, {}),
        ("POST", "/edit/person/laobing", ARCHIVISTS, {"data": {"name": ""}}),
        ("GET", "/edit/person/laobing/history", ARCHIVISTS, {}),
        ("POST", f"/edit/story/{story}/photos/0", ARCHIVISTS, {"data": {"action": "update"}}),
        ("GET", "/edit/vocabularies", ARCHIVISTS, {}),
        ("POST", "/edit/vocabularies", ARCHIVISTS, {"data": {}}),
        ("GET", f"/edit/story/{story}/photos", ARCHIVISTS, {}),
        ("POST", f"/edit/story/{story}/photos", ARCHIVISTS, {"data": {}}),
        ("GET", f"/edit/original/{story}.jpg", ARCHIVISTS, {}),
        ("GET", f"/api/stories/{story}/source", ARCHIVISTS, {}),
        ("POST", "/api/stories", ARCHIVISTS, {"json": {"slug": "x", "meta": {}, "body": ""}}),
        ("PUT", f"/api/stories/{story}", ARCHIVISTS, {"json": json_story}),
        ("POST", f"/api/stories/{story}/publish", ARCHIVISTS, {}),
        ("POST", f"/api/stories/{story}/takedown", ARCHIVISTS, {"json": {"reason": ""}}),
        ("GET", "/admin/users", {"admin"}, {}),
        ("GET", "/admin/files", {"admin"}, {}),
        ("POST", "/admin/users", {"admin"}, {"data": {"username": ""}}),
        ("POST", "/admin/users/1", {"admin"}, {"data": {"action": "role", "role": "lecturer"}}),
        ("GET", "/account/password", SPEAKERS, {}),
        ("POST", "/account/password", SPEAKERS, {"data": {"current": "wrong"}}),
        ("GET", "/lectures/", SPEAKERS, {}),
        ("POST", "/lectures/new", SPEAKERS, {"data": {}}),
        ("POST", "/lectures/no-such-plan/items", SPEAKERS, {"data": {}}),
        ("POST", "/lectures/no-such-plan/delete", SPEAKERS, {"data": {}}),
    ]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_every_role_against_every_write_route(write_app, role):
    client, token = _client(write_app, role)
    version = write_app.extensions["archive"].store.get_story("gongkai").version
    for method, path, allowed, extra in _write_routes(version):
        kwargs = dict(extra)
        if "json" in kwargs:
            kwargs["headers"] = {"X-CSRF-Token": token}
        elif method != "GET":
            kwargs["data"] = {**kwargs.get("data", {}), "csrf_token": token}
        response = client.open(path, method=method, **kwargs)
        if role in allowed:
            assert not _denied(response) and response.status_code < 500, (role, method, path, response.status_code)
        else:
            assert _denied(response), (role, method, path, response.status_code)
            if role is not None:
                assert response.status_code == 403, (role, method, path)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_every_role_against_every_restricted_read_route(archive_app, role):
    client, _ = _client(archive_app, role)
    listings = "".join(client.get(path).get_data(as_text=True)
                       for path in ("/", "/stories/", "/timeline/", "/browse/", "/api/stories", "/people/",
                                    "/stories/gongkai", "/api/stories/gongkai", "/collections/"))
    everything = client.get("/api/search?q=三天三夜&per_page=50").json
    tags = {f["value"] for f in everything["facets"].get("tag", [])}
    for kind, (_line, word, readers) in KINDS.items():
        may = role in readers
        where = f"{role or 'anonymous'} / {kind}"
        assert (client.get(f"/stories/{kind}").status_code == 200) is may, where
        assert (client.get(f"/stories/{kind}/card").status_code == 200) is may, where
        assert (client.get(f"/api/stories/{kind}").status_code == 200) is may, where
        for size in ("thumb", "web"):
            assert (client.get(f"/media/{size}/{kind}.jpg").status_code == 200) is may, where
        original = client.get(f"/edit/original/{kind}.jpg")
        assert (original.status_code == 200) is (role in ARCHIVISTS), where
        found = client.get(f"/api/search?q={word}").json
        assert found["total"] == (1 if may else 0), where
        assert (kind in [h["slug"] for h in found["hits"]]) is may, where
        page = client.get(f"/search?q={word}").get_data(as_text=True)
        assert (f"标题{kind}" in page) is may and (word in re.sub(r"<[^>]+>", "", page.split("<main", 1)[1])
                                                 .replace(f"q={word}", "").replace(f'value="{word}"', "")
                                                 .split("</form>", 1)[-1]) is may, where
        assert (f"标签{kind}" in tags) is may, where
        assert (f"标题{kind}" in listings) is may, where
    assert everything["total"] == sum(role in readers for _l, _w, readers in KINDS.values())
