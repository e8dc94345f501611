"""Fault soak (`make soak`): SIGKILL the production server while archivists save stories and
upload photos, and `archive index --rebuild` while it rebuilds; then restart.  After every
kill: no story file is truncated or half-written (each parses and holds only whole saved
sentences), no temp file is left once the server is up again, the audit log reads line by
line with no torn line, every photo a story lists exists, and the index agrees with the files.
(A full disk during a save and a read-only root are in tests/test_readonly_storage.py, part of
`make test`.)"""
from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.corpus import CorpusSpec, write_corpus
from bench.saves import Session, add_accounts, start_server
from bench.web import free_port
from soak.test_load import _upload

KILLS = int(os.environ.get("SOAK_KILLS", "6"))
SAMPLE = 200


def _archive(tmp: Path) -> Path:
    root = tmp / "archive"
    write_corpus(root, CorpusSpec(n=SAMPLE, chars=3000))
    add_accounts(tmp / "instance", 2)
    os.environ["ARCHIVE_COOKIE_SECURE"] = "0"
    return root


def _work(port: int, stop: threading.Event, done: dict) -> list[threading.Thread]:
    """One archivist saving, one uploading photos, until the server dies or `stop` is set."""

    def saving() -> None:
        try:
            session, count = Session(port, "saver0"), 0
            while not stop.is_set():
                session.save("story-00001", done.setdefault("next", 0), None)
                done["saved"] = done["next"]
                done["next"] += 1
                count += 1
        except (SystemExit, OSError, http.client.HTTPException):  # the server was killed mid-answer
            return

    def uploading() -> None:
        try:
            session, seed = Session(port, "saver1"), 0
            while not stop.is_set():
                _upload(session, "story-00002", seed)
                seed += 1
        except (SystemExit, OSError, IndexError, http.client.HTTPException):
            return

    return [threading.Thread(target=saving), threading.Thread(target=uploading)]


def _check_files(root: Path, instance: Path, context_root: Path) -> list[str]:
    from archive.store import ContentStore

    problems = []
    store = ContentStore(root)
    store.list_stories()
    problems += [f"unreadable {path}: {error}" for path, error in store.load_errors.items()]
    story = store.get_story("story-00001")
    if story is None or not story.body.endswith("\n"):
        problems.append("story-00001 truncated")
    temp = [str(p) for p in root.rglob("*.tmp")]
    problems += [f"temp file left: {p}" for p in temp]
    for line_number, line in enumerate((instance / "audit.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        try:
            json.loads(line)
        except ValueError:
            problems.append(f"torn audit line {line_number}")
    photos = store.get_story("story-00002")
    problems += [f"listed photo missing: {m.file}" for m in (photos.media if photos else [])
                 if not (root / "media" / m.file).is_file()]
    return problems


def test_sigkill_during_saves_and_uploads_loses_nothing(tmp_path):
    root = _archive(tmp_path)
    rng = random.Random(14)
    done: dict = {}
    rows = []
    for kill in range(KILLS):
        port = free_port()
        server = start_server(root, tmp_path, port, threads=8)
        stop = threading.Event()
        workers = _work(port, stop, done)
        for worker in workers:
            worker.start()
        time.sleep(rng.uniform(1.5, 4.0))
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
        port = free_port()
        server = start_server(root, tmp_path, port, threads=4)  # the start-up sweep and index check run here
        try:
            problems = _check_files(root, tmp_path / "instance", root)
            last = done.get("saved")
            found = last is None or _indexed(port, last)
        finally:
            server.terminate()
            server.wait(timeout=60)
        rows.append((kill + 1, done.get("saved"), problems, found))
        assert problems == [], (kill, problems)
        assert found, f"kill {kill + 1}: the last save ({last}) is not searchable after the restart"
    print("\n杀进程测试（保存与上传中 SIGKILL）：")
    for number, saved, problems, found in rows:
        print(f"  第 {number} 次：最后成功保存第 {saved} 版；问题 {len(problems)} 个；索引{'一致' if found else '不一致'}")


def _indexed(port: int, number: int) -> bool:
    session = Session(port, "saver0")
    from urllib.parse import quote

    answer = json.loads(session.request("GET", f"/api/search?q={quote(f'第{number}次补记')}&per_page=50")[1])
    return "story-00001" in {hit["slug"] for hit in answer.get("hits", [])}


def test_sigkill_during_a_rebuild_leaves_a_working_index(tmp_path):
    root = _archive(tmp_path)
    env = dict(os.environ, ARCHIVE_INSTANCE_DIR=str(tmp_path / "instance"), ARCHIVE_CACHE_DIR=str(tmp_path / "cache"))
    command = [sys.executable, "-c", "from archive.cli import main; main()", "--root", str(root), "--index-dir",
               str(tmp_path / "index")]
    subprocess.run([*command, "index", "--rebuild"], env=env, check=True, capture_output=True, timeout=600)
    rng = random.Random(16)
    for _ in range(max(2, KILLS // 2)):
        rebuild = subprocess.Popen([*command, "index", "--rebuild"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 6.0))
        rebuild.send_signal(signal.SIGKILL)
        rebuild.wait(timeout=30)
    total = _total(command, env)
    fresh = [*command[:-1], str(tmp_path / "fresh-index")]
    subprocess.run([*fresh, "index", "--rebuild"], env=env, check=True, capture_output=True, timeout=600)
    print(f"\n重建索引时 SIGKILL 之后：检索“老兵”命中 {total} 篇；从头重建的索引命中 {_total(fresh, env)} 篇")
    assert total == _total(fresh, env)
    assert total > 0
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp") and "index" not in p.parts]
    assert leftovers == []


def _total(command: list[str], env: dict) -> int:
    result = subprocess.run([*command, "search", "老兵", "--json", "--limit", "1"], env=env, capture_output=True,
                            check=False, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["total"]
