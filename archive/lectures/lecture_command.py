"""`archive lecture …`: lecture plans from the command line (a thin wrapper over archive.lectures)."""
from __future__ import annotations

from pathlib import Path

import click

from archive.context import ArchiveContext
from archive.lectures.deliveries import told_index
from archive.lectures.exports import FORMATS, ExportError, export_plan
from archive.lectures.review import review_plan
from archive.lectures.spans import covered_segments
from archive.safe_write import atomic_write_bytes

ROLES = ("lecturer", "archivist", "admin")


@click.group("lecture")
def lecture_group() -> None:
    """宣讲讲稿：导出 Word、幻灯片、日历或 PDF。"""


@lecture_group.command("export")
@click.argument("plan_id")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="导出格式。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="写入的文件。")
@click.option("--role", type=click.Choice(ROLES), default="lecturer", show_default=True,
              help="以哪种身份导出（决定可见内容；无权查看的内容不导出并列为警告）。")
@click.pass_obj
def export_command(context: ArchiveContext, plan_id: str, fmt: str, out: Path, role: str) -> None:
    """把讲稿 PLAN_ID（lectures/PLAN_ID.md）导出为 docx、pptx、ics 或 pdf 文件。"""
    lectures = context.lectures
    plan = lectures.get(plan_id)
    if plan is None:
        raise click.UsageError(f"{lectures.path(plan_id)}: 找不到这份讲稿，或文件无法读取")
    told = told_index(lectures.list_plans(), covered=covered_segments(context.store))
    reviewed = review_plan(plan, context.store, role, told)
    try:
        exported = export_plan(reviewed, fmt, context.store.media_path)
    except ExportError as error:
        click.echo(f"{lectures.path(plan_id)}:1: {error}", err=True)
        raise SystemExit(1) from None
    atomic_write_bytes(out, exported.data)
    for warning in reviewed.warnings:
        click.echo(f"{lectures.path(plan_id)}: 警告：{warning}", err=True)
    click.echo(f"已导出 {out}（{len(exported.data)} 字节）")
