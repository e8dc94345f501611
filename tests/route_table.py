"""Who may use each route of the web app: the allow/deny table the generated security tests
check against Flask's url map (tests/test_route_security.py).

A route missing here fails `test_every_route_is_in_the_table`, so a new page or API call
cannot ship without a decision about who may use it.  Each entry gives the roles allowed, a
sample request and, for allowed roles, what the answer must contain (the real content, not
just "not denied").  Samples name the archive built by `build_route_archive`: `{story}` is a
public story, `{person}` a person, `{plan}` a lecture plan owned by the lecturer, `{version}`
the current version of `{story}`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import write_tree

ANYONE = frozenset({None, "lecturer", "archivist", "admin"})
SIGNED_IN = frozenset({"lecturer", "archivist", "admin"})
SPEAKERS = SIGNED_IN
ARCHIVISTS = frozenset({"archivist", "admin"})
ADMINS = frozenset({"admin"})
ROLES = (None, "lecturer", "archivist", "admin")


@dataclass(frozen=True)
class Route:
    """One method of one route: who may use it, a sample request, and what an allowed answer holds."""

    allowed: frozenset
    path: str
    marker: str | None  # text an allowed answer contains; None: only the status is checked
    ok: tuple[int, ...] = (200,)
    data: dict = field(default_factory=dict)
    json: dict | None = None
    reads_only: bool = False  # a POST that only reads and uses no session (OAI-PMH): no CSRF token asked

    @property
    def changes_state(self) -> bool:
        return bool(self.data) or self.json is not None


def _get(allowed, path, marker, ok=(200,)) -> Route:
    return Route(allowed, path, marker, ok)


def _post(allowed, path, marker, ok=(200, 302, 303, 400, 409, 422), **data) -> Route:
    return Route(allowed, path, marker, ok, data=data or {"_": "1"})


TABLE: dict[tuple[str, str], Route] = {
    # -- reading: everyone ------------------------------------------------------------------
    ("GET", "/"): _get(ANYONE, "/", "红色故事"),
    ("GET", "/ping"): _get(ANYONE, "/ping", None),
    ("GET", "/stories/"): _get(ANYONE, "/stories/", "标题gongkai"),
    ("GET", "/stories/<slug>"): _get(ANYONE, "/stories/{story}", "红高粱"),
    ("GET", "/stories/<slug>/card"): _get(ANYONE, "/stories/{story}/card", "标题gongkai"),
    ("GET", "/people/"): _get(ANYONE, "/people/", "老兵"),
    ("GET", "/people/<slug>"): _get(ANYONE, "/people/{person}", "生平"),
    ("GET", "/browse/"): _get(ANYONE, "/browse/", "标签gongkai"),
    ("GET", "/browse/<kind>/"): _get(ANYONE, "/browse/tag/", "标签gongkai"),
    ("GET", "/browse/<kind>/<path:value>"): _get(ANYONE, "/browse/tag/标签gongkai", "标题gongkai"),
    ("GET", "/timeline/"): _get(ANYONE, "/timeline/", "时间"),
    ("GET", "/collections/"): _get(ANYONE, "/collections/", "专题甲"),
    ("GET", "/collections/<slug>"): _get(ANYONE, "/collections/zhuanti", "标题gongkai"),
    ("GET", "/search"): _get(ANYONE, "/search?q=红高粱", "标题gongkai"),
    ("GET", "/media/<any(thumb, web):size>/<path:name>"): _get(ANYONE, "/media/thumb/gongkai.jpg", None),
    ("GET", "/media/recording/<path:name>"): _get(ANYONE, "/media/recording/gongkai.wav", None),
    ("GET", "/api/stories"): _get(ANYONE, "/api/stories", "gongkai"),
    ("GET", "/api/stories/<slug>"): _get(ANYONE, "/api/stories/{story}", "红高粱"),
    ("GET", "/api/people"): _get(ANYONE, "/api/people", "laobing"),
    ("GET", "/api/people/<slug>"): _get(ANYONE, "/api/people/{person}", "老兵"),
    ("GET", "/api/collections"): _get(ANYONE, "/api/collections", "zhuanti"),
    ("GET", "/api/collections/<slug>"): _get(ANYONE, "/api/collections/zhuanti", "gongkai"),
    ("GET", "/api/search"): _get(ANYONE, "/api/search?q=红高粱", "gongkai"),
    ("GET", "/api/openapi.json"): _get(ANYONE, "/api/openapi.json", "openapi"),
    ("GET", "/api/stories/<slug>/dc"): _get(ANYONE, "/api/stories/{story}/dc", "标题gongkai"),
    ("GET", "/oai"): _get(ANYONE, "/oai?verb=ListRecords&metadataPrefix=oai_dc", "标题gongkai"),
    ("POST", "/oai"): Route(ANYONE, "/oai", "标题gongkai", (200,), data={"verb": "ListRecords",
                                                                      "metadataPrefix": "oai_dc"}, reads_only=True),
    ("GET", "/favicon.ico"): _get(ANYONE, "/favicon.ico", "<svg"),
    ("GET", "/stories/<slug>/lesson"): _get(ANYONE, "/stories/{story}/lesson", "教案单"),
    ("GET", "/stories/<slug>/read"): _get(ANYONE, "/stories/{story}/read", "<ruby>"),
    ("GET", "/collections/<slug>/booklet"): _get(ANYONE, "/collections/zhuanti/booklet", "标题gongkai"),
    ("GET", "/wall/"): _get(ANYONE, "/wall/", "荣誉墙"),
    ("GET", "/wall/items.json"): _get(ANYONE, "/wall/items.json", "老兵"),
    ("GET", "/wall/qr/<slug>.svg"): _get(ANYONE, "/wall/qr/laobing.svg", "<svg"),
    # -- signing in ---------------------------------------------------------------------------
    ("GET", "/login"): _get(ANYONE, "/login", "登录"),
    ("POST", "/login"): _post(ANYONE, "/login", "用户名或密码不正确", ok=(401,), username="nobody", password="x"),
    ("POST", "/logout"): _post(ANYONE, "/logout", None, ok=(302,)),
    ("GET", "/account/password"): _get(SIGNED_IN, "/account/password", "当前密码"),
    ("POST", "/account/password"): _post(SIGNED_IN, "/account/password", "当前密码不正确", ok=(400,), current="wrong"),
    # -- the editing desk: archivists -------------------------------------------------------
    ("GET", "/edit/"): _get(ARCHIVISTS, "/edit/", "标题gongkai"),
    ("GET", "/edit/new"): _get(ARCHIVISTS, "/edit/new", "讲述人"),
    ("POST", "/edit/new"): _post(ARCHIVISTS, "/edit/new", "请填写标题", title=""),
    ("GET", "/edit/story/<slug>"): _get(ARCHIVISTS, "/edit/story/{story}", "标题gongkai"),
    ("POST", "/edit/story/<slug>"): _post(ARCHIVISTS, "/edit/story/{story}", "请填写标题", title="",
                                          base_version="{version}"),
    ("POST", "/edit/story/<slug>/merge"): _post(ARCHIVISTS, "/edit/story/{story}/merge", None, text="坏",
                                                base_version="{version}"),
    ("POST", "/edit/story/<slug>/publish"): _post(ARCHIVISTS, "/edit/story/{story}/publish", None),
    ("POST", "/edit/story/<slug>/unpublish"): _post(ARCHIVISTS, "/edit/story/{story}/unpublish", None),
    ("POST", "/edit/story/<slug>/takedown"): _post(ARCHIVISTS, "/edit/story/{story}/takedown", None, reason=""),
    ("POST", "/edit/story/<slug>/reinstate"): _post(ARCHIVISTS, "/edit/story/{story}/reinstate", None),
    ("POST", "/edit/preview"): _post(ARCHIVISTS, "/edit/preview", "预览正文", body="预览正文"),
    ("GET", "/edit/<kind>/<slug>/history"): _get(ARCHIVISTS, "/edit/story/{story}/history", "标题gongkai"),
    ("GET", "/edit/<kind>/<slug>/history/<version>"): _get(ARCHIVISTS, "/edit/story/{story}/history/{version}",
                                                           "红高粱"),
    ("POST", "/edit/<kind>/<slug>/restore/<version>"): _post(ARCHIVISTS, "/edit/story/{story}/restore/{version}",
                                                             None),
    ("GET", "/edit/person/new"): _get(ARCHIVISTS, "/edit/person/new", "姓名"),
    ("POST", "/edit/person/new"): _post(ARCHIVISTS, "/edit/person/new", None, person_slug=""),
    ("GET", "/edit/person/<slug>"): _get(ARCHIVISTS, "/edit/person/{person}", "老兵"),
    ("POST", "/edit/person/<slug>"): _post(ARCHIVISTS, "/edit/person/{person}", "请填写姓名", name=""),
    ("GET", "/edit/vocabularies"): _get(ARCHIVISTS, "/edit/vocabularies", "抗美援朝战争"),
    ("POST", "/edit/vocabularies"): _post(ARCHIVISTS, "/edit/vocabularies", None),
    ("GET", "/edit/story/<slug>/photos"): _get(ARCHIVISTS, "/edit/story/{story}/photos", "照片gongkai"),
    ("POST", "/edit/story/<slug>/photos"): _post(ARCHIVISTS, "/edit/story/{story}/photos", None),
    ("POST", "/edit/story/<slug>/photos/<int:index>"): _post(ARCHIVISTS, "/edit/story/{story}/photos/0", None,
                                                             action="update"),
    ("GET", "/edit/original/<path:name>"): _get(ARCHIVISTS, "/edit/original/gongkai.jpg", None),
    ("GET", "/edit/story/<slug>/desk"): _get(ARCHIVISTS, "/edit/story/{story}/desk", "转写台"),
    ("POST", "/edit/story/<slug>/desk"): _post(ARCHIVISTS, "/edit/story/{story}/desk", "没有保存", ok=(400,)),
    ("GET", "/edit/story/<slug>/recordings"): _get(ARCHIVISTS, "/edit/story/{story}/recordings", "录音录像"),
    ("PUT", "/edit/story/<slug>/recordings"): Route(ARCHIVISTS, "/edit/story/{story}/recordings", "版本号", (400,),
                                                    json={}),
    ("GET", "/api/stories/<slug>/source"): _get(ARCHIVISTS, "/api/stories/{story}/source", "红高粱"),
    ("POST", "/api/stories"): Route(ARCHIVISTS, "/api/stories", "error", (400, 422),
                                    json={"slug": "x", "meta": {}, "body": ""}),
    ("PUT", "/api/stories/<slug>"): Route(ARCHIVISTS, "/api/stories/{story}", None, (200, 409, 422),
                                          json={"meta": {"title": "标题gongkai", "narrator": "讲述人gongkai"},
                                                "body": "正文", "base_version": "{version}"}),
    ("POST", "/api/stories/<slug>/publish"): Route(ARCHIVISTS, "/api/stories/{story}/publish", "gongkai",
                                                   (200,), json={"consent_reason": "路由检查：授权已核实"}),
    ("POST", "/api/stories/<slug>/takedown"): Route(ARCHIVISTS, "/api/stories/{story}/takedown", "error",
                                                    (422,), json={"reason": ""}),
    # -- administrators -----------------------------------------------------------------------
    ("GET", "/admin/users"): _get(ADMINS, "/admin/users", "m-lecturer"),
    ("POST", "/admin/users"): _post(ADMINS, "/admin/users", None, ok=(400,), username=""),
    ("POST", "/admin/users/<int:user_id>"): _post(ADMINS, "/admin/users/1", None, action="role", role="lecturer"),
    ("GET", "/admin/files"): _get(ADMINS, "/admin/files", "无法读取的文件"),
    ("GET", "/admin/preservation"): _get(ADMINS, "/admin/preservation", "长期保存"),
    ("POST", "/admin/preservation/purge"): _post(ADMINS, "/admin/preservation/purge", "gongkai", ok=(200,),
                                                 kind="stories", slug="gongkai"),
    ("POST", "/admin/preservation/purge/confirmed"): _post(ADMINS, "/admin/preservation/purge/confirmed", "确认",
                                                           ok=(400,), kind="stories", slug="gongkai", confirm="",
                                                           reason=""),
    # -- talks: the speaker corps ------------------------------------------------------------
    ("GET", "/lectures/"): _get(SPEAKERS, "/lectures/", "讲稿"),
    ("GET", "/lectures/dashboard"): _get(SPEAKERS, "/lectures/dashboard", "讲稿"),
    ("POST", "/lectures/new"): _post(SPEAKERS, "/lectures/new", None, title=""),
    ("GET", "/lectures/<plan_id>"): _get(SPEAKERS, "/lectures/{plan}", "走进红星路小学", ok=(200, 403, 404)),
    ("POST", "/lectures/<plan_id>/items"): _post(SPEAKERS, "/lectures/no-such-plan/items", None, ok=(302, 400, 404)),
    ("POST", "/lectures/<plan_id>/delete"): _post(SPEAKERS, "/lectures/no-such-plan/delete", None, ok=(302, 404)),
    ("POST", "/lectures/<plan_id>/details"): _post(SPEAKERS, "/lectures/no-such-plan/details", None, ok=(302, 404)),
    ("POST", "/lectures/<plan_id>/text"): _post(SPEAKERS, "/lectures/no-such-plan/text", None, ok=(302, 404)),
    ("POST", "/lectures/<plan_id>/deliver"): _post(SPEAKERS, "/lectures/no-such-plan/deliver", None, ok=(302, 404)),
    ("GET", "/lectures/<plan_id>/suggest"): _get(SPEAKERS, "/lectures/{plan}/suggest", None, ok=(200, 403, 404)),
    ("POST", "/lectures/<plan_id>/suggest"): _post(SPEAKERS, "/lectures/no-such-plan/suggest", None, ok=(302, 404)),
    ("GET", "/lectures/add"): _get(SPEAKERS, "/lectures/add?story={story}", "标题gongkai"),
    ("POST", "/lectures/add"): _post(SPEAKERS, "/lectures/add", None, ok=(302, 400, 404), story="{story}"),
    ("GET", "/lectures/<plan_id>/script"): _get(SPEAKERS, "/lectures/{plan}/script", None, ok=(200, 403, 404)),
    ("GET", "/lectures/<plan_id>/export.docx"): _get(SPEAKERS, "/lectures/{plan}/export.docx", None,
                                                     ok=(200, 403, 404)),
    ("GET", "/lectures/<plan_id>/export.pptx"): _get(SPEAKERS, "/lectures/{plan}/export.pptx", None,
                                                     ok=(200, 403, 404)),
    ("GET", "/lectures/<plan_id>/export.pdf"): _get(SPEAKERS, "/lectures/{plan}/export.pdf", None,
                                                    ok=(200, 403, 404)),
    ("GET", "/lectures/<plan_id>/calendar.ics"): _get(SPEAKERS, "/lectures/{plan}/calendar.ics", None,
                                                      ok=(200, 302, 403, 404)),
    ("GET", "/lectures/calendar.ics"): _get(SPEAKERS, "/lectures/calendar.ics", "VCALENDAR"),
    ("GET", "/lectures/<plan_id>/present"): _get(SPEAKERS, "/lectures/{plan}/present", None, ok=(200, 403, 404)),
}


def route_key(rule) -> list[tuple[str, str]]:
    """The table keys of one Flask url rule: (method, rule) for each method but HEAD and OPTIONS."""
    return [(method, rule.rule) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def unclassified_routes(app) -> list[tuple[str, str]]:
    """Routes of `app` (static files aside) that the table does not classify."""
    return sorted(key for rule in app.url_map.iter_rules() if rule.endpoint != "static"
                  for key in route_key(rule) if key not in TABLE)


PLAN = """
---
title: 走进红星路小学
audience: 小学高年级
target_minutes: 20
status: draft
owner: m-lecturer
items:
  - title: 开场
    text: 同学们好！
---
"""


def build_route_archive(root: Path, story_kinds: dict[str, str], jpeg: bytes, wav: bytes) -> Path:
    """The archive the route tests use: stories of every access kind (see test_access_matrix),
    their photos, one recording, a person, a collection and a lecture plan."""
    files: dict[str, str | bytes] = dict(story_kinds)
    files |= {f"media/{Path(name).stem}.jpg": jpeg for name in story_kinds}
    files["media/gongkai.wav"] = wav
    files["people/laobing.md"] = "---\nname: 老兵\nborn: 1930\nservice:\n  honors:\n    - 一等功\n---\n生平。\n"
    files["collections/zhuanti.md"] = "---\ntitle: 专题甲\nstories:\n  - gongkai\n---\n专题介绍。\n"
    files["lectures/20261201-ab12.md"] = PLAN
    return write_tree(root, files)
