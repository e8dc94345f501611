"""The exchange branches of `archive export` and `archive import`: thin functions the click
commands in archive/export_command.py and archive/import_command.py call."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.access import can_read
from archive.exchange.sheet_import import apply_sheet_plan, plan_sheet_import
from archive.exchange.sheets import export_sheets, readable_records


def site_url() -> str:
    """The site's address for links in exported files (ARCHIVE_BASE_URL, as `archive serve` uses it)."""
    from archive.config import DEFAULT_BASE_URL, checked_base_url, setting

    try:
        return checked_base_url(setting("BASE_URL") or DEFAULT_BASE_URL)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def run_csv_export(context, folder: Path, role: str | None, who: str) -> None:
    """Write the four sheets of what `role` may read and say where they are."""
    written = export_sheets(readable_records(context.catalog, role), folder)
    context.editor.audit.record(who, "export.csv", str(folder), message="含受限内容" if role else None)
    for path in written:
        click.echo(str(path))


def run_ohms_export(context, slug: str, role: str | None) -> None:
    """Print the story's OHMS XML on stdout; a story the role may not read is refused like a missing one."""
    from archive.exchange.ohms_export import ohms_xml

    story = context.store.get_story(slug)
    if story is None or not can_read(story.meta, role):
        raise click.UsageError(f"没有这篇故事，或它不公开（受限内容须 --include-restricted --user 档案员）：{slug}")
    recording = next((m for m in story.media if m.kind in ("audio", "video") and
                      (role or can_read(m.rules, role))), None)
    base = site_url()
    found = (recording.file, f"{base}/media/recording/{recording.file}", recording.kind) if recording else None
    sys.stdout.buffer.write(ohms_xml(story, f"{base}/stories/{slug}", found))


def run_csv_import(context, path: Path, dry_run: bool, who: str) -> None:
    """Report every bad cell as path:row: message; write the edits only when there are none."""
    plan = plan_sheet_import(context.store, path)
    base = path.parent
    for problem in plan.problems:
        click.echo(f"{_shown(problem.path, base)}:{problem.line}: {problem.message}")
    for edit in plan.edits:
        what = "新建草稿" if edit.record is None and plan.kind == "stories" else "新建" if edit.record is None else "修改"
        click.echo(f"{_shown(path, base)}:{edit.row}: {edit.slug} {what}：{'、'.join(edit.fields)}")
    if not plan.ok:
        click.echo(f"发现 {len(plan.problems)} 个问题；没有写入任何内容。", err=True)
        sys.exit(1)
    if dry_run:
        click.echo(f"试运行：{len(plan.edits)} 行有修改，{plan.unchanged} 行没有变化；没有写入任何内容。")
        return
    refused = apply_sheet_plan(plan, context.editor, who)
    for problem in refused:
        click.echo(f"{_shown(problem.path, base)}:{problem.line}: {problem.message}")
    click.echo(f"已写入 {len(plan.edits) - len(refused)} 行修改，{plan.unchanged} 行没有变化。")
    sys.exit(1 if refused else 0)


def run_ohms_import(context, paths: list[Path], dry_run: bool, who: str) -> None:
    """Import each OHMS file as a draft; a file that cannot be read is reported and skipped."""
    from archive.exchange.ohms_import import import_ohms_files

    saved, problems = import_ohms_files(paths, None if dry_run else context.editor, who)
    for line in problems:
        click.echo(line)
    for slug in saved:
        click.echo(f"{'可导入' if dry_run else '已导入草稿'}：stories/{slug}.md")
    done = "试运行：可导入" if dry_run else "已导入"
    click.echo(f"{done} {len(saved)} 个 OHMS 文件，{len(problems)} 个无法读取{'；没有写入任何内容' if dry_run else ''}。")
    sys.exit(1 if problems else 0)


def run_exchange_export(context, csv_dir: Path | None, ohms_slug: str | None, include_restricted: bool,
                        user: str | None) -> None:
    """--csv or --ohms: public content only, unless an archivist or admin account asks for everything."""
    from archive.preservation.bag_command import _exporter  # the one check of who may export restricted content

    who = _exporter(context, user, include_restricted)
    role = "archivist" if include_restricted else None
    if csv_dir is not None:
        run_csv_export(context, csv_dir, role, who)
    else:
        run_ohms_export(context, str(ohms_slug), role)
