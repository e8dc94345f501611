"""Leaving words out: `鸭绿江 -冻土豆` and `鸭绿江 NOT 冻土豆` find the stories about the Yalu that never
mention frozen potatoes (docs/search.md); a hyphen inside a word (AB-27) is no exclusion."""
from __future__ import annotations

import pytest

from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore
from tests.conftest import write_tree

STORIES = {
    "stories/both.md": "---\ntitle: 过江\nnarrator: 赵大山\n---\n[00:01:00] 跨过鸭绿江那天，我们只吃了冻土豆。\n",
    "stories/river.md": "---\ntitle: 江边\nnarrator: 钱小河\n---\n[00:01:00] 鸭绿江边的夜里很冷，炮声一直没停。\n",
    "stories/potato.md": "---\ntitle: 阵地\nnarrator: 孙石头\n---\n[00:01:00] 阵地上没有水，冻土豆就是一顿饭。\n",
    "stories/code.md": "---\ntitle: 电台\nnarrator: 李电波\n---\n[00:01:00] 我背的是AB-27型电台，跟着连队过了鸭绿江。\n",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("exclusion") / "archive", STORIES)
    built = WhooshSearchEngine(ContentStore(root), root.parent / "index")
    built.rebuild()
    return built


def _slugs(engine, text: str) -> list[str]:
    return sorted(h.slug for h in engine.search(SearchRequest(query=text, role="admin")).hits)


@pytest.mark.parametrize("text", ["鸭绿江 -冻土豆", "鸭绿江 NOT 冻土豆", "鸭绿江 －冻土豆", '鸭绿江 -"冻土豆"'])
def test_an_excluded_word_leaves_out_the_stories_holding_it(engine, text):
    assert _slugs(engine, "鸭绿江") == ["both", "code", "river"]
    assert _slugs(engine, text) == ["code", "river"]


def test_only_an_exclusion_lists_every_story_without_the_word(engine):
    assert _slugs(engine, "-冻土豆") == ["code", "river"]
    assert engine.search(SearchRequest(query="-冻土豆", role="admin")).total == 2


def test_a_hyphen_inside_a_word_is_not_an_exclusion(engine):
    assert _slugs(engine, "AB-27") == ["code"]
    assert _slugs(engine, "not 冻土豆") == ["both", "potato"]  # a lower-case 'not' is only a word
