"""A writer killed mid-save leaves every story either old or new, never truncated."""
from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from archive.store import ContentStore

WRITER = textwrap.dedent("""
    import hashlib, sys
    from archive.models import Story
    from archive.store import ContentStore

    store = ContentStore(sys.argv[1])
    n = 0
    while True:
        n += 1
        for i in range(5):
            body = ("第%d版。" % n) + "老兵讲述过江的经过。" * (2000 + n % 7 * 300)
            digest = hashlib.sha256(body.encode()).hexdigest()
            story = Story.new("s%d" % i, {"title": "故事%d" % i, "narrator": "王建国", "digest": digest}, body)
            store.save_story(story)
        print(n, flush=True)
""")


def _every_file_is_whole(root: Path) -> None:
    for path in sorted((root / "stories").glob("*.md")):
        story = ContentStore(root).get_story(path.stem)
        assert story is not None, f"{path} is unreadable"
        assert hashlib.sha256(story.body.encode()).hexdigest() == story.meta["digest"], f"{path} is torn"


def test_killed_writers_never_leave_a_torn_file(tmp_path):
    rng = random.Random(20261129)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    for _ in range(25):
        writer = subprocess.Popen([sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE, env=env)
        assert writer.stdout.readline()  # at least one full round written
        time.sleep(rng.uniform(0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        _every_file_is_whole(tmp_path)
    ContentStore(tmp_path).sweep()
    leftovers = [p.name for p in (tmp_path / "stories").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert len(list((tmp_path / "stories").glob("*.md"))) == 5
