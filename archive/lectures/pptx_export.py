"""The talk as a slide deck (.pptx): a title slide, then one slide per item with
its photo or key quote, the source on the slide and the full text, timing and
speaker notes in the notes pane.  Warnings about left-out items go in the title
slide's notes.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from archive.lectures.docx_export import item_timing
from archive.lectures.review import ReviewedItem, ReviewedPlan
from archive.lectures.timing import format_duration

FONT = "Microsoft YaHei"
RED = RGBColor(0xA6, 0x1B, 0x1B)
GREY = RGBColor(0x5C, 0x5C, 0x5C)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)


def _text_box(slide, left, top, width, height, text: str, size: int, color=None, bold: bool = False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for number, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        _east_asian(run, FONT)
        if color is not None:
            run.font.color.rgb = color
    return box


def _east_asian(run, name: str) -> None:
    properties = run._r.get_or_add_rPr()
    element = properties.find(qn("a:ea"))
    if element is None:
        element = properties.makeelement(qn("a:ea"), {})
        properties.append(element)
    element.set("typeface", name)


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def _picture(slide, path: Path, top, max_width, max_height) -> bool:
    try:
        picture = slide.shapes.add_picture(str(path), 0, top)
    except (OSError, ValueError):  # an unreadable image must not stop the export
        return False
    scale = min(max_width / picture.width, max_height / picture.height, 1.0)
    picture.width, picture.height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))
    picture.left = Emu(int((WIDTH - picture.width) / 2))
    return True


def _item_slide(deck, number: int, item: ReviewedItem, media_path: Callable[[str], Path | None]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    margin = Inches(0.6)
    inner = WIDTH - 2 * margin
    _text_box(slide, margin, Inches(0.35), inner, Inches(0.9), f"{number}. {item.heading}", 26, RED, True)
    shown = False
    if item.photo is not None:
        path = media_path(item.photo.file)
        shown = path is not None and _picture(slide, path, Inches(1.3), inner, Inches(4.9))
    if not shown and item.quote:
        _text_box(slide, Inches(1.2), Inches(2.2), WIDTH - Inches(2.4), Inches(3),
                  f"“{item.quote}”", 34, None, True)
    elif item.photo is not None and item.quote:
        _text_box(slide, margin, Inches(6.25), inner, Inches(0.5), item.quote, 16)
    if item.citation:
        _text_box(slide, margin, Inches(6.75), inner, Inches(0.6), f"出处：{item.citation}", 11, GREY)
    notes = [f"时间：{item_timing(item)}"]
    if item.state == "changed":
        notes.append("注意：此片段在加入讲稿后已被修改，请核对。")
    if item.item.notes:
        notes.append(f"讲者备注：{item.item.notes}")
    if item.text:
        notes.append(item.text)
    if item.citation:
        notes.append(f"出处：{item.citation}")
    _notes(slide, "\n\n".join(notes))


def plan_pptx(reviewed: ReviewedPlan, media_path: Callable[[str], Path | None]) -> bytes:
    """The plan as .pptx bytes: a title slide, then one slide per exported item in order."""
    plan = reviewed.plan
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    title = deck.slides.add_slide(deck.slide_layouts[6])
    _text_box(title, Inches(0.8), Inches(2.2), WIDTH - Inches(1.6), Inches(1.5), plan.display_title, 40, RED, True)
    lines = [f"{label}：{value}" for label, value in plan.occasion() if label in ("主题", "宣讲人", "地点", "时间")]
    if lines:
        _text_box(title, Inches(0.8), Inches(3.9), WIDTH - Inches(1.6), Inches(2), "\n".join(lines), 20, GREY)
    summary = [f"预计总时长：{format_duration(reviewed.total_seconds)}（{reviewed.fit.label}）"]
    summary += [f"警告：{warning}" for warning in reviewed.warnings]
    _notes(title, "\n".join(summary))
    for number, item in enumerate(reviewed.exported_items, start=1):
        _item_slide(deck, number, item, media_path)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
