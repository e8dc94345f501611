"""Photo uploads: check every file from its content, store it under a generated name,
and add it to the story's `media:` list with its caption, date, place, people,
credit, access level, consent and original (often Chinese) file name.

The type is decided by the file's first bytes, never by its name; only JPEG,
PNG, WebP and TIFF pass, within a size and a pixel limit (Pillow's checks are in
archive.media).  A batch is all or nothing: every file is checked before any is
written, and files written for a save that then fails (a stale edit, a full
disk: StorageError) are removed again.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import secrets
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from archive.content_model import CONSENT_FIELDS, MEDIA_FIELDS, Field, field
from archive.dates import PARTIAL_DATE_HINT, is_partial_date
from archive.media import MediaError, probe_upload
from archive.models import Story
from archive.safe_write import atomic_delete, atomic_write_bytes

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000
SIGNATURES = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tif"),
    (b"MM\x00*", "tif"),
)
TEXT_KEYS = ("caption", "date", "place", "credit")  # the media fields (MEDIA_FIELDS) the photo page types
ACCESS = field(MEDIA_FIELDS, "access")
DATE = field(MEDIA_FIELDS, "date")
DATED = (DATE, field(CONSENT_FIELDS, "signed"))  # the dates typed on the photo page, checked before anything is stored
# the inputs of one photo's row (each `<name>-<row>`), besides `people`: its text, access and consent (CONSENT_FIELDS)
DETAIL_NAMES = TEXT_KEYS + ("access",) + tuple(f.input_name for f in CONSENT_FIELDS)


class UploadRefused(ValueError):
    """A file that may not be stored, with the reason in Chinese and the HTTP status to answer."""

    def __init__(self, name: str, message: str, status: int = 400):
        super().__init__(f"{name}：{message}")
        self.name, self.message, self.status = name, message, status


@dataclass
class PhotoUpload:
    """One uploaded file with what the archivist typed about it."""

    filename: str
    data: bytes
    details: dict[str, Any] = dataclass_field(default_factory=dict)  # DETAIL_NAMES and people


def sniff_type(data: bytes) -> str | None:
    """'jpg', 'png', 'webp' or 'tif' from the first bytes; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or b"<svg" in head


def check_photo(upload: PhotoUpload, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> str:
    """The stored file extension for a good photo; raises UploadRefused otherwise."""
    name = upload.filename or "（未命名文件）"
    if len(upload.data) > max_bytes:
        raise UploadRefused(name, f"文件过大（{len(upload.data) / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB）",
                            413)
    if not upload.data:
        raise UploadRefused(name, "文件是空的")
    if _looks_like_svg(upload.data):
        raise UploadRefused(name, "不接受 SVG 矢量图（其中可能含有脚本），请转换为 JPEG 或 PNG", 415)
    kind = sniff_type(upload.data)
    if kind is None:
        raise UploadRefused(name, "不是 JPEG、PNG、WebP 或 TIFF 图片（按文件内容判断，与扩展名无关）", 415)
    try:
        probed, _width, _height = probe_upload(upload.data, max_pixels)
    except MediaError as error:
        raise UploadRefused(name, str(error), 422) from None
    if probed != kind:
        raise UploadRefused(name, "文件内容与图片格式不符", 415)
    return kind


def stored_name(kind: str, today: dt.date | None = None) -> str:
    """A fresh name under media/: photos/<year>/<random>.<ext> (never the uploader's name)."""
    year = (today or dt.date.today()).year
    return f"photos/{year}/{secrets.token_hex(8)}.{kind}"


def _consent(details: dict[str, Any]) -> dict[str, Any]:
    """The `consent:` of an upload, from the inputs named as CONSENT_FIELDS declares (blanks left out)."""
    consent: dict[str, Any] = {}
    for f in CONSENT_FIELDS:
        value = str(details.get(f.input_name) or "").strip()
        if value:
            consent[f.key] = True if f.kind == "flag" else value
    return consent


def own_level(access: Any) -> str | None:
    """The entry's own `access`: None for the first choice (public: read as its story is) or a value that is none."""
    return access if access in ACCESS.choices[1:] else None


def check_typed_date(f: Field, value: Any, name: str) -> None:
    """UploadRefused '日期应为 ISO 日期，如 1953…' when a typed date (a field of DATED) cannot be read."""
    value = str(value or "").strip()
    if value and not is_partial_date(value):
        raise UploadRefused(name, f"{f.label}{PARTIAL_DATE_HINT}")


def media_entry(file: str, upload: PhotoUpload) -> dict[str, Any]:
    """The story's `media:` entry for a stored upload (empty fields left out)."""
    details = upload.details
    entry: dict[str, Any] = {"file": file}
    for key in TEXT_KEYS:
        if details.get(key):
            entry[key] = str(details[key]).strip()
    if details.get("people"):
        entry["people"] = list(details["people"])
    if own_level(details.get("access")):
        entry["access"] = details["access"]
    entry["original_name"] = unicodedata.normalize("NFC", Path(upload.filename).name) if upload.filename else ""
    if _consent(details):
        entry["consent"] = _consent(details)
    return entry


def add_photos(editor, store, story: Story, uploads: list[PhotoUpload], who: str, base_version: str | None,
               max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> Story:
    """Check every upload, store them, and list them in the story (one history entry)."""
    kinds = [check_photo(upload, max_bytes, max_pixels) for upload in uploads]
    for upload in uploads:
        for f in DATED:
            check_typed_date(f, upload.details.get(f.input_name), upload.filename)
    editor.check_writable()
    written: list[Path] = []
    entries = []
    try:
        for upload, kind in zip(uploads, kinds, strict=True):
            name = stored_name(kind)
            path = store.media_dir / name
            atomic_write_bytes(path, upload.data)
            written.append(path)
            entries.append(media_entry(name, upload))
        edited = copy.copy(story)
        edited.meta = copy.deepcopy(story.meta)
        edited.meta["media"] = list(edited.meta.get("media") or []) + entries
        names = "、".join(e["original_name"] or e["file"] for e in entries)
        return editor.commit(edited, base_version, who, "media", f"添加照片：{names}", files=[e["file"] for e in entries])
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):  # the error that brought us here is the one to report
                if path.exists():
                    atomic_delete(path)
        raise


def change_photo(editor, story: Story, index: int, details: dict[str, Any] | None, who: str,
                 base_version: str | None) -> Story:
    """Rewrite the caption, date, place, people, credit and access of photo `index`, or
    take it off the story (details=None; the file stays in media/ so history can bring it back)."""
    media = list(story.meta.get("media") or [])
    if not 0 <= index < len(media) or not isinstance(media[index], dict | str):
        raise KeyError(index)
    entry = {"file": media[index]} if isinstance(media[index], str) else copy.deepcopy(media[index])
    name = entry.get("original_name") or entry["file"]
    if details is None:
        del media[index]
        message = f"移除照片：{name}"
    else:
        check_typed_date(DATE, details.get(DATE.key), name)
        values = {key: str(details.get(key) or "").strip() for key in TEXT_KEYS}
        values["people"] = list(details.get("people") or [])
        values["access"] = own_level(details.get("access"))
        for key, value in values.items():
            if value:
                entry[key] = value
            else:
                entry.pop(key, None)
        media[index] = entry
        message = f"修改照片说明：{name}"
    edited = copy.copy(story)
    edited.meta = copy.deepcopy(story.meta)
    edited.meta["media"] = media
    if not media:
        del edited.meta["media"]
    return editor.commit(edited, base_version, who, "media", message)
