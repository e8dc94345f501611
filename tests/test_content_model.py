"""docs/format.md's field tables are held to the one declaration of the content model
(archive/content_model.py), and what is derived from it behaves as declared (issue 10)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.content_model import (
    COLLECTION_FIELDS,
    CONSENT_FIELDS,
    MEDIA_FIELDS,
    PERSON_FIELDS,
    PLAN_FIELDS,
    SERVICE_FIELDS,
    STORY_FIELDS,
    Field,
)
from archive.merging import FIELD_LABELS

DOCS = Path(__file__).resolve().parent.parent / "docs"
ROW = re.compile(r"^\| (`[^|]+`(?: / `[^|]+`)*) \|(.*)\|\s*$")


def table_after(heading: str, columns: int, doc: str = "format.md") -> dict[str, tuple[str, ...]]:
    """key -> the cells after it, from the first table after `heading` (`a` / `b` rows give both keys)."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    rows: dict[str, tuple[str, ...]] = {}
    started = False
    for line in text[text.index(heading):].splitlines()[1:]:
        match = ROW.match(line)
        if match:
            started = True
            cells = tuple(cell.strip() for cell in match[2].split("|"))[:columns - 1]
            for key in re.findall(r"`([^`]+)`", match[1]):
                rows[key] = cells
        elif started and not line.startswith("|"):
            return rows
    return rows


def _expected(fields: tuple[Field, ...], with_required: bool) -> dict[str, tuple[str, ...]]:
    if with_required:
        return {f.key: ("是" if f.required else "", f.docs_type) for f in fields}
    return {f.key: (f.docs_type,) for f in fields}


TABLES = [
    ("format.md", "## 3. 故事（访谈）", STORY_FIELDS, True),
    ("format.md", "`consent` 授权（知情同意）的各项", CONSENT_FIELDS, False),
    ("format.md", "## 5. 人物档案", PERSON_FIELDS, True),
    ("format.md", "`service` 服役记录：", SERVICE_FIELDS, False),
    ("format.md", "`media:` 的每一项", MEDIA_FIELDS, True),
    ("format.md", "### 专题：", COLLECTION_FIELDS, True),
    ("lectures.md", "## 2. 讲稿信息", PLAN_FIELDS, True),
]
LABEL_ENDS = ("", "：", "（", "，", "；")  # what may follow the label at the start of 含义


@pytest.mark.parametrize(("doc", "heading", "fields", "with_required"), TABLES)
def test_docs_field_tables_match_the_declaration(doc, heading, fields, with_required):
    documented = {key: cells[:2] if with_required else cells[:1]
                  for key, cells in table_after(heading, 4 if with_required else 3, doc).items()}
    assert documented == _expected(fields, with_required)


def meanings(doc: str, heading: str, columns: int) -> dict[str, tuple[str, str]]:
    """key -> (the keys of its row, the row's 含义 cell) of a field table."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    rows = {}
    for line in text[text.index(heading):].splitlines():
        match = ROW.match(line)
        if match and len(match[2].split("|")) >= columns - 1:
            keys = tuple(re.findall(r"`([^`]+)`", match[1]))
            rows.update({key: (keys, match[2].split("|")[columns - 2].strip()) for key in keys})
        elif rows and not line.startswith("|"):
            break
    return rows


@pytest.mark.parametrize(("doc", "heading", "fields", "with_required"), TABLES)
def test_docs_field_tables_begin_each_meaning_with_the_declared_label(doc, heading, fields, with_required):
    declared = {f.key: f.label for f in fields}
    for key, (keys, meaning) in meanings(doc, heading, 4 if with_required else 3).items():
        label = "、".join(declared[k] for k in keys)  # a row of `born` / `died`: '出生年份、去世年份'
        assert any(meaning == label + end or meaning.startswith(label + end) and end for end in LABEL_ENDS), \
            f"{doc} `{key}`: 含义 should begin with {label!r}, is {meaning!r}"


def test_the_api_and_the_merge_page_use_the_declaration(app, login):
    client = app.test_client()
    token = login(client, "archivist")
    response = client.post("/api/stories", headers={"X-CSRF-Token": token}, json={"meta": {"title": "甲"}, "body": "x"})
    assert response.status_code == 422 and "narrator（讲述人）" in response.json["error"]
    assert FIELD_LABELS["interviewed"] == "访谈日期"


def test_check_reports_a_declared_type(run_cli, archive_root):
    (archive_root / "people" / "p.md").write_text("---\nname: 甲\ncitation: [一, 二]\n---\n", encoding="utf-8")
    result = run_cli("check")
    assert result.exit_code == 1 and "people/p.md:3: citation 应为文本" in result.output


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("collections/c.md", "---\ntitle: 专题\nstories: []\ncommentary: 好\n---\n", "collections/c.md:4: commentary 应为映射"),
    ("collections/c.md", "---\ntitle: 专题\n---\n", "collections/c.md:1: stories 应为故事编号"),
    ("lectures/l.md", "---\ntitle: 进课堂\nspeakers: 5\n---\n", "lectures/l.md:3: speakers 应为文本列表"),
    ("people/p.md", "---\nname: 甲\naccess: secret\n---\n", "people/p.md:3: access 只能是 public / internal / restricted"),
])
def test_check_reports_the_declared_rules_of_collections_plans_and_people(run_cli, archive_root, path, text, expected):
    (archive_root / path).parent.mkdir(exist_ok=True)
    (archive_root / path).write_text(text, encoding="utf-8")
    result = run_cli("check")
    assert result.exit_code == 1 and expected in result.output


def test_check_reads_media_entries_by_the_declaration(run_cli, archive_root):
    (archive_root / "media").mkdir(exist_ok=True)
    (archive_root / "media" / "a.mp3").write_bytes(b"x")
    (archive_root / "people" / "p.md").write_text(
        "---\nname: 甲\nmedia:\n  - file: a.mp3\n    duration: 半小时\n    original_name: [a]\n---\n", encoding="utf-8")
    result = run_cli("check")
    assert result.exit_code == 1
    assert "duration 应为不小于 0 的整数（实际是 '半小时'）" in result.output
    assert "original_name 应为文本，实际是列表" in result.output
