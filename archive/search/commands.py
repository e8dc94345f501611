"""`archive index` and `archive search`: thin commands over the search engine."""
from __future__ import annotations

import json
import re
import sys
import time

import click

from archive.context import ArchiveContext
from archive.search.api import SearchRequest, SearchResults
from archive.search.doctable import FACETS
from archive.search.index import IndexBusyError, IndexSetupError

ROLE_CHOICES = ("anonymous", "lecturer", "archivist", "admin")


def _fail(message: str, code: int) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def _report_unreadable(context: ArchiveContext) -> None:
    root = context.paths.root
    for path, error in sorted(context.store.load_errors.items()):
        try:
            shown = path.relative_to(root)
        except ValueError:
            shown = path
        click.echo(f"{shown}:{error.line}: {error.message}（未编入索引）", err=True)


@click.command("index")
@click.option("--rebuild", is_flag=True, help="从头重建整个索引（在临时目录中建好后替换）。")
@click.pass_obj
def index_command(context: ArchiveContext, rebuild: bool) -> None:
    """更新搜索索引（只处理新增、修改、删除的文件）；--rebuild 从头重建。"""
    started = time.perf_counter()
    try:
        if rebuild:
            total = max(1, len(list(context.paths.root.glob("stories/*.md"))))
            with click.progressbar(length=total, label="正在建立索引", show_pos=True, file=sys.stderr) as bar:
                def progress(done: int, _count: int) -> None:
                    bar.update(done - bar.pos)

                count = context.search.rebuild(progress)
            click.echo(f"索引已重建：{count} 篇故事，用时 {time.perf_counter() - started:.1f} 秒。")
        else:
            counts = context.search.ensure_ready()
            if counts.get("rebuilt"):
                click.echo(f"索引缺失或无法读取，已重建：{counts['added']} 篇故事。")
            else:
                click.echo(f"索引已更新：新增 {counts['added']} 篇，重新索引 {counts['changed']} 篇，"
                           f"删除 {counts['deleted']} 篇（用时 {time.perf_counter() - started:.1f} 秒）。")
    except IndexBusyError as error:
        _fail(str(error), 3)
    except IndexSetupError as error:
        _fail(str(error), 2)
    _report_unreadable(context)


def _parse_filters(values: tuple[str, ...]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for value in values:
        name, sep, chosen = value.partition("=")
        if not sep or not chosen.strip():
            raise click.BadParameter(f"“{value}” 应写成 名称=值，例如 conflict=抗美援朝战争", param_hint="--filter")
        if name.strip() not in FACETS:
            raise click.BadParameter(f"没有名为“{name.strip()}”的分面；可用：{'、'.join(FACETS)}", param_hint="--filter")
        filters.setdefault(name.strip(), []).append(chosen.strip())
    return filters


def _plain(html: str) -> str:
    text = html.replace("<mark>", "【").replace("</mark>", "】")
    text = re.sub(r"<[^>]+>", "", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'") \
        .replace("&amp;", "&")


def _print_text(results: SearchResults) -> None:
    if results.total == 0:
        click.echo("没有找到相关的故事。")
        if results.suggestion:
            click.echo(f"您是不是要找：{results.suggestion}")
        return
    click.echo(f"共找到 {results.total} 篇故事（第 {results.page}/{results.pages} 页）：")
    first = (results.page - 1) * results.per_page
    for number, hit in enumerate(results.hits, start=first + 1):
        where = hit.slug + (f"#{hit.segment}" if hit.segment else "")
        when = f" [{hit.timestamp}]" if hit.timestamp else ""
        people = "、".join(hit.narrators)
        click.echo(f"{number}. {hit.title} — {people} {hit.interviewed}  （{where}{when}）")
        if hit.snippet:
            click.echo(f"   {_plain(hit.snippet)}")


@click.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="输出一个 JSON 对象（total、hits、facets、suggestion）。")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="每页条数。")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 100000), help="页码。")
@click.option("--sort", default="relevance", show_default=True, type=click.Choice(["relevance", "newest", "oldest"]),
              help="排序：相关度、最新访谈、最早访谈。")
@click.option("--filter", "filters", multiple=True, metavar="名称=值",
              help="按分面筛选，可重复：conflict、honor、tag、audience、narrator、decade。")
@click.option("--role", default="archivist", show_default=True, type=click.Choice(ROLE_CHOICES),
              help="以哪种读者的身份搜索（anonymous 只看公开故事）。")
@click.pass_obj
def search_command(context: ArchiveContext, query: str, as_json: bool, limit: int, page: int, sort: str,
                   filters: tuple[str, ...], role: str) -> None:
    """搜索故事：archive search 查询词 --json [--limit N]。查询可含 "短语"、narrator:、conflict:、tag:、honor:。"""
    request = SearchRequest(query=query, role=None if role == "anonymous" else role,
                            filters=_parse_filters(filters), sort=sort, page=page, per_page=limit)
    try:
        context.search.ensure_ready()
    except IndexBusyError:
        pass  # another process is indexing: the live generation still answers
    except IndexSetupError as error:
        _fail(str(error), 2)
    results = context.search.search(request)
    if as_json:
        click.echo(json.dumps({"query": query, **results.to_json()}, ensure_ascii=False))
    else:
        _print_text(results)
