"""A replica (a service station's `git clone`, served with `archive serve --read-only`): the
content is never written, but the search index is a cache, so it is built at start and brought
in step whenever `git pull` has moved the work tree (seen from the git index file's stamp)."""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from archive.preservation.git_history import is_replica
from archive.read_only import ReadOnlyMode
from archive.safe_write import StorageError, probe_writable

LOG = logging.getLogger(__name__)
REPLICA_REASON = "这是用 git 复制的只读副本（服务站），修改请到主站进行，主站的修改经 git pull 同步到这里"
CHECK_EVERY = 1.0  # seconds between looks at the git index file


def replica_mode(root: Path) -> ReadOnlyMode | None:
    """The read-only reason of a git replica served with --read-only (None for any other root)."""
    return ReadOnlyMode(REPLICA_REASON) if is_replica(root) else None


class ReplicaSearch:
    """The search engine of a replica: the engine itself, updated after each `git pull`."""

    def __init__(self, engine, root: Path):
        self.engine, self.root = engine, Path(root)
        self._seen: tuple | None = None
        self._looked = 0.0
        self._lock = threading.Lock()

    def _stamp(self) -> tuple:
        try:
            stat = (self.root / ".git" / "index").stat()
        except OSError:
            return ()
        return (stat.st_mtime_ns, stat.st_size)

    def start(self) -> None:
        """Build or check the index now."""
        self._seen = self._stamp()
        self.engine.start()

    def catch_up(self) -> None:
        """Update the index if the work tree moved since the last look (at most once a second)."""
        now = time.monotonic()
        if now - self._looked < CHECK_EVERY:
            return
        with self._lock:
            self._looked = now
            stamp = self._stamp()
            if stamp == self._seen:
                return
            counts = self.engine.update()
            self._seen = stamp
            LOG.info("git pull 之后更新了搜索索引：%s", counts)

    def search(self, request):
        """Search the index, brought in step with the work tree first."""
        self.catch_up()
        return self.engine.search(request)

    def related(self, slug: str, role: str | None = None, limit: int = 5) -> list:
        """Related stories, after catching up."""
        self.catch_up()
        return self.engine.related(slug, role, limit)

    def suggest(self, query: str, role: str | None = None) -> str | None:
        """A "did you mean", after catching up."""
        self.catch_up()
        return self.engine.suggest(query, role)

    def __getattr__(self, name: str):
        return getattr(self.engine, name)


def replica_search(engine, root: Path, index_dir: Path) -> ReplicaSearch | None:
    """A ReplicaSearch for a git clone whose index folder may be written, else None."""
    if not is_replica(root):
        return None
    try:
        probe_writable(index_dir)
    except StorageError:
        return None
    return ReplicaSearch(engine, root)
