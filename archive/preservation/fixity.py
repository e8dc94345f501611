"""Fixity checks: re-read every content file and compare it with the manifest.

A check reads every byte of every file (that is what fixity means; nothing is skipped because
its size or time looks unchanged) and reports each file once: `changed`, `missing` or
`untracked`.  The last check's result is kept in the instance folder for the admin page.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.preservation.content import content_files, is_content, relative_to_root
from archive.preservation.manifest import Manifest, sha256_of
from archive.safe_write import atomic_write_text

KINDS = ("changed", "missing", "untracked")
KIND_NAMES = {"changed": "内容已改变", "missing": "文件缺失", "untracked": "清单外的新文件"}
LAST_CHECK = "fixity-last-check.json"
SHOWN_PROBLEMS = 200  # the admin page lists this many; the count is always complete


@dataclass
class FixityReport:
    """What one check found."""

    at: str
    files: int = 0
    bytes: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, relative path)

    @property
    def ok(self) -> bool:
        """Nothing changed, missing or untracked."""
        return not self.problems

    def counts(self) -> dict[str, int]:
        """{kind: number of files}."""
        return {kind: sum(1 for k, _ in self.problems if k == kind) for kind in KINDS}

    def summary(self) -> str:
        """One Chinese line: how much was read and what was found."""
        size = f"{self.bytes / 1024 ** 2:.1f} MB"
        if self.ok:
            return f"固定性检查通过：{self.files} 个文件（{size}）与清单一致。"
        found = "，".join(f"{KIND_NAMES[k]} {n} 个" for k, n in self.counts().items() if n)
        return f"固定性检查发现 {len(self.problems)} 个问题（{found}），共读取 {self.files} 个文件（{size}）。"

    def to_json(self) -> dict:
        """The report as JSON-ready data."""
        data = asdict(self)
        data["problems"] = [{"kind": k, "path": p} for k, p in self.problems]
        return dict(data, ok=self.ok, counts=self.counts())


def check_fixity(root: Path, progress: Callable[[int], None] | None = None) -> FixityReport:
    """Hash every content file under `root` and compare with its manifest (which must exist)."""
    recorded = Manifest(root).read()
    report = FixityReport(at=_now())
    for relative in content_files(root):
        expected = recorded.pop(relative, None)
        if expected is None:
            report.problems.append(("untracked", relative))
            continue
        path = Path(root) / relative
        size = path.stat().st_size
        if sha256_of(path) != expected:
            report.problems.append(("changed", relative))
        report.files += 1
        report.bytes += size
        if progress is not None:
            progress(size)
    report.problems += [("missing", relative) for relative in sorted(recorded)]
    report.problems.sort(key=lambda problem: problem[1])
    return report


def total_bytes(root: Path) -> int:
    """Bytes of all content files (the length of a progress bar)."""
    return sum(os.path.getsize(Path(root) / relative) for relative in content_files(root))


def init_manifest(root: Path) -> int:
    """Record the manifest of every content file now on disk; return how many."""
    entries = {relative: sha256_of(Path(root) / relative) for relative in content_files(root)}
    Manifest(root).write(entries)
    return len(entries)


class FixityRecorder:
    """An Editor observer: every file written or deleted through the app is re-hashed at once,
    so a check after saves finds nothing (a root without a manifest is left alone)."""

    def __init__(self, root: Path):
        self.manifest = Manifest(root)

    def changed(self, paths: list[Path], who: str, action: str, message: str) -> None:
        """Re-hash the content files among `paths`."""
        if not self.manifest.exists():
            return
        relatives = [r for r in (relative_to_root(self.manifest.root, p) for p in paths) if r and is_content(r)]
        if relatives:
            self.manifest.record(relatives)


def save_last_check(instance_dir: Path, report: FixityReport) -> None:
    """Keep the report for the admin page (the problem list cut to SHOWN_PROBLEMS)."""
    data = report.to_json()
    data["problems"] = data["problems"][:SHOWN_PROBLEMS]
    atomic_write_text(Path(instance_dir) / LAST_CHECK, json.dumps(data, ensure_ascii=False, indent=1))


def last_check(instance_dir: Path) -> dict | None:
    """The last check's report as saved, or None (never checked, or unreadable)."""
    try:
        data = json.loads((Path(instance_dir) / LAST_CHECK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
