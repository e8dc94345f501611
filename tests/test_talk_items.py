"""Talk items larger than a paragraph: a whole `##` section and a recorded clip timed by
its real length, with access checked for the recording and clear messages for bad points."""
from __future__ import annotations

import pytest
from conftest import write_tree
from lecture_archive import lecture_archive

from archive.lectures.files import LectureStore
from archive.lectures.plan import LecturePlan
from archive.lectures.plan_editing import PlanError
from archive.lectures.review import review_plan
from archive.lectures.talk_items import add_clip, add_section, sections_of
from archive.store import ContentStore

RECORDED = """
---
title: 长津湖的冬天
narrator: 孙德全
media:
  - file: sun/interview.mp3
    caption: 访谈录音
  - file: sun/private.mp3
    access: restricted
---
## 出发 {#chu-fa}

[00:01:00] 我们是夜里出发的。

[00:03:00] 走了三天三夜才到。

## 雪地 {#xue-di}

[00:06:30] 雪有膝盖那么深。

[00:09:10] 天亮以后我们冲了上去。
"""


@pytest.fixture
def store(tmp_path) -> ContentStore:
    root = lecture_archive(tmp_path / "archive")
    write_tree(root, {"stories/sun.md": RECORDED, "media/sun/interview.mp3": b"ID3", "media/sun/private.mp3": b"ID3"})
    return ContentStore(root)


def test_a_clip_is_timed_by_its_real_length_not_by_its_words(store):
    plan = LecturePlan(id="20261201-aaaa", chars_per_minute=200)
    add_clip(plan, store, "sun", "sun/interview.mp3", "00:06:30", "9:10", "lecturer")
    reviewed = review_plan(plan, store, "lecturer")
    clip = reviewed.items[0]
    assert clip.seconds == 160 and reviewed.total_seconds == 160  # it was 18 s when timed by characters
    assert clip.heading == "长津湖的冬天 · 录音 00:06:30–00:09:10"
    assert clip.text == "雪有膝盖那么深。"  # the transcript the clip covers, for notes and the script
    assert clip.citation.endswith("录音 media/sun/interview.mp3 00:06:30–00:09:10")


def test_clip_round_trips_through_the_plan_file(store):
    lectures = LectureStore(store)
    plan = LecturePlan(id="20261201-bbbb", title="试讲")
    add_clip(plan, store, "sun", "sun/interview.mp3", "00:06:30", "00:09:10", "lecturer")
    lectures.save(plan)
    assert "clip:\n    file: sun/interview.mp3\n    in: 00:06:30\n    out: 00:09:10" in lectures.path(plan.id).read_text(
        encoding="utf-8")
    again = lectures.get(plan.id)
    assert again.items[0].kind == "clip" and again.items[0].clip.seconds == 160


@pytest.mark.parametrize("start, end, message", [
    ("6:30", "6:00", "出点应在入点之后。"), ("半小时", "00:09:10", "入点和出点请写成 00:06:30 这样的时间"),
    ("", "", "入点和出点请写成"), ("00:61:00", "01:00:00", "入点和出点请写成")])
def test_bad_clip_points_get_a_clear_message(store, start, end, message):
    plan = LecturePlan(id="20261201-cccc")
    with pytest.raises(PlanError, match=message):
        add_clip(plan, store, "sun", "sun/interview.mp3", start, end, "lecturer")
    assert plan.items == []


def test_a_restricted_recording_cannot_be_clipped_nor_heard_through_a_plan(store):
    plan = LecturePlan(id="20261201-dddd")
    with pytest.raises(PlanError, match="没有这段录音，或您无权收听"):
        add_clip(plan, store, "sun", "sun/private.mp3", "0:10", "0:20", "lecturer")
    add_clip(plan, store, "sun", "sun/private.mp3", "0:10", "0:20", "archivist")
    reviewed = review_plan(plan, store, "lecturer")
    assert reviewed.items[0].state == "forbidden" and reviewed.exported_items == []
    assert "private.mp3" not in reviewed.items[0].heading


def test_a_whole_section_is_one_item_with_all_its_paragraphs(store):
    story = store.get_story("sun")
    assert sections_of(story) == [("chu-fa", "出发", 2), ("xue-di", "雪地", 2)]
    plan = LecturePlan(id="20261201-eeee", chars_per_minute=60)
    add_section(plan, store, "sun", "chu-fa", "lecturer")
    item = review_plan(plan, store, "lecturer").items[0]
    assert item.heading == "长津湖的冬天 · 出发"
    assert item.text == "我们是夜里出发的。\n\n走了三天三夜才到。"
    assert item.seconds == 16  # 16 spoken characters at 60 a minute
    with pytest.raises(PlanError, match="没有这一节"):
        add_section(plan, store, "sun", "t000300", "lecturer")  # a timestamp inside a section starts none


def test_an_edited_section_is_flagged_changed(store):
    plan = LecturePlan(id="20261201-ffff")
    add_section(plan, store, "sun", "xue-di", "lecturer")
    path = store.story_path("sun")
    path.write_text(path.read_text(encoding="utf-8").replace("冲了上去", "冲上了山头"), encoding="utf-8")
    assert review_plan(plan, store, "lecturer").items[0].state == "changed"


def test_a_range_of_segments_is_one_item_and_a_checked_change_can_be_accepted(store):
    from archive.lectures.plan_editing import accept_current
    from archive.lectures.talk_items import add_range

    plan = LecturePlan(id="20261201-gggg", chars_per_minute=60)
    add_range(plan, store, "sun", "t000300", "xue-di", "lecturer")  # across the section boundary
    item = review_plan(plan, store, "lecturer").items[0]
    assert item.kind == "range" and item.heading == "长津湖的冬天 · [00:03:00] 至 雪地（2 段）"
    assert item.text == "走了三天三夜才到。\n\n雪有膝盖那么深。" and item.seconds == 15
    assert LecturePlan.from_meta(plan.id, plan.to_meta()).items[0].through == "xue-di"
    path = store.story_path("sun")
    path.write_text(path.read_text(encoding="utf-8").replace("膝盖", "大腿"), encoding="utf-8")
    assert review_plan(plan, store, "lecturer").items[0].state == "changed"
    accept_current(plan, store, 0, "lecturer")
    assert review_plan(plan, store, "lecturer").items[0].state == "ok"
    with pytest.raises(PlanError, match="没有这几段"):
        add_range(plan, store, "sun", "t000300", "nope", "lecturer")


def test_a_told_section_or_clip_counts_its_segments_as_told_at_the_venue(store):
    import datetime as dt

    from archive.lectures.deliveries import told_index
    from archive.lectures.plan import Delivery
    from archive.lectures.plan_editing import add_segment
    from archive.lectures.spans import covered_segments

    earlier = LecturePlan(id="20261101-aaaa", venue="东升中学")
    add_section(earlier, store, "sun", "chu-fa", "lecturer")
    add_clip(earlier, store, "sun", "sun/interview.mp3", "00:06:30", "00:09:00", "lecturer")
    earlier.deliveries.append(Delivery(date="2026-11-20", venue="东升中学"))
    told = told_index([earlier], dt.date(2026, 12, 2), covered=covered_segments(store))
    assert sorted(told) == [("sun", "chu-fa"), ("sun", "t000300"), ("sun", "xue-di")]
    again = LecturePlan(id="20261201-hhhh", venue="东升中学 ")
    add_segment(again, store, "sun", "t000300", "lecturer")
    add_section(again, store, "sun", "xue-di", "lecturer")
    flags = [[f.message for f in i.flags] for i in review_plan(again, store, "lecturer", told).items]
    assert flags == [["已于 2026-11-20 在「东升中学 」讲过这一片段"], ["已于 2026-11-20 在「东升中学 」讲过其中的片段"]]
