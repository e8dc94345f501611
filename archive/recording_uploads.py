"""Recording uploads: an interview (audio or video, up to a few GB) streamed to disk in chunks,
never held in memory, checked from its content (archive.recording_probe), stored under a
generated name with its duration, and listed in the story's `media:` through the Editor
(history and audit first, stale-edit check).  A file refused for any reason, or whose save
fails, leaves nothing behind.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import secrets
import unicodedata
from pathlib import Path
from typing import IO, Any

from archive.content_model import MEDIA_FIELDS, field
from archive.dates import DATE_HINT, parse_date
from archive.editing import MissingBaseError
from archive.models import Story
from archive.recording_probe import ProbeError, probe_recording
from archive.safe_write import fsync_dir, probe_writable, storage_errors
from archive.uploads import DATE, UploadRefused, check_typed_date, own_level

MAX_RECORDING_BYTES = 4 * 1024 * 1024 * 1024
CHUNK = 1024 * 1024
PARTIAL_DIR = ".uploads"  # under media/: same file system, so the finished file is renamed, not copied
EMBARGO = field(MEDIA_FIELDS, "embargo_until")
TEXT_KEYS = ("caption", "date", "credit")  # the media fields (MEDIA_FIELDS) the recording page types
DETAIL_KEYS = TEXT_KEYS + ("access", EMBARGO.key)  # what the page sends with the file (its form's inputs)


def _refuse_too_large(name: str, limit: int) -> UploadRefused:
    return UploadRefused(name, f"文件过大（上限 {limit / 1073741824:.1f} GB）", 413)


def receive(stream: IO[bytes], media_dir: Path, name: str, length: int | None, limit: int) -> Path:
    """Copy the request body to a partial file under media/.uploads/ in 1 MB chunks."""
    if length is not None and length > limit:
        raise _refuse_too_large(name, limit)
    folder = Path(media_dir) / PARTIAL_DIR
    with storage_errors():
        folder.mkdir(parents=True, exist_ok=True)
        probe_writable(folder, length or 0)
    partial = folder / f".recording.{secrets.token_hex(6)}.tmp"  # a temp name: the start-up sweep removes strays
    size = 0
    try:
        with storage_errors(), open(partial, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _refuse_too_large(name, limit)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise UploadRefused(name, "文件是空的")
        if length is not None and size < length:
            raise UploadRefused(name, "上传中断，文件不完整，请重新上传")
    except BaseException:
        _remove(partial)
        raise
    return partial


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # the error that brought us here is the one to report
        path.unlink(missing_ok=True)


def stored_recording_name(extension: str, today: dt.date | None = None) -> str:
    """A fresh name under media/: recordings/<year>/<random>.<ext> (never the uploader's name)."""
    return f"recordings/{(today or dt.date.today()).year}/{secrets.token_hex(8)}.{extension}"


def recording_entry(file: str, original_name: str, duration: float, details: dict[str, Any]) -> dict[str, Any]:
    """The story's `media:` entry for a stored recording (empty fields left out)."""
    entry: dict[str, Any] = {"file": file}
    for key in TEXT_KEYS:
        if str(details.get(key) or "").strip():
            entry[key] = str(details[key]).strip()
    if own_level(details.get("access")):
        entry["access"] = details["access"]
    if str(details.get(EMBARGO.key) or "").strip():
        entry[EMBARGO.key] = str(details[EMBARGO.key]).strip()
    entry["duration"] = round(duration)  # whole seconds: the archive reads YAML floats as text
    entry["original_name"] = unicodedata.normalize("NFC", Path(original_name).name) if original_name else ""
    return entry


def _check_details(name: str, details: dict[str, Any]) -> None:
    check_typed_date(DATE, details.get(DATE.key), name)
    embargo = str(details.get(EMBARGO.key) or "").strip()
    if embargo and parse_date(embargo) is None:  # a whole day, as `archive check` reads it
        raise UploadRefused(name, f"“{EMBARGO.label}”{DATE_HINT}")


def add_recording(editor, store, story: Story, stream: IO[bytes], original_name: str, length: int | None,
                  details: dict[str, Any], who: str, base_version: str | None,
                  limit: int = MAX_RECORDING_BYTES) -> Story:
    """Receive, check and store one recording and list it in the story (one history entry)."""
    name = original_name or "（未命名文件）"
    _check_details(name, details)
    if not base_version:
        raise MissingBaseError()  # refused before a byte of a 2 GB file is written
    editor.check_writable()
    partial = receive(stream, store.media_dir, name, length, limit)
    final: Path | None = None
    try:
        try:
            recording = probe_recording(partial)
        except ProbeError as error:
            raise UploadRefused(name, str(error), 415) from None
        file = stored_recording_name(recording.extension)
        final = store.media_dir / file
        with storage_errors():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, final)
            fsync_dir(final.parent)
        edited = copy.copy(story)
        edited.meta = copy.deepcopy(story.meta)
        edited.meta["media"] = [*(edited.meta.get("media") or []),
                                recording_entry(file, original_name, recording.duration, details)]
        return editor.commit(edited, base_version, who, "media", f"添加录音：{name}", files=[file])
    except BaseException:
        _remove(partial)
        if final is not None:
            _remove(final)
        raise
