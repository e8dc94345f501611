"""Upload benchmark: the server's memory while an archivist uploads a 1 GB recording.

`archive serve` (waitress) runs in its own process over a one-story archive with one
archivist; the client logs in, then streams a 1 GB WAV file (a real header, then a tone
generated on the fly, so the client holds 1 MB at a time) as the body of the upload PUT.
Printed: the server's resident memory when idle, its peak during the upload (VmHWM,
reset after the warm-up via /proc/PID/clear_refs), the difference (target: < 100 MB), the
upload rate, and the same figures for a 1 MB upload as a baseline measured in the same run.
"""
from __future__ import annotations

import argparse
import http.client
import math
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.web import free_port

PASSWORD = "bench-archivist-1"
STORY = "---\ntitle: 长访谈\nnarrator: 刘桂英\n---\n[00:00:01] 开始。\n"
RATE = 16000
CHUNK = 1024 * 1024


def _memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    figures = {k: int(v) * 1024 for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE)}
    return figures["VmRSS"], figures["VmHWM"]


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux >= 4.0)


def wav_stream(size: int):
    """A WAV file of `size` bytes (16-bit mono 16 kHz tone), produced 1 MB at a time."""
    data = size - 44
    yield b"RIFF" + struct.pack("<I", size - 8) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
    yield b"data" + struct.pack("<I", data)
    second = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / RATE))) for i in range(RATE))
    block = (second * (CHUNK // len(second) + 1))[:CHUNK]
    sent = 0
    while sent < data:
        part = block[: min(CHUNK, data - sent)]
        sent += len(part)
        yield part


def _archive(scratch: Path) -> Path:
    root = scratch / "archive"
    (root / "stories").mkdir(parents=True)
    (root / "stories" / "chang-fang-tan.md").write_text(STORY, encoding="utf-8")
    instance = scratch / "instance"
    from archive.accounts.users import AccountStore

    AccountStore(instance).add_user("bench", PASSWORD, "archivist", "基准")
    return root


def _start(root: Path, scratch: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, ARCHIVE_CACHE_DIR=str(scratch / "cache"), ARCHIVE_INSTANCE_DIR=str(scratch / "instance"))
    command = [sys.executable, "-c", "from archive.cli import main; main()", "--root", str(root), "--index-dir",
               str(scratch / "index"), "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "4"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/ping")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("服务器没有启动：" + server.stderr.read().decode(errors="replace")[-2000:])


class Session:
    """A signed-in archivist: cookie and CSRF token, read the way a browser does."""

    def __init__(self, port: int):
        self.port, self.cookie = port, ""
        html = self.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        body = urlencode({"username": "bench", "password": PASSWORD, "csrf_token": token})
        self.request("POST", "/login", body.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        page = self.get("/edit/story/chang-fang-tan/recordings")
        self.token = re.search(r'data-csrf="([^"]+)"', page).group(1)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        connection.request(method, path, body=body, headers={"Cookie": self.cookie, **(headers or {})})
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]
        return response.status, response.read().decode(errors="replace")

    def get(self, path: str) -> str:
        return self.request("GET", path)[1]

    def version(self) -> str:
        return re.search(r'data-version="([^"]+)"', self.get("/edit/story/chang-fang-tan/recordings")).group(1)

    def upload(self, size: int) -> tuple[int, float]:
        """PUT a WAV of `size` bytes; (HTTP status, seconds)."""
        query = urlencode({"name": f"访谈-{size // CHUNK}MB.wav", "base_version": self.version()})
        started = time.perf_counter()
        status, text = self.request("PUT", f"/edit/story/chang-fang-tan/recordings?{query}", wav_stream(size),
                                    {"X-CSRF-Token": self.token, "Content-Length": str(size),
                                     "Content-Type": "application/octet-stream"})
        if status != 200:
            print(f"上传返回 {status}：{text[:300]}", file=sys.stderr)
        return status, time.perf_counter() - started


def measure(session: Session, pid: int, size: int) -> dict:
    """Idle memory, peak memory during one upload of `size` bytes, and its rate."""
    idle, _ = _memory(pid)
    _reset_peak(pid)
    status, seconds = session.upload(size)
    _, peak = _memory(pid)
    return {"size": size, "status": status, "idle": idle, "peak": peak, "seconds": seconds}


def main(argv: list[str]) -> int:
    """Start the server, upload 1 MB (baseline) and 1 GB, print the memory figures."""
    parser = argparse.ArgumentParser(prog="python -m bench upload_memory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=1024, help="大文件大小（MB，默认 1024）")
    args, _unknown = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as folder:
        scratch = Path(folder)
        port = free_port()
        server = _start(_archive(scratch), scratch, port)
        try:
            session = Session(port)
            small = measure(session, server.pid, CHUNK)
            large = measure(session, server.pid, args.megabytes * CHUNK)
        finally:
            server.terminate()
            server.wait(timeout=30)
    mb = 1048576
    for name, row in (("1 MB（基线）", small), (f"{args.megabytes} MB", large)):
        print(f"{name:<12} 状态 {row['status']}  空闲 {row['idle'] / mb:7.1f} MB  峰值 {row['peak'] / mb:7.1f} MB  "
              f"增加 {(row['peak'] - row['idle']) / mb:6.1f} MB  用时 {row['seconds']:6.1f} s  "
              f"{row['size'] / mb / row['seconds']:7.1f} MB/s")
    extra = (large["peak"] - large["idle"]) / mb
    print(f"大文件上传时服务器内存比空闲多 {extra:.1f} MB（目标 < 100 MB）：{'达标' if extra < 100 else '未达标'}；"
          f"比 1 MB 上传多 {(large['peak'] - small['peak']) / mb:.1f} MB")
    return 0 if large["status"] == 200 and extra < 100 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
