"""`archive purge`: honour a withdrawn consent from the command line."""
from __future__ import annotations

import getpass
import subprocess
import sys

import click

from archive.preservation.git_history import rewrite_git_history
from archive.preservation.purge import PurgeError, describe, plan_purge, purge, purged_paths
from archive.safe_write import StorageError


@click.command("purge")
@click.option("--story", "story", metavar="SLUG", help="清除这篇故事。")
@click.option("--person", "person", metavar="SLUG", help="清除这位人物及讲述其经历的全部故事。")
@click.option("--reason", default="", help="清除原因（写入审计日志，不要写个人信息），必填。")
@click.option("--by", "who", default=None, help="操作人（默认：当前系统用户名）。")
@click.option("--yes", is_flag=True, help="不再询问，直接清除。")
@click.option("--rewrite-git-history", is_flag=True,
              help="单独的一步：把历次清除的文件从本仓库的全部 git 历史中抹去（已有的克隆不受影响）。")
@click.pass_obj
def purge_command(context, story: str | None, person: str | None, reason: str, who: str | None, yes: bool,
                  rewrite_git_history: bool) -> None:
    """讲述人或家属撤回授权时，永久清除一篇故事（--story）或一位人物（--person）：文件、修改历史、
    照片及缩略图、搜索索引、专题和讲稿中的引用一并清除，审计日志留下不含个人信息的记录。
    已导出的数据包和别处的 git 克隆无法触及；本仓库 git 历史的改写是单独的一步
    （--rewrite-git-history）。"""
    if rewrite_git_history:
        _rewrite(context, story or person)
        return
    if bool(story) == bool(person):
        raise click.UsageError("请用 --story SLUG 或 --person SLUG 指明要清除的一项")
    try:
        plan = plan_purge(context, "stories" if story else "people", story or person)
    except PurgeError as error:
        click.echo(f"错误：{error}", err=True)
        sys.exit(1)
    for line in describe(plan):
        click.echo(line)
    if not reason.strip():
        raise click.UsageError("请用 --reason 写明清除原因，例如 --reason 家属撤回授权")
    if not yes and not click.confirm("此操作无法撤销，确定清除吗？", default=False):
        click.echo("已取消，没有删除任何内容。")
        sys.exit(1)
    try:
        purge(context, plan, who or _operator(), reason)
    except (PurgeError, StorageError) as error:
        click.echo(f"错误：{getattr(error, 'message', error)}", err=True)
        sys.exit(1)
    click.echo(f"已清除 {plan.slug}。")


def _rewrite(context, slug: str | None) -> None:
    if slug:
        raise click.UsageError("--rewrite-git-history 是单独的一步，不与 --story/--person 同用")
    paths = purged_paths(context.audit)
    if not paths:
        click.echo("审计日志中没有清除记录，git 历史无需改写。")
        return
    try:
        commits = rewrite_git_history(context.paths.root, paths)
    except subprocess.CalledProcessError as error:  # git refused: its own words
        click.echo(f"错误：git 历史改写失败：{getattr(error, 'stderr', '') or error}", err=True)
        sys.exit(1)
    except (ValueError, OSError, subprocess.TimeoutExpired) as error:
        click.echo(f"错误：{error}", err=True)
        sys.exit(1)
    click.echo(f"已从 git 历史中抹去 {len(paths)} 个路径（当前分支 {commits} 个提交）；"
               "已有的克隆仍有旧历史，须删除后重新克隆。")


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
