"""Indexing one saved story at a time; stories saved while another writer holds the index are
indexed as soon as it lets go; merging the small segments saves leave, in the background.

A save waits at most `SAVE_WAIT` seconds for the index's writer lock.  When a
rebuild (another process's `archive index --rebuild`, a repair) holds it, the
story is queued here and a thread indexes the queue once the lock is free, so
the save answers at once and the story is searchable when the rebuild ends.
A save never merges segments (a merge at 10,000 stories took 0.4-1 s of the
save's time): when segments pile up a thread merges them after the save.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial

from archive.safe_write import as_storage_error
from archive.search.index import IndexBusyError

LOG = logging.getLogger(__name__)
SAVE_WAIT = 1.0  # seconds a save waits for the writer lock before queueing its story
RETRY_WAIT = 30.0  # seconds the catch-up thread waits for the lock per attempt
QUIET = 2.0  # seconds without a save before the segments saves left are merged
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


class Merging:
    """Runs the indexer's `merge` in a thread of its own after saves asked for it, one at a time, once
    no save has come for QUIET seconds (a merge holds the writer lock for 0.3-1 s at 10,000 stories,
    and a save that came meanwhile would wait for it); `urgent` requests do not wait."""

    def __init__(self, merge: Callable[[float], None]):
        self.merge = merge
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.asked = 0.0  # when the last save asked
        self.urgent = False

    def request(self, urgent: bool = False) -> None:
        """Merge after the saves pause (at once if `urgent`), unless a merge is already waiting or running."""
        with self.lock:
            self.asked, self.urgent = time.monotonic(), self.urgent or urgent
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="search-merge", daemon=True)
                self.thread.start()

    def wait(self) -> None:
        """Until the waiting or running merge (if any) is done."""
        with self.lock:
            thread = self.thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self.lock:
                idle = time.monotonic() - self.asked
                if self.urgent or idle >= QUIET:
                    self.urgent = False
                    break
            time.sleep(QUIET - idle)
        try:
            self.merge(RETRY_WAIT)
        except IndexBusyError:
            pass  # a rebuild holds the index: it leaves one tidy segment per writer anyway
        except Exception:  # a thread has no one to tell; the next save asks again
            LOG.exception("搜索索引的段合并失败")


class SaveIndexing:
    """What the engine's index_story and delete_story do: write just those stories' documents."""

    def __init__(self, indexer, repair):
        self.indexer = indexer
        self.repair = repair  # archive.search.repair.IndexRepair: rebuilds a damaged index
        self.pending: set[str] = set()  # stories whose indexing failed, retried with the next save
        self.lock = threading.Lock()
        self.catchup = CatchUp(self._index_later, self._catch_up_failed)
        self.merging = Merging(lambda timeout: indexer.merge(timeout))

    def index(self, slugs: set[str]) -> None:
        """Index these stories and any whose indexing failed before; a busy index (a rebuild) queues
        them for the catch-up thread after SAVE_WAIT seconds, a damaged one is rebuilt, a refused write
        (full disk, read-only) raised: the file is saved already."""
        with self.lock:
            slugs, self.pending = slugs | self.pending, set()
        slugs |= self.catchup.take()
        try:
            counts = self.indexer.index_stories(slugs, timeout=SAVE_WAIT)
            if counts.get("merge"):
                self.merging.request(urgent=counts["merge"] > 1)
        except IndexBusyError as error:
            LOG.warning("%s 已排队，索引空出后补上：%s", error, "、".join(sorted(slugs)))
            self.catchup.add(slugs)
        except Exception as error:  # noqa: BLE001 -- _failed sorts it: storage error, damage
            self._failed(error, slugs)

    def notice(self, slug: str) -> str | None:
        """NOTICE while the story waits behind another writer, else None."""
        return NOTICE if self.catchup.is_queued(slug) else None

    def _index_later(self, slugs: set[str], timeout: float) -> None:
        if self.indexer.index_stories(slugs, timeout=timeout).get("merge"):
            self.merging.request(urgent=True)

    def _failed(self, error: Exception, slugs: set[str]) -> None:
        with self.lock:
            self.pending |= slugs
        if isinstance(error, OSError) and as_storage_error(error) is not None:
            raise error
        # the generation it wrote to is the damaged one, whatever the engine has open
        self.repair.repair(error, partial(self.indexer.replace, self.indexer.folder.current_generation()))

    def _catch_up_failed(self, error: Exception, slugs: set[str]) -> None:
        try:
            self._failed(error, slugs)
        except Exception:  # a thread has no one to tell; the next save retries
            LOG.exception("搜索索引未更新：%s", "、".join(sorted(slugs)))
