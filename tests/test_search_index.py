"""The index lifecycle: an incrementally updated index answers exactly as a rebuilt one;
a missing, corrupt, old or out-of-step index is noticed and repaired; writers wait
for each other and give up with a clear message."""
from __future__ import annotations

import fcntl
import json
import shutil
from pathlib import Path

import pytest

from archive.search import index as index_module
from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.search.index import IndexBusyError, IndexSetupError, check_whoosh_installation
from archive.store import ContentStore
from tests.conftest import write_tree

RELEVANCE = Path(__file__).parent / "relevance"
QUERIES = ["向前进", "军人", "抗美援朝", "排雷", "高山", '"人民代表"', "xiang qianjin", "二十七军", "长津湖",
           "narrator:于海波", "卫生员", "红马甲", "新来的故事", "雷区", ""]

NEW_STORY = """
---
title: 新来的故事
narrator: 冯新来
conflicts:
  - 朝鲜战争
tags:
  - 排雷
---
冯新来：我也在雷区里排过雷，也是卫生员出身。
"""


def answers(engine: WhooshSearchEngine, role: str | None = "admin") -> list:
    """Everything a reader would see for the fixed queries."""
    seen = []
    for query in QUERIES:
        results = engine.search(SearchRequest(query=query, role=role, per_page=50))
        seen.append((query, results.total, [(h.slug, h.score, h.segment, h.snippet) for h in results.hits],
                     results.to_json()["facets"]))
    return seen


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(RELEVANCE, copy)
    return copy


def engine_for(root: Path, index: Path) -> WhooshSearchEngine:
    return WhooshSearchEngine(ContentStore(root), index)


def test_incremental_updates_answer_exactly_as_a_rebuild(root, tmp_path):
    live = engine_for(root, tmp_path / "live")
    live.rebuild()
    write_tree(root, {"stories/xin-lai.md": NEW_STORY})  # add
    assert live.update()["added"] == 1
    story = root / "stories" / "gao-shan.md"  # edit
    story.write_text(story.read_text(encoding="utf-8").replace("侦察班七个人", "侦察班九个人，带着红马甲"),
                     encoding="utf-8")
    (root / "stories" / "bai-xiuzhen.md").unlink()  # delete
    (root / "stories" / "shan-xiong.md").rename(root / "stories" / "dan-xiong-du-jiang.md")  # rename
    person = root / "people" / "liu-guiying.md"  # a person's file teaches a new unit name
    person.write_text(person.read_text(encoding="utf-8").replace("志愿军第27军", "二十七军"), encoding="utf-8")
    synonyms = root / "vocabularies" / "synonyms.txt"  # and the archivists add a synonym
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "卫生员 = 医护兵\n", encoding="utf-8")
    counts = live.update()
    assert counts["deleted"] == 2 and counts["changed"] >= 3
    fresh = engine_for(root, tmp_path / "fresh")
    fresh.rebuild()
    assert answers(live) == answers(fresh)
    assert answers(live, role=None) == answers(fresh, role=None)
    slugs = [hit.slug for hit in live.search(SearchRequest(query="单雄", role="admin")).hits]
    assert slugs == ["dan-xiong-du-jiang"]


def test_update_with_nothing_changed_touches_nothing(root, tmp_path):
    engine = engine_for(root, tmp_path / "index")
    engine.rebuild()
    (root / "stories" / "gao-shan.md").touch()  # a new mtime, the same bytes
    assert engine.update() == {"added": 0, "changed": 0, "deleted": 0, "rebuilt": 0}


def test_saved_story_is_searchable_at_once(root, tmp_path):
    engine = engine_for(root, tmp_path / "index")
    engine.rebuild()
    store = ContentStore(root)
    story = store.get_story("gao-shan")
    story.body += "\n[00:09:00] 高山：最后我们把地图交给了团长，团长说了一句“好样的侦察兵”。\n"
    saved = store.save_story(story, base_version=story.version)
    engine.index_story(saved)
    hit = engine.search(SearchRequest(query='"好样的侦察兵"', role="admin")).hits[0]
    assert (hit.slug, hit.timestamp) == ("gao-shan", "00:09:00")
    store.delete_story("gao-shan")
    engine.delete_story("gao-shan")
    assert engine.search(SearchRequest(query='"好样的侦察兵"', role="admin")).total == 0


@pytest.mark.parametrize("damage", ["missing", "corrupt", "old-schema", "no-current"])
def test_start_up_repairs_a_broken_index(root, tmp_path, damage):
    index = tmp_path / "index"
    engine_for(root, index).rebuild()
    generation = index / (index / "CURRENT").read_text().strip()
    if damage == "missing":
        shutil.rmtree(index)
    elif damage == "corrupt":
        for segment_file in generation.glob("*.seg"):
            segment_file.write_bytes(b"\x00garbage")
        for toc in generation.glob("_MAIN_*.toc"):
            toc.write_bytes(b"not a toc")
    elif damage == "old-schema":
        manifest = json.loads((generation / "manifest.json").read_text())
        manifest["schema"] = 1
        (generation / "manifest.json").write_text(json.dumps(manifest))
    else:
        (index / "CURRENT").unlink()
    engine = engine_for(root, index)
    assert engine.ensure_ready()["rebuilt"] == 1
    assert engine.search(SearchRequest(query="向前进", role="admin")).hits[0].slug == "xiang-qianjin"


def test_start_up_catches_up_with_files_changed_while_it_was_down(root, tmp_path):
    index = tmp_path / "index"
    engine_for(root, index).rebuild()
    write_tree(root, {"stories/xin-lai.md": NEW_STORY})
    engine = engine_for(root, index)
    assert engine.ensure_ready() == {"added": 1, "changed": 1, "deleted": 0, "rebuilt": 0}
    assert engine.search(SearchRequest(query="冯新来", role="admin")).hits[0].slug == "xin-lai"


def test_a_second_writer_waits_then_gives_up_with_a_clear_message(root, tmp_path):
    index = tmp_path / "index"
    engine = engine_for(root, index)
    engine.rebuild()
    engine.indexer.timeout = 0.3
    with open(index / ".writer.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(IndexBusyError, match="正被另一个程序更新"):
            engine.update()
        assert engine.search(SearchRequest(query="高山", role="admin")).total >= 1  # readers are not blocked


def test_cli_reports_a_busy_index_without_a_traceback(run_cli, archive_root, monkeypatch):
    assert run_cli("index").exit_code == 0
    monkeypatch.setattr(index_module, "WRITER_TIMEOUT", 0.2)
    with open(archive_root / "search_index" / ".writer.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run_cli("index", "--rebuild")
    assert result.exit_code == 3
    assert "正被另一个程序更新" in result.output and "Traceback" not in result.output


def test_exactly_one_whoosh_distribution_is_required(monkeypatch):
    assert check_whoosh_installation().startswith("Whoosh-Reloaded 2.7.5")

    class Fake:
        def __init__(self, name):
            self.metadata = {"Name": name}
            self.version = "2.7.4"
            self.files = ["whoosh/__init__.py"]

        def read_text(self, _name):
            return "whoosh\n"

    monkeypatch.setattr(index_module.metadata, "distributions", lambda: [Fake("Whoosh"), Fake("Whoosh-Reloaded")])
    with pytest.raises(IndexSetupError, match="应当只安装一个 Whoosh 发行版"):
        check_whoosh_installation()


def test_search_while_another_process_builds_the_first_index_finds_nothing_but_does_not_fail(root, tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    engine = engine_for(root, index)
    engine.indexer.timeout = 0.2
    with open(index / ".writer.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert engine.search(SearchRequest(query="高山", role="admin")).total == 0
        assert engine.related("gao-shan", role="admin") == []
    assert engine.search(SearchRequest(query="高山", role="admin")).hits[0].slug == "gao-shan"


def test_without_a_merge_the_scores_still_match_a_rebuild(tmp_path, monkeypatch):
    from archive.search import indexer

    monkeypatch.setattr(indexer, "SMALL_INDEX", 0)  # never merge: deleted postings stay in the segments
    words = ["鸭绿江", "长津湖", "上甘岭", "老兵", "战友", "排雷", "电台", "炒面"]
    files = {f"stories/s{n:02d}.md": f"---\ntitle: 第{n}篇\nnarrator: 老兵{n}\n---\n"
             + "。".join(words[(n + k) % len(words)] * (1 + k % 3) for k in range(n % 5 + 2)) + "。\n"
             for n in range(30)}
    root = write_tree(tmp_path / "archive", files)
    live = engine_for(root, tmp_path / "live")
    live.rebuild()
    for n in range(0, 30, 4):
        (root / f"stories/s{n:02d}.md").unlink()
    (root / "stories/s05.md").write_text("---\ntitle: 改过的\nnarrator: 老兵5\n---\n长津湖长津湖。\n", encoding="utf-8")
    live.update()
    fresh = engine_for(root, tmp_path / "fresh")
    fresh.rebuild()
    for query in [*words, "长津湖 战友", '"老兵老兵"']:
        assert answers_for(live, query) == answers_for(fresh, query)


def answers_for(engine: WhooshSearchEngine, query: str) -> tuple:
    results = engine.search(SearchRequest(query=query, role="admin", per_page=50))
    return results.total, [(hit.slug, hit.score) for hit in results.hits]
