"""Make the sample collection's one interview recording: a synthetic voice reads each
timestamped passage of a story at the moment its `[HH:MM:SS]` marker names.

It is not a real interview: espeak-ng speaks the transcript, so the story page's
player and its jump-to-timestamp links can be tried on the sample archive.

    .venv/bin/python tools/make_sample_recording.py [--root .] [--story SLUG --out FILE]

Needs the Debian packages espeak-ng, sox and opus-tools (apt-get install espeak-ng sox opus-tools).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
from pathlib import Path

from archive.store import ContentStore

RATE = 16000
MARKUP = re.compile(r"\*\*|\[\d{1,2}:\d{2}:\d{2}\]|^#+\s*", re.MULTILINE)


def speak(text: str, out: Path) -> float:
    """Render text with espeak-ng's Mandarin voice into a 16 kHz mono WAV; return its length."""
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "cmn", "-s", "190", "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-v", "0.9", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out)], check=True)
    return float(subprocess.run(["soxi", "-D", str(out)], check=True, capture_output=True, text=True).stdout)


def build(root: Path, slug: str, target: Path) -> None:
    """Place each timestamped segment's speech at its start time and encode as Ogg Opus."""
    story = ContentStore(root).get_story(slug)
    timed = [s for s in story.segments if s.seconds is not None]
    with tempfile.TemporaryDirectory() as tmp:
        parts, cursor = [], 0.0
        for index, segment in enumerate(timed):
            clip = Path(tmp) / f"{index:03d}.wav"
            length = speak(MARKUP.sub("", segment.text)[:600], clip)
            gap = Path(tmp) / f"{index:03d}-gap.wav"
            subprocess.run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(gap), "trim", "0",
                            f"{max(segment.seconds - cursor, 0.01):.2f}"], check=True)
            parts += [gap, clip]
            cursor = segment.seconds + length
        whole = Path(tmp) / "whole.wav"
        subprocess.run(["sox", *map(str, parts), str(whole)], check=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["opusenc", "--quiet", "--bitrate", "12", "--speech", str(whole), str(target)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--story", default="liu-guiying-yao-xiang")
    parser.add_argument("--out", default="liu-guiying/fang-tan-lu-yin.ogg", help="path under media/")
    args = parser.parse_args()
    build(args.root, args.story, args.root / "media" / args.out)


if __name__ == "__main__":
    main()
