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
from docx.image.image import Image as DocxImage
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from archive.lectures.office_style import set_core_properties, tag_docx_language
from archive.lectures.review import ReviewedItem, ReviewedPlan
from archive.lectures.script_blocks import Block
from archive.lectures.timing import format_clock, format_duration

BODY_FONT = "SimSun"
HEADING_FONT = "SimHei"
GREY = RGBColor(0x5C, 0x5C, 0x5C)
PHOTO_BOX = (Cm(16), Cm(15))  # fits the A4 text area with its heading, timing and caption on one page
WARNING_KINDS = ("audience", "content", "told", "note")


def _set_east_asian_font(style, name: str) -> None:
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def item_timing(item: ReviewedItem) -> str:
    """'0:00–2:30（约 2分30秒）': where the item sits in the talk and how long it takes."""
    return f"{format_clock(item.start)}–{format_clock(item.start + item.seconds)}（约 {format_duration(item.seconds)}）"


def _small(paragraph, text: str, label: str = "", keep_with_next: bool = False) -> None:
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    if label:
        paragraph.add_run(label).bold = True
    run = paragraph.add_run(text)
    run.font.size = Pt(10)
    run.font.color.rgb = GREY


def _add_picture(document, path: Path) -> None:
    """The photo as large as the box allows, its aspect kept, on the page of its heading."""
    image = DocxImage.from_file(str(path))
    width, height = image.width, image.height
    scale = min(PHOTO_BOX[0] / width, PHOTO_BOX[1] / height)
    document.add_picture(str(path), width=Emu(int(width * scale)), height=Emu(int(height * scale)))
    document.paragraphs[-1].paragraph_format.keep_with_next = True


def _add_photo(document, item: ReviewedItem, media_path: Callable[[str], Path | None]) -> None:
    path = media_path(item.photo.file)
    try:
        if path is None:
            raise OSError
        _add_picture(document, path)
    except (OSError, ValueError, UnrecognizedImageError):  # an unreadable image must not stop the export
        document.add_paragraph(f"（照片文件无法读取：media/{item.photo.file}）")


def _add_blocks(document, blocks: list[Block]) -> None:
    """Paragraphs with bold speaker labels, bulleted list items, tables and footnotes."""
    for block in blocks:
        if block.kind == "table":
            columns = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=columns, style="Table Grid")
            for cells, row in zip(table.rows, block.rows, strict=True):
                for cell, text in zip(cells.cells, row, strict=False):
                    cell.text = text
            continue
        paragraph = document.add_paragraph(style="List Bullet" if block.kind == "item" else None)
        for text, bold in block.runs:
            paragraph.add_run(text).bold = bold or None
        if block.kind == "note":
            paragraph.runs[-1].font.size = Pt(9)


def _add_item(document, number: int, item: ReviewedItem, media_path: Callable[[str], Path | None]) -> None:
    document.add_heading(f"{number}. {item.heading}", level=2)
    _small(document.add_paragraph(), item_timing(item), "时间：", keep_with_next=True)
    if item.state == "changed":
        _small(document.add_paragraph(), "此片段在加入讲稿后已被修改，请核对。", "注意：", keep_with_next=True)
    for flag in item.flags:
        if flag.kind in WARNING_KINDS:
            _small(document.add_paragraph(), flag.message, "提示：", keep_with_next=True)
    if item.photo is not None:
        _add_photo(document, item, media_path)
    _add_blocks(document, item.blocks)
    if item.item.notes:
        _small(document.add_paragraph(), item.item.notes, "讲者备注：")
    if item.citation:
        _small(document.add_paragraph(), item.citation, "出处：")


def plan_docx(reviewed: ReviewedPlan, media_path: Callable[[str], Path | None]) -> bytes:
    """The plan as .docx bytes: occasion, warnings, then every item with timing, notes and citation."""
    plan = reviewed.plan
    document = Document()
    set_core_properties(document.core_properties, plan)
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
    tag_docx_language(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
