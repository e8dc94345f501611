"""Spreadsheets: `stories.csv` / `people.csv` (UTF-8 with BOM, for Excel and WPS) and the same
as `.xlsx`, one row per record and one column per field (archive.exchange.columns)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from archive.exchange.columns import PERSON_COLUMNS, STORY_COLUMNS, Column, cell_text, extra_columns, value_at
from archive.models import Record
from archive.store import ContentStore

SHEETS = {"stories": STORY_COLUMNS, "people": PERSON_COLUMNS}
FORMULA_START = ("=", "+", "@")
MAX_WIDTH = 40  # characters; longer cells (summaries) wrap in the spreadsheet program's cell view


def _width(text: str) -> int:
    """Display width: a Chinese character is about two Latin ones wide."""
    return sum(2 if ord(c) > 0x2e80 else 1 for c in text)


class SheetError(ValueError):
    """A sheet that cannot be read at all (not UTF-8, not a spreadsheet, no header)."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


def columns_for(kind: str, records: list[Record]) -> tuple[Column, ...]:
    """The declared columns of `kind` plus one for each extra key the records have."""
    declared = SHEETS[kind]
    return declared + extra_columns(records, declared)


def records_of(store: ContentStore, kind: str) -> list[Record]:
    """Every story or person file, in slug order."""
    records = store.list_stories() if kind == "stories" else store.list_people()
    return sorted(records, key=lambda r: r.slug)


def readable_records(catalog, role: str | None) -> dict[str, list[Record]]:
    """The stories and people a reader with `role` may read (archive.catalog's shelf), by kind."""
    shelf = catalog.shelf(role)
    return {"stories": list(shelf.stories), "people": list(shelf.people.values())}


def rows_of(records: list[Record], columns: tuple[Column, ...]) -> list[list[str]]:
    """The header row, then one row of cell texts per record."""
    rows = [[c.name for c in columns]]
    for record in records:
        rows.append([record.slug if c.name == "slug" else cell_text(value_at(record.meta, c.path)) for c in columns])
    return rows


def guarded(text: str) -> str:
    """A cell Excel would run as a formula ('=…', '+…', '@…') with a leading apostrophe, which Excel
    shows as text and drops when it saves; the import takes it off again."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def unguarded(text: str) -> str:
    """The cell without the apostrophe `guarded` put in front of it."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_START else text


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """UTF-8 with BOM and CRLF line ends, as Excel writes and reads it; no cell is a formula."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([[guarded(cell) for cell in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(path: Path, rows: list[list[str]], title: str) -> None:
    """One sheet, every cell stored as text (so 1924 stays 1924 and 2019-04 is not a date)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.number_format = "@"
            cell.data_type = "s"  # openpyxl would store '=…' as a formula
    for index, column in enumerate(zip(*rows, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(map(_width, column)) + 2)
    sheet.freeze_panes = "B2"
    book.save(path)


def export_sheets(chosen: dict[str, list[Record]], folder: Path) -> list[Path]:
    """Write stories.csv, people.csv, stories.xlsx and people.xlsx of the chosen records into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, title in (("stories", "故事"), ("people", "人物")):
        records = sorted(chosen[kind], key=lambda r: r.slug)
        rows = rows_of(records, columns_for(kind, records))
        write_csv(folder / f"{kind}.csv", rows)
        write_xlsx(folder / f"{kind}.xlsx", rows, title)
        written += [folder / f"{kind}.csv", folder / f"{kind}.xlsx"]
    return written


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(path: Path) -> list[list[str]]:
    """The rows of a .csv (UTF-8, with or without BOM) or .xlsx file, as texts."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, IndexError) as error:
            raise SheetError(path, 1, f"无法作为 .xlsx 读取：{error}") from None
        return [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(path, 1, "CSV 不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”") from None
    try:
        return [[unguarded(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise SheetError(path, 1, f"CSV 格式有误：{error}") from None
