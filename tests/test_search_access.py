"""Access is decided inside the search: a story a reader may not read never shows in
totals, facets, snippets, suggestions or related stories — for every role, and an
embargo lifts on its date without re-indexing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archive import access
from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore
from tests.conftest import write_tree


def story(slug_word: str, **meta: str) -> str:
    lines = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"""
---
title: {slug_word}的故事
narrator: {slug_word}
conflicts:
  - 抗美援朝战争
tags:
  - {slug_word}标签
{lines}---
[00:01:00] 我们连夜跨过鸭绿江，{slug_word}背着电台走在最后。
"""


STORIES = {
    "stories/gong-kai.md": story("公开"),
    "stories/nei-bu.md": story("内部", access="internal"),
    "stories/shou-xian.md": story("受限", access="restricted"),
    "stories/feng-cun.md": story("封存", embargo_until="'2031-01-01'"),
    "stories/cao-gao.md": story("草稿", status="draft"),
    "stories/che-xia.md": story("撤下", takedown="true"),
}
VISIBLE = {
    None: {"gong-kai"},
    "lecturer": {"gong-kai", "nei-bu"},
    "archivist": {"gong-kai", "nei-bu", "shou-xian", "feng-cun", "cao-gao", "che-xia"},
    "admin": {"gong-kai", "nei-bu", "shou-xian", "feng-cun", "cao-gao", "che-xia"},
}
WORDS = {"gong-kai": "公开", "nei-bu": "内部", "shou-xian": "受限", "feng-cun": "封存", "cao-gao": "草稿",
         "che-xia": "撤下"}


@pytest.fixture
def engine(tmp_path: Path, monkeypatch) -> WhooshSearchEngine:
    monkeypatch.setattr(access, "today", lambda: dt.date(2026, 6, 1))
    root = write_tree(tmp_path / "archive", STORIES)
    engine = WhooshSearchEngine(ContentStore(root), tmp_path / "index")
    engine.rebuild()
    return engine


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_sees_only_what_it_may_read(engine, role):
    results = engine.search(SearchRequest(query="鸭绿江", role=role, per_page=50))
    allowed = VISIBLE[role]
    assert {hit.slug for hit in results.hits} == allowed
    assert results.total == len(allowed)
    assert {f.value for f in results.facets["tag"]} == {WORDS[s] + "标签" for s in allowed}
    assert {f.value for f in results.facets["narrator"]} == {WORDS[s] for s in allowed}
    assert results.facets["conflict"][0].count == len(allowed)
    snippets = " ".join(hit.snippet for hit in results.hits)
    for slug, word in WORDS.items():
        assert (word in snippets) == (slug in allowed)


@pytest.mark.parametrize("role", [None, "lecturer"])
def test_hidden_stories_are_not_found_by_their_own_words(engine, role):
    for slug, word in WORDS.items():
        if slug not in VISIBLE[role]:
            results = engine.search(SearchRequest(query=word, role=role))
            assert results.total == 0 and results.hits == []
            assert all(f.value != word for f in results.facets["narrator"])
            assert engine.search(SearchRequest(query="鸭绿江", role=role, story=slug)).total == 0
            assert engine.related(slug, role=role) == []


def test_related_stories_leave_out_what_the_reader_may_not_read(engine):
    assert {hit.slug for hit in engine.related("gong-kai", role=None)} == set()
    assert {hit.slug for hit in engine.related("gong-kai", role="lecturer")} == {"nei-bu"}
    assert len(engine.related("gong-kai", role="admin", limit=10)) == 5


def test_a_suggestion_never_points_at_a_hidden_story(engine):
    assert engine.suggest("受线", role=None) is None
    assert engine.suggest("受线", role="admin") == "受限"


def test_embargo_lifts_on_its_date_without_reindexing(engine, monkeypatch):
    assert engine.search(SearchRequest(query="封存", role=None)).total == 0
    monkeypatch.setattr(access, "today", lambda: dt.date(2031, 1, 1))
    results = engine.search(SearchRequest(query="封存", role=None))
    assert [hit.slug for hit in results.hits] == ["feng-cun"]
