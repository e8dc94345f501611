"""`archive export`: one command, one option per format (--bag OUT here; the exchange formats
add theirs beside it).  Each branch calls one service."""
from __future__ import annotations

from pathlib import Path

import click

from archive.preservation.bag_command import run_bag_export
from archive.preservation.selection import Selection


@click.command("export")
@click.option("--bag", "bag_out", type=click.Path(path_type=Path), metavar="OUT",
              help="写一个 BagIt 数据包（RFC 8493，SHA-256 与 SHA-512 清单）到新目录 OUT。")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="把故事和人物的元数据写成 stories.csv、people.csv 和同名 .xlsx 到目录 DIR（UTF-8 带 BOM，列表以“；”分隔）。")
@click.option("--ohms", "ohms_slug", metavar="SLUG", help="把一篇故事写成 OHMS XML（第 6 版），输出到标准输出。")
@click.option("--story", "stories", multiple=True, metavar="SLUG", help="只导出这篇故事（可重复）。")
@click.option("--person", "people", multiple=True, metavar="SLUG", help="只导出这位人物及其故事（可重复）。")
@click.option("--conflict", "conflicts", multiple=True, metavar="名称", help="只导出这场战争的故事（可重复）。")
@click.option("--collection", "collections", multiple=True, metavar="SLUG", help="只导出这个专题的故事（可重复）。")
@click.option("--include-restricted", is_flag=True,
              help="连同受限、内部、禁阅期内的内容、讲稿、修改历史和审计日志一起导出（须 --user 为管理员或档案员）。")
@click.option("--user", default=None, help="导出人的账号（记入 bag-info 与审计日志）。")
@click.option("--name", default=None, help="写入 bag-info 的档案名称（默认：红色故事口述历史档案）。")
@click.pass_obj
def export_command(context, bag_out: Path | None, csv_dir: Path | None, ohms_slug: str | None, stories, people,
                   conflicts, collections, include_restricted: bool, user: str | None, name: str | None) -> None:
    """导出档案。--bag OUT：整个档案或所选故事、人物、战争、专题的 BagIt 数据包，取自加锁时的
    一致快照，结束时完整校验；受限、内部和禁阅期内的内容以及账号数据库默认不导出。
    --csv DIR：元数据表格（可改后用 archive import --csv 导回）；--ohms SLUG：OHMS XML。
    这两种默认只含公开内容，加 --include-restricted --user 档案员 才含全部。"""
    if [bag_out, csv_dir, ohms_slug].count(None) != 2:
        raise click.UsageError("请指定一种导出格式：--bag OUT、--csv DIR 或 --ohms SLUG")
    if bag_out is None:
        from archive.exchange.commands import run_exchange_export

        run_exchange_export(context, csv_dir, ohms_slug, include_restricted, user)
        return
    selection = Selection(list(stories), list(people), list(conflicts), list(collections), include_restricted)
    run_bag_export(context, bag_out, selection, user, name)
