"""Word and PowerPoint exports as Office reads them: zh-CN language tags on every Chinese
run, real document properties, warnings beside the item concerned, no slide without
content, headings kept with what follows; the `archive lecture export` command and
download names."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from docx import Document
from lecture_archive import lecture_archive
from lxml import etree
from pptx import Presentation

from archive.cli import cli
from archive.lectures import plan_editing
from archive.lectures.docx_export import plan_docx
from archive.lectures.files import LectureStore
from archive.lectures.ics_export import plans_ics
from archive.lectures.plan import LecturePlan
from archive.lectures.pptx_export import plan_pptx
from archive.lectures.review import review_plan
from archive.store import ContentStore

CJK = re.compile(r"[\u4e00-\u9fff]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WARNING = "内容提示：战争暴力细节——不宜小学高年级听众"


@pytest.fixture
def store(tmp_path) -> ContentStore:
    return ContentStore(lecture_archive(tmp_path / "archive"))


@pytest.fixture
def plan(store) -> LecturePlan:
    plan = LecturePlan(id="20261210-abcd", title="走进红星小学", theme="抗美援朝战争", audience="小学高年级",
                       venue="红星路小学", date="2026-12-10", time="14:30", speakers=["李红", "王芳"],
                       target_minutes=20, status="scheduled")
    plan_editing.add_text(plan, "开场", "同学们好，今天给大家讲老兵的故事。请大家认真听。")
    plan_editing.add_segment(plan, store, "crossing", "t001000", "lecturer")
    plan_editing.add_text(plan, "过渡：从鸭绿江到阵地", "")
    plan_editing.add_photo(plan, store, "crossing", "crossing/bridge.png", "lecturer")
    plan_editing.add_segment(plan, store, "battle", "t000500", "lecturer")
    return plan


def parts(data: bytes, prefix: str) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: etree.fromstring(package.read(name)) for name in package.namelist()
                if name.startswith(prefix) and name.endswith(".xml")}


def core(data: bytes) -> dict[str, str]:
    root = parts(data, "docProps/core.xml")["docProps/core.xml"]
    return {element.tag.rsplit("}", 1)[-1]: element.text or "" for element in root}


def assert_real_properties(data: bytes) -> None:
    properties = core(data)
    assert properties["title"] == "走进红星小学"
    assert properties["creator"] == properties["lastModifiedBy"] == "李红、王芳"
    assert properties["language"] == "zh-CN"
    for key in ("created", "modified"):
        stamp = dt.datetime.fromisoformat(properties[key])
        assert abs(dt.datetime.now(dt.UTC) - stamp) < dt.timedelta(minutes=5)
    raw = str(properties)
    assert "python" not in raw.lower() and "Steve Canny" not in raw and "2013" not in raw


def test_docx_tags_every_chinese_run_zh_cn_and_carries_the_talks_properties(store, plan):
    data = plan_docx(review_plan(plan, store, "lecturer"), store.media_path)
    body = parts(data, "word/document.xml")["word/document.xml"]
    runs = [r for r in body.iter(f"{W}r") if CJK.search("".join(r.itertext()))]
    assert len(runs) > 20
    for run in runs:
        lang = run.find(f"{W}rPr/{W}lang")
        assert lang is not None and lang.get(f"{W}eastAsia") == "zh-CN" and lang.get(f"{W}val") == "zh-CN"
    defaults = parts(data, "word/styles.xml")["word/styles.xml"].find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults.get(f"{W}eastAsia") == "zh-CN"
    assert_real_properties(data)


def test_docx_prints_the_audience_warning_under_its_item_and_keeps_headings_with_what_follows(store, plan):
    document = Document(io.BytesIO(plan_docx(review_plan(plan, store, "lecturer"), store.media_path)))
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    battle = texts.index("5. 阵地上的七天七夜 · 00:05:00")
    assert f"提示：{WARNING}" in texts[battle:battle + 4]
    assert not any(WARNING in t for t in texts[:battle])
    first_item = texts.index("1. 开场")
    for number, paragraph in enumerate(paragraphs[:-1]):
        if number >= first_item and paragraph.style.name.startswith("Heading") or texts[number].startswith(("时间：", "提示：")):
            assert paragraph.paragraph_format.keep_with_next is not False, texts[number]
    picture = next(p for p in paragraphs if p._p.xpath(".//pic:pic"))
    assert picture.paragraph_format.keep_with_next
    shape = document.inline_shapes[0]
    assert shape.width.cm > 15 and shape.height.cm < 16  # as wide as the text area, on its heading's page


def test_pptx_tags_runs_has_properties_and_no_slide_without_content(store, plan):
    data = plan_pptx(review_plan(plan, store, "lecturer"), store.media_path)
    for name, root in parts(data, "ppt/").items():
        if name.startswith(("ppt/slides/slide", "ppt/notesSlides/")):
            for run in root.iter(f"{A}r"):
                if CJK.search("".join(run.itertext())):
                    assert run.find(f"{A}rPr").get("lang") == "zh-CN", name
    assert_real_properties(data)
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    headings = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides[1:]]
    assert headings == ["1. 开场", "2. 跨过鸭绿江 · 00:10:00", "4. 鸭绿江边的老兵", "5. 阵地上的七天七夜 · 00:05:00"]
    for slide in slides:
        shown = [s for s in slide.shapes if s.shape_type == 13 or (s.has_text_frame and s.text_frame.text.strip())]
        assert len(shown) >= 2  # a heading and something to look at
    texts = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in slides]
    assert "同学们好，今天给大家讲老兵的故事。" in texts[1]  # the speaker's words show their first sentence
    assert "过渡：从鸭绿江到阵地" in slides[3].notes_slide.notes_text_frame.text  # a heading alone goes to notes
    assert f"提示：{WARNING}" in slides[4].notes_slide.notes_text_frame.text


def test_ics_uid_is_the_same_whatever_the_site_is_called(plan):
    first = plans_ics([plan]).decode()
    assert "UID:lecture-20261210-abcd@lectures.red-story-archive" in first.replace("\r\n ", "")


@pytest.fixture
def saved(store, plan):
    LectureStore(store).save(plan)
    return store.root


@pytest.mark.parametrize("fmt, magic", [("docx", b"PK"), ("pptx", b"PK"), ("ics", b"BEGIN:VCALENDAR"), ("pdf", b"%PDF")])
def test_cli_exports_every_format(saved, tmp_path, fmt, magic):
    out = tmp_path / f"talk.{fmt}"
    result = CliRunner().invoke(cli, ["--root", str(saved), "lecture", "export", "20261210-abcd",
                                      "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)
    assert f"已导出 {out}" in result.output


def test_cli_export_of_an_unknown_plan_or_format_is_a_usage_error(saved, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["--root", str(saved), "lecture", "export", "nope", "--format", "docx",
                                 "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and "lectures/nope.md: 找不到这份讲稿" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.docx").exists()
    result = runner.invoke(cli, ["--root", str(saved), "lecture", "export", "20261210-abcd", "--format", "odt",
                                 "--out", str(tmp_path / "x.odt")])
    assert result.exit_code == 2


def test_downloads_are_named_after_the_talk(app, client, login):
    plan = LecturePlan(id="20261210-abcd", title="长津湖的冬天：国防/教育课 2026", status="draft")
    app.extensions["archive"].lectures.save(plan)
    login(client, "lecturer")
    response = client.get("/lectures/20261210-abcd/export.docx")
    disposition = response.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('长津湖的冬天：国防_教育课 2026.docx')}" in disposition
    assert disposition.startswith('attachment; filename="2026.docx"; ') and disposition.isascii()
