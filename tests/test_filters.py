"""Combined filters (issue 17): the counts beside every value equal counts computed here
from the archive's own specification, for an anonymous reader and for an archivist."""
from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from conftest import TEST_PASSWORD, csrf_token_of
from teaching_archive import PEOPLE, STORIES, build_teaching_archive

from archive import create_app

CHOICE = re.compile(r'data-filter="(\w+)=([^"]*)">(?:✓ )?[^<]*<span class="count">(\d+)</span>')
PARENTS = {"长津湖": "战役与战斗", "渡江战役": "战役与战斗", "战役与战斗": "战斗经历", "卫生员": "兵种与岗位",
           "运输兵": "兵种与岗位", "兵种与岗位": "战斗经历", "战友情": "人物与情谊", "抗洪": "和平年代"}
TAG_TOPIC = {"过江": "渡江战役", "汽车兵": "运输兵", "长津湖": "长津湖", "卫生员": "卫生员", "战友情": "战友情",
             "渡江战役": "渡江战役", "抗洪": "抗洪"}


def expected_records(archivist: bool) -> list[dict]:
    """Every story the reader may read, described straight from the test archive's specification."""
    records = []
    for slug, (_, conflict, audiences, tags, minutes, recording, access, _) in STORIES.items():
        if access != "public" and not archivist:
            continue
        topics = set()
        for tag in tags:
            topic = TAG_TOPIC[tag]
            while topic:
                topics.add(topic)
                topic = PARENTS.get(topic)
        heard = recording == "public" or (recording == "restricted" and archivist)
        records.append({"conflict": {conflict}, "audience": set(audiences), "topic": topics,
                        "narrator": {STORIES[slug][0][:2] + "老兵"}, "recording": heard, "photos": True,
                        "minutes": minutes if heard else 1})
    for slug, (name, *_, access, _) in PEOPLE.items():
        if access == "public" or archivist:
            records.append({"conflict": {"抗美援朝战争"}, "audience": set(), "topic": set(), "narrator": {name},
                            "recording": True, "photos": False, "minutes": 1})
    records.append({"conflict": set(), "audience": set(), "topic": set(), "narrator": {"测试"},
                    "recording": False, "photos": False, "minutes": 1})
    return records


def passes(record: dict, key: str, values: list[str]) -> bool:
    if key in ("recording", "photos"):
        return record[key]
    if key == "length":
        return any(record["minutes"] <= int(v) for v in values)
    return bool(record[key] & set(values))


def expected_counts(records: list[dict], chosen: dict[str, list[str]]) -> dict[tuple[str, str], int]:
    """{(key, value): stories the list would hold with that value and the other filters}."""
    counts: dict[tuple[str, str], int] = {}
    for key in ("conflict", "audience", "topic", "narrator", "recording", "photos", "length"):
        pool = [r for r in records if all(passes(r, k, v) for k, v in chosen.items() if k != key)]
        if key in ("recording", "photos"):
            values = ["1"]
        elif key == "length":
            values = ["10", "15", "30"]
        else:
            values = sorted({v for r in pool for v in r[key]})
        for value in values:
            n = sum(1 for r in pool if passes(r, key, [value]))
            if n:
                counts[(key, value)] = n
    return counts


def shown_counts(page: str) -> dict[tuple[str, str], int]:
    found = {(key, html.unescape(value)): int(n) for key, value, n in CHOICE.findall(page)}
    return {k: n for k, n in found.items() if k[0] != "era" and k[0] != "place"}


@pytest.fixture
def teaching_app(tmp_path):
    root = build_teaching_archive(tmp_path / "archive")
    return create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                       "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance")})


SELECTIONS = [
    {},
    {"conflict": ["抗美援朝战争"]},
    {"conflict": ["抗美援朝战争"], "audience": ["小学高年级"]},
    {"conflict": ["抗美援朝战争"], "audience": ["小学高年级"], "recording": ["1"], "length": ["15"]},
    {"topic": ["战斗经历"], "audience": ["初中", "高中"]},
]


def signed_in(app, role: str | None):
    """A test client of `app`, signed in through the real login form as `role` (anonymous for None)."""
    client = app.test_client()
    if role:
        app.extensions["archive"].accounts.add_user(f"{role}1", TEST_PASSWORD, role, display_name="测试")
        token = csrf_token_of(client)
        response = client.post("/login", data={"username": f"{role}1", "password": TEST_PASSWORD, "csrf_token": token})
        assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", [None, "archivist"])
def test_filter_counts_equal_independent_counts(teaching_app, role):
    client = signed_in(teaching_app, role)
    records = expected_records(archivist=role is not None)
    for chosen in SELECTIONS:
        query = urlencode([(k, v) for k, values in chosen.items() for v in values])
        page = client.get(f"/stories/?{query}").get_data(as_text=True)
        assert shown_counts(page) == expected_counts(records, chosen), chosen
        total = sum(1 for r in records if all(passes(r, k, v) for k, v in chosen.items()))
        assert f"共 {total} 篇故事。" in page, chosen


def test_teacher_selection_lists_the_right_stories(teaching_app):
    page = teaching_app.test_client().get(
        "/stories/?conflict=抗美援朝战争&audience=小学高年级&recording=1&length=15").get_data(as_text=True)
    assert "雪夜过江" in page  # 12 minutes, recording
    assert "长津湖的冬天" not in page  # 40 minutes
    assert "车队夜行" not in page  # no recording
    assert "野战医院" not in page  # its recording is restricted
    assert "内部回忆" not in page and "受限回忆" not in page


def test_restricted_material_never_counted_for_anonymous(teaching_app):
    page = teaching_app.test_client().get("/stories/").get_data(as_text=True)
    assert "内部回忆" not in page and "受限" not in page and "赵保密" not in page and "钱内部" not in page


def test_era_is_the_time_told_about_not_the_interview(teaching_app):
    page = teaching_app.test_client().get("/stories/?era=1940年代").get_data(as_text=True)
    assert "渡江的船" in page and "地道里的日子" in page
    assert "九八年抗洪" not in page  # recorded in 2020, about 1998
    page = teaching_app.test_client().get("/stories/?era=1990年代").get_data(as_text=True)
    assert "九八年抗洪" in page and "渡江的船" not in page
    assert "2020年代" not in page  # the interview decade is no era


def test_filters_in_the_address_and_bad_values_ignored(teaching_app):
    client = teaching_app.test_client()
    response = client.get("/stories/?length=abc&recording=&sort=%00&conflict=")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "已选条件" not in page
    page = client.get("/stories/?conflict=无此战争").get_data(as_text=True)
    assert "没有同时符合这些条件的故事" in page


def test_cards_show_badges_and_audiences_by_age(teaching_app):
    page = teaching_app.test_client().get("/stories/?conflict=抗美援朝战争").get_data(as_text=True)
    assert "适合：小学高年级、初中" in page
    assert "有录音" in page and "录音 12 分钟" in page and "⚠ 战争伤亡描写" in page
    audiences = [html.unescape(v) for k, v, _ in CHOICE.findall(page) if k == "audience"]
    assert audiences == ["小学高年级", "初中", "高中"]


def test_browse_value_pages_share_the_filter_bar(teaching_app):
    client = teaching_app.test_client()
    page = client.get("/browse/conflict/抗美援朝战争").get_data(as_text=True)
    assert 'id="filter-bar"' in page and "雪夜过江" in page and "渡江的船" not in page
    assert client.get("/browse/tag/过江").status_code == 200  # a synonym finds its topic
    assert client.get("/browse/conflict/无此战争").status_code == 404


def test_search_page_hands_its_filters_to_the_story_list(teaching_app):
    page = teaching_app.test_client().get("/search?q=老兵&conflict=抗美援朝战争&tag=长津湖").get_data(as_text=True)
    assert '/stories/?conflict=%E6%8A%97%E7%BE%8E%E6%8F%B4%E6%9C%9D%E6%88%98%E4%BA%89&amp;topic=' in page


def test_search_hits_carry_the_same_badges(teaching_app):
    page = teaching_app.test_client().get("/search?q=长津湖").get_data(as_text=True)
    hit = page.split('class="hits"', 1)[1]
    assert "适合：小学高年级" in hit and "录音 40 分钟" in hit and "⚠ 战争伤亡描写" in hit
