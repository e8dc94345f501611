"""Bold speaker labels, lists, tables and footnotes of a transcript survive into the
printed script, the Word export and the slide notes."""
from __future__ import annotations

import io

import pytest
from conftest import write_tree
from docx import Document
from lecture_archive import lecture_archive
from pptx import Presentation

from archive.lectures import plan_editing
from archive.lectures.docx_export import plan_docx
from archive.lectures.files import LectureStore
from archive.lectures.plan import LecturePlan
from archive.lectures.pptx_export import plan_pptx
from archive.lectures.review import review_plan
from archive.lectures.script_blocks import script_blocks
from archive.store import ContentStore

MARKDOWN = """[00:01:00] **问：** 您那时候带了什么？

**答：** 带的东西不多[^1]：

- 一支步枪
- 三天的干粮

| 物品 | 数量 |
|---|---|
| 手榴弹 | 4 |

[^1]: 按部队规定，每人负重不超过三十斤。"""


def test_markdown_passage_becomes_printed_blocks():
    blocks = script_blocks(MARKDOWN)
    assert [b.kind for b in blocks] == ["para", "para", "item", "item", "table", "note"]
    assert blocks[0].runs == [("问：", True), ("您那时候带了什么？", False)]
    assert blocks[1].text == "答：带的东西不多[1]：" and blocks[2].text == "一支步枪"
    assert blocks[4].rows == [["物品", "数量"], ["手榴弹", "4"]]
    assert blocks[5].runs[0] == ("注[1]：", True) and blocks[5].text.endswith("每人负重不超过三十斤。")


@pytest.fixture
def archive_root(tmp_path):
    return write_tree(lecture_archive(tmp_path / "archive"),
                      {"stories/pack.md": "---\ntitle: 行装\nnarrator: 王建国\n---\n" + MARKDOWN + "\n"})


@pytest.fixture
def plan(archive_root) -> LecturePlan:
    store = ContentStore(archive_root)
    plan = LecturePlan(id="20261201-abcd", title="行装", speakers=["李红"])
    plan_editing.add_segment(plan, store, "pack", "t000100", "lecturer")
    LectureStore(store).save(plan)
    return plan


def test_word_and_slides_keep_labels_lists_tables_and_footnotes(archive_root, plan):
    store = ContentStore(archive_root)
    reviewed = review_plan(plan, store, "lecturer")
    document = Document(io.BytesIO(plan_docx(reviewed, store.media_path)))
    question = next(p for p in document.paragraphs if p.text.startswith("问："))
    assert question.runs[0].text == "问：" and question.runs[0].bold and not question.runs[1].bold
    assert [p.text for p in document.paragraphs if p.style.name == "List Bullet"] == ["一支步枪", "三天的干粮"]
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [["物品", "数量"], ["手榴弹", "4"]]
    assert any(p.text.startswith("注[1]：按部队规定") for p in document.paragraphs)
    notes = Presentation(io.BytesIO(plan_pptx(reviewed, store.media_path))).slides[1].notes_slide.notes_text_frame.text
    assert "• 一支步枪" in notes and "物品 | 数量" in notes and "注[1]：" in notes


def test_printed_script_shows_bold_labels_lists_and_tables(client, login, plan):
    login(client, "lecturer")
    html = client.get(f"/lectures/{plan.id}/script").get_data(as_text=True)
    assert "<strong>问：</strong>您那时候带了什么？" in html
    assert '<ul class="script-list"><li class="block-item">一支步枪</li>' in html
    assert "<th>物品</th>" in html and "<td>手榴弹</td>" in html and "注[1]：" in html
