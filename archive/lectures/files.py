"""Lecture plan files: list, read, save and delete `lectures/<id>.md`.

Plans are Markdown files with front matter like stories, so they go through the
same parser, the same mtime cache, the same per-folder lock, the same atomic
write and the same stale-edit check as the content store (`ContentStore`'s
generic record methods).  Saves and deletes go through the one audited write
path (`Editor`: history, audit, then the file, then the observers); this module
only adds what is particular to plans.
"""
from __future__ import annotations

import datetime as dt
import secrets
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from archive.audit import AuditLog
from archive.editing import Editor
from archive.lectures.plan import LecturePlan
from archive.models import Record
from archive.store import NEW_FILE_VERSION, ContentError, ContentStore, StaleEditError
from archive.versions import History


@dataclass
class PlanFile(Record):
    """A lecture plan file as read from disk."""

    KIND: ClassVar[str] = "lectures"  # its folder, for the editor's history and audit


class LectureStore:
    """The lecture plans of one archive root."""

    def __init__(self, content: ContentStore, editor: Editor | None = None):
        self.content = content
        self.folder = Path(content.root) / "lectures"
        root = Path(content.root)  # on its own (scripts, tests): history and audit where the app keeps them
        self.editor = editor or Editor(content, History(root), AuditLog(root / "instance" / "audit.jsonl"))
        self.editor.citations.append(self)  # a story edit keeps the segment ids plans point to

    def cited_segments(self, story: str) -> set[str]:
        """The segment and section ids of `story` that any plan cites."""
        return {ref for plan in self.list_plans() for item in plan.items if item.story == story
                for ref in (item.segment, item.section) if ref}

    def move_segment_refs(self, story: str, moved: dict[str, str], who: str) -> None:
        """Point the plans' references to old segment names at the segments' ids (a saved edit each)."""
        for plan in self.list_plans():
            items = [item for item in plan.items if item.story == story]
            changed = False
            for item in items:
                for key in ("segment", "section"):
                    if getattr(item, key) in moved:
                        setattr(item, key, moved[getattr(item, key)])
                        changed = True
            if changed:
                with suppress(StaleEditError):  # edited at this instant: the old name still resolves (alias)
                    self.save(plan, who, f"段落编号随《{story}》的修改更新")

    def path(self, plan_id: str) -> Path:
        """Where the plan with this id lives."""
        return self.folder / f"{plan_id}.md"

    def _plan(self, record: PlanFile) -> LecturePlan:
        plan = LecturePlan.from_meta(record.slug, record.meta, record.body)
        plan.version = record.version
        return plan

    def list_plans(self) -> list[LecturePlan]:
        """Every readable plan, newest date first."""
        records = self.content.list_records(self.folder, PlanFile)
        plans = [self._plan(record) for record in records]
        return sorted(plans, key=lambda p: (p.date or "", p.id), reverse=True)

    def load_errors(self) -> list[ContentError]:
        """Plan files that could not be read (shown to the user, not raised)."""
        return [error for path, error in self.content.load_errors.items() if path.parent == self.folder]

    def get(self, plan_id: str) -> LecturePlan | None:
        """The plan with this id, or None (unknown, unsafe or unreadable id)."""
        record = self.content.get_record(self.folder, plan_id, PlanFile)
        return self._plan(record) if record is not None else None

    def new_id(self, on: dt.date | None = None) -> str:
        """A fresh id such as 20261129-3fa2 (date made, then random)."""
        stamp = (on or dt.date.today()).strftime("%Y%m%d")
        while True:
            plan_id = f"{stamp}-{secrets.token_hex(2)}"
            if not self.path(plan_id).exists():
                return plan_id

    def save(self, plan: LecturePlan, who: str | None = None, message: str = "") -> LecturePlan:
        """Save a plan through the editor (history, audit, file) as `who` (default: its owner);
        StaleEditError if the file changed since `plan.version` (None: a new plan)."""
        current = self.content.get_record(self.folder, plan.id, PlanFile)
        original = current.meta if current is not None else {}
        record = PlanFile.new(plan.id, plan.to_meta(original), _body(plan.notes))
        if current is not None and record.meta == current.meta and record.body == current.body:
            return self._plan(current)
        action = "create" if current is None else "edit"
        try:
            saved = self.editor.commit(record, plan.version or NEW_FILE_VERSION, who or plan.owner or "（未知）",
                                       action, message or ("新建讲稿" if current is None else "修改讲稿"))
        except StaleEditError:
            raise StaleEditError(None) from None
        return self._plan(saved)  # type: ignore[arg-type]

    def delete(self, plan_id: str, who: str | None = None) -> bool:
        """Delete a plan file through the editor (history keeps its text); False if there was none."""
        current = self.content.get_record(self.folder, plan_id, PlanFile)
        if current is None:
            return False
        return self.editor.delete(current, who or current.meta.get("owner") or "（未知）", "删除讲稿")


def _body(notes: str) -> str:
    notes = notes.strip()
    return f"\n{notes}\n" if notes else ""

