"""The fast readers in archive.search.postings go through private parts of the pinned
Whoosh-Reloaded (block readers, the length column, all in archive/search/whoosh_private.py);
here they must agree, posting by posting, with what Whoosh's public API says about the same
index, including a segment with deleted documents, and so must the fallback path (for readers
that are not Whoosh's segment readers) on its own.  That a renamed private name fails rather
than falls back is tests/test_search_whoosh_private.py."""
from __future__ import annotations

import shutil

import pytest
from whoosh import query as q
from whoosh.searching import Searcher

from archive.search import postings
from archive.search.analysis import bigram_tokens
from archive.search.engine import WhooshSearchEngine
from archive.search.phrase import ExactPhrase
from archive.store import ContentStore
from tests.test_search_relevance import RELEVANCE

FILLER = """---
title: 第{n}篇
narrator: 老兵{n}
---
[00:00:10] 我们连夜过江，部队过江那天下着雪，{n}个战友背着电台走在最后。
"""


@pytest.fixture(scope="module")
def readers(tmp_path_factory):
    """Leaf readers of the relevance archive plus 60 short stories, after one story was edited
    (large enough that the update keeps the old segment, with a deletion in it)."""
    root = tmp_path_factory.mktemp("postings") / "archive"
    shutil.copytree(RELEVANCE, root)
    for n in range(60):
        (root / "stories" / f"filler-{n:02d}.md").write_text(FILLER.format(n=n), encoding="utf-8")
    engine = WhooshSearchEngine(ContentStore(root), root.parent / "index")
    engine.rebuild()
    story = root / "stories" / "filler-07.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n又想起一件事，跨过鸭绿江以后的第一仗。\n", encoding="utf-8")
    engine.update()
    ix, _manifest = engine.folder.open()
    searcher = ix.searcher()
    yield [leaf.reader() for leaf, _offset in searcher.leaf_searchers()]
    searcher.close()
    ix.close()


def _some_terms(reader, fieldname: str, count: int = 40) -> list[bytes]:
    terms = [term for term, _info in reader.iter_field(fieldname)]
    return terms[:: max(1, len(terms) // count)]


def test_the_index_has_a_segment_with_deletions(readers):
    assert len(readers) > 1 and any(reader.has_deletions() for reader in readers)


@pytest.mark.parametrize("fieldname", ["body", "body2", "head", "head2", "narrator", "conflict"])
def test_posting_lists_read_by_block_match_the_public_matcher(readers, fieldname):
    for reader in readers:
        for term in _some_terms(reader, fieldname):
            ids, weights = postings._read_postings(reader, fieldname, term)
            live = [(doc, weight) for doc, weight in zip(ids.tolist(), weights.tolist()) if not reader.is_deleted(doc)]
            public = list(reader.postings(fieldname, term).items_as("weight"))  # deleted documents skipped
            assert [doc for doc, _w in live] == [doc for doc, _w in public], (fieldname, term)
            assert [w for _d, w in live] == pytest.approx([w for _d, w in public]), (fieldname, term)


@pytest.mark.parametrize("fieldname", ["body2", "head2"])
def test_positions_read_by_block_match_the_public_matcher(readers, fieldname):
    for reader in readers:
        for term in _some_terms(reader, fieldname):
            docs, positions = postings.term_positions(reader, fieldname, term)
            ours: dict[int, list[int]] = {}
            for doc, position in zip(docs.tolist(), positions.tolist()):
                if not reader.is_deleted(doc):
                    ours.setdefault(doc, []).append(position)
            public = dict(reader.postings(fieldname, term).items_as("positions"))
            assert ours == public, (fieldname, term)


@pytest.mark.parametrize("fieldname", ["body", "body2", "head", "head2"])
def test_field_lengths_read_in_one_go_match_the_public_lengths(readers, fieldname):
    for reader in readers:
        public = [reader.doc_field_length(doc, fieldname) or 0 for doc in range(reader.doc_count_all())]
        assert postings._read_lengths(reader, fieldname).tolist() == public


@pytest.mark.parametrize("text", ["鸭绿江", "跨过鸭绿江", "部队过江", "人民代表", "背着电台走在最后"])
def test_a_phrase_over_packed_positions_finds_what_whoosh_own_phrase_query_finds(readers, text):
    grams = bigram_tokens(text)
    for reader in readers:
        ours = ExactPhrase("body2", grams)._find(reader)[0].tolist()
        theirs = sorted(q.Phrase("body2", grams).matcher(Searcher(reader)).all_ids())
        assert ours == theirs


def test_the_fallback_path_alone_reads_what_the_fast_path_reads(readers, monkeypatch):
    def everything():
        found = []
        for reader in readers:
            for fieldname in ("body", "body2", "head2"):
                for key in _some_terms(reader, fieldname, 15):
                    ids, weights = postings._read_postings(reader, fieldname, key)
                    live = [(d, w) for d, w in zip(ids.tolist(), weights.tolist()) if not reader.is_deleted(d)]
                    found.append((fieldname, key, live))
                    if fieldname != "body":
                        docs, positions = postings.term_positions(reader, fieldname, key)
                        found.append(sorted((d, p) for d, p in zip(docs.tolist(), positions.tolist())
                                            if not reader.is_deleted(d)))
                found.append(postings._read_lengths(reader, fieldname).tolist())
        return found

    fast = everything()
    monkeypatch.setattr(postings, "block_matcher", lambda *_args: None)
    monkeypatch.setattr(postings, "length_bytes", lambda *_args: None)
    slow = everything()
    assert slow == fast and len(fast) > 100
