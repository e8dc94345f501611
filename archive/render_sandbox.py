"""Markdown to HTML under a time and memory budget, in worker processes.

Python-Markdown's inline patterns backtrack: 30 KB of `[` … `](` took 70 s here and
a deeply nested list 8 GB.  A thread cannot be stopped, so every conversion runs in
a worker process (`python -m archive.render_sandbox`, talking length-prefixed JSON
over its stdin and stdout); one that overruns RENDER_SECONDS is killed, its memory
is capped at RENDER_MEMORY_BYTES, the caller gets None and shows the text as plain
text, and the next conversion gets a fresh worker.  A few workers stay alive
between conversions.

`convert(["**老兵**"])` -> ["<p><strong>老兵</strong></p>"]; None when over budget.
"""
from __future__ import annotations

import json
import logging
import os
import select
import struct
import subprocess
import sys
import threading
import time

from archive.limits import RENDER_MEMORY_BYTES, RENDER_SECONDS

MAX_WORKERS = 4
HEADER = struct.Struct(">I")
log = logging.getLogger(__name__)


class _Worker:
    """One worker process and the pipes to it."""

    def __init__(self, memory: int):
        self.process = subprocess.Popen([sys.executable, "-m", "archive.render_sandbox", str(memory)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def run(self, texts: list[str], seconds: float) -> list[str] | None:
        """The HTML of `texts`, or None if the worker failed or overran (it is then killed)."""
        deadline = time.monotonic() + seconds
        try:
            data = json.dumps(texts, ensure_ascii=False).encode("utf-8")
            self.process.stdin.write(HEADER.pack(len(data)) + data)
            self.process.stdin.flush()
            size = HEADER.unpack(self._read(HEADER.size, deadline))[0]
            result = json.loads(self._read(size, deadline))
            if isinstance(result, list):
                return result
        except (OSError, ValueError, struct.error):  # TimeoutError and ConnectionError are OSErrors
            pass
        self.stop()
        return None

    def _read(self, count: int, deadline: float) -> bytes:
        fd, chunks, left = self.process.stdout.fileno(), [], count
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise ConnectionError("排版进程已退出")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class RenderPool:
    """At most MAX_WORKERS conversions at once; a caller waits for a free worker within its budget."""

    def __init__(self, seconds: float = RENDER_SECONDS, memory: int = RENDER_MEMORY_BYTES):
        self.seconds, self.memory = seconds, memory
        self._idle: list[_Worker] = []
        self._running = 0
        self._ready = threading.Condition()

    def _take(self) -> _Worker | None:
        with self._ready:
            if not self._ready.wait_for(lambda: self._idle or self._running < MAX_WORKERS, timeout=self.seconds):
                return None
            self._running += 1
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                worker.stop()
        try:
            return _Worker(self.memory)
        except OSError:
            self._give_back(None)
            raise

    def _give_back(self, worker: _Worker | None) -> None:
        with self._ready:
            self._running -= 1
            if worker is not None and worker.alive:
                self._idle.append(worker)
            self._ready.notify()

    def convert(self, texts: list[str]) -> list[str] | None:
        """HTML for each Markdown text, or None when the budget ran out (the work is then stopped)."""
        worker = self._take()
        if worker is None:
            log.warning("所有排版进程都在忙，%s 秒内未轮到：按纯文本显示", self.seconds)
            return None
        result = worker.run(texts, self.seconds)
        if result is None:
            log.warning("排版超出时限（%s 秒）或内存上限，已中止：按纯文本显示", self.seconds)
        self._give_back(worker if result is not None else None)
        return result


_pool = RenderPool()


def convert(texts: list[str]) -> list[str] | None:
    """HTML for each Markdown text, converted in a worker under the time budget; None if over it."""
    return _pool.convert(list(texts))


def _serve(memory: int) -> None:
    """The worker: read a list of Markdown texts, answer their HTML (null on failure), until stdin closes."""
    import resource

    from archive.render import convert_markdown

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while header := stdin.read(HEADER.size):
        texts = json.loads(stdin.read(HEADER.unpack(header)[0]))
        try:
            answer = [convert_markdown(text) for text in texts]
        except (MemoryError, RecursionError, ValueError):
            answer = None
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        stdout.write(HEADER.pack(len(data)) + data)
        stdout.flush()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
