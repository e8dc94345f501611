"""Serving an archive whose storage cannot be written (a read-only disk, a read-only instance
folder, or `archive serve --read-only`): the site still reads, searches and signs people in, and
refuses every save with a reason instead of failing.

What may be written is found once, at start-up (`find_read_only`); the services that would write
get stand-ins: an audit log that reports to the server log (`QuietAudit`) and a search engine that
only reads the index already on disk (`ReadOnlySearch`).  The accounts database has its own
read-only mode (`AccountsDB.open_read_only`).
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.audit import AuditLog
from archive.safe_write import StorageError, probe_writable, storage_errors

LOG = logging.getLogger(__name__)
FORCED = "按 --read-only 以只读方式启动"


@dataclass(frozen=True)
class ReadOnlyMode:
    """Why this start may not write: `reason` for pages, `folder` (if any) for the command line."""

    reason: str
    folder: Path | None = None

    def refusal(self) -> StorageError:
        """The error every save gets while the site is read-only."""
        return StorageError(errno.EROFS, self.folder, f"网站当前为只读模式（{self.reason}）")

    def describe(self) -> str:
        """The reason with the folder, for the one line `archive serve` prints."""
        return f"{self.reason}：{self.folder}" if self.folder else self.reason


def find_read_only(places: dict[str, Path], forced: bool = False) -> ReadOnlyMode | None:
    """The first of `places` ({label: folder}) that cannot be written, or None when all can."""
    if forced:
        return ReadOnlyMode(FORCED)
    for label, folder in places.items():
        try:
            probe_writable(folder)
        except StorageError as error:
            return ReadOnlyMode(f"{label}{error.message}", folder)
    return None


class QuietAudit(AuditLog):
    """The audit log of a read-only site: read from its file as usual; a new entry (a sign-in,
    a download of an original) cannot be appended, so it goes to the server log instead."""

    def record(self, who: str | None, action: str, target: str, before: str | None = None,
               after: str | None = None, **details: Any) -> dict[str, Any]:
        """Log the entry at WARNING level and return it; the file is not touched."""
        entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "who": who or "system",
                 "action": action, "target": target, "before": before, "after": after, **details}
        LOG.warning("只读模式，审计记录未写入 %s：%s", self.path, json.dumps(entry, ensure_ascii=False))
        return entry


class SearchUnavailable(StorageError):
    """Search was asked for, but there is no index and none can be built here."""

    def __init__(self, reason: str):
        super().__init__(errno.EROFS, None, f"搜索暂不可用：{reason}")


class ReadOnlySearch:
    """A search engine over an index folder that may not be written: it searches the index already
    there (not updated by saves), or, when there is none, answers SearchUnavailable."""

    def __init__(self, engine, why: str):
        self.engine, self.why = engine, why
        self.unavailable: str | None = None

    def start(self) -> None:
        """Check the index on disk without writing; without a usable one, search is unavailable."""
        try:
            with storage_errors():
                ix, _manifest = self.engine.folder.open(deep=True)
            ix.close()
            self.unavailable = None
        except (ValueError, StorageError) as error:
            found = error.message if isinstance(error, StorageError) else str(error)
            self.unavailable = f"{self.why}，也没有可用的索引（{found}）；请管理员恢复写入后运行 archive index --rebuild"

    def notice(self) -> str:
        """What readers get from search in this start, in one clause."""
        return f"搜索不可用（{self.unavailable}）" if self.unavailable else f"搜索使用已有索引，不随修改更新（{self.why}）"

    def search(self, request):
        """The engine's answer from the existing index; SearchUnavailable without one."""
        if self.unavailable:
            raise SearchUnavailable(self.unavailable)
        try:
            with storage_errors():
                return self.engine.search(request)
        except StorageError as error:  # the index vanished and the engine tried to rebuild it
            raise SearchUnavailable(f"{self.why}（{error.message}）") from error

    def related(self, slug: str, role: str | None = None, limit: int = 5) -> list:
        """Related stories from the existing index (none without one)."""
        return [] if self.unavailable else self.engine.related(slug, role, limit)

    def suggest(self, query: str, role: str | None = None) -> str | None:
        """A "did you mean" from the existing index (none without one)."""
        return None if self.unavailable else self.engine.suggest(query, role)

    def index_story(self, story) -> None:
        """Not indexed: the index cannot be written; the next writable start brings it in step."""
        LOG.warning("搜索索引不可写，未更新：%s", getattr(story, "slug", story))

    def delete_story(self, slug: str) -> None:
        """Not removed from the index, for the same reason."""
        LOG.warning("搜索索引不可写，未删除：%s", slug)

    def update(self) -> dict[str, int]:
        """Nothing is updated: the index cannot be written."""
        return {}

    def __getattr__(self, name: str):
        return getattr(self.engine, name)  # reading helpers (synonyms, …) work as usual
