"""The search's hold on Whoosh's private parts (archive/search/whoosh_private.py): the start-up check
refuses another Whoosh version and any Whoosh whose private names we read are missing or renamed, a
renamed name makes the fast readers fail instead of quietly reading slower, and the multi-process
writer builds an index that answers as the single-process one does."""
from __future__ import annotations

import shutil

import pytest
from whoosh.codec import whoosh3

from archive.search import index as index_module
from archive.search import indexer as indexer_module
from archive.search import postings, whoosh_private
from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.search.index import IndexSetupError, check_whoosh_installation
from archive.store import ContentStore
from tests.test_search_relevance import RELEVANCE

FILLER = """---
title: 第{n}篇
narrator: 老兵{n}
---
[00:00:10] 我们连夜过江，部队过江那天下着雪，{n}个战友背着电台走在最后。
"""
QUERIES = ["过江", "战友", '"背着电台"', "鸭绿江", "老兵3", "narrator:老兵12"]


class FakeDistribution:
    def __init__(self, name: str, version: str):
        self.metadata = {"Name": name}
        self.version = version
        self.files = ["whoosh/__init__.py"]

    def read_text(self, _name):
        return "whoosh\n"


def _drop(monkeypatch, dotted: str) -> None:
    """Rename a private name the way an upgrade would: the old name is gone."""
    owner, _, name = dotted.rpartition(".")
    monkeypatch.delattr(whoosh_private._resolve(owner), name)


def test_the_installed_whoosh_has_every_private_name_we_read():
    assert whoosh_private.check_private_names() == []
    assert check_whoosh_installation() == "Whoosh-Reloaded 2.7.5"


def test_another_whoosh_version_is_refused_with_a_clear_message(monkeypatch, run_cli):
    monkeypatch.setattr(index_module.metadata, "distributions", lambda: [FakeDistribution("Whoosh-Reloaded", "2.7.6")])
    with pytest.raises(IndexSetupError) as refused:
        check_whoosh_installation()
    assert "只支持 Whoosh-Reloaded 2.7.5" in str(refused.value) and "2.7.6" in str(refused.value)
    result = run_cli("index")
    assert result.exit_code == 2 and "2.7.6" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("dotted", whoosh_private.PRIVATE_NAMES)
def test_a_missing_private_name_is_named_at_start_up(monkeypatch, tmp_path, dotted):
    _drop(monkeypatch, dotted)
    assert dotted in whoosh_private.check_private_names()
    engine = WhooshSearchEngine(ContentStore(tmp_path), tmp_path / "index")
    with pytest.raises(IndexSetupError, match=dotted.rpartition(".")[2]):
        engine.ensure_ready()


def test_an_instance_attribute_renamed_is_found_by_the_probe(monkeypatch):
    original = whoosh3.W3LeafMatcher._read_ids

    def renamed(self):
        original(self)
        self._ids_of_block, self._ids = self._ids, None

    monkeypatch.setattr(whoosh3.W3LeafMatcher, "_read_ids", renamed)
    assert any("_ids" in name for name in whoosh_private.check_private_names())


def test_a_renamed_name_breaks_the_fast_readers_instead_of_falling_back(monkeypatch, tmp_path):
    root = tmp_path / "archive"
    shutil.copytree(RELEVANCE, root)
    engine = WhooshSearchEngine(ContentStore(root), tmp_path / "index")
    engine.rebuild()
    ix, _manifest = engine.folder.open()
    with ix.searcher() as searcher:
        reader = searcher.leaf_searchers()[0][0].reader()
        term = next(term for term, _info in reader.iter_field("body2"))
        assert len(postings._read_postings(reader, "body2", term)[0])
        monkeypatch.delattr(whoosh3.W3LeafMatcher, "_read_weights")
        with pytest.raises(AttributeError):
            postings._read_postings(reader, "body2", term)
    ix.close()


def _answers(engine: WhooshSearchEngine) -> list:
    found = []
    for text in QUERIES:
        results = engine.search(SearchRequest(query=text, role="admin", per_page=20))
        found.append((text, results.total, [(h.slug, round(h.score or 0, 6), h.segment) for h in results.hits]))
    return found


def test_the_multi_process_writer_builds_the_same_index(monkeypatch, tmp_path):
    root = tmp_path / "archive"
    shutil.copytree(RELEVANCE, root)
    for n in range(120):
        (root / "stories" / f"filler-{n:03d}.md").write_text(FILLER.format(n=n), encoding="utf-8")
    single = WhooshSearchEngine(ContentStore(root), tmp_path / "single")
    single.indexer.procs = 1
    single.rebuild()
    monkeypatch.setattr(indexer_module, "PARALLEL_MIN", 100)
    parallel = WhooshSearchEngine(ContentStore(root), tmp_path / "parallel")
    parallel.indexer.procs = 2
    assert parallel.rebuild() == 135
    ix, _manifest = parallel.folder.open()
    assert len(whoosh_private.segment_sizes(ix)) == 2 and sum(whoosh_private.segment_sizes(ix)) == 135  # two writers
    ix.close()
    assert _answers(parallel) == _answers(single)
    assert _answers(single)[0][1] > 100


def test_the_start_up_check_keeps_its_scratch_files_to_itself(monkeypatch, tmp_path):
    """Two archive processes starting at once (two test workers, the server and `archive index`) each
    run the start-up check; its in-memory index once wrote its sort buffers to the shared
    <temp>/MAIN.tmp, and one process's clean-up deleted the other's files mid-write.  A MAIN.tmp that is
    not this check's own (here: a file) must not make start-up fail, and the check leaves nothing behind."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "MAIN.tmp").write_text("another process's", encoding="utf-8")
    assert whoosh_private.check_private_names() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MAIN.tmp"]
