"""Importing a spreadsheet (.csv or .xlsx as `archive export --csv` writes them): update the
metadata of existing stories or people and create drafts for new rows, through the Editor.

Only cells whose text differs from what the export would write count as edits, so a sheet
exported and imported untouched writes nothing; an edited cell rewrites only its field.  Every
bad cell is reported as `path:row: column：message`, and nothing is written when any is bad."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.content_model import PERSON_FIELDS, STORY_FIELDS, missing_problems, slug_problem
from archive.exchange.columns import Column, cell_text, parse_cell, value_at
from archive.exchange.front_matter_patch import patch_front_matter
from archive.exchange.sheets import SheetError, columns_for, read_rows, records_of
from archive.models import Person, Record, Story
from archive.store import ContentStore, StaleEditError, is_valid_slug
from archive.validate import Problem

FIELDS = {"stories": STORY_FIELDS, "people": PERSON_FIELDS}  # whose required fields a row must have


@dataclass
class RowEdit:
    """What one row changes: the fields of an existing record, or a new record."""

    row: int
    slug: str
    meta: dict[str, Any]
    fields: list[str]
    record: Record | None = None  # None: a new record


@dataclass
class SheetPlan:
    """The dry run of a sheet: edits, and the problems that stop all of them."""

    path: Path
    kind: str = "stories"
    edits: list[RowEdit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _set(meta: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Put `value` at `path` (None removes it, and an emptied mapping with it)."""
    parent = meta
    for key in path[:-1]:
        if not isinstance(parent.get(key), dict):
            if value is None:
                return
            parent[key] = {}
        parent = parent[key]
    if value is None:
        parent.pop(path[-1], None)
        if len(path) > 1 and not parent:
            meta.pop(path[0], None)
    else:
        parent[path[-1]] = value


def _kind(header: list[str]) -> str | None:
    return "stories" if "title" in header else "people" if "name" in header else None


def _header(plan: SheetPlan, header: list[str], columns: dict[str, Column]) -> bool:
    if "slug" not in header:
        plan.problems.append(Problem(plan.path, 1, "第一行须为列名，且必须有 slug 列（编号，即文件名）"))
    unknown = [name for name in header if name and name not in columns]
    if unknown:
        plan.problems.append(Problem(plan.path, 1, f"未知的列：{'、'.join(unknown)}"))
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        plan.problems.append(Problem(plan.path, 1, f"列名重复：{'、'.join(repeated)}"))
    return not plan.problems


def _row_edit(plan: SheetPlan, row: int, cells: dict[str, str], columns: dict[str, Column],
              record: Record | None, people: set[str]) -> RowEdit | None:
    meta = copy.deepcopy(record.meta) if record is not None else {}
    changed, before = [], len(plan.problems)
    for name, text in cells.items():
        column = columns[name]
        if name == "slug" or (record is not None and text.strip() == cell_text(value_at(meta, column.path))):
            continue
        value, problem = parse_cell(column, text)
        if problem is None and name == "people":
            missing = [slug for slug in value or [] if slug not in people]
            problem = f"引用的人物未定义：{'、'.join(f'people/{s}.md' for s in missing)} 不存在" if missing else None
        if problem:
            plan.problems.append(Problem(plan.path, row, f"{name}：{problem}"))
        elif value != value_at(meta, column.path) and (record is not None or value is not None):
            _set(meta, column.path, value)  # a cell typed differently but meaning the same value is no edit
            changed.append(name)
    for key, message in missing_problems(FIELDS[plan.kind], meta).items():
        plan.problems.append(Problem(plan.path, row, f"{key}：{message}"))
    if len(plan.problems) > before or not changed:
        return None
    return RowEdit(row, cells["slug"].strip(), meta, changed, record)


def plan_sheet_import(store: ContentStore, path: Path) -> SheetPlan:
    """Read the sheet and say what each row would change; nothing is written."""
    plan = SheetPlan(path)
    try:
        rows = read_rows(path)
    except SheetError as error:
        plan.problems.append(Problem(error.path, error.line, error.message))
        return plan
    header = [name.strip() for name in rows[0]] if rows else []
    kind = _kind(header)
    if kind is None:
        plan.problems.append(Problem(path, 1, "第一行须为列名：故事表要有 slug、title 列，人物表要有 slug、name 列"))
        return plan
    plan.kind = kind
    records = {r.slug: r for r in records_of(store, kind)}
    columns = {c.name: c for c in columns_for(kind, list(records.values()))}
    if not _header(plan, header, columns):
        return plan
    people = {p.slug for p in store.list_people()}
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = {name: (raw[i] if i < len(raw) else "") for i, name in enumerate(header) if name}
        if not any(text.strip() for text in cells.values()):
            continue
        slug = cells["slug"].strip()
        if not is_valid_slug(slug):
            plan.problems.append(Problem(path, number, f"slug：{slug_problem()}（{slug!r}）" if slug else "slug：没有填写编号"))
            continue
        if slug in seen:
            plan.problems.append(Problem(path, number, f"slug：{slug} 在第 {seen[slug]} 行已出现过"))
            continue
        seen[slug] = number
        edit = _row_edit(plan, number, cells, columns, records.get(slug), people)
        if edit is not None:
            plan.edits.append(edit)
        elif slug in records:
            plan.unchanged += 1
    return plan


def _edited(record: Record, meta: dict[str, Any]) -> Record:
    """The record with new front matter, every untouched line of the file kept as it was."""
    head = patch_front_matter(record.head or "", record.meta, meta)
    return type(record).from_text(record.slug, head + record.body)


def apply_sheet_plan(plan: SheetPlan, editor, who: str) -> list[Problem]:
    """Write every edit through the Editor (history, audit, then the file); refused saves come back as problems."""
    if not plan.ok:
        raise ValueError("a sheet with problems is never applied")
    refused = []
    message = f"表格导入：{plan.path.name}"
    for edit in plan.edits:
        fields = "、".join(edit.fields)
        try:
            if edit.record is None and plan.kind == "stories":
                editor.create_story(edit.slug, edit.meta, "", who, f"{message}（新草稿）", "import", confirm_sensitive=True)
            elif edit.record is None:
                editor.create_person(edit.slug, edit.meta, "", who, f"{message}（新建）")
            elif isinstance(edit.record, Story):
                editor.save_story(_edited(edit.record, edit.meta), edit.record.version, who, f"{message}：{fields}", "import",
                                  confirm_sensitive=True)
            elif isinstance(edit.record, Person):
                editor.save_person(_edited(edit.record, edit.meta), edit.record.version, who, f"{message}：{fields}")
        except StaleEditError:
            refused.append(Problem(plan.path, edit.row, f"{edit.slug} 在读取表格后已被他人修改，这一行没有写入"))
        except ValueError as error:  # EditError: the slug is taken, the access value is refused …
            refused.append(Problem(plan.path, edit.row, f"{edit.slug}：{error}"))
    return refused
