"""What a save leaves for later, and what it does not redo (issue 16, save-to-searchable): the save
commits its one new segment without merging (a thread merges once segments pile up and saves
pause), appends only
its own entries to the manifest's journal (a line cut short by a crash is repaired at start-up),
and the next search reads the stored fields of the new segment only."""
from __future__ import annotations

import threading
import time

import pytest

from archive.search import doctable, indexer
from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.search.index import JOURNAL, MANIFEST
from archive.search.whoosh_private import segment_sizes
from archive.store import ContentStore
from tests.conftest import write_tree

COUNT = indexer.SMALL_INDEX + 10  # above SMALL_INDEX: an index where a save would merge before
STORY = "---\ntitle: 第{n}篇\nnarrator: 老兵{n}\ntags: [{tag}]\n---\n[00:00:10] 我们连夜过江，第{n}个战友背着电台。\n"


@pytest.fixture
def archive(tmp_path):
    root = write_tree(tmp_path / "archive", {f"stories/s{n:02d}.md": STORY.format(n=n, tag="渡江" if n % 2 else "电台")
                                             for n in range(COUNT)})
    engine = WhooshSearchEngine(ContentStore(root), tmp_path / "index")
    engine.rebuild()
    return root, engine


def _save(root, engine, n: int, words: str) -> None:
    path = root / "stories" / f"s{n:02d}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"[00:01:00] 后来{words}。\n", encoding="utf-8")
    engine.index_story(ContentStore(root).get_story(f"s{n:02d}"))


def _answers(engine, query: str) -> tuple:
    results = engine.search(SearchRequest(query=query, role="admin", per_page=100))
    return results.total, [(h.slug, h.score, h.snippet) for h in results.hits], results.to_json()["facets"]


def _segments(engine) -> int:
    ix, _manifest = engine.folder.open()
    try:
        return len(segment_sizes(ix))
    finally:
        ix.close()


def test_saves_never_merge_segments_themselves_a_thread_does_it_afterwards(archive, tmp_path):
    root, engine = archive
    release, asked = threading.Event(), []
    real_merge = engine.saves.merging.merge

    def held_merge(timeout):
        asked.append(_segments(engine))
        release.wait(30)
        real_merge(timeout)

    engine.saves.merging.merge = held_merge
    saves = indexer.MAX_SEGMENTS + 2
    for n in range(saves):
        _save(root, engine, n, f"到了蘑菇屯{'甲乙丙丁戊己庚辛壬癸'[n]}")
        assert _answers(engine, "蘑菇屯")[0] == n + 1  # searchable at once
    assert _segments(engine) == 1 + saves  # every save added its segment and merged none
    release.set()
    engine.saves.merging.wait()
    assert asked and asked[0] > indexer.MAX_SEGMENTS, "no merge once segments piled up"
    assert _segments(engine) <= indexer.MAX_SEGMENTS
    fresh = WhooshSearchEngine(ContentStore(root), tmp_path / "fresh")
    fresh.rebuild()
    for query in ("蘑菇屯", "电台", "渡江 战友", "老兵3"):
        assert _answers(engine, query) == _answers(fresh, query)


def test_a_save_appends_its_entries_to_the_journal_and_leaves_the_manifest_alone(archive):
    root, engine = archive
    generation = engine.folder.current_generation()
    before = (generation / MANIFEST).read_bytes()
    _save(root, engine, 3, "到了蘑菇屯")
    _save(root, engine, 4, "到了蘑菇屯")
    assert (generation / MANIFEST).read_bytes() == before
    lines = (generation / JOURNAL).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and "stories/s03.md" in lines[0] and "stories/s04.md" in lines[1]
    assert "stories/s05.md" not in "".join(lines)
    # another process reads manifest + journal: nothing left to update
    other = WhooshSearchEngine(ContentStore(root), engine.folder.path)
    assert other.update() == {"added": 0, "changed": 0, "deleted": 0, "rebuilt": 0}
    assert not (generation / JOURNAL).exists()  # the full update folded the journal in


def test_a_journal_line_cut_short_by_a_crash_is_indexed_again_at_start_up(archive):
    root, engine = archive
    _save(root, engine, 3, "到了蘑菇屯")
    _save(root, engine, 4, "到了青纱帐")
    journal = engine.folder.current_generation() / JOURNAL
    text = journal.read_bytes()
    journal.write_bytes(text[:-9])  # the second save's line, cut short: as if the process died writing it
    restarted = WhooshSearchEngine(ContentStore(root), engine.folder.path)
    assert restarted.ensure_ready() == {"added": 0, "changed": 1, "deleted": 0, "rebuilt": 0}
    assert [h.slug for h in restarted.search(SearchRequest(query="青纱帐", role="admin")).hits] == ["s04"]
    assert [h.slug for h in restarted.search(SearchRequest(query="蘑菇屯", role="admin")).hits] == ["s03"]


def test_after_a_save_only_the_new_segment_is_read_into_the_document_table(archive, monkeypatch, tmp_path):
    root, engine = archive
    _answers(engine, "电台")  # the table of the built index
    read = []
    real = doctable.SegmentRows.__init__

    def counting(self, reader, numbers):
        read.append(reader.doc_count_all())
        real(self, reader, numbers)

    monkeypatch.setattr(doctable.SegmentRows, "__init__", counting)
    _save(root, engine, 7, "到了蘑菇屯，改名叫渡江")
    after = _answers(engine, "电台")
    assert read == [1]  # the save's one-document segment, not the other COUNT - 1 documents again
    fresh = WhooshSearchEngine(ContentStore(root), tmp_path / "fresh")
    fresh.rebuild()
    assert after == _answers(fresh, "电台")  # totals, order, scores, snippets and facets


def test_a_burst_of_saves_is_merged_once_after_it_and_an_overdue_merge_at_once(monkeypatch):
    from archive.search import catchup

    monkeypatch.setattr(catchup, "QUIET", 0.3)
    merged = []
    merging = catchup.Merging(lambda timeout: merged.append(time.monotonic()))
    for _save_number in range(5):  # saves 0.1 s apart: no merge between them
        merging.request()
        time.sleep(0.1)
        assert merged == []
    last = time.monotonic()
    merging.wait()
    assert len(merged) == 1 and merged[0] - last >= 0.15
    began = time.monotonic()
    merging.request(urgent=True)
    merging.wait()
    assert len(merged) == 2 and merged[1] - began < 0.2


def test_saving_one_story_again_and_again_leaves_no_emptied_segment_behind(archive, tmp_path):
    """An archivist correcting one story every few seconds: each save empties the segment the last
    save wrote; an emptied segment is dropped at once, so segments do not pile up (and queries do not
    slow down) while the merge waits for saves to pause."""
    root, engine = archive
    engine.saves.merging.merge = lambda timeout: None  # no merge: what is left is what the saves left
    for n in range(6):
        _save(root, engine, 5, f"到了蘑菇屯{'甲乙丙丁戊己'[n]}")
        assert _answers(engine, "蘑菇屯")[0] == 1
        assert _answers(engine, f"蘑菇屯{'甲乙丙丁戊己'[n]}")[0] == 1
    assert _segments(engine) == 2  # the built segment (less s05) and the last save's
    fresh = WhooshSearchEngine(ContentStore(root), tmp_path / "fresh")
    fresh.rebuild()
    for query in ("蘑菇屯", "电台", "渡江 战友", "老兵5"):
        assert _answers(engine, query) == _answers(fresh, query)
