"""Lecture plan files: list, read, save and delete `lectures/<id>.md`.

Plans are Markdown files with front matter like stories, so they go through the
same parser, the same mtime cache, the same per-folder lock, the same atomic
write and the same stale-edit check as the content store (`ContentStore`'s
generic record methods); this module only adds what is particular to plans.
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from archive.lectures.plan import LecturePlan
from archive.models import Record
from archive.store import NEW_FILE_VERSION, ContentError, ContentStore, StaleEditError


@dataclass
class PlanFile(Record):
    """A lecture plan file as read from disk."""


class LectureStore:
    """The lecture plans of one archive root."""

    def __init__(self, content: ContentStore):
        self.content = content
        self.folder = Path(content.root) / "lectures"
        self.notify = lambda paths, who, action: None  # set by the context to Editor.notify (fixity, git)

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

    def save(self, plan: LecturePlan, check_version: bool = True) -> LecturePlan:
        """Write a plan atomically; refuse (StaleEditError) if the file changed since `plan.version`."""
        current = self.content.get_record(self.folder, plan.id, PlanFile)
        original = current.meta if current is not None else {}
        record = PlanFile.new(plan.id, plan.to_meta(original), _body(plan.notes))
        if current is not None and record.meta == current.meta and record.body == current.body:
            return self._plan(current)
        base = (plan.version or NEW_FILE_VERSION) if check_version else None
        try:
            saved = self.content.save_record(self.folder, record, base, PlanFile)
        except StaleEditError:
            raise StaleEditError(None) from None
        self.notify([self.path(plan.id)], plan.owner or "system", "lectures.save")
        return self._plan(saved)

    def delete(self, plan_id: str) -> bool:
        """Delete a plan file; False if there was none."""
        deleted = self.content.delete_record(self.folder, plan_id)
        if deleted:
            self.notify([self.path(plan_id)], "system", "lectures.delete")
        return deleted


def _body(notes: str) -> str:
    notes = notes.strip()
    return f"\n{notes}\n" if notes else ""

