"""A process saving stories through the editing service (store, history, audit log,
search index) is killed at random points 100 times.  Afterwards every story file
is the old or the new version, the audit log reads, and after the start-up check
the search index agrees with the files."""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import time
from pathlib import Path

from archive.audit import AuditLog
from archive.context import ArchiveContext, ArchivePaths
from archive.models import Story
from archive.search.api import SearchRequest
from archive.store import ContentStore

STORIES = 3
KILLS = 100
# One word per version, so a search shows which version of a story the index holds.
MARKERS = ("长津湖", "上甘岭", "鸭绿江", "孟良崮", "平型关", "台儿庄")


def version_text(i: int, n: int) -> tuple[dict, str]:
    body = f"## 第{n}次讲述\n\n老兵讲到{MARKERS[n % len(MARKERS)]}的那一仗。" + "那年冬天很冷，我们穿着单衣行军。" * (300 + n % 5 * 80)
    meta = {"title": f"故事{i}", "narrator": "王建国", "version_no": n,
            "digest": hashlib.sha256(body.encode()).hexdigest()}
    return meta, body


def _saver(root: Path, index_dir: Path, start: int, report: int) -> None:
    """Child process: save the stories round after round, reporting each save as it starts and ends."""
    context = ArchiveContext(ArchivePaths.for_root(root, index_dir=index_dir))
    editor = context.editor
    n = start
    while True:
        for i in range(STORIES):
            meta, body = version_text(i, n)
            current = context.store.get_story(f"s{i}")
            story = current if current is not None else Story.new(f"s{i}", meta, body)
            story.meta, story.body = meta, body
            os.write(report, f"start {i} {n}\n".encode())
            if current is None:
                editor.create_story(f"s{i}", meta | {"status": "published"}, body, "kill-test")
            else:
                editor.save_story(story, current.version, "kill-test", f"第{n}版")
            os.write(report, f"done {i} {n}\n".encode())
        n += 1


def _run_and_kill(root: Path, index_dir: Path, reported: dict[str, dict[int, int]], delay: float) -> bool:
    """Run a saver, kill it after `delay`; True if a save was under way at that moment."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            os.close(read_end)
            _saver(root, index_dir, max(reported["done"].values(), default=0) + 1, write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    first = os.read(read_end, 64)  # wait until the child has begun
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    reported["start"] = {}  # only the save under way in this run may have landed or not
    data = first
    while chunk := os.read(read_end, 65536):
        data += chunk
    os.close(read_end)
    last = ""
    for line in data.decode().splitlines():
        what, i, n = line.split()
        reported[what][int(i)] = int(n)
        last = what
    return last == "start"


def _files_are_old_or_new(root: Path, reported: dict[str, dict[int, int]]) -> dict[int, int]:
    """Each file is the last finished save (old) or the one under way when killed (new)."""
    store = ContentStore(root)
    versions = {}
    for i in range(STORIES):
        story = store.get_story(f"s{i}")
        old, new = reported["done"].get(i), reported["start"].get(i)
        if story is None:
            assert old is None and (root / "stories" / f"s{i}.md").exists() is False, f"s{i} is unreadable"
            continue
        assert hashlib.sha256(story.body.encode()).hexdigest() == story.meta["digest"], f"s{i} is torn"
        assert story.meta["version_no"] in (old, new), (story.meta["version_no"], old, new)
        versions[i] = story.meta["version_no"]
    return versions


def test_saves_killed_at_random_points_lose_nothing(tmp_path):
    rng = random.Random(20261129)
    root, index_dir = tmp_path / "archive", tmp_path / "index"
    (root / "stories").mkdir(parents=True)
    reported: dict[str, dict[int, int]] = {"start": {}, "done": {}}
    interrupted, landed = 0, 0
    for _ in range(KILLS):
        under_way = _run_and_kill(root, index_dir, reported, rng.uniform(0, 0.12))
        on_disk = _files_are_old_or_new(root, reported)
        interrupted += under_way
        landed += under_way and any(on_disk.get(i) == n and reported["done"].get(i) != n
                                    for i, n in reported["start"].items())
        reported["done"].update(on_disk)  # what is on disk is the next "old"
    # The kills really fell inside saves, both before the file was replaced and after (during the
    # history, audit or index steps).
    assert interrupted >= KILLS * 0.8 and 0 < landed < interrupted, (interrupted, landed)
    audit_path = root / "instance" / "audit.jsonl"
    entries = AuditLog(audit_path).entries()
    assert len(entries) >= len(reported["done"])  # the audit log reads and holds the saves
    lines = audit_path.read_bytes().split(b"\n")
    torn = [line for line in lines[:-1] if line and not _parses(line)]
    assert len(torn) <= KILLS  # at most one torn line per kill, and the reader skips them
    assert all(e["who"] == "kill-test" and e["after"] for e in entries)

    context = ArchiveContext(ArchivePaths.for_root(root, index_dir=index_dir))
    context.start()  # start-up check: sweep temp files, bring the index in step with the files
    assert not [p for p in root.rglob("*.tmp")]
    versions = _files_are_old_or_new(root, reported)
    for i, n in versions.items():
        hits = {h.slug for h in context.search.search(SearchRequest(query=MARKERS[n % len(MARKERS)],
                                                                    role="archivist", per_page=50)).hits}
        stale = {h.slug for h in context.search.search(SearchRequest(query=MARKERS[(n - 1) % len(MARKERS)],
                                                                     role="archivist", per_page=50)).hits}
        assert f"s{i}" in hits and f"s{i}" not in stale
    afters = {e["after"] for e in entries}
    for i in versions:  # who wrote the current file is never lost: it is in the history and the audit log
        current = context.store.get_story(f"s{i}").version
        assert current in {v.version for v in context.history.versions("stories", f"s{i}")}
        assert current in afters


def _parses(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True
