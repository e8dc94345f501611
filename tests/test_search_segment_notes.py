"""A segment's synopsis and keywords (the interview index in `segments:` front matter, as OHMS import
writes it) are searchable, and a hit on a word only they hold points at that segment (issue 12),
also when the transcript is long and has many segments."""
from __future__ import annotations

import pytest

from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore
from tests.conftest import write_tree

FILLER = "".join(f"## 第{n}段\n\n[00:{n:02d}:00] 那天我们又走了一整夜，谁也没有说话。\n\n" for n in range(1, 40))
STORY = """---
title: 长夜
narrator: 冯远路
segments:
  t002500:
    synopsis: 讲到在冰窟窿里救起炊事员老胡。
    keywords: [冰窟窿救人, 炊事班]
---
""" + FILLER.replace("## 第25段\n\n[00:25:00] 那天", "## 第25段\n\n[00:25:00] 那一天")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("notes") / "archive", {"stories/chang-ye.md": STORY})
    built = WhooshSearchEngine(ContentStore(root), root.parent / "index")
    built.rebuild()
    return built, ContentStore(root).get_story("chang-ye")


@pytest.mark.parametrize("text", ["冰窟窿", "冰窟窿救人", "老胡"])
def test_a_word_only_in_the_interview_index_points_at_its_segment(engine, text):
    built, story = engine
    hits = built.search(SearchRequest(query=text, role="admin")).hits
    assert [h.slug for h in hits] == ["chang-ye"]
    segment = story.segment("t002500")
    assert segment is not None and hits[0].segment == segment.id and hits[0].timestamp == "00:25:00"
    assert "<mark>" in hits[0].snippet
