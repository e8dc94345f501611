"""What Word, WPS, PowerPoint and LibreOffice read to pick fonts and show the file's
properties: language tags and document core properties for .docx and .pptx exports.

Office apps choose a run's East Asian font by its language: a run tagged `en-US`
(python-docx's and python-pptx's default) is drawn by LibreOffice with Japanese
glyph shapes.  Every run of an export is therefore tagged `zh-CN`, and the core
properties come from the plan, not from the libraries' templates ("python-docx",
"Steve Canny", 2013).
"""
from __future__ import annotations

import datetime as dt

from docx.oxml.ns import qn as w_qn
from pptx.oxml.ns import qn as a_qn

from archive.lectures.plan import LecturePlan

LANGUAGE = "zh-CN"
PUBLISHER = "红色故事档案·宣讲团"


def _tag_docx_rpr(properties) -> None:
    lang = properties.find(w_qn("w:lang"))
    if lang is None:
        lang = properties.makeelement(w_qn("w:lang"), {})
        properties.append(lang)
    lang.set(w_qn("w:val"), LANGUAGE)
    lang.set(w_qn("w:eastAsia"), LANGUAGE)


def tag_docx_language(document) -> None:
    """Tag the document defaults, every style and every run of a python-docx Document zh-CN."""
    styles = document.styles.element
    for properties in styles.iter(w_qn("w:rPr")):
        _tag_docx_rpr(properties)
    for run in document.element.body.iter(w_qn("w:r")):
        properties = run.find(w_qn("w:rPr"))
        if properties is None:
            properties = run.makeelement(w_qn("w:rPr"), {})
            run.insert(0, properties)
        _tag_docx_rpr(properties)


def tag_pptx_run(run) -> None:
    """Tag one python-pptx run as Chinese (lang zh-CN, altLang en-US)."""
    properties = run._r.get_or_add_rPr()
    properties.set("lang", LANGUAGE)
    properties.set("altLang", "en-US")


def tag_pptx_language(deck) -> None:
    """Tag every run and paragraph end of every slide and notes page zh-CN."""
    frames = []
    for slide in deck.slides:
        frames += [shape.text_frame for shape in slide.shapes if shape.has_text_frame]
        if slide.has_notes_slide:
            frames.append(slide.notes_slide.notes_text_frame)
    for frame in frames:
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                tag_pptx_run(run)
            end = paragraph._p.find(a_qn("a:endParaRPr"))
            if end is not None:
                end.set("lang", LANGUAGE)


def set_core_properties(properties, plan: LecturePlan, now: dt.datetime | None = None) -> None:
    """Title = the talk, author = the speakers, created/modified = now, no library boilerplate."""
    stamp = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)
    speakers = "、".join(plan.speakers) or plan.owner or PUBLISHER
    properties.title = plan.display_title
    properties.author = speakers
    properties.last_modified_by = speakers
    properties.subject = plan.theme
    properties.keywords = "、".join(v for v in (plan.theme, plan.audience) if v)
    properties.comments = f"{PUBLISHER}讲稿 {plan.id}"
    properties.category = "宣讲讲稿"
    properties.language = LANGUAGE
    properties.created = stamp
    properties.modified = stamp
    properties.revision = 1
    properties.last_printed = stamp
