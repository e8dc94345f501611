"""docs/format.md's field tables are held to the one declaration of the content model
(archive/content_model.py), and what is derived from it behaves as declared (issue 10)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.content_model import PERSON_FIELDS, SERVICE_FIELDS, STORY_FIELDS, Field
from archive.merging import FIELD_LABELS

DOCS = Path(__file__).resolve().parent.parent / "docs" / "format.md"
ROW = re.compile(r"^\| (`[^|]+`(?: / `[^|]+`)*) \|(.*)\|\s*$")


def table_after(heading: str, columns: int) -> dict[str, tuple[str, ...]]:
    """key -> the cells after it, from the first table after `heading` (`a` / `b` rows give both keys)."""
    text = DOCS.read_text(encoding="utf-8")
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


@pytest.mark.parametrize(("heading", "fields", "with_required"), [
    ("## 3. 故事（访谈）", STORY_FIELDS, True),
    ("## 5. 人物档案", PERSON_FIELDS, True),
    ("`service` 服役记录：", SERVICE_FIELDS, False),
])
def test_docs_field_tables_match_the_declaration(heading, fields, with_required):
    documented = {key: cells[:2] if with_required else cells[:1]
                  for key, cells in table_after(heading, 4 if with_required else 3).items()}
    assert documented == _expected(fields, with_required)


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
