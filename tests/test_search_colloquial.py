"""What veterans and pupils type: colloquial names of armies and wars through the archive's own
vocabularies/synonyms.txt (the shipped list, which archivists edit), and a narrator's name in pinyin
with tone marks, spaces or capitals, or in traditional characters."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore
from tests.conftest import write_tree

SHIPPED = Path(__file__).resolve().parent.parent / "vocabularies" / "synonyms.txt"
STORIES = {
    "stories/li.md": "---\ntitle: 炮楼\nnarrator: 李春生\n---\n[00:01:00] 日军的炮楼就在村东头，我们夜里去摸哨。\n",
    "stories/liu.md": "---\ntitle: 卫生员\nnarrator: 刘桂英\n---\n[00:01:00] 1979年对越自卫反击战，我在野战医院。\n",
    "stories/wang.md": "---\ntitle: 入伍\nnarrator: 王大海\n---\n[00:01:00] 我十八岁参加了中国人民解放军。\n",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("colloquial") / "archive", STORIES)
    (root / "vocabularies").mkdir()
    shutil.copy(SHIPPED, root / "vocabularies" / "synonyms.txt")
    built = WhooshSearchEngine(ContentStore(root), root.parent / "index")
    built.rebuild()
    return built


def _slugs(engine, text: str) -> list[str]:
    return [h.slug for h in engine.search(SearchRequest(query=text, role="admin")).hits]


@pytest.mark.parametrize(("text", "slug"), [("日寇", "li"), ("小日本", "li"), ("日本鬼子", "li"),
                                            ("对越作战", "liu"), ("人民军队", "wang"), ("解放军", "wang")])
def test_colloquial_names_of_armies_and_wars_find_the_story(engine, text, slug):
    assert _slugs(engine, text) == [slug]


@pytest.mark.parametrize("text", ["Li Chunsheng", "LI CHUNSHENG", "lǐ chūnshēng", "Lǐ Chūnshēng", "lichunsheng"])
def test_a_narrator_in_pinyin_however_written(engine, text):
    assert _slugs(engine, text)[:1] == ["li"]


def test_a_traditional_name_and_a_homophone_typo(engine):
    assert _slugs(engine, "劉桂英") == ["liu"]
    assert engine.search(SearchRequest(query="李春声", role="admin")).suggestion == "李春生"
