"""The `--bag` branch of `archive export`, and `archive restore BAG NEWROOT`."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from archive.preservation.bag import BagExportError, export_bag
from archive.preservation.restore import RestoreError, restore_bag
from archive.preservation.selection import Selection, SelectionError

DEFAULT_NAME = "红色故事口述历史档案"


def _exporter(context, user: str | None, include_restricted: bool) -> str:
    """Who exports: with --include-restricted, an active administrator or archivist account."""
    if not include_restricted:
        return user or _login_name()
    if not user:
        raise click.UsageError("--include-restricted 须用 --user 指明一个管理员或档案员账号")
    account = context.accounts.by_name(user)
    if account is None or account.disabled or not account.is_archivist:
        raise click.UsageError(f"账号 {user} 不存在、已停用，或不是管理员/档案员，不能导出受限内容")
    return account.username


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def run_bag_export(context, out: Path, selection: Selection, user: str | None, name: str | None) -> None:
    """Export the bag and print what it holds; a clear message and exit 1 when it cannot be made."""
    exporter = _exporter(context, user, selection.include_restricted)
    try:
        result = export_bag(context, out, selection, exporter, name or DEFAULT_NAME)
    except (SelectionError, BagExportError) as error:
        click.echo(f"错误：{error}", err=True)
        sys.exit(1)
    context.audit.record(exporter, "export.bag", str(result.path), files=result.files,
                         restricted=selection.include_restricted)
    click.echo(f"已导出 BagIt 数据包：{result.path}（{result.stories} 篇故事、{result.people} 位人物、"
               f"{result.files} 个文件，{result.bytes / 1024 ** 2:.1f} MB），SHA-256 与 SHA-512 完整校验通过。")


@click.command("restore")
@click.argument("bag", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new_root", type=click.Path(path_type=Path))
def restore_command(bag: Path, new_root: Path) -> None:
    """从 BagIt 数据包恢复档案：先完整校验 BAG（每个文件的 SHA-256/SHA-512），
    校验失败则拒绝并列出出问题的文件；通过后解包到新目录 NEW_ROOT（须不存在或为空），
    写入固定性清单并立即做一次固定性检查。恢复后的目录可直接 archive check、
    archive fixity 和 archive serve。"""
    try:
        report = restore_bag(bag, new_root)
    except RestoreError as error:
        click.echo(f"错误：{error.message}", err=True)
        for name in error.files:
            click.echo(f"  {name}", err=True)
        sys.exit(1)
    if not report.ok:
        for kind, path in report.problems:
            click.echo(f"{kind} {path}", err=True)
        click.echo(f"恢复后的固定性检查未通过：{report.summary()}", err=True)
        sys.exit(1)
    click.echo(f"已恢复到 {new_root}：{report.summary()}")
