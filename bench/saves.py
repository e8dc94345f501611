"""Save benchmark: how long an archivist's save takes while readers search and read, against
the production server (`archive serve`, waitress) over a generated corpus, beside the same
saves on an idle server in the same run.

    python -m bench saves [--n 2000] [--readers 30] [--savers 3] [--seconds 60] [--threads 8] [--corpus DIR]

The index is built by `archive index --rebuild` in its own process before the server starts,
so the server starts as a restarted site does: index on disk, no story read yet.  `--corpus
DIR` keeps the generated archive and its index in DIR for the next run (each run works on a
copy), so two versions of the code can be measured on the same files.

Each saver signs in and saves one of its own stories through the JSON API (GET its source,
PUT it back with one more sentence) about once a second; every other save also adds a tag
with a name the archive did not know (as archivists do when they name a comrade), so the
vocabulary changes.  Each reader asks for search pages and story pages in turn, with no
pause.  Printed: p50/p95/max of a save (the PUT) idle and
under load and their ratio, and the readers' requests/s and p50/p95 while saves run.
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.corpus import CorpusSpec, write_corpus
from bench.web import SEARCHES, Figures, drive, fetch, free_port, public_story_paths

PASSWORD = "bench-saves-password-1"
PAUSE = 1.0  # seconds a saver waits between two saves
NAME_CHARS = "澜瀚煜曜翊骁璟琰"  # not used by bench.corpus: names made of them are new to the archive
NAMES = itertools.count()  # every other save tags its story with the next new name
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Session:
    """One signed-in archivist on a keep-alive connection (cookies kept by hand)."""

    def __init__(self, port: int, username: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookies: dict[str, str] = {}
        page = self.request("GET", "/login")[1].decode()
        form = {"username": username, "password": PASSWORD, "csrf_token": CSRF.search(page).group(1)}
        status, _ = self.request("POST", "/login", urlencode(form), "application/x-www-form-urlencoded")
        if status != 302:
            raise SystemExit(f"{username} 登录失败：{status}")
        self.csrf = CSRF.search(self.request("GET", "/login")[1].decode()).group(1)

    def request(self, method: str, path: str, body: str | None = None, kind: str | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Encoding": "identity"}
        if kind:
            headers["Content-Type"] = kind
        if method != "GET" and getattr(self, "csrf", None):
            headers["X-CSRF-Token"] = self.csrf
        self.connection.request(method, path, body=body.encode() if body else None, headers=headers)
        response = self.connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read()

    def save(self, slug: str, number: int, name: str | None) -> float:
        """Append a sentence to the story (and a tag `name`, if given); the seconds the PUT took."""
        source = json.loads(self.request("GET", f"/api/stories/{quote(slug)}/source")[1])
        body = source["body"].rstrip("\n") + f"\n\n[09:59:{number % 60:02d}] 第{number}次补记：他又想起一件事。\n"
        meta = source["meta"]
        if name:
            meta["tags"] = [*meta.get("tags", []), name]
        payload = json.dumps({"meta": meta, "body": body, "base_version": source["version"],
                              "message": "bench"}, ensure_ascii=False)
        started = time.perf_counter()
        status, answer = self.request("PUT", f"/api/stories/{quote(slug)}", payload, "application/json")
        if status != 200:
            raise SystemExit(f"保存 {slug} 失败：{status} {answer[:300]!r}")
        return time.perf_counter() - started


def run_savers(port: int, savers: int, seconds: float, first_story: int) -> Figures:
    """`savers` archivists each save their own stories for `seconds`."""
    figures = Figures("save")
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def saver(number: int) -> None:
        session = Session(port, f"saver{number}")
        mine, count = [], 0
        while time.perf_counter() < stop_at:
            slug = f"story-{first_story + number * 50 + count % 50:05d}"
            mine.append(session.save(slug, count, None if count % 2 else new_name(next(NAMES))))
            count += 1
            time.sleep(PAUSE)
        with lock:
            figures.latencies.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=saver, args=(i,)) for i in range(savers)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    figures.seconds = time.perf_counter() - started
    return figures


def start_server(root: Path, scratch: Path, port: int, threads: int) -> subprocess.Popen:
    """`archive serve` in its own process, its log in scratch/server.log (a pipe nobody reads would
    fill and stop the server); returns once /ping answers."""
    env = dict(os.environ, ARCHIVE_CACHE_DIR=str(scratch / "cache"), ARCHIVE_INSTANCE_DIR=str(scratch / "instance"))
    command = [sys.executable, "-c", "from archive.cli import main; main()", "--root", str(root), "--index-dir",
               str(scratch / "index"), "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads)]
    with open(scratch / "server.log", "wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"服务器没有启动：{(scratch / 'server.log').read_text(errors='replace')[-2000:]}")
        try:
            if fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=2), "/ping")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("服务器 600 秒内没有响应")


def new_name(number: int) -> str:
    """Name `number` of 512 that nobody in the corpus has (欧阳 + three of NAME_CHARS)."""
    width = len(NAME_CHARS)
    return "欧阳" + "".join(NAME_CHARS[number // width ** place % width] for place in range(3))


def prepare(spec: CorpusSpec, kept: Path | None, scratch: Path) -> Path:
    """scratch/archive and scratch/index: generated and indexed (`archive index --rebuild`, in its
    own process), or copied from `kept` where an earlier run left them."""
    source = kept or scratch / "generated"
    if not (source / "index" / "CURRENT").is_file():
        shutil.rmtree(source, ignore_errors=True)
        write_corpus(source / "archive", spec)
        subprocess.run([sys.executable, "-c", "from archive.cli import main; main()", "--root", str(source / "archive"),
                        "--index-dir", str(source / "index"), "index", "--rebuild"], check=True,
                       stdout=subprocess.DEVNULL)
    for name in ("archive", "index"):
        shutil.copytree(source / name, scratch / name)
    return scratch / "archive"


def add_accounts(instance: Path, savers: int) -> None:
    from archive.accounts.users import AccountStore

    instance.mkdir(parents=True, exist_ok=True)
    store = AccountStore(instance)
    store.db.ensure()
    for number in range(savers):
        store.add_user(f"saver{number}", PASSWORD, "archivist")


def report(spec: CorpusSpec, args, idle: Figures, loaded: Figures, reads: Figures) -> str:
    """The figures, and loaded/idle ratios."""
    machine = f"{os.cpu_count()} 核"
    lines = [(f"语料 {spec.n} 篇 × 约 {spec.chars} 字；waitress {args.threads} 线程；{machine}；"
              f"{args.savers} 名档案员（每次保存间隔 {PAUSE:g} 秒），{args.readers} 个读者（不停顿）"),
             f"{'':<14}{'次数':>6}{'p50 ms':>10}{'p95 ms':>10}{'最长 ms':>10}"]
    for name, fig in (("保存（空闲）", idle), ("保存（有读者）", loaded)):
        worst = max(fig.latencies) * 1000 if fig.latencies else 0.0
        lines.append(f"{name:<12}{len(fig.latencies):>8}{fig.percentile(0.5):>10.0f}{fig.percentile(0.95):>10.0f}{worst:>10.0f}")
    lines.append(f"读者（保存进行中）：{reads.rate:.1f} 请求/秒，p50 {reads.percentile(0.5):.0f} ms，"
                 f"p95 {reads.percentile(0.95):.0f} ms，错误 {reads.errors}")
    if idle.latencies and loaded.latencies:
        lines.append(f"有读者时 / 空闲时：p50 {loaded.percentile(0.5) / idle.percentile(0.5):.1f} 倍，"
                     f"p95 {loaded.percentile(0.95) / idle.percentile(0.95):.1f} 倍")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Generate the corpus, start the server, measure saves idle and under readers, print."""
    parser = argparse.ArgumentParser(prog="python -m bench saves", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="故事篇数（默认 2000）")
    parser.add_argument("--chars", type=int, default=3000, help="每篇字数（默认 3000）")
    parser.add_argument("--readers", type=int, default=30, help="并发读者数（默认 30）")
    parser.add_argument("--savers", type=int, default=3, help="同时保存的档案员数（默认 3）")
    parser.add_argument("--seconds", type=float, default=60.0, help="有读者时的测量秒数（默认 60）")
    parser.add_argument("--idle-seconds", type=float, default=15.0, help="空闲时的测量秒数（默认 15）")
    parser.add_argument("--threads", type=int, default=8, help="服务器工作线程数（默认 8）")
    parser.add_argument("--corpus", type=Path, default=None, help="把生成的档案和索引留在这里，下次直接复制使用")
    args, _unknown = parser.parse_known_args(argv)
    spec = CorpusSpec(n=args.n, chars=args.chars)
    with tempfile.TemporaryDirectory(prefix="bench-saves-") as scratch:
        root = prepare(spec, args.corpus, Path(scratch))
        add_accounts(Path(scratch) / "instance", args.savers)
        port = free_port()
        server = start_server(root, Path(scratch), port, args.threads)
        try:
            paths = [f"/search?q={quote(q)}" for q in SEARCHES] + public_story_paths(port)[:40]
            drive(port, paths, args.readers, 2.0)  # warm-up
            idle = run_savers(port, args.savers, args.idle_seconds, first_story=0)
            reads = Figures("reads")
            reader = threading.Thread(target=lambda: reads.__dict__.update(
                drive(port, paths, args.readers, args.seconds + 5).__dict__))
            reader.start()
            time.sleep(2.0)
            loaded = run_savers(port, args.savers, args.seconds, first_story=args.n // 2)
            reader.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(report(spec, args, idle, loaded, reads))
    return 0
