"""A query whose words stand once, in passing, in many long stories still ranks first the story
that is about them, and its hit points at the segment that holds the match — also deep inside a
long transcript of many segments (issue 16, item 4)."""
from __future__ import annotations

import pytest

from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore
from tests.conftest import write_tree

FILLER = ["那年冬天我们在山沟里过年，炊事班蒸了一锅馒头。", "连长叫我去团部送信，路上走了两天两夜。",
          "后来我复员回了老家，在公社当了会计。", "我们班里有个四川兵，天天想着吃辣椒。"]


def _segments(count: int, special: dict[int, str]) -> str:
    parts = []
    for n in range(count):
        minutes = 5 + n * 3
        text = special.get(n) or "".join(FILLER[(n + k) % len(FILLER)] for k in range(6))
        parts.append(f"## 第{n + 1}段\n\n[{minutes // 60:02d}:{minutes % 60:02d}:00] {text}\n")
    return "\n".join(parts)


def _story(n: int, body: str) -> str:
    return f"---\ntitle: 访谈{n}\nnarrator: 老兵{n}\n---\n{body}"


ABOUT = ("我们连守在长津湖边上，零下四十度，冻土豆硬得像石头。冻土豆揣在怀里焐软了才能咬，"
         "长津湖的冰面上，战友们就靠冻土豆撑了七天。长津湖那一仗，我一辈子忘不了冻土豆的味道。")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("passing") / "archive"
    files = {}
    for n in range(30):  # each names 长津湖 and 冻土豆 once, in a long transcript, and is about other things
        mention = {n % 12: f"听说有人去过长津湖，{FILLER[n % 4]}我们吃过一回冻土豆。{FILLER[(n + 1) % 4]}"}
        files[f"stories/passing-{n:02d}.md"] = _story(n, _segments(12, mention))
    files["stories/zhao-dong.md"] = _story(99, _segments(40, {33: ABOUT}))  # 40 segments, the match in the 34th; its slug sorts last, so a tie would not put it first
    engine = WhooshSearchEngine(ContentStore(write_tree(root, files)), root.parent / "index")
    engine.rebuild()
    engine.root = root
    return engine


@pytest.mark.parametrize("query", ["长津湖 冻土豆", "冻土豆", "长津湖的冻土豆"])
def test_the_story_about_the_words_ranks_first_and_its_hit_points_at_the_segment(engine, query):
    results = engine.search(SearchRequest(query=query, role="admin", per_page=10))
    assert results.total == 31
    hit = results.hits[0]
    assert hit.slug == "zhao-dong"
    story = ContentStore(engine.root).get_story("zhao-dong")
    segment = story.segment(hit.segment)
    assert hit.segment_title == "第34段" and hit.timestamp == "01:44:00"
    assert segment is not None and "冻土豆" in segment.text
    # the whole word is marked (adjacent marks of its pieces read as one)
    assert "<mark>冻土豆</mark>" in hit.snippet.replace("</mark><mark>", "")


def test_a_passing_mention_points_at_the_segment_that_holds_it(engine):
    hits = engine.search(SearchRequest(query="长津湖 冻土豆", role="admin", per_page=40)).hits
    passing = {hit.slug: hit for hit in hits if hit.slug != "zhao-dong"}
    assert len(passing) == 30
    for slug, hit in passing.items():
        n = int(slug.rsplit("-", 1)[1])
        assert hit.segment_title == f"第{n % 12 + 1}段", (slug, hit.segment_title)
