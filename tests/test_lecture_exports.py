"""Exports a speaker takes to the venue: .docx, .pptx and .ics, opened with their own libraries."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from icalendar import Calendar
from lecture_archive import lecture_archive
from pptx import Presentation

from archive.lectures import plan_editing
from archive.lectures.docx_export import plan_docx
from archive.lectures.ics_export import plans_ics
from archive.lectures.plan import LecturePlan
from archive.lectures.pptx_export import plan_pptx
from archive.lectures.review import review_plan
from archive.store import ContentStore


@pytest.fixture
def store(tmp_path) -> ContentStore:
    return ContentStore(lecture_archive(tmp_path / "archive"))


@pytest.fixture
def plan(store) -> LecturePlan:
    plan = LecturePlan(id="20261210-abcd", title="走进红星小学", theme="抗美援朝战争", audience="小学高年级",
                       venue="红星路小学", date="2026-12-10", time="14:30", speakers=["李红"], target_minutes=3,
                       status="scheduled")
    plan_editing.add_text(plan, "开场", "同学们好，今天给大家讲一个老兵的故事。")
    plan_editing.add_segment(plan, store, "crossing", "t001000", "lecturer")
    plan_editing.add_photo(plan, store, "crossing", "crossing/bridge.png", "lecturer")
    plan_editing.add_segment(plan, store, "crossing", "can-jun", "lecturer")
    plan_editing.update_item(plan, 1, notes="讲到这里放慢语速")
    return plan


def docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_docx_has_items_in_order_with_timings_notes_and_citations(store, plan):
    reviewed = review_plan(plan, store, "lecturer")
    document = Document(io.BytesIO(plan_docx(reviewed, store.media_path)))
    text = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert text[0] == "走进红星小学"
    assert headings == ["1. 开场", "2. 跨过鸭绿江 · 00:10:00", "3. 鸭绿江边的老兵", "4. 跨过鸭绿江 · 参军"]
    second = reviewed.items[1]
    assert f"时间：0:{second.start:02d}–0:{second.start + second.seconds:02d}（约 {second.seconds}秒）" in text
    assert "讲者备注：讲到这里放慢语速" in text
    citations = [t for t in text if t.startswith("出处：")]
    assert len(citations) == 3
    assert citations[0] == ("出处：《跨过鸭绿江》，王建国 口述，李红 采访，采访日期 2023-05-01，"
                            "片段「[00:10:00]」（stories/crossing.md#t001000）")
    assert "照片 media/crossing/bridge.png：鸭绿江边的老兵，2023-05-01，档案室拍摄" in citations[1]
    assert any("1950年10月，我们连夜跨过鸭绿江。" in t for t in text)
    assert len(document.inline_shapes) == 1  # the photo itself
    assert any(t.startswith("预计总时长：") for t in text)


def test_pptx_has_a_slide_per_item_with_photo_quote_citation_and_notes(store, plan):
    reviewed = review_plan(plan, store, "lecturer")
    deck = Presentation(io.BytesIO(plan_pptx(reviewed, store.media_path)))
    slides = list(deck.slides)
    assert len(slides) == 5
    texts = [[shape.text_frame.text for shape in slide.shapes if shape.has_text_frame] for slide in slides]
    assert texts[0][0] == "走进红星小学"
    assert [t[0] for t in texts[1:]] == ["1. 开场", "2. 跨过鸭绿江 · 00:10:00", "3. 鸭绿江边的老兵", "4. 跨过鸭绿江 · 参军"]
    assert "“当兵就要当个好兵。”" in texts[4]  # the narrator's quoted words are the key quote
    assert any(t.startswith("出处：《跨过鸭绿江》") for t in texts[2])
    assert [shape.shape_type for shape in slides[3].shapes].count(13) == 1  # 13 = PICTURE
    notes = slides[2].notes_slide.notes_text_frame.text
    assert "讲者备注：讲到这里放慢语速" in notes and "1950年10月" in notes and notes.startswith("时间：0:")


def test_deleted_segment_is_left_out_of_exports_with_a_warning(store, plan):
    path = store.story_path("crossing")
    text = path.read_text(encoding="utf-8")
    told = text[text.index("[00:10:00]"):text.index("[00:20:00]")]
    path.write_text(text.replace(told, "").replace("村里来了队伍", "村里来了解放军"), encoding="utf-8")
    reviewed = review_plan(plan, store, "lecturer")
    assert [i.state for i in reviewed.items] == ["ok", "missing", "ok", "changed"]
    text = docx_paragraphs(plan_docx(reviewed, store.media_path))
    assert not any("1950年10月" in t for t in text) and any("村里来了解放军" in t for t in text)
    assert "警告：第 2 项未导出：片段 t001000 已不在《跨过鸭绿江》中（可能被删除或改写）" in text
    assert "警告：第 4 项「跨过鸭绿江 · 参军」在加入讲稿后已被修改，导出的是修改后的内容，请核对" in text
    deck = Presentation(io.BytesIO(plan_pptx(reviewed, store.media_path)))
    assert len(deck.slides) == 4
    assert "第 2 项未导出" in deck.slides[0].notes_slide.notes_text_frame.text


def test_restricted_content_never_reaches_an_export(store, plan):
    plan_editing.add_segment(plan, store, "secret", "t000200", "archivist")
    plan_editing.add_photo(plan, store, "crossing", "crossing/secret.png", "archivist")
    reviewed = review_plan(plan, store, "lecturer")
    docx_text = "\n".join(docx_paragraphs(plan_docx(reviewed, store.media_path)))
    deck = Presentation(io.BytesIO(plan_pptx(reviewed, store.media_path)))
    deck_text = "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                          if shape.has_text_frame)
    deck_text += "\n".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides)
    for text in (docx_text, deck_text):
        assert "秘密" not in text and "未公开" not in text and "内部照片" not in text
        assert "第 5 项未导出：涉及您无权查看的内容" in text
    assert len(deck.slides) == 5
    assert len(Document(io.BytesIO(plan_docx(reviewed, store.media_path))).inline_shapes) == 1


def test_ics_is_a_valid_calendar_of_scheduled_talks(plan):
    draft = LecturePlan(id="20261211-0000", title="草稿", date="2026-12-11", status="draft")
    all_day = LecturePlan(id="20261212-0000", title="社区宣讲", date="2026-12-12", status="scheduled",
                          venue="东风社区")
    data = plans_ics([plan, draft, all_day], now=dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["宣讲：走进红星小学", "宣讲：社区宣讲"]
    start = events[0].decoded("dtstart")
    assert start == dt.datetime(2026, 12, 10, 14, 30, tzinfo=start.tzinfo)
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert events[0].decoded("dtend") - start == dt.timedelta(minutes=3)
    assert str(events[0]["location"]) == "红星路小学" and str(events[0]["uid"]).startswith("lecture-20261210-abcd@")
    assert events[1].decoded("dtstart") == dt.date(2026, 12, 12)
    assert calendar.walk("VTIMEZONE") and str(calendar["version"]) == "2.0"
