"""Queries people actually type, and what the results page needs: any input is safe,
pages add up to the exact total, sorting, facet filters, search inside one story,
snippets cut at Chinese sentence ends, escaped, and found deep in long transcripts."""
from __future__ import annotations

import pytest

from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore
from tests.conftest import write_tree

HOSTILE = ["(", ")", '"', '""', "AND", "OR NOT", "title:", "narrator:", "conflict:\"", "*", "?", "~", "^2",
           "🙂🙂", "\x00", "<script>alert(1)</script>", "老兵" * 1000, "a" * 2000, "　", "\\", "[00:01:00]",
           "narrator:\"向", "tag:(", "鸭绿江 OR", "''", "%", "{#intro}"]


def numbered_story(number: int) -> str:
    return f"""
---
title: 第{number}位老兵
narrator: 老兵{number:02d}
interviewed: '{1990 + number}-05-01'
conflicts:
  - {"抗美援朝战争" if number % 2 else "解放战争"}
tags:
  - 标签{number % 3}
audience:
  - 初中
---
[00:00:10] 我是老兵，第{number}个讲鸭绿江的故事。
"""


LONG_TAIL = "我们一直往北走，路上什么也没有发生。" * 2500  # ~47,500 characters before the match


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> WhooshSearchEngine:
    tmp_path = tmp_path_factory.mktemp("queries")
    files = {f"stories/lao-bing-{n:02d}.md": numbered_story(n) for n in range(1, 24)}
    files["stories/chang-gao.md"] = f"""
---
title: 很长的访谈
narrator: 长稿
---
## 开头

{LONG_TAIL}

## 结尾

[02:10:00] 问：最后想说什么？

长稿：第一句话。第二句话说到<script>alert(1)</script>和 A&B。最后我在松骨峰见到了他！再后来的事就不说了。
"""
    root = write_tree(tmp_path / "archive", files)
    engine = WhooshSearchEngine(ContentStore(root), tmp_path / "index")
    engine.rebuild()
    return engine


@pytest.mark.parametrize("query", HOSTILE)
def test_any_input_returns_results_or_none_never_an_error(engine, query):
    results = engine.search(SearchRequest(query=query, role="admin"))
    assert results.total >= 0 and len(results.hits) <= results.per_page
    for hit in results.hits:
        assert "<script>" not in hit.snippet


def test_pages_add_up_to_the_exact_total(engine):
    first = engine.search(SearchRequest(query="老兵", per_page=10))
    assert first.total == 23 and first.pages == 3
    seen = [hit.slug for page in (1, 2, 3)
            for hit in engine.search(SearchRequest(query="老兵", per_page=10, page=page)).hits]
    assert len(seen) == len(set(seen)) == 23
    assert engine.search(SearchRequest(query="老兵", per_page=10, page=9)).hits == []


def test_sort_by_interview_date(engine):
    newest = [h.interviewed for h in engine.search(SearchRequest(query="鸭绿江", sort="newest", per_page=5)).hits]
    oldest = [h.interviewed for h in engine.search(SearchRequest(query="鸭绿江", sort="oldest", per_page=5)).hits]
    assert newest == ["2013-05-01", "2012-05-01", "2011-05-01", "2010-05-01", "2009-05-01"]
    assert oldest == ["1991-05-01", "1992-05-01", "1993-05-01", "1994-05-01", "1995-05-01"]


def test_facets_count_all_hits_and_filter(engine):
    results = engine.search(SearchRequest(query="鸭绿江", per_page=5))
    conflicts = {f.value: f.count for f in results.facets["conflict"]}
    assert conflicts == {"抗美援朝战争": 12, "解放战争": 11}
    decades = {f.value: f.count for f in results.facets["decade"]}
    assert decades == {"1990年代": 9, "2000年代": 10, "2010年代": 4}
    chosen = engine.search(SearchRequest(query="鸭绿江", filters={"conflict": ["解放战争"], "tag": ["标签0"]}))
    assert chosen.total == 3 and {f.value for f in chosen.facets["conflict"]} == {"解放战争"}


def test_a_blank_query_browses_everything_newest_first(engine):
    results = engine.search(SearchRequest(query="", per_page=3))
    assert results.total == 24
    assert [h.slug for h in results.hits] == ["lao-bing-23", "lao-bing-22", "lao-bing-21"]


def test_match_deep_in_a_long_transcript_gets_a_snippet(engine):
    hit = engine.search(SearchRequest(query="松骨峰")).hits[0]
    assert hit.slug == "chang-gao" and hit.timestamp == "02:10:00"
    assert "<mark>松骨峰</mark>" in hit.snippet


def test_snippet_is_cut_at_sentence_ends(engine):
    hit = engine.search(SearchRequest(query="松骨峰")).hits[0]
    assert hit.snippet == "…最后我在<mark>松骨峰</mark>见到了他！再后来的事就不说了。"


def test_snippet_is_escaped(engine):
    hit = engine.search(SearchRequest(query="alert")).hits[0]
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;和 A&amp;B" in hit.snippet


def test_search_inside_one_story_lists_matching_segments(engine):
    results = engine.search(SearchRequest(query="第二句话", story="chang-gao"))
    assert results.total == 1 and results.hits[0].segment_title == "结尾"
    assert engine.search(SearchRequest(query="第二句话", story="lao-bing-01")).total == 0


def test_a_phrase_does_not_match_across_punctuation(tmp_path):
    root = write_tree(tmp_path / "archive", {
        "stories/bao-fan.md": "---\ntitle: 吃饱饭\nnarrator: 甲\n---\n[00:00:10] 到了后方，那天终于吃饱饭了。\n",
        "stories/mei-chi-bao.md": "---\ntitle: 冬天\nnarrator: 乙\n---\n[00:00:10] 一连三天还没吃饱。饱饭是什么滋味，早忘了。\n",
        "stories/hou-hui.md": "---\ntitle: 一辈子\nnarrator: 丙\n---\n[00:00:10] 当兵这件事，我一辈子也不后悔。\n",
        "stories/bu-hui.md": "---\ntitle: 不会\nnarrator: 丁\n---\n[00:00:10] 这一辈子也不会后悔，子也不后悔。\n",
    })
    engine = WhooshSearchEngine(ContentStore(root), tmp_path / "index")
    engine.rebuild()

    def found(query: str) -> list[str]:
        return [hit.slug for hit in engine.search(SearchRequest(query=query, role="admin")).hits]

    assert found('"吃饱饭"') == ["bao-fan"]
    assert found('"一辈子也不后悔"') == ["hou-hui"]


def test_a_facet_lists_its_most_frequent_values_first_and_at_most_thirty(tmp_path):
    files = {f"stories/ren-{n:02d}.md": f"---\ntitle: 第{n}篇\nnarrator: 讲述人{n:02d}\n---\n[00:00:10] 老兵讲故事。\n"
             for n in range(40)}
    files["stories/ren-extra.md"] = "---\ntitle: 又一篇\nnarrator: 讲述人07\n---\n[00:00:10] 老兵讲故事。\n"
    engine = WhooshSearchEngine(ContentStore(write_tree(tmp_path / "archive", files)), tmp_path / "index")
    engine.rebuild()
    results = engine.search(SearchRequest(query="老兵", role="admin"))
    narrators = results.facets["narrator"]
    assert results.total == 41
    assert len(narrators) == 30
    assert (narrators[0].value, narrators[0].count) == ("讲述人07", 2)
    assert [n.value for n in narrators[1:4]] == ["讲述人00", "讲述人01", "讲述人02"]
