"""Stories saved while another writer holds the index, indexed as soon as it lets go.

A save waits at most `SAVE_WAIT` seconds for the index's writer lock.  When a
rebuild (another process's `archive index --rebuild`, a repair) holds it, the
story is queued here and a thread indexes the queue once the lock is free, so
the save answers at once and the story is searchable when the rebuild ends.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from archive.search.index import IndexBusyError

LOG = logging.getLogger(__name__)
SAVE_WAIT = 1.0  # seconds a save waits for the writer lock before queueing its story
RETRY_WAIT = 30.0  # seconds the catch-up thread waits for the lock per attempt
GIVE_UP = 6 * 3600.0  # after this long the queue is left to the next save or start-up check
NOTICE = "搜索索引正在更新（另一个程序正在重建索引），这篇故事会在更新结束后立即可以检索到。"


class CatchUp:
    """A queue of story slugs and the one thread that indexes it when the writer lock is free."""

    def __init__(self, index: Callable[[set[str], float], None], failed: Callable[[Exception, set[str]], None]):
        self.index = index  # index(slugs, timeout): raises IndexBusyError when the lock stays taken
        self.failed = failed  # what to do with any other error (the engine's repair)
        self.queued: set[str] = set()
        self.working: frozenset[str] = frozenset()  # being indexed by the thread now
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def take(self) -> set[str]:
        """The queued slugs, emptying the queue (a save indexes them with its own story)."""
        with self.lock:
            slugs, self.queued = self.queued, set()
            return slugs

    def add(self, slugs: set[str]) -> None:
        """Queue slugs and make sure the catch-up thread runs."""
        with self.lock:
            self.queued |= slugs
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="search-catch-up", daemon=True)
                self.thread.start()

    def is_queued(self, slug: str) -> bool:
        """True while a saved story waits for the index."""
        with self.lock:
            return slug in self.queued or slug in self.working

    def _run(self) -> None:
        started = time.monotonic()
        while time.monotonic() - started < GIVE_UP:
            with self.lock:
                slugs, self.queued = self.queued, set()
                self.working = frozenset(slugs)
                if not slugs:
                    self.thread = None  # a later add() starts a new thread
                    return
            try:
                self.index(set(slugs), RETRY_WAIT)
            except IndexBusyError:
                with self.lock:
                    self.queued |= slugs
                continue
            except Exception as error:  # noqa: BLE001 -- the engine decides (repair, log); the thread lives on
                self.failed(error, set(slugs))
            finally:
                with self.lock:
                    self.working = frozenset()
        with self.lock:
            self.thread = None
        LOG.warning("搜索索引 %d 秒内一直被占用，待索引的故事留给下一次保存或启动检查：%s",
                    GIVE_UP, "、".join(sorted(self.queued)))
