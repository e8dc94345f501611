"""`archive fixity`: check, start and update the checksum manifest from the command line."""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from archive.preservation.content import is_content, relative_to_root
from archive.preservation.fixity import check_fixity, init_manifest, save_last_check, total_bytes
from archive.preservation.manifest import Manifest


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@click.command("fixity")
@click.option("--init", "init", is_flag=True, help="为尚无清单的档案记录一份 SHA-256 清单。")
@click.option("--accept", is_flag=True,
              help="把 PATH… 在应用之外的有意修改（或删除）记入清单，并以 --by 的名字写入审计日志。")
@click.option("--by", "who", default=None, help="接受修改的人（默认：当前系统用户名）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果。")
@click.argument("paths", nargs=-1)
@click.pass_obj
def fixity_command(context, init: bool, accept: bool, who: str | None, as_json: bool, paths: tuple[str, ...]) -> None:
    """固定性检查：重新读取 stories/、people/、media/、collections/、lectures/、vocabularies/ 下的
    每个文件，与 SHA-256 清单（ROOT/.fixity/manifest-sha256.txt）比对。

    每个问题打印一行：changed PATH（内容改变）、missing PATH（文件缺失）、untracked PATH
    （清单外的新文件），最后一行是小结。全部一致时退出码 0，发现问题时 1；
    档案尚无清单时退出码 2（先运行 archive fixity --init）。在终端上显示进度条，在 cron 中静默。
    通过网站或命令保存、上传、删除的文件会自动记入清单。
    """
    root = context.paths.root
    manifest = Manifest(root)
    if paths and not accept:
        raise click.UsageError("给出了路径却没有 --accept；要记录有意的修改请写 archive fixity --accept PATH…")
    if init:
        _init(manifest)
    elif not manifest.exists():
        click.echo(f"{root}：还没有固定性清单。请先运行 archive --root {root} fixity --init 记录一份。", err=True)
        sys.exit(2)
    elif accept:
        _accept(context, manifest, paths, who or _operator())
    else:
        _check(context, as_json)


def _init(manifest: Manifest) -> None:
    if manifest.exists():
        click.echo(f"{manifest.path} 已存在；有意的修改请用 archive fixity --accept PATH… 记录。", err=True)
        sys.exit(2)
    count = init_manifest(manifest.root)
    click.echo(f"已记录固定性清单：{count} 个文件（{manifest.path}）。")


def _accept(context, manifest: Manifest, paths: tuple[str, ...], who: str) -> None:
    if not paths:
        raise click.UsageError("--accept 需要至少一个路径，例如 archive fixity --accept media/zhao/old.jpg")
    relatives = []
    for given in paths:
        relative = relative_to_root(manifest.root, Path(given) if Path(given).is_absolute() else manifest.root / given)
        if relative is None or not is_content(relative):
            raise click.UsageError(f"{given}：不是档案内容文件（应在 stories/、people/、media/ 等目录下）")
        relatives.append(relative)
    for relative, (old, new) in manifest.record(relatives).items():
        context.audit.record(who, "fixity.accept", relative, before=old, after=new)
        click.echo(f"已接受 {relative}：{'已删除' if new is None else new[:12]}")


def _check(context, as_json: bool) -> None:
    root = context.paths.root
    if sys.stderr.isatty() and not as_json:
        with click.progressbar(length=total_bytes(root), label="校验中", file=sys.stderr) as bar:
            report = check_fixity(root, bar.update)
    else:
        report = check_fixity(root)
    try:
        save_last_check(context.paths.instance_dir, report)
    except OSError:
        pass  # a read-only instance folder: the check still answers
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        for kind, path in report.problems:
            click.echo(f"{kind} {path}")
        click.echo(report.summary(), err=not report.ok)
    sys.exit(0 if report.ok else 1)
