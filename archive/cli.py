"""The `archive` command: a thin wrapper over the library.  Each command's docstring
is its --help.  Errors a user can cause print a clear message and exit non-zero;
they never print a traceback."""
from __future__ import annotations

import socket
import sys
from pathlib import Path

import click

from archive.accounts.commands import user_group
from archive.config import setting
from archive.context import ArchiveContext, ArchivePaths
from archive.export_command import export_command
from archive.import_command import import_command
from archive.lectures.lecture_command import lecture_group
from archive.preservation.bag_command import restore_command
from archive.preservation.fixity_command import fixity_command
from archive.preservation.purge_command import purge_command
from archive.search.commands import index_command, search_command


class ArchiveGroup(click.Group):
    """A group that turns any unexpected error into a one-line message, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            sys.exit(130)
        except OSError as error:
            click.echo(f"错误：{error.filename or ''} {error.strerror or error}", err=True)
            sys.exit(2)


pass_context = click.make_pass_decorator(ArchiveContext)


@click.group(cls=ArchiveGroup)
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), envvar="ARCHIVE_ROOT",
              default=".", show_default=True, help="档案根目录（含 stories/、people/、media/）。")
@click.option("--index-dir", type=click.Path(file_okay=False, path_type=Path), envvar="ARCHIVE_INDEX_DIR",
              help="搜索索引目录（默认 ROOT/search_index）。")
@click.pass_context
def cli(ctx: click.Context, root: Path, index_dir: Path | None) -> None:
    """红色故事口述历史档案：检查、索引、搜索与发布老兵访谈。"""
    if not root.is_dir():
        raise click.UsageError(f"档案根目录不存在：{root}")
    context = ArchiveContext(ArchivePaths.for_root(  # the same settings create_app reads
        root, index_dir=index_dir, cache_dir=setting("CACHE_DIR"), instance_dir=setting("INSTANCE_DIR")))
    context.store.sweep()
    ctx.obj = context


@cli.command()
@pass_context
def check(context: ArchiveContext) -> None:
    """检查所有故事与人物文件，每个问题打印为 路径:行号: 说明。"""
    from archive.validate import check_archive

    problems, counts = check_archive(context.store)
    root = context.paths.root
    for problem in problems:
        try:
            shown = problem.path.relative_to(root)
        except ValueError:
            shown = problem.path
        click.echo(f"{shown}:{problem.line}: {problem.message}")
    checked = f"{counts['stories']} 篇故事、{counts['people']} 位人物"
    if counts["collections"]:
        checked += f"、{counts['collections']} 个专题"
    if counts["lectures"]:
        checked += f"、{counts['lectures']} 份讲稿"
    if problems:
        files = len({p.path for p in problems})
        click.echo(f"发现 {len(problems)} 个问题，涉及 {files} 个文件（共检查 {checked}）。", err=True)
        sys.exit(1)
    click.echo(f"检查通过：{checked}，没有发现问题。")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="端口。")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="工作线程数。")
@click.option("--read-only", is_flag=True,
              help="只读模式：可以浏览、检索和登录，不写入任何文件，保存与上传会被拒绝。"
                   "档案目录或实例目录不可写时自动进入此模式。")
@pass_context
def serve(context: ArchiveContext, host: str, port: int, threads: int, read_only: bool) -> None:
    """用 waitress 生产级 WSGI 服务器发布档案网站。"""
    import waitress

    from archive import create_app
    from archive.recording_uploads import MAX_RECORDING_BYTES

    paths = context.paths
    settings = {"ARCHIVE_ROOT": str(paths.root), "INDEX_DIR": str(paths.index_dir), "READ_ONLY": read_only}
    if not setting("BASE_URL"):  # links need the address readers use; guess it from the listener
        name = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host
        settings["BASE_URL"] = f"http://{f'[{name}]' if ':' in name else name}:{port}"
    try:
        app = create_app(settings)
    except ValueError as error:  # a setting that cannot be used, e.g. ARCHIVE_PROXY_HOPS=abc
        raise click.UsageError(str(error)) from error
    click.echo(f"红色故事档案已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
    notice = app.extensions["archive"].notice()
    if notice:
        click.echo(notice)
    # recordings stream through (archive.recording_uploads); waitress's own 1 GB cap would refuse a long interview
    waitress.serve(app, host=host, port=port, threads=threads, ident="archive",
                   max_request_body_size=app.config.get("RECORDING_MAX_BYTES", MAX_RECORDING_BYTES) + 2**20)


cli.add_command(user_group)  # command bodies live beside their service
cli.add_command(import_command)
cli.add_command(index_command)
cli.add_command(search_command)
cli.add_command(lecture_group)
cli.add_command(fixity_command)
cli.add_command(export_command)
cli.add_command(restore_command)
cli.add_command(purge_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="archive")
