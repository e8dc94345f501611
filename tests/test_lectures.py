"""Lecture plans as files: format round trip, timing, checks, editing with access, history, suggestions."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lecture_archive import lecture_archive

from archive.lectures import plan_editing
from archive.lectures.deliveries import dashboard, told_index
from archive.lectures.files import LectureStore
from archive.lectures.plan import LecturePlan
from archive.lectures.review import review_plan
from archive.lectures.talk_suggest import suggest_segments
from archive.lectures.timing import plain_text, sentences, slot_fit, spoken_chars
from archive.store import ContentStore, StaleEditError

PLAN_FILE = """---
title: 走进红星小学
theme: 抗美援朝战争
audience: 小学高年级
venue: 红星路小学
venue_type: 学校
date: '2026-12-10'
time: '14:30'
speakers:
  - 李红
target_minutes: 20
status: scheduled
review_by: 王老师
items:
  - story: crossing
    segment: can-jun
    trim:
      first: 2
      last: 3
    notes: 这里停顿
  - text: 同学们好，今天给大家讲一个老兵的故事。
    title: 开场
  - story: crossing
    photo: crossing/bridge.png
deliveries:
  - date: '2026-12-10'
    venue: 红星路小学
    audience_size: 45
    note: 学生提问踊跃
---

记得带上奖章实物。
"""


@pytest.fixture
def store(tmp_path) -> ContentStore:
    return ContentStore(lecture_archive(tmp_path / "archive"))


@pytest.fixture
def lectures(store) -> LectureStore:
    return LectureStore(store)


def new_plan(lectures: LectureStore, **fields) -> LecturePlan:
    plan = LecturePlan(id=lectures.new_id(), **fields)
    return plan


def test_plan_file_reads_every_field_and_saves_back_byte_identical(lectures):
    path = lectures.path("20261210-abcd")
    path.parent.mkdir(parents=True)
    path.write_text(PLAN_FILE, encoding="utf-8")
    plan = lectures.get("20261210-abcd")
    assert (plan.title, plan.audience, plan.venue, plan.date, plan.time) == (
        "走进红星小学", "小学高年级", "红星路小学", "2026-12-10", "14:30")
    assert plan.speakers == ["李红"] and plan.target_minutes == 20 and plan.status == "scheduled"
    assert [i.kind for i in plan.items] == ["segment", "text", "photo"]
    assert (plan.items[0].trim.first, plan.items[0].trim.last, plan.items[0].notes) == (2, 3, "这里停顿")
    assert plan.deliveries[0].audience_size == 45 and plan.notes.strip() == "记得带上奖章实物。"
    lectures.save(plan)
    assert path.read_text(encoding="utf-8") == PLAN_FILE
    plan.title = "走进红星小学（修改）"
    saved = lectures.save(plan)
    text = path.read_text(encoding="utf-8")
    assert "title: 走进红星小学（修改）" in text and "review_by: 王老师" in text  # unknown key kept
    assert "date: '2026-12-10'" in text and saved.items[0].trim.last == 3


def test_damaged_plan_opens_with_problems_not_an_exception(lectures):
    path = lectures.path("20261210-bad0")
    path.parent.mkdir(parents=True)
    path.write_text("---\ntitle: 坏文件\ntarget_minutes: 很长\nstatus: done\nitems:\n  - 3\n  - story: crossing\n"
                    "    segment: can-jun\n---\n", encoding="utf-8")
    plan = lectures.get("20261210-bad0")
    assert plan.target_minutes is None and plan.status == "draft" and len(plan.items) == 1
    messages = [str(p) for p in plan.problems]
    assert any("target_minutes" in m for m in messages) and any("items 第 1 项" in m for m in messages)
    (lectures.folder / "20261210-bad1.md").write_text("没有元数据", encoding="utf-8")
    assert [p.id for p in lectures.list_plans()] == ["20261210-bad0"]
    assert lectures.load_errors()[0].path.name == "20261210-bad1.md"


def test_stale_save_is_refused(lectures):
    plan = new_plan(lectures, title="甲")
    saved = lectures.save(plan)
    other = lectures.get(saved.id)
    other.title = "乙"
    lectures.save(other)
    saved.title = "丙"
    with pytest.raises(StaleEditError):
        lectures.save(saved)
    assert lectures.get(saved.id).title == "乙"


def test_speaking_time_counts_spoken_characters_only():
    text = plain_text("[00:01:00] 问：您是**哪一年**参军的？\n\n我是1947年参军的。")
    assert "[" not in text and "*" not in text
    assert spoken_chars(text) == len("问您是哪一年参军的我是1947年参军的")
    assert sentences("我来了。你呢？“好！”他说\n再见") == ["我来了。", "你呢？", "“好！”", "他说", "再见"]
    assert slot_fit(20 * 60 + 30, 20).state == "fits"
    assert slot_fit(25 * 60, 20).label == "超时 5分"
    assert slot_fit(12 * 60, 20).label == "不足 8分"


def test_item_and_total_times_follow_the_rate_and_trim(store, lectures):
    plan = new_plan(lectures, target_minutes=1)
    plan_editing.add_segment(plan, store, "crossing", "t001000", "lecturer")
    plan_editing.add_text(plan, "开场", "同学们好" * 10)  # 40 spoken characters
    reviewed = review_plan(plan, store, "lecturer")
    crossing = reviewed.items[0]
    assert crossing.seconds == round(spoken_chars(crossing.text) * 60 / 200)
    assert reviewed.items[1].seconds == 12 and reviewed.items[1].start == crossing.seconds
    assert reviewed.total_seconds == crossing.seconds + 12
    plan.chars_per_minute = 100
    slower = review_plan(plan, store, "lecturer")
    assert slower.items[1].seconds == 24 and slower.total_seconds == slower.items[0].seconds + 24
    plan_editing.update_item(plan, 0, trim=plan_editing.parse_trim("1", "1"))
    trimmed = review_plan(plan, store, "lecturer").items[0]
    assert trimmed.text == "1950年10月，我们连夜跨过鸭绿江。" and trimmed.seconds == 10  # 17 characters at 100/min


def test_primary_school_talk_flags_content_notes(store, lectures):
    plan = new_plan(lectures, audience="小学高年级")
    plan_editing.add_segment(plan, store, "battle", "t000500", "lecturer")
    plan_editing.add_segment(plan, store, "crossing", "t001000", "lecturer")
    flags = [[f.kind for f in i.flags] for i in review_plan(plan, store, "lecturer").items]
    assert flags == [["audience"], []]
    plan.audience = "高中"
    flags = [[f.kind for f in i.flags] for i in review_plan(plan, store, "lecturer").items]
    assert flags[0] == ["content"] and flags[1] == ["note"]  # a content note still told; crossing is for younger classes


def test_segment_told_at_same_venue_is_flagged_with_date(store, lectures):
    earlier = new_plan(lectures, venue="红星路小学")
    plan_editing.add_segment(earlier, store, "crossing", "t001000", "lecturer")
    plan_editing.mark_delivered(earlier, {"date": "2026-03-05", "audience_size": "40"})
    lectures.save(earlier)
    plan = new_plan(lectures, venue=" 红星路小学")
    plan_editing.add_segment(plan, store, "crossing", "t001000", "lecturer")
    plan_editing.add_segment(plan, store, "crossing", "t002000", "lecturer")
    told = told_index(lectures.list_plans())
    items = review_plan(plan, store, "lecturer", told).items
    assert [f.message for f in items[0].flags] == ["已于 2026-03-05 在「 红星路小学」讲过这一片段"]
    assert items[1].flags == []
    plan.venue = "东风街道社区"
    assert review_plan(plan, store, "lecturer", told).items[0].flags == []


def test_changed_and_deleted_segments_are_states_not_errors(store, lectures):
    plan = new_plan(lectures)
    plan_editing.add_segment(plan, store, "crossing", "t001000", "lecturer")
    plan_editing.add_segment(plan, store, "crossing", "t002000", "lecturer")
    plan_editing.add_segment(plan, store, "mines", store.get_story("mines").segments[0].id, "lecturer")
    path = store.story_path("crossing")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("天很冷", "天非常冷").replace("[00:20:00] ", ""),
                    encoding="utf-8")
    store.delete_story("mines")
    items = review_plan(plan, store, "lecturer").items
    assert [i.state for i in items] == ["changed", "missing", "missing"]
    assert "已不在《跨过鸭绿江》中" in items[1].flags[0].message and "已被删除" in items[2].flags[0].message
    reviewed = review_plan(plan, store, "lecturer")
    assert reviewed.total_seconds == items[0].seconds and len(reviewed.warnings) == 3
    plan_editing.accept_current(plan, store, 0, "lecturer")
    assert review_plan(plan, store, "lecturer").items[0].state == "ok"


def test_restricted_story_cannot_be_added_and_is_hidden_from_other_readers(store, lectures):
    plan = new_plan(lectures)
    with pytest.raises(plan_editing.PlanError, match="无权查看"):
        plan_editing.add_segment(plan, store, "secret", "t000200", "lecturer")
    with pytest.raises(plan_editing.PlanError):
        plan_editing.add_photo(plan, store, "crossing", "crossing/secret.png", "lecturer")
    assert plan.items == []
    plan_editing.add_segment(plan, store, "secret", "t000200", "archivist")  # archivists may
    plan_editing.add_photo(plan, store, "crossing", "crossing/secret.png", "archivist")
    as_lecturer = review_plan(plan, store, "lecturer")
    assert [i.state for i in as_lecturer.items] == ["forbidden", "forbidden"]
    assert all("秘密" not in i.text and "未公开" not in i.heading for i in as_lecturer.items)
    assert all("secret" not in i.heading and "secret" not in i.text for i in as_lecturer.items)  # not even its path
    assert as_lecturer.exported_items == [] and as_lecturer.total_seconds == 0
    assert [i.state for i in review_plan(plan, store, "archivist").items] == ["ok", "ok"]


def test_editing_reorders_moves_and_removes(store, lectures):
    plan = new_plan(lectures)
    for segment in ("can-jun", "t001000", "t002000"):
        plan_editing.add_segment(plan, store, "crossing", segment, "lecturer")
    plan_editing.reorder(plan, [2, 0, 1])
    assert [i.segment for i in plan.items] == ["t002000", "can-jun", "t001000"]
    plan_editing.move(plan, 2, -1)
    plan_editing.move(plan, 0, -1)  # already first: unchanged
    assert [i.segment for i in plan.items] == ["t002000", "t001000", "can-jun"]
    plan_editing.remove(plan, 1)
    assert [i.segment for i in plan.items] == ["t002000", "can-jun"]
    with pytest.raises(plan_editing.PlanError):
        plan_editing.reorder(plan, [0, 0])
    with pytest.raises(plan_editing.PlanError):
        plan_editing.remove(plan, 5)


def test_details_and_delivery_validation_messages(lectures):
    plan = new_plan(lectures)
    with pytest.raises(plan_editing.PlanError, match="14:30"):
        plan_editing.update_details(plan, {"time": "下午"})
    with pytest.raises(plan_editing.PlanError, match="需要填写日期"):
        plan_editing.update_details(plan, {"status": "scheduled"})
    with pytest.raises(plan_editing.PlanError, match="目标时长"):
        plan_editing.update_details(plan, {"target_minutes": "-3"})
    plan_editing.update_details(plan, {"title": "讲稿", "speakers": "李红、王强", "target_minutes": "15",
                                  "venue": "红星路小学", "date": "2026-12-01", "status": "scheduled"})
    assert plan.speakers == ["李红", "王强"] and plan.target_minutes == 15
    with pytest.raises(plan_editing.PlanError, match="听众人数"):
        plan_editing.mark_delivered(plan, {"audience_size": "很多"})
    delivery = plan_editing.mark_delivered(plan, {"audience_size": "45", "note": "效果好"})
    assert (delivery.date, delivery.venue, plan.status) == ("2026-12-01", "红星路小学", "delivered")


def test_dashboard_counts_talks_audiences_and_stories(store, lectures):
    first = new_plan(lectures, venue="红星路小学", venue_type="学校", audience="小学高年级")
    plan_editing.add_segment(first, store, "crossing", "t001000", "lecturer")
    plan_editing.add_segment(first, store, "crossing", "t002000", "lecturer")
    plan_editing.mark_delivered(first, {"date": "2026-01-10", "audience_size": "45"})
    plan_editing.mark_delivered(first, {"date": "2026-03-02", "venue": "区政府", "venue_type": "机关",
                                   "audience_size": "120"})
    second = new_plan(lectures, venue="东风社区", venue_type="社区")
    plan_editing.add_segment(second, store, "battle", "t000500", "archivist")
    plan_editing.add_segment(second, store, "secret", "t000200", "archivist")
    plan_editing.mark_delivered(second, {"date": "2026-03-20", "audience_size": "30"})
    board = dashboard([first, second, new_plan(lectures)], store.list_stories(), "lecturer")
    assert board.talks == 3 and board.listeners == 195
    assert board.per_month == [("2026-01", 1), ("2026-02", 0), ("2026-03", 2)]
    assert board.by_venue_type == [("机关", 1, 120), ("学校", 1, 45), ("社区", 1, 30)]
    assert [(c.slug, c.count) for c in board.most_told] == [("crossing", 2), ("battle", 1)]
    assert [c.slug for c in board.least_told] == ["mines", "battle", "crossing"]  # never told comes first
    assert [c.slug for c in board.never_told] == ["mines"]  # secret is not shown to a lecturer at all
    assert "secret" in [c.slug for c in dashboard([first, second], store.list_stories(), "admin").most_told]


def test_suggestions_fit_audience_theme_length_and_venue(store, lectures):
    earlier = new_plan(lectures, venue="红星路小学")
    plan_editing.add_segment(earlier, store, "crossing", "t001000", "lecturer")
    plan_editing.mark_delivered(earlier, {"date": "2026-03-05"})
    told = told_index([earlier])
    chosen = suggest_segments(store, None, audience="小学高年级", theme="抗美援朝战争", minutes=1,
                              role="lecturer", venue="红星路小学", told=told)
    picked = [(s.story.slug, s.segment.id) for s in chosen]
    assert picked and all(slug == "crossing" for slug, _ in picked)  # not secret (restricted), not battle
    assert ("crossing", "t001000") not in picked
    assert sum(s.seconds for s in chosen) <= 120
    any_theme = suggest_segments(store, None, audience="高中", theme="", minutes=3, role="lecturer")
    assert {s.story.slug for s in any_theme} >= {"battle", "mines"}
    assert "crossing" not in {s.story.slug for s in any_theme}  # archivist marked it for younger classes


def test_documented_example_plan_reads_cleanly_and_matches_the_archive(store, lectures):
    docs = (Path(__file__).parent.parent / "docs" / "lectures.md").read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(.*?)```", docs, re.DOTALL).group(1)
    lectures.folder.mkdir(parents=True)
    lectures.path("20261129-3fa2").write_text(example, encoding="utf-8")
    plan = lectures.get("20261129-3fa2")
    assert plan.problems == [] and plan.status == "scheduled" and plan.deliveries[0].audience_size == 45
    assert [i.kind for i in plan.items] == ["text", "segment", "photo", "text"]
    reviewed = review_plan(plan, store, "lecturer")
    assert [i.state for i in reviewed.items] == ["ok"] * 4  # the documented hash is the segment's real hash
    assert reviewed.items[2].seconds == 60 and reviewed.items[1].quote == "我们连夜跨过鸭绿江。"
    lectures.save(plan)
    assert lectures.path("20261129-3fa2").read_text(encoding="utf-8") == example
