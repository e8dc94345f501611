"""Web benchmark: requests/s and latency of the home, story and search pages with 8
concurrent clients against the production server (`archive serve`, waitress), beside
a trivial route (/ping) of the same server in the same run.

The server runs in its own process over the sample archive (index, cache and
instance folders in a temp folder); the clients are threads with keep-alive
connections.  Each route is driven for the same number of seconds, after a warm-up, in
rounds that take turns, so a busy moment of a shared machine hits every route.
Printed: requests/s, p50/p95/p99 latency, errors, and each page's throughput as a
share of the trivial route's (target: story page >= 50%; search page p95 < 150 ms).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
SEARCHES = ["长津湖", "老兵", "一等功", "渡江", "冻土豆", "抗美援朝", "侦察兵", "光荣在党", "排雷", "党史"]


@dataclass
class Figures:
    """What one route measured."""

    route: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Latency in ms at this share (0.95 for p95)."""
        if len(self.latencies) < 2:
            return (self.latencies[0] * 1000) if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(share * 100) - 1] * 1000


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(root: Path, scratch: Path, port: int, threads: int) -> subprocess.Popen:
    """`archive --root ROOT serve` in its own process; returns once /ping answers."""
    env = dict(os.environ, ARCHIVE_CACHE_DIR=str(scratch / "cache"), ARCHIVE_INSTANCE_DIR=str(scratch / "instance"))
    command = [sys.executable, "-c", "from archive.cli import main; main()", "--root", str(root), "--index-dir", str(scratch / "index"),
               "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"服务器没有启动：{server.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            status, _ = fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=2), "/ping")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("服务器 180 秒内没有响应")


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """GET path on a keep-alive connection."""
    connection.request("GET", path, headers={"Accept-Encoding": "identity"})
    response = connection.getresponse()
    return response.status, response.read()


def drive(port: int, paths: list[str], clients: int, seconds: float) -> Figures:
    """`clients` threads request `paths` in turn for `seconds`; return what they measured."""
    figures = Figures(paths[0])
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, errors, turn = [], 0, offset
        while time.perf_counter() < stop_at:
            path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            try:
                status, _ = fetch(connection, path)
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            if status == 200:
                mine.append(time.perf_counter() - started)
            else:
                errors += 1
        connection.close()
        with lock:
            figures.latencies.extend(mine)
            figures.errors += errors

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    figures.seconds = time.perf_counter() - started
    return figures


def read_mix(get: Callable[[str], bytes]) -> list[str]:
    """The load soak's reader pages: home, the lists, 60 story pages, SEARCHES and the media of
    three sample stories; `get(path)` answers a GET's body (over HTTP, or from a test client)."""
    stories = json.loads(get("/api/stories?per_page=100"))
    items = stories.get("stories") or stories.get("items") or stories.get("results") or []
    story_pages = [f"/stories/{quote(s['slug'])}" for s in items[:60]]
    media = []
    for slug in ("li-chunsheng-du-jiang", "liu-guiying-yao-xiang", "gao-ming-zhen-cha-bing"):
        for item in json.loads(get(f"/api/stories/{slug}") or b"{}").get("media", []):
            kind = "recording" if item["file"].endswith((".ogg", ".mp3", ".wav")) else "thumb"
            media.append(f"/media/{kind}/{quote(item['file'])}")
    return (["/", "/browse/", "/stories/", "/people/", "/timeline/"] + story_pages
            + [f"/search?q={quote(q)}" for q in SEARCHES] + media)


def public_story_paths(port: int) -> list[str]:
    """Story pages an anonymous reader may open (from the JSON API)."""
    _, body = fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=30), "/api/stories?per_page=100")
    return [f"/stories/{quote(story['slug'])}" for story in json.loads(body)["stories"]]


def report(results: dict[str, Figures], clients: int) -> str:
    """The table and the ratios against the trivial route."""
    base = results["trivial"].rate or 1.0
    lines = [f"{clients} 个并发客户端，waitress（archive serve），每条路由共 {results['trivial'].seconds:.1f} 秒",
             f"{'路由':<10}{'请求/秒':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'错误':>7}{'相对 /ping':>12}"]
    for name, fig in results.items():
        lines.append(f"{name:<12}{fig.rate:>10.1f}{fig.percentile(0.50):>10.1f}{fig.percentile(0.95):>10.1f}"
                     f"{fig.percentile(0.99):>10.1f}{fig.errors:>7}{fig.rate / base:>12.0%}")
    story, search = results["story"], results["search"]
    lines.append(f"故事页吞吐量 / 空路由 = {story.rate / base:.0%}（目标 ≥ 50%）："
                 f"{'达标' if story.rate / base >= 0.5 else '未达标'}")
    lines.append(f"搜索页 p95 = {search.percentile(0.95):.1f} ms（目标 < 150 ms）："
                 f"{'达标' if search.percentile(0.95) < 150 else '未达标'}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Start the server, drive each route, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench web", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO, help="档案根目录（默认：仓库自带的示例档案）")
    parser.add_argument("--clients", type=int, default=8, help="并发客户端数（默认 8）")
    parser.add_argument("--seconds", type=float, default=5.0, help="每条路由测量秒数（默认 5）")
    parser.add_argument("--threads", type=int, default=8, help="服务器工作线程数（默认 8）")
    parser.add_argument("--rounds", type=int, default=3, help="各路由轮流测量的轮数（默认 3）")
    parser.add_argument("--json", type=Path, default=None, help="另把结果写成 JSON 文件")
    args, _unknown = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as scratch:
        port = free_port()
        server = start_server(args.root, Path(scratch), port, args.threads)
        try:
            routes = {
                "trivial": ["/ping"],
                "home": ["/"],
                "story": public_story_paths(port),
                "search": [f"/search?q={quote(q)}" for q in SEARCHES],
            }
            for paths in routes.values():  # warm-up: caches, thumbnails, index readers
                drive(port, paths, args.clients, 1.0)
            results = {name: Figures(name) for name in routes}
            for _round in range(args.rounds):  # routes take turns, so a busy moment of the machine hits all
                for name, paths in routes.items():
                    part = drive(port, paths, args.clients, args.seconds / args.rounds)
                    results[name].latencies += part.latencies
                    results[name].errors += part.errors
                    results[name].seconds += part.seconds
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(report(results, args.clients))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({name: {"rps": f.rate, "p50_ms": f.percentile(0.5),
                                                "p95_ms": f.percentile(0.95), "errors": f.errors}
                                         for name, f in results.items()}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
