"""Bulk import: a folder of transcripts (.md, .txt, .docx) and an optional CSV of
metadata become draft stories.

`plan_import(folder, store)` is the dry run: it reads every file and says, per
file, what would be imported or what is wrong (`path:line: message`).
`run_import(plan, editor, who)` saves the good ones as drafts through the
editing service (history, audit log and index like any other save).
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.access import policy_problems
from archive.content_model import STORY_FIELDS, meta_problems, missing_problems, slug_problem, slug_taken
from archive.editing import EditError
from archive.sensitive import find_sensitive
from archive.slugs import slug_from_title
from archive.store import ContentStore, is_valid_slug
from archive.story_form import split_terms
from archive.transcripts import SUFFIXES, TranscriptError, read_transcript
from archive.validate import POLICY_KEYS, Problem

LIST_COLUMNS = ("narrator", "interviewer", "conflicts", "honors", "tags", "audience", "people", "content_notes")
TEXT_COLUMNS = ("title", "interviewed", "place", "summary", "access", "embargo_until")
KNOWN_COLUMNS = {"file", "slug", *LIST_COLUMNS, *TEXT_COLUMNS}


@dataclass
class ImportItem:
    """One transcript file and what it would become."""

    path: Path
    slug: str
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _csv_rows(path: Path, problems: list[Problem]) -> dict[str, tuple[int, dict[str, str]]]:
    """file name -> (line, row) from the metadata CSV (UTF-8, with or without BOM)."""
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, "CSV 不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”"))
        return rows
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "file" not in reader.fieldnames:
        problems.append(Problem(path, 1, "CSV 第一行须为列名，且必须有 file 列（文字稿文件名）"))
        return rows
    unknown = [name for name in reader.fieldnames if name and name not in KNOWN_COLUMNS]
    if unknown:
        problems.append(Problem(path, 1, f"未知的列：{'、'.join(unknown)}（可用：{'、'.join(sorted(KNOWN_COLUMNS))}）"))
    for row in reader:
        line = reader.line_num
        name = (row.get("file") or "").strip()
        if not name:
            problems.append(Problem(path, line, "这一行没有填写 file"))
        elif name in rows:
            problems.append(Problem(path, line, f"{name} 在第 {rows[name][0]} 行已出现过"))
        else:
            rows[name] = (line, {k: (v or "").strip() for k, v in row.items() if k})
    return rows


def _apply_row(meta: dict[str, Any], row: dict[str, str]) -> None:
    for key in TEXT_COLUMNS:
        if row.get(key):
            meta[key] = row[key]
    for key in LIST_COLUMNS:
        terms = split_terms(row.get(key, ""))
        if terms:
            meta[key] = terms[0] if key in ("narrator", "interviewer") and len(terms) == 1 else terms


def _slug_from(name: str) -> str:
    """The slug of a file without one in the CSV: its name in pinyin and ASCII words, shortened
    (李大娘讲支前.md -> li-da-niang-jiang-zhi-qian), as the story form makes one from a title."""
    return slug_from_title(name)


def _check(item: ImportItem, store: ContentStore, people: set[str], where: tuple[Path, int]) -> None:
    meta, (source, line) = item.meta, where
    for key, message in missing_problems(STORY_FIELDS, meta).items():
        item.problems.append(Problem(source, line, f"{message}：可在 CSV 的 {key} 列填写"))
    checked = {key for key in meta if key not in POLICY_KEYS + ("takedown",)}  # policy: below; a draft drops takedown
    typed = meta_problems(STORY_FIELDS, meta, checked)  # what Editor.create_story would refuse
    for message in typed.values():
        item.problems.append(Problem(source, line, message))
    for _key, message in policy_problems(meta):
        item.problems.append(Problem(source, line, message))
    for slug in split_terms("、".join(str(p) for p in meta.get("people") or [])):
        if slug not in people:
            item.problems.append(Problem(source, line, f"引用的人物未定义：people/{slug}.md 不存在"))
    if not is_valid_slug(item.slug):
        item.problems.append(Problem(source, line, f"{slug_problem()}（{item.slug!r}）：请在 CSV 的 slug 列指定"))
    elif store.story_path(item.slug).exists():
        item.problems.append(Problem(source, line, f"{slug_taken(item.slug)}（在 CSV 的 slug 列填写）"))
    if not item.body.strip():
        item.problems.append(Problem(item.path, 1, "文字稿是空的"))
    for finding in find_sensitive(item.body):
        item.warnings.append(Problem(item.path, finding.line, f"提示：疑似{finding.label} {finding.masked}"))


def transcript_files(folder: Path) -> list[Path]:
    """The .md, .txt and .docx files in `folder` (and below), in name order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith((".", "~$")))


def plan_import(folder: Path, store: ContentStore) -> tuple[list[ImportItem], list[Problem]]:
    """(one item per transcript file, problems of the CSV itself); nothing is written."""
    csv_problems: list[Problem] = []
    csv_files = sorted(folder.glob("*.csv"))
    if len(csv_files) > 1:
        csv_problems.append(Problem(csv_files[1], 1, "文件夹中只能有一个 CSV 元数据文件"))
    rows = _csv_rows(csv_files[0], csv_problems) if csv_files else {}
    people = {p.stem for p in store.people_dir.glob("*.md")} if store.people_dir.is_dir() else set()
    items: list[ImportItem] = []
    for path in transcript_files(folder):
        line, row = rows.pop(path.name, (1, {}))
        where = (csv_files[0], line) if row else (path, 1)
        item = ImportItem(path, row.get("slug") or _slug_from(path.stem))
        try:
            item.meta, item.body = read_transcript(path.name, path.read_bytes())
        except TranscriptError as error:
            item.problems.append(Problem(path, error.line, error.message))
            items.append(item)
            continue
        item.meta.setdefault("title", path.stem)
        _apply_row(item.meta, row)
        _check(item, store, people, where)
        items.append(item)
    seen: dict[str, ImportItem] = {}
    for item in items:
        if item.slug in seen:
            item.problems.append(Problem(item.path, 1, f"编号 {item.slug} 与 {seen[item.slug].path.name} 重复"))
        seen.setdefault(item.slug, item)
    for name, (line, _row) in rows.items():
        csv_problems.append(Problem(csv_files[0], line, f"CSV 中的 {name} 在文件夹里找不到"))
    return items, csv_problems


def run_import(items: Iterable[ImportItem], editor, who: str,
               progress: Callable[[ImportItem], None] = lambda item: None) -> list[str]:
    """Save every good item as a draft; return the new slugs.  An item the editor refuses (its
    slug was taken after the check: a new file is based on "no file yet") gets that problem and
    the run goes on."""
    saved = []
    for item in items:
        if item.ok:
            try:
                story = editor.create_story(item.slug, item.meta, item.body, who, f"批量导入：{item.path.name}",
                                            "import", confirm_sensitive=True)  # warned in the listing (_check)
            except EditError as error:
                item.problems.append(Problem(item.path, 1, f"未导入：{error}"))
            else:
                saved.append(story.slug)
        progress(item)
    return saved
