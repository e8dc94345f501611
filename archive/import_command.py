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
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="FOLDER | FILE…")
@click.option("--csv", "csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="导入 archive export --csv 写出的表格（.csv 或 .xlsx）：更新已有故事、人物的元数据，新行建为草稿；"
                   "任何一格有误就一行也不写。")
@click.option("--ohms", is_flag=True, help="参数是 OHMS XML 文件（旧式 sync 文字稿或 vtt_transcript），各导入为一篇草稿。")
@click.option("--dry-run", is_flag=True, help="只检查并逐个文件报告，不写入任何内容。")
@click.option("--who", default=None, help="记入修改历史与审计日志的操作人（默认当前系统用户）。")
@click.pass_obj
def import_command(context: ArchiveContext, paths: tuple[Path, ...], csv_file: Path | None, ohms: bool,
                   dry_run: bool, who: str | None) -> None:
    """导入：archive import FOLDER 把文件夹中的 .md、.txt、.docx 文字稿（可附一个 CSV 元数据表）导入为草稿；
    archive import --csv FILE [--dry-run] 导入元数据表格；archive import --ohms FILE… 导入 OHMS 文件。"""
    from archive.exchange.commands import run_csv_import, run_ohms_import

    who = who or f"cli:{getpass.getuser()}"
    if csv_file is not None:
        if paths or ohms:
            raise click.UsageError("--csv FILE 不能与文件夹或 --ohms 同用")
        run_csv_import(context, csv_file, dry_run, who)
    elif ohms:
        if not paths:
            raise click.UsageError("请给出要导入的 OHMS XML 文件：archive import --ohms FILE…")
        run_ohms_import(context, list(paths), dry_run, who)
    elif len(paths) != 1 or not paths[0].is_dir():
        raise click.UsageError("请给出一个文字稿文件夹（或用 --csv FILE、--ohms FILE…）")
    else:
        import_folder(context, paths[0], dry_run, who)


def import_folder(context: ArchiveContext, folder: Path, dry_run: bool, who: str) -> None:
    """The transcripts of `folder` (and its CSV of metadata) as drafts; each problem as path:line: message."""
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
    with click.progressbar(items, label="导入中", show_pos=True, file=sys.stderr) as bar:
        saved = run_import(bar, context.editor, who)
    for item in good:
        for problem in item.problems:  # refused while saving (e.g. the slug was taken meanwhile)
            click.echo(f"{_shown(problem.path, base)}:{problem.line}: {problem.message}")
    bad = len(items) - len(saved)
    click.echo(f"已导入 {len(saved)} 篇草稿，跳过 {bad} 个有问题的文件。")
    sys.exit(1 if bad or csv_problems else 0)
