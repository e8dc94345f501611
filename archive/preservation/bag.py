"""BagIt export (RFC 8493, with the `bagit` library) from a consistent snapshot of the archive.

The snapshot is taken under the store's write locks by hard-linking the chosen files into a
staging folder beside OUT (a writer replaces files, never rewrites them in place, so a linked
file keeps the bytes of the moment); the locks are released before the links are broken into
copies and the bag is made and fully validated.  The live folder is never converted.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import bagit

from archive.preservation.selection import Chosen, Selection, choose

CHECKSUMS = ["sha256", "sha512"]
HISTORY_IN_BAG = "history"  # ROOT/.history/ travels as data/history/ (bag tools skip hidden folders)
AUDIT_IN_BAG = "instance/audit.jsonl"


class BagExportError(Exception):
    """The bag could not be written or did not validate (Chinese message)."""


@dataclass
class BagResult:
    """What was exported."""

    path: Path
    files: int
    stories: int
    people: int
    bytes: int


def export_bag(context, out: Path, selection: Selection, exporter: str, name: str) -> BagResult:
    """Write a validated bag of `selection` to `out` (which must not exist yet)."""
    out = Path(out).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BagExportError(f"{out} 已存在且不是空目录；请指定一个新的目录")
    role = "admin" if selection.include_restricted else None
    chosen = choose(context.paths.root, context.catalog.shelf(role), selection)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".bag-", dir=out.parent))
    try:
        pairs = _payload(context, chosen, selection)
        _snapshot(context, pairs, staging)
        info = _bag_info(context, chosen, selection, exporter, name, len(pairs))
        bagit.make_bag(str(staging), info, processes=1, checksums=CHECKSUMS)
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _validate_or_remove(out)
    size = sum(p.stat().st_size for p in (out / "data").rglob("*") if p.is_file())
    return BagResult(out, len(pairs), len(chosen.stories), len(chosen.people), size)


def _payload(context, chosen: Chosen, selection: Selection) -> list[tuple[Path, str]]:
    """(source file, path inside data/) for every file of the bag."""
    root = context.paths.root
    pairs = [(root / relative, relative) for relative in chosen.files]
    if selection.include_restricted:  # the version store and the audit log belong to the full record
        history = root / ".history"
        for kind, slugs in (("stories", chosen.stories), ("people", chosen.people)):
            for slug in slugs:
                folder = history / kind / slug
                if folder.is_dir():
                    pairs += [(f, f"{HISTORY_IN_BAG}/{f.relative_to(history).as_posix()}")
                              for f in sorted(folder.iterdir()) if f.is_file() and not f.name.startswith(".")]
        audit = context.paths.instance_dir / "audit.jsonl"
        if audit.is_file():
            pairs.append((audit, AUDIT_IN_BAG))
    return pairs


def _snapshot(context, pairs: list[tuple[Path, str]], staging: Path) -> None:
    """Link (or, across disks, copy) every file while no writer can change the records."""
    store = context.store
    linked = []
    with ExitStack() as locks:
        for folder in (store.stories_dir, store.people_dir, context.lectures.folder):
            locks.enter_context(store.write_lock(folder))
        for source, inside in pairs:
            target = staging / inside
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
                linked.append(target)
            except OSError:
                shutil.copy2(source, target)
    for target in linked:  # a bag must not share its files with the live archive
        copy = target.with_name(target.name + ".copy")
        shutil.copy2(target, copy)
        os.replace(copy, target)


def _bag_info(context, chosen: Chosen, selection: Selection, exporter: str, name: str, files: int) -> dict:
    media = sum(1 for relative in chosen.files if relative.startswith("media/"))
    scope = "整个档案" if selection.whole else "选定：" + "；".join(
        f"{label} {', '.join(values)}" for label, values in (("故事", selection.stories), ("人物", selection.people),
                                                              ("战争", selection.conflicts), ("专题", selection.collections))
        if values)
    return {
        "Source-Organization": name,
        "External-Identifier": context.paths.root.name,
        "External-Description": f"老兵口述历史档案导出（{scope}）",
        "Export-Date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "Exported-By": exporter,
        "Access-Scope": "includes-restricted" if selection.include_restricted else "public-only",
        "Story-Count": str(len(chosen.stories)),
        "Person-Count": str(len(chosen.people)),
        "Media-Count": str(media),
        "Payload-File-Count": str(files),
    }


def _validate_or_remove(out: Path) -> None:
    """Full validation (every checksum re-computed); a bag that fails is removed, not left half-good."""
    try:
        bagit.Bag(str(out)).validate(processes=1)
    except bagit.BagError as error:
        shutil.rmtree(out, ignore_errors=True)
        raise BagExportError(f"导出的数据包未通过校验，已删除：{error}") from error
