"""The interview index is searchable (issue 12): a word that stands only in a segment's synopsis
or keywords (as OHMS import writes them) finds the story."""
from __future__ import annotations

from tests.conftest import write_tree

INDEXED = """
---
title: 雪夜行军
narrator: 赵大山
segments:
  t000100:
    synopsis: 讲述在盖马高原上的急行军。
    keywords:
      - 冻土豆
---
## [00:01:00] 出发

那天夜里下着大雪，我们一口气走了七十里。
"""


def test_a_word_only_in_the_segment_index_finds_the_story(client, archive_root):
    write_tree(archive_root, {"stories/xue-ye.md": INDEXED})
    client.application.extensions["archive"].search.update()
    for word in ("盖马高原", "冻土豆"):
        hits = client.get(f"/api/search?q={word}").get_json()["hits"]
        assert [h["slug"] for h in hits] == ["xue-ye"], word
