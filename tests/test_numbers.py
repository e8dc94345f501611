"""Numbers typed by users (issue 10): one parser for ASCII and full-width digits; superscripts,
other Unicode digits and junk get a clear message.  A property test feeds arbitrary Unicode
digits and strings to every numeric parameter of every route: never a 500."""
from __future__ import annotations

import pytest
from conftest import write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lecture_archive import lecture_archive

from archive.numbers import NumberError, number_or, parse_number

PERSON = """
---
name: 王建国
born: 1928
service:
  enlisted: 1947
---
王建国，1928年生。
"""
NUMERIC_QUERY = ("page", "per_page", "minutes", "limit")
VALUES = {"slug": "crossing", "kind": "conflicts", "value": "抗美援朝战争"}
SKIP = {"static", "files.image", "files.recording", "upload.original", "history.show_version"}
SPECIAL = ["¹", "²", "¹⁹³²", "①", "١٢", "߁", "𝟙", "１２", "nan", "inf", "-1", "0", "1e400", "9" * 5000, "1.5", " ", "\x00"]
numbers_and_junk = st.one_of(
    st.text(st.characters(categories=("Nd", "No", "Nl")), max_size=6),
    st.text(max_size=8),
    st.sampled_from(SPECIAL),
)


@pytest.mark.parametrize(("text", "expected"), [("1932", 1932), ("１９３２", 1932), (" 7 ", 7), ("-3", -3)])
def test_ascii_and_full_width_digits_are_read(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["¹⁹³²", "①", "١٩٣٢", "nan", "inf", "1e3", "", "9" * 5000, "1.5"])
def test_other_digits_and_junk_get_a_message_that_names_the_field(text):
    with pytest.raises(NumberError, match="出生年份"):
        parse_number(text, "出生年份")


def test_range_and_link_forgiveness():
    assert parse_number("2.5", whole=False) == 2.5
    with pytest.raises(NumberError, match="1850 到 2100"):
        parse_number("1700", "年份", minimum=1850, maximum=2100)
    assert number_or("²", 20, 1, 100) == 20 and number_or("1000", 20, 1, 100) == 100 and number_or("0", 5, 1, 9) == 1


@pytest.fixture
def archive_root(tmp_path):
    root = lecture_archive(tmp_path / "archive")
    return write_tree(root, {"people/wang-jianguo.md": PERSON})


@pytest.fixture
def admin(app, login):
    client = app.test_client()
    token = login(client, "admin")
    response = client.post("/lectures/new", data={"title": "走进红星小学", "audience": "小学高年级",
                                                  "target_minutes": "3", "csrf_token": token})
    assert response.status_code == 302
    return client, token, response.headers["Location"].rsplit("/", 1)[-1]


def _get_routes(app, plan_id: str) -> list[str]:
    """Every GET address whose parts we can fill (a known story, person, plan, browse value)."""
    values = VALUES | {"plan_id": plan_id}
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP or not set(rule.arguments) <= set(values):
            continue
        routes.append(rule.build({key: values[key] for key in rule.arguments}, append_unknown=False)[1])
    return sorted(routes)


def test_the_route_list_covers_the_paged_and_timed_pages(app, admin):
    routes = _get_routes(app, admin[2])
    for expected in ("/stories/", "/search", "/api/stories", "/api/search", "/api/people", "/people/",
                     f"/lectures/{admin[2]}/suggest", "/browse/conflicts/%E6%8A%97%E7%BE%8E%E6%8F%B4%E6%9C%9D%E6%88%98%E4%BA%89"):
        assert expected in routes


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_numeric_query_parameter_of_any_route_answers_500(app, admin, data):
    client, _, plan_id = admin
    route = data.draw(st.sampled_from(_get_routes(app, plan_id)))
    value = data.draw(numbers_and_junk)
    response = client.get(route, query_string={name: value for name in NUMERIC_QUERY} | {"q": "江"})
    assert response.status_code < 500, (route, value)


def test_every_route_survives_superscript_digits(app, admin):
    client, _, plan_id = admin
    for route in _get_routes(app, plan_id):
        for value in ("¹", "١٢"):
            response = client.get(route, query_string={name: value for name in NUMERIC_QUERY})
            assert response.status_code < 500, (route, value)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=numbers_and_junk)
def test_numeric_form_fields_never_answer_500(app, admin, value):
    client, token, plan_id = admin
    person = app.extensions["archive"].store.get_person("wang-jianguo")
    posts = {
        "/edit/person/wang-jianguo": {"name": "王建国", "born": value, "enlisted": value,
                                      "base_version": person.version},
        "/edit/person/new": {"person_slug": "x1", "name": "甲", "born": value},
        f"/lectures/{plan_id}/details": {"title": "走进红星小学", "target_minutes": value, "chars_per_minute": value,
                                         "audience_size": value},
        f"/lectures/{plan_id}/items": {"order": [value], "action": f"up:{value}", "trim_first-0": value},
        "/lectures/new": {"title": "甲", "target_minutes": value},
        f"/edit/story/crossing/photos/{value or '0'}": {"action": "remove"},
    }
    for url, form in posts.items():
        response = client.post(url, data=form | {"csrf_token": token})
        assert response.status_code < 500, (url, value, response.get_data(as_text=True)[-400:])


def test_person_form_says_what_is_wrong_with_a_superscript_year(app, admin):
    client, token, _ = admin
    person = app.extensions["archive"].store.get_person("wang-jianguo")
    response = client.post("/edit/person/wang-jianguo", data={"csrf_token": token, "name": "王建国", "born": "¹⁹³²",
                                                               "base_version": person.version})
    assert response.status_code == 422 and "请填写四位年份" in response.get_data(as_text=True)
    assert "born: 1928" in (app.extensions["archive"].paths.root / "people" / "wang-jianguo.md").read_text("utf-8")
