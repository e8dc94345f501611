"""The JSON API: the same data as the pages, filtered by the same access rule."""
from __future__ import annotations

import json

import pytest
from reading_archive import HIDDEN_TITLES, build_reading_archive

from archive import create_app


@pytest.fixture
def api(tmp_path):
    root = build_reading_archive(tmp_path / "archive")
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                      "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance")})
    return app.test_client()


def test_story_list_holds_only_readable_stories(api):
    answer = api.get("/api/stories").get_json()
    assert answer["total"] == 3
    assert {s["slug"] for s in answer["stories"]} == {"kua-guo-ya-lu-jiang", "bian-jing-pai-lei", "hostile"}
    assert not any(title in json.dumps(answer, ensure_ascii=False) for title in HIDDEN_TITLES)


def test_story_list_filters_and_pages(api):
    answer = api.get("/api/stories?conflict=抗美援朝战争").get_json()
    assert [s["slug"] for s in answer["stories"]] == ["kua-guo-ya-lu-jiang"]
    assert answer["stories"][0]["years"] == [1947, 1950, 1953]
    paged = api.get("/api/stories?per_page=2&page=2").get_json()
    assert paged["total"] == 3 and len(paged["stories"]) == 1 and paged["page"] == 2
    assert api.get("/api/stories?per_page=abc&page=-1").get_json()["page"] == 1  # bad numbers fall back


def test_story_detail_has_segments_people_and_visible_media_only(api):
    story = api.get("/api/stories/kua-guo-ya-lu-jiang").get_json()
    assert [s["id"] for s in story["segments"]] == ["can-jun", "t000003", "t000005"]
    assert story["segments"][1]["timestamp"] == "00:00:03" and story["segments"][1]["title"] == "过江"
    assert story["people"][0]["slug"] == "wang-jianguo"
    assert story["interviewer"] == ["李红"]  # a list even where the file names one interviewer
    files = [m["file"] for m in story["media"]]
    assert files == ["crossing/bridge.jpg", "crossing/interview.wav"]  # the restricted photo is left out
    assert story["media"][0]["thumbnail"].startswith("/media/thumb/")


def test_story_detail_html_is_sanitized(api):
    story = api.get("/api/stories/hostile").get_json()
    html = " ".join(s["html"] for s in story["segments"])
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


@pytest.mark.parametrize("slug", ["internal-story", "restricted-story", "embargoed-story", "draft-story", "x/../y"])
def test_hidden_or_unknown_story_is_a_json_404(api, slug):
    response = api.get(f"/api/stories/{slug}")
    assert response.status_code == 404
    if "/" not in slug:
        assert response.get_json()["error"] == "not_found"


def test_people_and_person(api):
    people = api.get("/api/people").get_json()["people"]
    assert [p["slug"] for p in people] == ["wang-jianguo"]
    person = api.get("/api/people/wang-jianguo").get_json()
    assert person["service"]["units"] == ["志愿军第27军"]
    assert ["负伤", "左腿冻伤"] in person["service_rows"]
    assert [s["slug"] for s in person["stories"]] == ["kua-guo-ya-lu-jiang"]
    assert api.get("/api/people/secret-person").status_code == 404


def test_collections(api):
    listed = api.get("/api/collections").get_json()["collections"]
    assert listed == [{"slug": "kang-mei-yuan-chao", "title": "抗美援朝老兵", "audience": ["初中"],
                       "stories": ["kua-guo-ya-lu-jiang"]}]
    one = api.get("/api/collections/kang-mei-yuan-chao").get_json()
    assert one["stories"][0]["title"] == "跨过鸭绿江"


def test_search_answers_like_the_cli_and_hides_what_it_must(api):
    answer = api.get("/api/search?q=鸭绿江").get_json()
    assert answer["total"] == 1 and answer["hits"][0]["slug"] == "kua-guo-ya-lu-jiang"
    assert "<mark>" in answer["hits"][0]["snippet"]
    assert set(answer) >= {"total", "hits", "facets", "suggestion", "page", "per_page"}
    assert api.get("/api/search?q=1979年").get_json()["total"] == 0  # only hidden stories tell about it


def test_signed_in_lecturer_sees_internal_stories_in_the_api(api, login):
    login(api, "lecturer")
    slugs = {s["slug"] for s in api.get("/api/stories").get_json()["stories"]}
    assert "internal-story" in slugs and "restricted-story" not in slugs


def test_unknown_api_address_answers_json(api):
    response = api.get("/api/no/such/thing")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
