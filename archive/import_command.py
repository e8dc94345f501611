"""`archive import FOLDER [--dry-run]`: the command-line face of archive.importer."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from archive.context import ArchiveContext


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


@click.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只检查并逐个文件报告，不写入任何内容。")
@click.option("--who", default=None, help="记入修改历史与审计日志的操作人（默认当前系统用户）。")
@click.pass_obj
def import_command(context: ArchiveContext, folder: Path, dry_run: bool, who: str | None) -> None:
    """把文件夹中的 .md、.txt、.docx 文字稿（可附一个 CSV 元数据表）导入为草稿。"""
    from archive.importer import plan_import, run_import

    items, csv_problems = plan_import(folder, context.store)
    base = folder.parent
    for problem in csv_problems:
        click.echo(f"{_shown(problem.path, base)}:{problem.line}: {problem.message}")
    for item in items:
        for problem in item.problems + item.warnings:
            click.echo(f"{_shown(problem.path, base)}:{problem.line}: {problem.message}")
        if item.ok:
            narrator = item.meta.get("narrator")
            narrator = "、".join(narrator) if isinstance(narrator, list) else narrator
            click.echo(f"{_shown(item.path, base)}: 可导入 → stories/{item.slug}.md（《{item.meta['title']}》，"
                       f"讲述人 {narrator}，{len(item.body)} 字）")
    good = [item for item in items if item.ok]
    bad = len(items) - len(good)
    if not items:
        click.echo(f"{folder} 中没有 .md、.txt 或 .docx 文字稿。", err=True)
        sys.exit(1)
    if dry_run:
        click.echo(f"试运行：{len(good)} 个文件可导入，{bad} 个有问题；没有写入任何内容。")
        sys.exit(1 if bad or csv_problems else 0)
    who = who or f"cli:{getpass.getuser()}"
    with click.progressbar(items, label="导入中", show_pos=True, file=sys.stderr) as bar:
        saved = run_import(bar, context.editor, who)
    for item in good:
        for problem in item.problems:  # refused while saving (e.g. the slug was taken meanwhile)
            click.echo(f"{_shown(problem.path, base)}:{problem.line}: {problem.message}")
    bad = len(items) - len(saved)
    click.echo(f"已导入 {len(saved)} 篇草稿，跳过 {bad} 个有问题的文件。")
    sys.exit(1 if bad or csv_problems else 0)
