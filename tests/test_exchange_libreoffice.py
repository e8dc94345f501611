"""The exported workbook opens in a real spreadsheet program (issue 12): LibreOffice Calc reads
stories.xlsx and people.xlsx back to exactly the cells of stories.csv and people.csv."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess

from click.testing import CliRunner

from archive.cli import cli
from tests.exchange_helpers import ARCHIVIST, sample_copy

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false"


def _cells(data: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [row for row in rows if any(row)]


def test_libreoffice_reads_the_workbooks_as_the_csv(tmp_path):
    assert shutil.which("soffice"), "LibreOffice (Debian libreoffice-calc) is installed by make system-deps"
    root = sample_copy(tmp_path)
    out = tmp_path / "sheets"
    result = CliRunner().invoke(cli, ["--root", str(root), "export", "--csv", str(out), "--include-restricted",
                                      "--user", ARCHIVIST], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    converted = tmp_path / "converted"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", CSV_FILTER,
                    "--outdir", str(converted), str(out / "stories.xlsx"), str(out / "people.xlsx")],
                   check=True, capture_output=True, timeout=120)
    for kind in ("stories", "people"):
        assert _cells((converted / f"{kind}.csv").read_bytes()) == _cells((out / f"{kind}.csv").read_bytes()), kind
