"""The transcription desk's rules: what a save from the desk writes (the story body, through
the Editor with the stale-edit check) and how far a transcript has come (words, timecodes)."""
from __future__ import annotations

import copy
import re

from archive.limits import body_problem
from archive.models import Story
from archive.segment_labels import plain_text
from archive.segments import split_segments
from archive.store import StaleEditError

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


class TranscriptTooLarge(ValueError):
    """A transcript past the limits of archive.limits (message in Chinese, with its line)."""


def word_count(body: str) -> int:
    """Words as a Chinese reader counts them: each Han character, plus each Latin word or number."""
    text = "\n".join(plain_text(p) for p in body.split("\n\n"))
    return len(_CJK.findall(text)) + len(_LATIN_WORD.findall(text))


def last_timecode(body: str) -> int | None:
    """The latest `[HH:MM:SS]` a segment starts at, in seconds (how far the transcript reaches)."""
    times = [s.seconds for s in split_segments(body) if s.seconds is not None]
    return max(times) if times else None


def save_transcript(editor, story: Story, body: str, base_version: str, who: str, final: bool) -> Story:
    """Write the desk's text as the story body (autosave or final save); unchanged text writes nothing."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    problem = body_problem(body)
    if problem is not None:
        raise TranscriptTooLarge(f"第 {problem[0]} 行：{problem[1]}。没有保存。")
    if body == story.body and not final:
        if story.version != base_version:
            raise StaleEditError(story)
        return story
    edited = copy.copy(story)
    edited.meta = copy.deepcopy(story.meta)
    edited.body = body
    edited.__dict__.pop("segments", None)  # cached from the old body
    action, message = ("transcribe", "转写台保存") if final else ("autosave", "转写台自动保存")
    return editor.save_story(edited, base_version, who, message, action=action, confirm_sensitive=True)  # as before: the desk has no warning yet
