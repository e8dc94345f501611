"""What an uploaded recording really is, asked of ffprobe and ffmpeg (Debian's ffmpeg package):
the container and codecs decide the stored extension, never the file's name; the duration is
read from the header and checked by reading every packet (no decoding), so a file cut short
in transit is refused instead of stored.  The only module that runs ffprobe or ffmpeg.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROBE_SECONDS = 120  # reading every packet of a 2 GB file takes well under a minute here
SHORTFALL_SECONDS = 1.5  # packets ending this much before the header's duration: cut short
AUDIO_CONTAINERS = {"mp3": "mp3", "aac": "aac", "wav": "wav", "flac": "flac", "ogg": "ogg"}
WEBM_CODECS = {"vp8", "vp9", "av1", "opus", "vorbis"}


class ProbeError(ValueError):
    """A file that is not a recording we accept, with the reason in Chinese."""


@dataclass(frozen=True)
class Recording:
    """An accepted recording: stored extension, 'audio' or 'video', duration in seconds."""

    extension: str
    kind: str
    duration: float


def _run(command: list[str]) -> subprocess.CompletedProcess:
    if shutil.which(command[0]) is None:
        raise ProbeError(f"服务器缺少 {command[0]}（Debian 软件包 ffmpeg），无法检查录音文件，请联系管理员")
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=PROBE_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ProbeError("检查录音文件超时") from None


def _header(path: Path) -> dict:
    done = _run(["ffprobe", "-v", "error", "-show_entries", "format=format_name,duration:stream=codec_type,codec_name",
                 "-of", "json", str(path)])
    try:
        info = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        info = {}
    if done.returncode != 0 or "format" not in info:
        raise ProbeError("不是可以识别的音频或视频文件，或文件已损坏、不完整（按文件内容判断，与扩展名无关）")
    return info


def _extension(format_name: str, codecs: set[str], has_video: bool) -> str | None:
    """The stored extension for this container, or None for a container we do not accept."""
    if format_name in AUDIO_CONTAINERS and not has_video:
        return AUDIO_CONTAINERS[format_name]
    if format_name.startswith("mov,mp4"):
        return "mp4" if has_video else "m4a"
    if format_name.startswith("matroska,webm") and codecs <= WEBM_CODECS:
        return "webm"
    return None


def _packets_end(path: Path) -> float:
    """Seconds reached by reading every packet (remuxed to nothing: no decoding)."""
    done = _run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-map", "0", "-c", "copy", "-f", "null",
                 "-progress", "pipe:1", "-nostats", "-"])
    times = [line.split("=", 1)[1] for line in done.stdout.splitlines() if line.startswith("out_time_us=")]
    if done.returncode != 0 or not times or not times[-1].strip().lstrip("-").isdigit():
        raise ProbeError("文件已损坏或不完整（可能上传中断），请重新上传")
    return int(times[-1]) / 1_000_000


def _wav_cut_short(path: Path) -> bool:
    """A WAV file whose `data` chunk says it holds more bytes than the file has (ffmpeg then
    quietly reports the shorter length, so the packet check alone cannot see it)."""
    with open(path, "rb") as file:
        head = file.read(65536)
    at = head.find(b"data", 12)
    if not head.startswith(b"RIFF") or at < 0 or len(head) < at + 8:
        return False
    declared = int.from_bytes(head[at + 4:at + 8], "little")
    return declared not in (0, 0xFFFFFFFF) and path.stat().st_size < at + 8 + declared


def probe_recording(path: Path) -> Recording:
    """Check a stored upload: (extension, kind, duration), or ProbeError saying why not."""
    info = _header(path)
    streams = [s for s in info.get("streams", []) if s.get("codec_type") in ("audio", "video")]
    codecs = {str(s.get("codec_name")) for s in streams}
    has_video = any(s.get("codec_type") == "video" and s.get("codec_name") not in ("mjpeg", "png") for s in streams)
    extension = _extension(str(info["format"].get("format_name", "")), codecs, has_video)
    if extension is None or not streams:
        raise ProbeError("只接受 mp3、m4a/aac、ogg/opus、wav、flac 录音和 mp4、webm 录像")
    try:
        duration = float(info["format"].get("duration"))
    except (TypeError, ValueError):
        raise ProbeError("读不出录音的时长，文件可能已损坏") from None
    if duration <= 0:
        raise ProbeError("录音长度为零")
    if _packets_end(path) < duration - SHORTFALL_SECONDS or (extension == "wav" and _wav_cut_short(path)):
        raise ProbeError("文件不完整（比文件头记录的时长短），可能上传中断，请重新上传")
    return Recording(extension, "video" if has_video else "audio", round(duration, 1))
