"""The talk as a slide deck (.pptx): a title slide, then one slide per item with
its photo or key quote, the source on the slide and the full text, timing,
audience and content warnings and speaker notes in the notes pane.  Warnings
about left-out items go in the title slide's notes.  No slide is left without
content: the speaker's own words show their first sentence, and words with
nothing to show go into the notes of the next slide.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from archive.lectures.docx_export import WARNING_KINDS, item_timing
from archive.lectures.office_style import set_core_properties, tag_pptx_language
from archive.lectures.review import ReviewedItem, ReviewedPlan
from archive.lectures.timing import format_duration, sentences

FONT = "Microsoft YaHei"
RED = RGBColor(0xA6, 0x1B, 0x1B)
GREY = RGBColor(0x5C, 0x5C, 0x5C)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MAX_UPSCALE = 2.0  # a small photo is enlarged to fill the slide, but not beyond twice its size


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
    scale = min(max_width / picture.width, max_height / picture.height, MAX_UPSCALE)
    picture.width, picture.height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))
    picture.left = Emu(int((WIDTH - picture.width) / 2))
    return True


def _slide_line(item: ReviewedItem) -> str:
    """The words a slide shows when it has no photo: the key quote, else the first sentence."""
    if item.quote:
        return f"“{item.quote}”"
    first = sentences(item.text)
    return first[0] if first else ""


def _item_notes(item: ReviewedItem, carried: list[str]) -> str:
    notes = carried + [f"时间：{item_timing(item)}"]
    if item.state == "changed":
        notes.append("注意：此片段在加入讲稿后已被修改，请核对。")
    notes += [f"提示：{flag.message}" for flag in item.flags if flag.kind in WARNING_KINDS]
    if item.item.notes:
        notes.append(f"讲者备注：{item.item.notes}")
    if item.text:
        notes.append("\n".join(("• " if b.kind == "item" else "") + b.text for b in item.blocks))
    if item.citation:
        notes.append(f"出处：{item.citation}")
    return "\n\n".join(notes)


def _item_slide(deck, number: int, item: ReviewedItem, media_path: Callable[[str], Path | None],
                carried: list[str]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    margin = Inches(0.6)
    inner = WIDTH - 2 * margin
    _text_box(slide, margin, Inches(0.35), inner, Inches(0.9), f"{number}. {item.heading}", 26, RED, True)
    shown = False
    if item.photo is not None:
        path = media_path(item.photo.file)
        shown = path is not None and _picture(slide, path, Inches(1.3), inner, Inches(4.9))
    line = _slide_line(item)
    if not shown and line:
        _text_box(slide, Inches(1.2), Inches(2.2), WIDTH - Inches(2.4), Inches(3), line, 34, None, True)
    elif shown and item.quote:
        _text_box(slide, margin, Inches(6.25), inner, Inches(0.5), item.quote, 16)
    if item.citation:
        _text_box(slide, margin, Inches(6.75), inner, Inches(0.6), f"出处：{item.citation}", 11, GREY)
    _notes(slide, _item_notes(item, carried))


def _has_content(item: ReviewedItem) -> bool:
    """Would this item's slide show more than its heading?"""
    return item.photo is not None or bool(_slide_line(item)) or bool(item.citation)


def _title_slide(deck, reviewed: ReviewedPlan) -> None:
    plan = reviewed.plan
    title = deck.slides.add_slide(deck.slide_layouts[6])
    _text_box(title, Inches(0.8), Inches(2.2), WIDTH - Inches(1.6), Inches(1.5), plan.display_title, 40, RED, True)
    lines = [f"{label}：{value}" for label, value in plan.occasion() if label in ("主题", "宣讲人", "地点", "时间")]
    if lines:
        _text_box(title, Inches(0.8), Inches(3.9), WIDTH - Inches(1.6), Inches(2), "\n".join(lines), 20, GREY)
    summary = [f"预计总时长：{format_duration(reviewed.total_seconds)}（{reviewed.fit.label}）"]
    summary += [f"警告：{warning}" for warning in reviewed.warnings]
    _notes(title, "\n".join(summary))


def plan_pptx(reviewed: ReviewedPlan, media_path: Callable[[str], Path | None]) -> bytes:
    """The plan as .pptx bytes: a title slide, then one slide per exported item that has something to show."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    set_core_properties(deck.core_properties, reviewed.plan)
    _title_slide(deck, reviewed)
    carried: list[str] = []
    for number, item in enumerate(reviewed.exported_items, start=1):  # numbered as in the Word script
        if not _has_content(item):  # a heading alone is no slide: say it from the next slide's notes
            carried.append(f"（先讲）{item.heading}：{item.text}".rstrip("："))
            continue
        _item_slide(deck, number, item, media_path, carried)
        carried = []
    if carried:
        _notes(deck.slides[-1], deck.slides[-1].notes_slide.notes_text_frame.text + "\n\n" + "\n\n".join(carried))
    tag_pptx_language(deck)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
