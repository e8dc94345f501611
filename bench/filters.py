"""Filter benchmark (issue 17): how long the filtered story list takes on a synthetic
archive, beside a trivial route (/ping) of the same app in the same run.

Measured in-process with Flask's test client (no network), anonymous reader:
- the first filtered list after a change of the files (the shelf's facts are built),
- /stories/ with no filter, with one (conflict) and with four (conflict, audience,
  recording, length) -- warm, median of repeated requests,
and each as a multiple of /ping.  Nothing here is a timed test; it prints figures.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench.corpus import CorpusSpec, write_corpus

ROUTES = {
    "无筛选": "/stories/",
    "一项（战争）": "/stories/?conflict=" + quote("抗美援朝战争"),
    "四项": "/stories/?conflict=" + quote("抗美援朝战争") + "&audience=" + quote("初中") + "&recording=1&length=15",
}


def _median_ms(client, url: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def main(argv: list[str]) -> int:
    """Print the figures; returns 0."""
    parser = argparse.ArgumentParser(prog="python -m bench filters")
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    from archive import create_app

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "archive"
        write_corpus(root, CorpusSpec(n=args.stories, chars=args.chars))
        app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": f"{scratch}/index",
                          "CACHE_DIR": f"{scratch}/cache", "INSTANCE_DIR": f"{scratch}/instance"})
        client = app.test_client()
        ping = _median_ms(client, "/ping", args.repeat * 4)
        start = time.perf_counter()
        client.get(ROUTES["四项"])
        cold = (time.perf_counter() - start) * 1000
        print(f"语料：{args.stories} 篇合成访谈，每篇约 {args.chars} 字；匿名读者；Flask 测试客户端（进程内）")
        print(f"/ping 基线：{ping:.2f} ms")
        print(f"文件变动后的第一次筛选（建立事实表）：{cold:.0f} ms（{cold / ping:.0f} 倍基线）")
        for label, url in ROUTES.items():
            warm = _median_ms(client, url, args.repeat)
            print(f"{label}：中位数 {warm:.1f} ms（{warm / ping:.0f} 倍基线）")
    return 0
