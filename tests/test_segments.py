"""Segments keep their ids when other segments are edited."""
from __future__ import annotations

from archive.segments import split_segments

BODY = """访谈开始前的说明。

## 参军

[00:01:10] 我1947年参军。

[00:05:00] 后来部队南下。

## 过江 {#crossing}

我们坐木船过江。

## [00:20:00] 立功

立了一等功。
"""


def test_headings_and_timestamps_make_segments():
    segments = split_segments(BODY)
    assert [(s.id, s.title, s.timestamp) for s in segments] == [
        ("intro", None, None),
        (segments[1].id, "参军", "00:01:10"),
        ("t000500", None, "00:05:00"),
        ("crossing", "过江", None),
        ("t002000", "立功", "00:20:00"),
    ]
    assert "我们坐木船过江" in segments[3].text
    assert segments[4].line == 13


def test_editing_one_segment_keeps_the_other_ids():
    before = [s.id for s in split_segments(BODY)]
    edited = BODY.replace("后来部队南下。", "后来部队一路南下，打到长江边。").replace("访谈开始前的说明。", "新的说明。")
    edited = edited.replace("立了一等功。", "立了一等功，还入了党。")
    assert [s.id for s in split_segments(edited)] == before


def test_adding_a_segment_keeps_the_other_ids():
    before = {s.id for s in split_segments(BODY)}
    added = BODY.replace("## 过江", "[00:08:00] 新插入的一段。\n\n## 过江")
    after = {s.id for s in split_segments(added)}
    assert before <= after and "t000800" in after


def _paragraphs(count: int, seed: str) -> list[str]:
    return [f"第{i}段{seed}。" + "他讲起了当年的事情，" * (8 + i % 5) for i in range(count)]


def test_paragraph_groups_without_markers_are_stable_under_a_distant_edit():
    paragraphs = _paragraphs(30, "")
    before = split_segments("\n\n".join(paragraphs))
    assert 3 <= len(before) < 30
    paragraphs[1] = paragraphs[1] + "补充了一句话。"
    after = split_segments("\n\n".join(paragraphs))
    assert [s.id for s in before][-3:] == [s.id for s in after][-3:]


def test_repeated_headings_get_distinct_ids():
    ids = [s.id for s in split_segments("## 回忆\n\n一\n\n## 回忆\n\n二\n")]
    assert len(set(ids)) == 2 and ids[1] == ids[0] + "-2"
