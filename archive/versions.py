"""The version store: previous versions of every story, person and lecture plan, kept on
each save, shown as a history with who, when, a message and a readable diff, and
restorable.

Layout under the archive root (beside stories/, so a backup of the root keeps
it):  .history/<kind>/<slug>/<version>.md   the exact file bytes of a version
      .history/<kind>/<slug>/log.jsonl      one line per save (an AuditLog)
Blobs are written atomically and named by their version tag, so a crash can
leave at most an unlisted blob, never a listed version without its text.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from archive.audit import AuditLog
from archive.models import content_version
from archive.safe_write import atomic_write_bytes, sweep_temp_files
from archive.store import is_valid_slug

KINDS = ("stories", "people", "lectures")  # the folders whose files keep a history
ACTION_NAMES = {
    "create": "新建", "edit": "修改", "publish": "发布", "unpublish": "撤回为草稿", "takedown": "下架",
    "reinstate": "恢复上架", "restore": "恢复旧版本", "merge": "合并冲突", "import": "批量导入",
    "external": "文件被直接修改", "media": "添加照片",
    "conflict": "冲突时提交（未合并的原稿）", "delete": "删除",
}


@dataclass(frozen=True)
class Version:
    """One saved version of a file."""

    number: int  # 1 = oldest
    version: str  # content_version of the bytes
    at: str
    who: str
    action: str
    message: str

    @property
    def action_name(self) -> str:
        return ACTION_NAMES.get(self.action, self.action)


@dataclass(frozen=True)
class DiffLine:
    """One line of a readable diff: kind is 'add', 'del', 'same' or 'hunk'.

    `parts` splits a changed line into ('same', text) and ('changed', text) pieces,
    so a one-character correction in a long Chinese paragraph shows as that character.
    """

    kind: str
    text: str
    parts: tuple[tuple[str, str], ...] = ()


class History:
    """The version history of the records under one archive root."""

    def __init__(self, root: Path):
        self.dir = Path(root) / ".history"

    def sweep(self) -> list[Path]:
        """Remove temp files a crashed save left in the history (start-up duty)."""
        return sweep_temp_files(self.dir)

    def _folder(self, kind: str, slug: str) -> Path:
        if kind not in KINDS or not is_valid_slug(slug):
            raise KeyError(slug)
        return self.dir / kind / slug

    def record(self, kind: str, slug: str, text: str, who: str, action: str, message: str = "") -> Version:
        """Keep `text` as the newest version of kind/slug."""
        folder = self._folder(kind, slug)
        data = text.encode("utf-8")
        version = content_version(data)
        blob = folder / f"{version}.md"
        if not blob.exists():
            atomic_write_bytes(blob, data)
        AuditLog(folder / "log.jsonl").record(who, action, slug, after=version, message=message)
        return self.versions(kind, slug)[0]

    def versions(self, kind: str, slug: str) -> list[Version]:
        """Every kept version, newest first (versions whose text is missing are left out)."""
        try:
            folder = self._folder(kind, slug)
        except KeyError:
            return []
        entries = AuditLog(folder / "log.jsonl").entries()
        found = [Version(n, e["after"], e["at"], e["who"], e["action"], e.get("message") or "")
                 for n, e in enumerate(entries, start=1) if (folder / f"{e.get('after')}.md").is_file()]
        return found[::-1]

    def latest(self, kind: str, slug: str) -> Version | None:
        """The newest kept version, or None."""
        versions = self.versions(kind, slug)
        return versions[0] if versions else None

    def text(self, kind: str, slug: str, version: str) -> str | None:
        """The text of one kept version, or None."""
        try:
            blob = self._folder(kind, slug) / f"{version}.md"
        except KeyError:
            return None
        if not version.isalnum() or not blob.is_file():
            return None
        return blob.read_text(encoding="utf-8")

    def previous(self, kind: str, slug: str, number: int) -> Version | None:
        """The version saved just before version `number`."""
        return next((v for v in self.versions(kind, slug) if v.number < number), None)


def readable_diff(old: str, new: str, context: int = 2) -> list[DiffLine]:
    """Line diff of two texts for people: added, removed and a little context."""
    lines: list[DiffLine] = []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for group in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        lines.append(DiffLine("hunk", f"第 {first[1] + 1}–{last[2]} 行 → 第 {first[3] + 1}–{last[4]} 行"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", text) for text in old_lines[i1:i2]]
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for before, after in zip(old_lines[i1:i2], new_lines[j1:j2], strict=True):
                    removed, added = _char_parts(before, after)
                    lines += [DiffLine("del", before, removed), DiffLine("add", after, added)]
                continue
            lines += [DiffLine("del", text) for text in old_lines[i1:i2]]
            lines += [DiffLine("add", text) for text in new_lines[j1:j2]]
    return lines


def _char_parts(before: str, after: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Character-level pieces of two versions of one line: (pieces of before, pieces of after)."""
    removed: list[tuple[str, str]] = []
    added: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            removed.append(("same", before[i1:i2]))
            added.append(("same", after[j1:j2]))
            continue
        if i2 > i1:
            removed.append(("changed", before[i1:i2]))
        if j2 > j1:
            added.append(("changed", after[j1:j2]))
    return tuple(removed), tuple(added)
