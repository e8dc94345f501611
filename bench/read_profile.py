"""Read profile: CPU per request of the load soak's read mix, in process, with saves between.

    python -m bench read_profile [--corpus DIR] [--requests 1500] [--save-every 15] [--profile] [--top 30]

The archive is the soak's (the sample enlarged to 2,000 stories, bench.corpus.enlarged_sample),
kept in `--corpus DIR` for the next run when given (its index too).  The app comes from
create_app; one anonymous reader replays the soak's pages (bench.web.read_mix) in a random order
through Flask's test client, and every `--save-every` requests an archivist's save goes through
the Editor (one more sentence in one of the soak savers' five stories, as the soak's PUT does).
In the soak 50 readers pausing about a second make ~45 pages/s against ~1.6-2.5 saves/s, so 15
to 25 reads a save is the mix to look at.

Printed: CPU ms per request by kind of page (mean, p95), the share of the process's CPU each kind
takes, the saves' own CPU, the reads that came right after a save against the others (what a save
costs the next reader: a new shelf, a new index reader), and what that means for one process: the
reads per second one core could serve.  With `--profile`, the cProfile top by own time and by
cumulative time over the measured part.
"""
from __future__ import annotations

import argparse
import copy
import cProfile
import io
import pstats
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.corpus import enlarged_sample
from bench.web import read_mix

SAVED_STORIES = [f"story-{number * 7:05d}" for number in range(5)]  # the soak savers' stories
KINDS = (("/search", "search"), ("/stories/", "story"), ("/media/thumb/", "thumb"),
         ("/media/recording/", "recording"))


def kind_of(path: str) -> str:
    """The kind of page a path is, for the table."""
    if path in ("/", "/browse/", "/stories/", "/people/", "/timeline/"):
        return {"/": "home", "/browse/": "browse", "/stories/": "list", "/people/": "people",
                "/timeline/": "timeline"}[path]
    return next((name for prefix, name in KINDS if path.startswith(prefix)), "other")


def make_app(root: Path, scratch: Path):
    """The web app over `root`, its index, cache and instance folders in `scratch`."""
    from archive.app import create_app

    return create_app({"ARCHIVE_ROOT": str(root), "INDEX_DIR": str(scratch / "index"),
                       "CACHE_DIR": str(scratch / "cache"), "INSTANCE_DIR": str(scratch / "instance"),
                       "TESTING": True})


def save_once(context, slug: str, number: int) -> None:
    """One archivist's save: a sentence appended to the story, through the Editor."""
    story = context.store.get_story(slug)
    edited = copy.copy(story)
    edited.meta = copy.deepcopy(story.meta)
    edited.body = story.body.rstrip("\n") + f"\n\n[09:59:{number % 60:02d}] 第{number}次补记：他又想起一件事。\n"
    context.editor.save_story(edited, story.version, "bench", "bench")


def replay(app, paths: list[str], requests: int, save_every: int, seed: int = 7) -> dict:
    """Replay `requests` reads (and the saves between); CPU seconds per read by kind and more."""
    client, context = app.test_client(), app.extensions["archive"]
    rng = random.Random(seed)
    by_kind: dict[str, list[float]] = defaultdict(list)
    after_save, others, saves = [], [], []
    just_saved = False
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    for number in range(requests):
        if save_every and number and number % save_every == 0:
            before = time.process_time()
            save_once(context, SAVED_STORIES[number // save_every % len(SAVED_STORIES)], number)
            saves.append(time.process_time() - before)
            just_saved = True
        path = rng.choice(paths)
        before = time.process_time()
        response = client.get(path)
        spent = time.process_time() - before
        if response.status_code not in (200, 206):
            raise SystemExit(f"{path}: {response.status_code}")
        by_kind[kind_of(path)].append(spent)
        (after_save if just_saved else others).append(spent)
        just_saved = False
    return {"kinds": by_kind, "after_save": after_save, "others": others, "saves": saves,
            "cpu": time.process_time() - started_cpu, "wall": time.perf_counter() - started_wall}


def _ms(values: list[float], share: float | None = None) -> float:
    if not values:
        return 0.0
    if share is None or len(values) < 2:
        return statistics.fmean(values) * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1] * 1000


def report(figures: dict, save_every: int) -> str:
    """The table of CPU per request by kind, and what it means for one process."""
    reads = [spent for values in figures["kinds"].values() for spent in values]
    total = sum(reads) + sum(figures["saves"]) or 1.0
    lines = [f"{'页面':<10}{'次数':>6}{'CPU 平均 ms':>12}{'CPU p95 ms':>12}{'占 CPU':>8}"]
    for kind, values in sorted(figures["kinds"].items(), key=lambda item: -sum(item[1])):
        lines.append(f"{kind:<12}{len(values):>6}{_ms(values):>12.1f}{_ms(values, 0.95):>12.1f}"
                     f"{sum(values) / total:>8.0%}")
    saves = figures["saves"]
    lines.append(f"{'save':<12}{len(saves):>6}{_ms(saves):>12.1f}{_ms(saves, 0.95):>12.1f}{sum(saves) / total:>8.0%}")
    per_read = (sum(reads) + sum(saves)) / len(reads)
    lines += [(f"保存之后的第一个读请求 CPU 平均 {_ms(figures['after_save']):.1f} ms，其余 {_ms(figures['others']):.1f} ms"
              f"（一次保存让下一个读者多花 {_ms(figures['after_save']) - _ms(figures['others']):.1f} ms）"),
              (f"每 {save_every} 个读请求一次保存：每个读请求平均 {_ms(reads):.1f} ms CPU，"
              f"连同保存 {per_read * 1000:.1f} ms；一个核每秒最多约 {1 / per_read:.0f} 个读请求"
              f"（进程 CPU {figures['cpu']:.1f} s，墙钟 {figures['wall']:.1f} s）")]
    return "\n".join(lines)


def profile_top(profiler: cProfile.Profile, top: int) -> str:
    """cProfile's top functions by own time and by cumulative time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str]) -> int:
    """Build (or reuse) the archive, warm up, replay the read mix with saves, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench read_profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None, help="保留生成的档案和索引的目录（下次直接用）")
    parser.add_argument("--requests", type=int, default=1500, help="测量的读请求数（默认 1500）")
    parser.add_argument("--save-every", type=int, default=15, help="每多少个读请求一次保存（默认 15；0 不保存）")
    parser.add_argument("--profile", action="store_true", help="用 cProfile 测量并打印最耗时的函数")
    parser.add_argument("--top", type=int, default=30, help="cProfile 打印多少行（默认 30）")
    args, _unknown = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-read-") as temp:
        base = args.corpus or Path(temp)
        root = base / "archive"
        if not (root / "stories").is_dir():
            print(f"生成 2,000 篇故事的档案：{root}", flush=True)
            enlarged_sample(root)
        app = make_app(root, base)
        client = app.test_client()
        paths = read_mix(lambda path: client.get(path).data)
        replay(app, paths, len(paths) * 2, args.save_every)  # warm-up: thumbnails, caches, index readers
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        figures = replay(app, paths, args.requests, args.save_every)
        if profiler:
            profiler.disable()
    print(f"读请求 {args.requests} 个（{len(paths)} 个不同页面，随机），每 {args.save_every} 个一次保存"
          + ("，cProfile 开启（数字偏大）" if profiler else ""))
    print(report(figures, args.save_every))
    if profiler:
        print(profile_top(profiler, args.top))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
