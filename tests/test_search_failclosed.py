"""Search fails closed (issue 14): "did you mean" offers only words of stories the reader may
read; a damaged index file is noticed and rebuilt while serving, never a 500; a save re-indexes
just the story saved."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_tree


def story(title: str, narrator: str, text: str, **meta: str) -> str:
    lines = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"""
---
title: {title}
narrator: {narrator}
{lines}---
[00:01:00] {text}
"""


# Each hidden story holds one name that sounds like a misspelling a reader might type; the public
# story holds 渡江 and 上甘岭, so a corrected query would find *something* whatever it suggested.
SUGGEST_STORIES = {
    "stories/gong-kai.md": story("渡江的故事", "张大山", "我们在上甘岭守了四十三天，后来又去渡江。"),
    "stories/shou-xian.md": story("受限的故事", "秘人乙", "秘人乙讲他夜里渡江的事。", access="restricted"),
    "stories/feng-cun.md": story("封存的故事", "封德厚", "封德厚讲他渡江的事。", embargo_until="'2099-01-01'"),
    "stories/nei-bu.md": story("内部的故事", "内部人", "我们在石门岭过夜，第二天渡江。", access="internal",
                               place="石门岭"),
}


@pytest.fixture
def archive_root(tmp_path: Path) -> Path:
    """The archive the conftest `app`, `client` and `login` fixtures serve."""
    return write_tree(tmp_path / "archive", SUGGEST_STORIES)


def suggestion(client, query: str) -> str | None:
    answer = client.get("/api/search", query_string={"q": query})
    assert answer.status_code == 200
    return answer.get_json()["suggestion"]


@pytest.mark.parametrize("typed", ["米人乙 度江", "丰德厚 度江", "米人乙", "丰德厚"])
@pytest.mark.parametrize("role", [None, "lecturer"])
def test_did_you_mean_never_offers_a_name_only_a_hidden_story_holds(client, login, role, typed):
    if role:
        login(client, role)
    offered = suggestion(client, typed)
    assert offered in (None, "米人乙 渡江", "丰德厚 渡江")  # at most the public word is corrected
    page = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert "秘人乙" not in page and "封德厚" not in page


def test_an_internal_place_is_offered_to_a_lecturer_but_not_to_an_anonymous_reader(client, login):
    assert suggestion(client, "石们岭 度江") in (None, "石们岭 渡江")
    assert "石门岭" not in client.get("/search", query_string={"q": "石们岭 度江"}).get_data(as_text=True)
    login(client, "lecturer")
    assert suggestion(client, "石们岭 度江") == "石门岭 渡江"


def test_a_public_name_is_still_offered_to_everyone(client):
    assert suggestion(client, "上干岭") == "上甘岭"
    assert suggestion(client, "米人乙 度江") == "米人乙 渡江"
    page = client.get("/search", query_string={"q": "上干岭"}).get_data(as_text=True)
    assert "您是不是要找" in page and "上甘岭" in page
