"""Years as people say and type them: 一九四九年 and 四九年 find 1949年, 六十年代 (and 60年代, ６０年代)
finds the stories that tell of 1960-1969, full-width digits find ASCII ones."""
from __future__ import annotations

import pytest

from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore
from tests.conftest import write_tree

STORIES = {
    "stories/enlist.md": "---\ntitle: 参军\nnarrator: 周春来\n---\n[00:01:00] 1949年春天我在村口报名参了军。\n",
    "stories/railway.md": "---\ntitle: 修铁路\nnarrator: 吴铁生\n---\n[00:01:00] 1963年我们铁道兵进了山，一干就是好几年。\n",
    "stories/home.md": "---\ntitle: 退伍\nnarrator: 郑回乡\n---\n[00:01:00] 1975年我退伍回到家乡，过了五六年才成家。\n",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("numerals") / "archive", STORIES)
    built = WhooshSearchEngine(ContentStore(root), root.parent / "index")
    built.rebuild()
    return built


def _slugs(engine, text: str) -> list[str]:
    return [h.slug for h in engine.search(SearchRequest(query=text, role="admin")).hits]


@pytest.mark.parametrize("text", ["一九四九年", "一九四九", "四九年", "１９４９年", "1949年"])
def test_a_year_in_chinese_numerals_or_full_width_finds_the_ascii_year(engine, text):
    assert _slugs(engine, text)[:1] == ["enlist"]


@pytest.mark.parametrize("text", ["六十年代", "六〇年代", "60年代", "６０年代"])
def test_a_decade_finds_the_stories_of_its_years(engine, text):
    assert _slugs(engine, text) == ["railway"]


def test_five_or_six_years_is_still_words(engine):
    assert "home" in _slugs(engine, "五六年")
