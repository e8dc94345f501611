"""A WSGI app under a real waitress server in a thread of the test process, stopped cleanly."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import waitress
from waitress import wasyncore


@contextmanager
def waitress_in_thread(app, threads: int = 4, **options) -> Iterator[object]:
    """The server (its `effective_port` is the port) while the block runs.  Its sockets are closed
    inside its own loop, which then ends: closing them from this thread made the loop's select()
    fail on a closed descriptor (an exception in the server's thread)."""
    sockets: dict = {}
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads, map=sockets, **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(sockets))
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
