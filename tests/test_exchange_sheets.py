"""Spreadsheets (issue 12): `archive export --csv DIR` and `archive import --csv FILE [--dry-run]`
(.csv and .xlsx): lossless for every field of every sample record, byte-identical when nothing
was edited, one edited cell changes only that field, every bad cell reported and nothing written."""
from __future__ import annotations

import csv
import difflib
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from archive.access import can_read
from archive.cli import cli
from archive.exchange.columns import LEFT_OUT, parse_cell, value_at
from archive.exchange.sheets import columns_for, records_of
from archive.store import ContentStore
from tests.exchange_helpers import ARCHIVIST, fingerprint, sample_copy


@pytest.fixture
def sample(tmp_path):
    return sample_copy(tmp_path)


def _run(root, *args):
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.output


def _export_all(root, out):
    code, output = _run(root, "export", "--csv", str(out), "--include-restricted", "--user", ARCHIVIST)
    assert code == 0, output
    return out


def _csv_rows(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS open Chinese correctly
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", ["stories.csv", "people.csv", "stories.xlsx", "people.xlsx"])
def test_the_round_trip_without_edits_changes_no_byte(sample, tmp_path, name):
    out = _export_all(sample, tmp_path / "sheets")
    before = fingerprint(sample)
    code, output = _run(sample, "import", "--csv", str(out / name))
    assert code == 0, output
    assert "已写入 0 行修改" in output
    assert fingerprint(sample) == before


def test_every_field_of_every_sample_record_is_in_the_sheet_and_reads_back_equal(sample, tmp_path):
    out = _export_all(sample, tmp_path / "sheets")
    store = ContentStore(sample)
    for kind in ("stories", "people"):
        records = records_of(store, kind)
        columns = columns_for(kind, records)
        rows = _csv_rows(out / f"{kind}.csv")
        book_rows = [[c or "" for c in row] for row in load_workbook(out / f"{kind}.xlsx").active.iter_rows(values_only=True)]
        assert book_rows == rows
        header, by_slug = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        assert sorted(by_slug) == sorted(r.slug for r in records)
        for record in records:
            assert set(record.meta) - LEFT_OUT <= {c.path[0] for c in columns}, record.slug
            for column in columns[1:]:
                value = value_at(record.meta, column.path)
                if value in (None, [], "") or isinstance(value, dict):
                    continue  # an empty list is an empty cell (the file keeps it unless the cell is edited)
                parsed, problem = parse_cell(column, by_slug[record.slug][column.name])
                assert problem is None, (record.slug, column.name, problem)
                assert parsed == value or [parsed] == value, (record.slug, column.name, value, parsed)
        assert "service.units" in header if kind == "people" else "consent.signed" in header


def _changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_an_edit_of_one_cell_changes_only_that_field(sample, tmp_path):
    out = _export_all(sample, tmp_path / "sheets")
    book = load_workbook(out / "stories.xlsx")
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "li-chunsheng-du-jiang")
    row[header.index("tags")].value = "渡江战役；船工；木船"
    book.save(out / "stories.xlsx")
    path = sample / "stories/li-chunsheng-du-jiang.md"
    old, before = path.read_text(encoding="utf-8"), fingerprint(sample)
    code, output = _run(sample, "import", "--csv", str(out / "stories.xlsx"), "--who", "测试员")
    assert code == 0, output
    assert "li-chunsheng-du-jiang 修改：tags" in output
    assert _changed_lines(old, path.read_text(encoding="utf-8")) == [
        "-  - 突击队", "-  - 上海战役", "+  - 木船"]
    after = fingerprint(sample)
    assert {k for k in after if after[k] != before[k]} == {"stories/li-chunsheng-du-jiang.md"}
    audit = (sample / "instance/audit.jsonl").read_text(encoding="utf-8")
    assert "stories.import" in audit and "测试员" in audit


def test_a_new_row_becomes_a_draft_and_a_person_cell_edit_keeps_the_rest(sample, tmp_path):
    out = _export_all(sample, tmp_path / "sheets")
    rows = _csv_rows(out / "stories.csv")
    header = rows[0]
    new = dict.fromkeys(header, "")
    new.update(slug="xin-fang-tan", title="新的访谈", narrator="张三；李四", interviewed="2024-05", conflicts="抗美援朝战争")
    rows.append([new[name] for name in header])
    people = _csv_rows(out / "people.csv")
    people[1][people[0].index("service.rank")] = "副班长"
    for name, table in (("stories.csv", rows), ("people.csv", people)):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(table)
        (out / name).write_bytes(buffer.getvalue().encode("utf-8-sig"))
    assert _run(sample, "import", "--csv", str(out / "stories.csv"))[0] == 0
    created = (sample / "stories/xin-fang-tan.md").read_text(encoding="utf-8")
    assert "status: draft" in created and "- 张三" in created and "interviewed: 2024-05" in created
    person = sample / f"people/{people[1][0]}.md"
    old = person.read_text(encoding="utf-8")
    assert _run(sample, "import", "--csv", str(out / "people.csv"))[0] == 0
    changed = _changed_lines(old, person.read_text(encoding="utf-8"))
    assert len(changed) == 2 and changed[0].startswith("-  rank:") and changed[1] == "+  rank: 副班长"


def test_a_sheet_with_bad_cells_reports_each_and_writes_nothing(sample, tmp_path):
    out = _export_all(sample, tmp_path / "sheets")
    rows = _csv_rows(out / "stories.csv")
    header = rows[0]
    rows[1][header.index("interviewed")] = "2019-02-30"
    rows[2][header.index("people")] = "li-chunsheng；mei-you-zhe-ge-ren"
    rows[3][header.index("tags")] = "渡江；；船工"
    rows[4][header.index("summary")] = "这一格本身没错，但同一张表有错，所以也不写入"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (out / "stories.csv").write_bytes(buffer.getvalue().encode("utf-8-sig"))
    before = fingerprint(sample)
    for args in (("--dry-run",), ()):
        code, output = _run(sample, "import", "--csv", str(out / "stories.csv"), *args)
        assert code == 1
        lines = output.splitlines()
        assert any(line.startswith("stories.csv:2: interviewed：") and "2019-02-30" in line for line in lines)
        assert "stories.csv:3: people：引用的人物未定义：people/mei-you-zhe-ge-ren.md 不存在" in lines
        assert any(line.startswith("stories.csv:4: tags：列表中有空项") for line in lines)
        assert "没有写入任何内容" in output
    assert fingerprint(sample) == before


def test_a_file_that_is_not_a_sheet_gets_a_clear_message(sample, tmp_path):
    bad = tmp_path / "stories.xlsx"
    bad.write_bytes(b"not a workbook")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("slug,title\nx,老兵\n".encode("gbk"))
    for path, message in ((bad, "无法作为 .xlsx 读取"), (gbk, "CSV 不是 UTF-8 编码")):
        code, output = _run(sample, "import", "--csv", str(path))
        assert code == 1 and f"{path.name}:1: {message}" in output and "Traceback" not in output


def test_without_include_restricted_the_sheet_holds_only_public_records(sample, tmp_path):
    code, _ = _run(sample, "export", "--csv", str(tmp_path / "public"))
    assert code == 0
    public = {row[0] for row in _csv_rows(tmp_path / "public/stories.csv")[1:]}
    store = ContentStore(sample)
    hidden = {r.slug for r in records_of(store, "stories") if not can_read(r.meta, None)}
    assert hidden and public == {r.slug for r in records_of(store, "stories")} - hidden
    code, output = _run(sample, "export", "--csv", str(tmp_path / "all"), "--include-restricted")
    assert code == 2 and "--user" in output and not (tmp_path / "all").exists()


def test_a_cell_that_looks_like_a_formula_stays_text_both_ways(sample, tmp_path):
    path = sample / "stories/li-chunsheng-du-jiang.md"
    path.write_text(path.read_text(encoding="utf-8").replace("place: 东升街道", "place: =东升街道+1"), encoding="utf-8")
    out = _export_all(sample, tmp_path / "sheets")
    assert "'=东升街道+1" in (out / "stories.csv").read_bytes().decode("utf-8-sig")
    cell = next(c for row in load_workbook(out / "stories.xlsx").active.iter_rows() for c in row if c.value == "=东升街道+1")
    assert cell.data_type == "s"  # text, not a formula
    before = fingerprint(sample)
    for name in ("stories.csv", "stories.xlsx"):
        assert _run(sample, "import", "--csv", str(out / name))[0] == 0
    assert fingerprint(sample) == before
