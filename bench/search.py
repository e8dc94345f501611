"""Search benchmark: our index against (a) plain Whoosh with jieba's ChineseAnalyzer and
(b) SQLite FTS5 with the trigram tokenizer, on the same generated corpus, in one run.

    python -m bench search [--n 2000] [--chars 3000] [--max-chars N] [--vocab template|speech] [--keep DIR]
    python -m bench search --saves 20 --keep DIR   # only saves, on the archive and index a --keep run left in DIR

Prints full rebuild time and documents/s, save-to-searchable latency (one
story through `index_story`, as a save in the app does) and that of a full
`update()` scan, query p50/p95 over a fixed mix of 50 queries (a top-10 page with
snippets; ours also counts the exact total and the facets), index size, peak
memory (of the building process and, separately, of a fresh serving process
that opens the built index and answers the query mix), and how many queries
found anything — each with ours/(a) and ours/(b).
Every system runs in its own process, so peak memory is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import QUERY_MIX, CorpusSpec, story_body, write_corpus

SYSTEMS = ("ours", "whoosh-jieba", "fts5")
UPDATE_SLUG = "story-00007"
UPDATE_WORD = "独一无二的试验句子"


def _folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (load on the machine does not inflate it)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _percentiles(times: list[float]) -> tuple[float, float]:
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return statistics.median(times) * 1000, p95 * 1000


def _touch_story(root: Path) -> Path:
    path = root / "stories" / f"{UPDATE_SLUG}.md"
    text = path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n[09:59:00] 最后他说了一句{UPDATE_WORD}。\n"
    path.write_text(text, encoding="utf-8")
    return path


# -- the systems ---------------------------------------------------------------
def run_ours(root: Path, work: Path) -> dict:
    """Our engine: rebuild, queries through the public interface, update after a file save."""
    from archive.search.api import SearchRequest
    from archive.search.engine import WhooshSearchEngine
    from archive.store import ContentStore

    engine = WhooshSearchEngine(ContentStore(root), work / "index")
    started, cpu = time.perf_counter(), _cpu_seconds()
    count = engine.rebuild()
    rebuild, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    engine.search(SearchRequest(query="预热", role="admin"))
    times, found = [], 0
    for text in QUERY_MIX:
        began = time.perf_counter()
        results = engine.search(SearchRequest(query=text, role="admin", per_page=10))
        times.append(time.perf_counter() - began)
        found += results.total > 0
    _touch_story(root)
    began = time.perf_counter()
    engine.index_story(ContentStore(root).get_story(UPDATE_SLUG))  # what the Editor does after a save
    hits = engine.search(SearchRequest(query=f'"{UPDATE_WORD}"', role="admin")).hits
    latency = time.perf_counter() - began
    assert [h.slug for h in hits] == [UPDATE_SLUG], hits
    path = root / "stories" / f"{UPDATE_SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(UPDATE_WORD, "再说一遍" + UPDATE_WORD), encoding="utf-8")
    began = time.perf_counter()
    engine.update()  # `archive index`: compares every file with the manifest
    engine.search(SearchRequest(query=f'"{UPDATE_WORD}"', role="admin"))
    scan = time.perf_counter() - began
    return {"docs": count, "rebuild_s": rebuild, "rebuild_cpu_s": cpu, "times": times, "found": found, "update_s": latency,
            "scan_update_s": scan, "size": _folder_size(work / "index")}


def run_serving(root: Path, work: Path) -> dict:
    """A fresh process that opens the index `ours` built and answers the query mix twice: the memory a
    site's serving process needs (no rebuild in it)."""
    from archive.search.api import SearchRequest
    from archive.search.engine import WhooshSearchEngine
    from archive.store import ContentStore

    engine = WhooshSearchEngine(ContentStore(root), work / "index")
    times = []
    for text in QUERY_MIX + QUERY_MIX:
        began = time.perf_counter()
        engine.search(SearchRequest(query=text, role="admin", per_page=10))
        times.append(time.perf_counter() - began)
    first = _percentiles(times[:len(QUERY_MIX)])
    return {"times": times[len(QUERY_MIX):], "first_p50_ms": first[0], "first_p95_ms": first[1]}


def run_saves(root: Path, work: Path, count: int, pause: float = 1.0) -> dict:
    """Save-to-searchable in a fresh process on an index built before: answer the query mix once
    (a warm site), then `count` saves of different stories, each followed by the query that finds it,
    `pause` seconds apart (as archivists save; background merges run in the pauses)."""
    from archive.search.api import SearchRequest
    from archive.search.engine import WhooshSearchEngine
    from archive.store import ContentStore

    engine = WhooshSearchEngine(ContentStore(root), work / "index")
    for text in QUERY_MIX:
        engine.search(SearchRequest(query=text, role="admin", per_page=10))
    times = []
    for number in range(count):
        slug = f"story-{100 + number * 37 % 9000:05d}"
        word = UPDATE_WORD + "".join("澜瀚煜曜翊骁璟琰"[number // 8 ** place % 8] for place in range(3))
        path = root / "stories" / f"{slug}.md"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n[09:59:00] 他说{word}。\n",
                        encoding="utf-8")
        began = time.perf_counter()
        engine.index_story(ContentStore(root).get_story(slug))
        hits = engine.search(SearchRequest(query=f'"{word}"', role="admin")).hits
        times.append(time.perf_counter() - began)
        assert [h.slug for h in hits] == [slug], (slug, hits)
        time.sleep(pause)
    return {"times": [t * 1000 for t in times], "load": os.getloadavg()}


def run_whoosh_jieba(root: Path, work: Path) -> dict:
    """Baseline (a): what a Whoosh user gets by following jieba's README."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields, index
    from whoosh.qparser import QueryParser

    schema = fields.Schema(slug=fields.ID(stored=True, unique=True),
                           content=fields.TEXT(stored=True, analyzer=ChineseAnalyzer()))
    folder = work / "index"
    folder.mkdir(parents=True)
    ix = index.create_in(str(folder), schema)
    paths = sorted((root / "stories").glob("*.md"))
    started, cpu = time.perf_counter(), _cpu_seconds()
    writer = ix.writer()
    for path in paths:
        writer.add_document(slug=path.stem, content=story_body(path.read_text(encoding="utf-8")))
    writer.commit()
    rebuild, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    parser = QueryParser("content", schema)
    times, found = [], 0
    with ix.searcher() as searcher:
        for text in QUERY_MIX:
            began = time.perf_counter()
            results = searcher.search(parser.parse(text), limit=10)
            _snippets = [hit.highlights("content") for hit in results]
            times.append(time.perf_counter() - began)
            found += not results.is_empty()
    path = _touch_story(root)
    began = time.perf_counter()
    writer = ix.writer()
    writer.update_document(slug=path.stem, content=story_body(path.read_text(encoding="utf-8")))
    writer.commit()
    with ix.searcher() as searcher:
        searcher.search(parser.parse(UPDATE_WORD), limit=10)
    latency = time.perf_counter() - began
    return {"docs": len(paths), "rebuild_s": rebuild, "rebuild_cpu_s": cpu, "times": times, "found": found,
            "update_s": latency, "size": _folder_size(folder)}


def _fts_phrase(text: str) -> str:
    return '"' + text.strip('"').replace('"', '""') + '"'


def run_fts5(root: Path, work: Path) -> dict:
    """Baseline (b): SQLite FTS5 with the trigram tokenizer, ranked by bm25, with snippet()."""
    work.mkdir(parents=True, exist_ok=True)
    db_path = work / "fts.sqlite3"
    db = sqlite3.connect(db_path)
    db.execute("CREATE VIRTUAL TABLE stories USING fts5(slug UNINDEXED, body, tokenize='trigram')")
    paths = sorted((root / "stories").glob("*.md"))
    started, cpu = time.perf_counter(), _cpu_seconds()
    with db:
        db.executemany("INSERT INTO stories(slug, body) VALUES (?, ?)",
                       ((p.stem, story_body(p.read_text(encoding="utf-8"))) for p in paths))
    rebuild, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    sql = ("SELECT slug, snippet(stories, 1, '<mark>', '</mark>', '…', 24) FROM stories "
           "WHERE stories MATCH ? ORDER BY rank LIMIT 10")
    times, found = [], 0
    for text in QUERY_MIX:
        began = time.perf_counter()
        rows = db.execute(sql, (_fts_phrase(text),)).fetchall()
        times.append(time.perf_counter() - began)
        found += bool(rows)
    path = _touch_story(root)
    began = time.perf_counter()
    with db:
        db.execute("UPDATE stories SET body = ? WHERE slug = ?", (story_body(path.read_text(encoding="utf-8")), path.stem))
    rows = db.execute(sql, (_fts_phrase(UPDATE_WORD),)).fetchall()
    latency = time.perf_counter() - began
    assert rows and rows[0][0] == path.stem
    db.close()
    return {"docs": len(paths), "rebuild_s": rebuild, "rebuild_cpu_s": cpu, "times": times, "found": found,
            "update_s": latency, "size": _folder_size(db_path)}


RUNNERS = {"ours": run_ours, "whoosh-jieba": run_whoosh_jieba, "fts5": run_fts5, "serving": run_serving}


# -- the report ------------------------------------------------------------------
def _worker(system: str, corpus: Path, scratch: Path) -> dict:
    """Run one system on its own copy of the corpus (updates edit a file) and add its figures."""
    if system == "serving":  # the archive and index the `ours` worker left
        figures = run_serving(scratch / "ours-archive", scratch / "ours-work")
        figures["p50_ms"], figures["p95_ms"] = _percentiles(figures.pop("times"))
        figures["peak_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return figures
    root = scratch / f"{system}-archive"
    shutil.copytree(corpus, root)
    figures = RUNNERS[system](root, scratch / f"{system}-work")
    figures["p50_ms"], figures["p95_ms"] = _percentiles(figures.pop("times"))
    figures["peak_mb"] = _peak_mb()
    figures["peak_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def _measure(system: str, corpus: Path, scratch: Path) -> dict:
    command = [sys.executable, "-m", "bench.search", "--worker", system, "--corpus", str(corpus),
               "--scratch", str(scratch)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{system} 失败：\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


ROWS = [  # (label, key, format, lower is better)
    ("全量重建（秒）", "rebuild_s", "{:.1f}", True),
    ("重建速度（篇/秒）", "docs_per_s", "{:.1f}", False),
    ("重建 CPU 时间（秒，含子进程）", "rebuild_cpu_s", "{:.1f}", True),
    ("单篇更新到可搜（毫秒）", "update_ms", "{:.0f}", True),
    ("全量比对更新到可搜（毫秒）", "scan_update_ms", "{:.0f}", True),
    ("查询 p50（毫秒）", "p50_ms", "{:.1f}", True),
    ("查询 p95（毫秒）", "p95_ms", "{:.1f}", True),
    ("索引大小（MB）", "size_mb", "{:.1f}", True),
    ("峰值内存（MB）", "peak_mb", "{:.0f}", True),
    ("有结果的查询（/50）", "found", "{:d}", False),
]


def report(spec: CorpusSpec, figures: dict[str, dict]) -> str:
    """The table of figures with ours/(a) and ours/(b) ratios."""
    for values in figures.values():
        values["docs_per_s"] = values["docs"] / values["rebuild_s"]
        values["update_ms"] = values["update_s"] * 1000
        values["scan_update_ms"] = values.get("scan_update_s", values["update_s"]) * 1000
        values["size_mb"] = values["size"] / 1e6
    lines = [f"语料：{spec.n} 篇访谈，每篇 {spec.chars}" + (f"–{spec.max_chars}" if spec.max_chars else "")
             + f" 字（种子 {spec.seed}，词汇 {spec.vocab}）；CPU 核数 {os.cpu_count()}",
             f"{'指标':<22}{'ours':>10}{'(a) whoosh+jieba':>18}{'(b) fts5 trigram':>18}{'ours/(a)':>10}{'ours/(b)':>10}"]
    for label, key, fmt, _lower in ROWS:
        cells = [fmt.format(figures[s][key]) if s in figures else "-" for s in SYSTEMS]
        ratios = []
        for base in ("whoosh-jieba", "fts5"):
            if "ours" in figures and base in figures and figures[base][key]:
                ratios.append(f"{figures['ours'][key] / figures[base][key]:.2f}")
            else:
                ratios.append("-")
        lines.append(f"{label:<22}{cells[0]:>10}{cells[1]:>18}{cells[2]:>18}{ratios[0]:>10}{ratios[1]:>10}")
    if "ours" in figures and "whoosh-jieba" in figures:
        speedup = figures["whoosh-jieba"]["rebuild_s"] / figures["ours"]["rebuild_s"]
        lines.append(f"重建加速（(a) 用时 / ours 用时）：{speedup:.2f}×")
    return "\n".join(lines)


def saves_report(figures: dict) -> str:
    """Median, p95 and worst of the saves, with the machine's load while they ran."""
    times = figures["times"]
    load = "、".join(f"{x:.2f}" for x in figures["load"])
    return (f"保存到可搜（index_story + 查询）{len(times)} 次：中位 {statistics.median(times):.0f} 毫秒，"
            f"p95 {_percentiles([t / 1000 for t in times])[1]:.0f}，最慢 {max(times):.0f}；"
            f"各次：{' '.join(f'{t:.0f}' for t in times)}；load {load}；CPU 核数 {os.cpu_count()}")


def main(argv: list[str]) -> int:
    """Generate the corpus, measure every system, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="访谈篇数（默认 2000）")
    parser.add_argument("--chars", type=int, default=3000, help="每篇字数（默认 3000）")
    parser.add_argument("--max-chars", type=int, default=None, help="给出时每篇字数在 chars 与此值之间")
    parser.add_argument("--seed", type=int, default=1950)
    parser.add_argument("--vocab", choices=("template", "speech"), default="template",
                        help="template：几百个模板词；speech：七成句子由 jieba 词典按词频抽词（真实口语的长尾词汇）")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="逗号分隔：ours,whoosh-jieba,fts5")
    parser.add_argument("--keep", type=Path, default=None, help="把语料和索引留在这个目录")
    parser.add_argument("--saves", type=int, default=0,
                        help="只测保存到可搜：在 --keep 目录里上次留下的档案和索引上保存这么多篇")
    parser.add_argument("--pause", type=float, default=1.0, help="--saves 时两次保存之间的秒数（默认 1）")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.worker, args.corpus, args.scratch)))
        return 0
    if args.saves:
        if args.keep is None or not (args.keep / "ours-work" / "index" / "CURRENT").is_file():
            parser.error("--saves 需要 --keep DIR，且 DIR 里有上次运行留下的 ours-archive 与 ours-work")
        print(saves_report(run_saves(args.keep / "ours-archive", args.keep / "ours-work", args.saves, args.pause)))
        return 0
    spec = CorpusSpec(args.n, args.chars, args.max_chars, args.seed, args.vocab)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    scratch.mkdir(parents=True, exist_ok=True)
    corpus = scratch / "corpus"
    try:
        started = time.perf_counter()
        write_corpus(corpus, spec)
        print(f"已生成语料：{spec.n} 篇（{time.perf_counter() - started:.1f} 秒）", flush=True)
        figures = {}
        serving = None
        for system in [s for s in args.systems.split(",") if s in RUNNERS and s != "serving"]:
            print(f"正在测量 {system} …", flush=True)
            figures[system] = _measure(system, corpus, scratch)
            if system == "ours":
                serving = _measure("serving", corpus, scratch)
        print(report(spec, figures))
        if serving:
            print(f"服务进程（新进程打开已建好的索引，50 个查询各答两遍）：峰值内存 {serving['peak_self_mb']:.0f} MB；"
                  f"第一遍 p50 {serving['first_p50_ms']:.1f}、p95 {serving['first_p95_ms']:.1f} 毫秒，"
                  f"第二遍 p50 {serving['p50_ms']:.1f}、p95 {serving['p95_ms']:.1f} 毫秒")
        print("峰值内存中本进程所占（MB）：" + "，".join(f"{name} {values['peak_self_mb']:.0f}"
                                                 for name, values in figures.items()))
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
