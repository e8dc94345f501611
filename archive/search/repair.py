"""Serving through a damaged index: the index is a cache of the story files, so a file of it
that cannot be read (changed bytes in a .trm, a truncated .pst, a lost table of contents) is
rebuilt from the stories while the site keeps running, instead of answering 500 until a restart.

The request that finds the damage logs it and starts one rebuild in a thread, then waits up to
`REPAIR_WAIT` seconds for it: a district's archive is rebuilt well within that, so the request
answers from the rebuilt index.  Requests that find the damage meanwhile wait for the same
rebuild.  A rebuild that takes longer, or fails (a full or read-only disk), answers
`SearchUnavailable`, a refusal in Chinese that the web app shows as a 503 page (JSON for the
API), and at most one rebuild starts every `REPAIR_INTERVAL` seconds: neither a disk that stays
full nor a fault a rebuild does not cure turns into a rebuild on every request.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from archive.read_only import SearchUnavailable
from archive.safe_write import as_storage_error
from archive.search.index import IndexBusyError

LOG = logging.getLogger(__name__)
REPAIR_WAIT = 20.0  # seconds a request waits for the rebuild before answering "try again shortly"
REPAIR_INTERVAL = 120.0  # seconds between rebuilds started by damage found while serving


class IndexRepair:
    """One rebuild at a time of an index found damaged."""

    def __init__(self, wait: float = REPAIR_WAIT, interval: float = REPAIR_INTERVAL):
        self.wait, self.interval = wait, interval
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._started: float | None = None  # time.monotonic() when the last rebuild started
        self._outcome: BaseException | None = None  # why the last rebuild failed (None: it worked)

    def repair(self, error: BaseException, rebuild: Callable[[], object]) -> None:
        """After `error` reading the index: `rebuild()` it in a thread (unless a rebuild is under way
        or one started less than `interval` seconds ago) and return once a rebuilt index is live (the
        caller tries again, once); SearchUnavailable when there is none yet; IndexBusyError when
        another process holds the index (it is writing it, so it is not ours to rebuild)."""
        with self._lock:
            thread = self._thread
            recent = self._started is not None and time.monotonic() - self._started < self.interval
            if (thread is None or not thread.is_alive()) and not recent:
                LOG.error("搜索索引读取出错，正在用故事文件重建索引：%s: %s", type(error).__name__, error,
                          exc_info=(type(error), error, error.__traceback__))
                self._started, self._outcome = time.monotonic(), None
                thread = self._thread = threading.Thread(target=self._run, args=(rebuild,), name="search-index-repair",
                                                       daemon=True)
                thread.start()
        if thread is not None:
            thread.join(self.wait)
            if thread.is_alive():
                raise SearchUnavailable("搜索索引损坏，正在从故事文件重建，请过一两分钟再试")
        if isinstance(self._outcome, IndexBusyError):
            raise self._outcome
        if self._outcome is not None:
            raise SearchUnavailable(failure_reason(self._outcome))

    def _run(self, rebuild: Callable[[], object]) -> None:
        try:
            rebuild()
        except Exception as error:  # every failure is reported to the readers who wait
            self._outcome = error
            if isinstance(error, IndexBusyError):
                self._started = None  # not a failure: whoever holds the index is writing it
                LOG.warning("搜索索引损坏，但另一个程序正在写索引，稍后再试：%s", error)
            else:
                LOG.exception("搜索索引重建失败，%g 秒内不再重试", self.interval)
        else:
            LOG.warning("搜索索引已重建")


def failure_reason(error: BaseException) -> str:
    """Why the rebuild failed, in one Chinese sentence for readers (no server paths)."""
    storage = as_storage_error(error) if isinstance(error, OSError) else None
    why = f"（{storage.message}）" if storage is not None else ""
    return f"搜索索引损坏，自动重建没有成功{why}；已记录在服务器日志中，请联系管理员"
