"""The relevance set in tests/relevance/: every query finds its story in the top k,
phrases match only where the words stand together, and highlights land exactly."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore

RELEVANCE = Path(__file__).parent / "relevance"


def _cases() -> list[tuple[str, str, int]]:
    cases = []
    for line in (RELEVANCE / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, slug, k = line.split("\t")[:3]
            cases.append((query, slug, int(k)))
    return cases


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> WhooshSearchEngine:
    engine = WhooshSearchEngine(ContentStore(RELEVANCE), tmp_path_factory.mktemp("relevance") / "index")
    engine.rebuild()
    return engine


def top(engine: WhooshSearchEngine, query: str, **kwargs) -> list[str]:
    return [hit.slug for hit in engine.search(SearchRequest(query=query, role="admin", **kwargs)).hits]


@pytest.mark.parametrize(("query", "slug", "k"), _cases(), ids=[c[0] for c in _cases()])
def test_query_finds_its_story_in_the_top_k(engine, query, slug, k):
    assert slug in top(engine, query)[:k]


def test_a_phrase_needs_its_words_together(engine):
    assert top(engine, '"人民代表"') == ["ren-min-dai-biao"]
    assert "ren-min-he-dai-biao" in top(engine, "人民 代表")


def test_a_common_word_does_not_outrank_the_narrator_of_that_name(engine):
    assert top(engine, "向前进").index("xiang-qianjin") < top(engine, "向前进").index("zou-xiang-qian")
    assert top(engine, "高山")[:2] == ["gao-shan", "gao-shan-shang"]


def test_whole_name_is_highlighted_not_its_sub_words(engine):
    hit = engine.search(SearchRequest(query="向前进 过江", role="admin")).hits[0]
    assert hit.slug == "xiang-qianjin"
    assert "<mark>过江</mark>" in hit.snippet or "<mark>向前进</mark>" in hit.snippet
    assert "向<mark>前进</mark>" not in hit.snippet


def test_traditional_text_is_highlighted_in_its_own_characters(engine):
    hit = engine.search(SearchRequest(query="战斗英雄", role="admin")).hits[0]
    assert "<mark>戰鬥英雄</mark>" in hit.snippet


def test_hit_names_the_segment_to_jump_to(engine):
    hit = engine.search(SearchRequest(query="防空哨", role="admin")).hits[0]
    assert (hit.slug, hit.timestamp, hit.segment_title) == ("xiang-qianjin", "00:12:40", "防空哨")
    story = ContentStore(RELEVANCE).get_story("xiang-qianjin")
    assert hit.segment == next(s.id for s in story.segments if s.title == "防空哨")  # the id links use
    assert story.segment(hit.segment) is not None and "防空哨" in story.segment(hit.segment).text


def test_did_you_mean_offers_a_homophone_from_the_archive(engine):
    assert engine.suggest("上干岭") == "上甘岭"
    missed = engine.search(SearchRequest(query="上干岭", role="admin"))
    assert (missed.total, missed.suggestion) == (0, "上甘岭")
    assert engine.suggest("完全无关的句子") is None


def test_related_stories_share_war_and_themes(engine):
    related = [hit.slug for hit in engine.related("chao-xian-zhan-zheng", role="admin")]
    assert "chao-xian-zhan-zheng" not in related
    assert related and set(related[:3]) & {"si-shi-qi-jun", "zhan-dou-ying-xiong", "xiang-qianjin"}
