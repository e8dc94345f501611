"""One way to export a talk, for the web and the command line alike.

`export_plan` turns a reviewed plan into the bytes of a .docx, .pptx, .ics or
.pdf file with its download name (the talk's title) and media type.  The PDF is
the Word script converted by LibreOffice headless, so it prints exactly what
Word and WPS show.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive.lectures.docx_export import plan_docx
from archive.lectures.ics_export import has_calendar_date, plans_ics
from archive.lectures.pptx_export import plan_pptx
from archive.lectures.review import ReviewedPlan

FORMATS = ("docx", "pptx", "ics", "pdf")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ics": "text/calendar",
    "pdf": "application/pdf",
}
CONVERT_SECONDS = 120
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class ExportError(RuntimeError):
    """An export that cannot be made, with a Chinese message."""


@dataclass(frozen=True)
class Export:
    """An exported file: its bytes, download name and media type."""

    data: bytes
    filename: str
    media_type: str


def download_name(title: str, suffix: str) -> str:
    """'长津湖的冬天' -> '长津湖的冬天.docx': the talk's title, without characters file systems refuse."""
    stem = _UNSAFE_NAME.sub("_", title).strip(" ._") or "讲稿"
    return f"{stem[:80]}.{suffix}"


def office_binary() -> str | None:
    """The LibreOffice executable (soffice or libreoffice), or None if it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(data: bytes, suffix: str) -> bytes:
    """Convert .docx/.pptx bytes to PDF with LibreOffice headless (its own throwaway profile)."""
    binary = office_binary()
    if binary is None:
        raise ExportError("导出 PDF 需要 LibreOffice（Debian 包 libreoffice-writer），本机未安装。")
    with tempfile.TemporaryDirectory(prefix="lecture-pdf-") as folder:
        source = Path(folder) / f"talk.{suffix}"
        source.write_bytes(data)
        command = [binary, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                   "--convert-to", "pdf", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise ExportError("LibreOffice 转换 PDF 超时。") from None
        target = source.with_suffix(".pdf")
        if not target.exists():
            raise ExportError("LibreOffice 未能把讲稿转换为 PDF。")
        return target.read_bytes()


def export_plan(reviewed: ReviewedPlan, fmt: str, media_path: Callable[[str], Path | None]) -> Export:
    """The plan in one format (docx, pptx, ics, pdf), named after the talk."""
    plan = reviewed.plan
    if fmt == "docx":
        data = plan_docx(reviewed, media_path)
    elif fmt == "pptx":
        data = plan_pptx(reviewed, media_path)
    elif fmt == "pdf":
        data = convert_to_pdf(plan_docx(reviewed, media_path), "docx")
    elif fmt == "ics":
        if not has_calendar_date(plan):
            raise ExportError("只有已安排日期的讲稿才能导出到日历。")
        data = plans_ics([plan])
    else:
        raise ExportError(f"不支持的格式：{fmt}（可用 {' / '.join(FORMATS)}）")
    return Export(data, download_name(plan.display_title, fmt), MEDIA_TYPES[fmt])
