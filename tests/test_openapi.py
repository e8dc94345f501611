"""The described API (issue 12): /api/openapi.json describes every /api/ route and nothing else,
every /api/ error answers JSON in Chinese, and schemathesis finds no server error and no answer
that breaks the description (bounded: a few examples per operation)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi import checks as openapi_checks

from archive import create_app

REPO = Path(__file__).resolve().parent.parent
CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance]


def _described(app) -> set[tuple[str, str]]:
    document = app.test_client().get("/api/openapi.json").get_json()
    return {(path, method.upper()) for path, item in document["paths"].items() for method in item}


def _routed(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            routes.update((path, method) for method in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def test_every_api_route_is_described_and_every_description_is_a_route(app):
    described, routed = _described(app), _routed(app)
    assert routed - described == set(), "routes missing from /api/openapi.json"
    assert described - routed == set(), "described routes that do not exist"
    assert client_json(app, "/api/openapi.json")["openapi"] == "3.1.0"


def client_json(app, url: str) -> dict:
    response = app.test_client().get(url)
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def _assert_json_error(response, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:300]
    body = response.get_json()
    message = body.get("message") or body["error"]
    assert re.search(r"[\u4e00-\u9fff]", message), body


def test_every_kind_of_api_error_is_json_in_chinese(app, client, login, monkeypatch):
    _assert_json_error(client.get("/api/stories/no-such-story"), 404)
    _assert_json_error(client.get("/api/no/such/route"), 404)
    _assert_json_error(client.post("/api/stories", json={}), 400)  # no CSRF token
    token = login(client, "lecturer")
    _assert_json_error(client.get("/api/stories/kua-guo-ya-lu-jiang/source"), 403)
    client.get("/logout")
    anonymous = app.test_client()
    _assert_json_error(anonymous.get("/api/stories/kua-guo-ya-lu-jiang/source"), 401)
    archivist = app.test_client()
    token = login(archivist, "archivist")
    headers = {"X-CSRF-Token": token}
    _assert_json_error(archivist.delete("/api/stories", headers=headers), 405)
    _assert_json_error(archivist.post("/api/nothing-here", headers=headers), 404)
    _assert_json_error(archivist.post("/api/stories", data="{not json", headers={**headers, "Content-Type": "application/json"}), 400)
    story = {"meta": {"title": "跨过鸭绿江", "narrator": "王建国"}, "body": "改过的正文\n"}
    _assert_json_error(archivist.put("/api/stories/kua-guo-ya-lu-jiang", json=story, headers=headers), 428)
    stale = archivist.put("/api/stories/kua-guo-ya-lu-jiang", json={**story, "base_version": "0" * 16}, headers=headers)
    _assert_json_error(stale, 409)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    _assert_json_error(archivist.post("/api/stories", data="x" * 5000, headers={**headers, "Content-Type": "application/json"}), 413)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(app.extensions["archive"].catalog, "stories", lambda role: 1 / 0)
    _assert_json_error(anonymous.get("/api/stories"), 500)


def test_pages_outside_the_api_keep_their_html_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "页面不存在" in response.get_data(as_text=True)


def _sample_app(tmp_path: Path):
    root = tmp_path / "sample"
    for folder in ("stories", "people", "collections", "media"):
        shutil.copytree(REPO / folder, root / folder)
    return create_app({"TESTING": False, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                       "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance"),
                       "COOKIE_SECURE": False})  # schemathesis calls over plain http


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory):
    """The sample collection, served as a real site (exceptions become 500 answers, as in production)."""
    return _sample_app(tmp_path_factory.mktemp("openapi"))


def _operations(app) -> list:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


SLUGS = [p.stem for p in sorted((REPO / "stories").glob("*.md"))[:4]] + [
    p.stem for p in sorted((REPO / "people").glob("*.md"))[:2]] + ["kang-mei-yuan-chao-lao-bing"]


def _fuzz(operation, signed_in: dict[str, dict]) -> None:
    @given(case=operation.as_strategy(), slug=st.sampled_from([None, *SLUGS]))
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case, slug):
        if slug and "slug" in (case.path_parameters or {}):
            case.path_parameters["slug"] = slug  # real records too, not only random names
        case.call_and_validate(**signed_in, checks=CHECKS)
    run()


def _archivist(app) -> dict[str, dict]:
    """Cookie and CSRF header of an archivist signed in through the real form."""
    app.extensions["archive"].accounts.add_user("fuzz", "correct-horse-battery", "archivist", display_name="测试")
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
    client.post("/login", data={"username": "fuzz", "password": "correct-horse-battery", "csrf_token": token})
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
    name = app.config["SESSION_COOKIE_NAME"]
    return {"cookies": {name: client.get_cookie(name).value}, "headers": {"X-CSRF-Token": token}}


@pytest.mark.parametrize("reader", ["anonymous", "archivist"])
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_description(sample_app, reader):
    operations = _operations(sample_app)
    assert len(operations) == len(_described(sample_app)) - 1  # schemathesis leaves out the description itself
    signed_in = _archivist(sample_app) if reader == "archivist" else {}
    for operation in operations:
        _fuzz(operation, signed_in)


def test_the_story_input_schema_is_the_content_model(app):
    from archive.access import LEVELS
    from archive.content_model import STORY_FIELDS

    schemas = client_json(app, "/api/openapi.json")["components"]["schemas"]
    meta = schemas["StoryMeta"]
    assert schemas["StoryInput"]["properties"]["meta"] == {"$ref": "#/components/schemas/StoryMeta"}
    assert meta["required"] == ["title", "narrator"]
    assert set(meta["properties"]) == {f.key for f in STORY_FIELDS}
    assert meta["properties"]["access"]["enum"] == list(LEVELS)
    assert meta["properties"]["tags"]["type"] == "array" and meta["properties"]["interviewed"]["description"].startswith("访谈日期")
