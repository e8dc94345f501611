"""The talk as a Word document (.docx) the speaker can edit further.

Built from a `ReviewedPlan`, so it holds exactly what the reader may read:
missing and forbidden items are left out and listed as warnings at the top.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from archive.lectures.review import ReviewedItem, ReviewedPlan
from archive.lectures.timing import format_clock, format_duration

BODY_FONT = "SimSun"
HEADING_FONT = "SimHei"
GREY = RGBColor(0x5C, 0x5C, 0x5C)


def _set_east_asian_font(style, name: str) -> None:
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def item_timing(item: ReviewedItem) -> str:
    """'0:00–2:30（约 2分30秒）': where the item sits in the talk and how long it takes."""
    return f"{format_clock(item.start)}–{format_clock(item.start + item.seconds)}（约 {format_duration(item.seconds)}）"


def _small(paragraph, text: str, label: str = "") -> None:
    if label:
        paragraph.add_run(label).bold = True
    run = paragraph.add_run(text)
    run.font.size = Pt(10)
    run.font.color.rgb = GREY


def _add_item(document, number: int, item: ReviewedItem, media_path: Callable[[str], Path | None]) -> None:
    document.add_heading(f"{number}. {item.heading}", level=2)
    _small(document.add_paragraph(), item_timing(item), "时间：")
    if item.state == "changed":
        _small(document.add_paragraph(), "此片段在加入讲稿后已被修改，请核对。", "注意：")
    if item.photo is not None:
        path = media_path(item.photo.file)
        try:
            if path is None:
                raise OSError
            document.add_picture(str(path), width=Cm(12))
        except (OSError, ValueError, UnrecognizedImageError):  # an unreadable image must not stop the export
            document.add_paragraph(f"（照片文件无法读取：media/{item.photo.file}）")
    for paragraph in item.text.split("\n\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())
    if item.item.notes:
        _small(document.add_paragraph(), item.item.notes, "讲者备注：")
    if item.citation:
        _small(document.add_paragraph(), item.citation, "出处：")


def plan_docx(reviewed: ReviewedPlan, media_path: Callable[[str], Path | None]) -> bytes:
    """The plan as .docx bytes: occasion, warnings, then every item with timing, notes and citation."""
    plan = reviewed.plan
    document = Document()
    _set_east_asian_font(document.styles["Normal"], BODY_FONT)
    for level in (0, 1, 2):
        _set_east_asian_font(document.styles["Title" if level == 0 else f"Heading {level}"], HEADING_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    document.add_heading(plan.display_title, level=0)
    for label, value in plan.occasion():
        _small(document.add_paragraph(), value, f"{label}：")
    fit = reviewed.fit
    _small(document.add_paragraph(), f"{format_duration(reviewed.total_seconds)}（{fit.label}，"
           f"按每分钟 {reviewed.chars_per_minute:g} 字估算）", "预计总时长：")
    for warning in reviewed.warnings:
        _small(document.add_paragraph(), warning, "警告：")
    for number, item in enumerate(reviewed.exported_items, start=1):
        _add_item(document, number, item, media_path)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
