"""Reading OHMS XML as OHMS tools write it (legacy `transcript` with `sync` data, or
`vtt_transcript`) into a draft story: the index points become `## [HH:MM:SS] title` segments
whose synopsis and keywords go to the `segments:` index of the front matter."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from archive.dates import is_partial_date
from archive.segments import format_seconds, split_segments

MAX_BYTES = 20 * 1024 * 1024
CUE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})[.,]\d{3}\s+-->")
VOICE = re.compile(r"<v\s+([^>]+)>")
TAG = re.compile(r"</?[^>]+>")
NO_TEXT = {"untranscribed", ""}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


class OhmsError(ValueError):
    """A file that is not OHMS XML we can read, with a Chinese reason."""


@dataclass
class Point:
    """One index point: where it starts and what the index says about it."""

    seconds: int
    title: str
    synopsis: str = ""
    keywords: list[str] = field(default_factory=list)


def _local(tree) -> None:
    for node in tree.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname


def _text(node, tag: str) -> str:
    found = node.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _texts(node, tag: str) -> list[str]:
    return [(n.text or "").strip() for n in node.findall(tag) if (n.text or "").strip()]


def read_record(data: bytes):
    """The <record> element of an OHMS file (namespace dropped); OhmsError if there is none."""
    if len(data) > MAX_BYTES:
        raise OhmsError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise OhmsError(f"不是有效的 XML：{error}") from None
    _local(root)
    record = root if root.tag == "record" else root.find("record")
    if record is None:
        raise OhmsError("不是 OHMS 文件：没有 <record>")
    return record


def _points(record) -> list[Point]:
    points = []
    for node in record.findall("index/point"):
        time = _text(node, "time")
        seconds = int(float(time)) if re.fullmatch(r"\d+(\.\d+)?", time) else 0
        keywords = [k.strip() for k in re.split(r"[;；]", _text(node, "keywords")) if k.strip()]
        points.append(Point(seconds, _text(node, "title") or f"第 {len(points) + 1} 段", _text(node, "synopsis"), keywords))
    return sorted(points, key=lambda p: p.seconds)


def vtt_passages(vtt: str) -> list[tuple[int, str]]:
    """(start second, text) of each cue; `<v Speaker>` becomes 'Speaker：'."""
    passages: list[tuple[int, str]] = []
    start, lines = None, []
    for line in [*vtt.splitlines(), ""]:
        match = CUE.match(line.strip())
        if match:
            start, lines = int(match[1] or 0) * 3600 + int(match[2]) * 60 + int(match[3]), []
        elif not line.strip() and start is not None:
            text = " ".join(lines).strip()
            if text:
                passages.append((start, text))
            start, lines = None, []
        elif start is not None:
            voice = VOICE.match(line.strip())
            content = TAG.sub("", VOICE.sub("", line)).strip()
            lines.append(f"{voice[1].strip()}：{content}" if voice else content)
    return passages


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph as one line: Chinese runs on without a space, other text with one."""
    text = ""
    for line in lines:
        text += ("" if not text or CJK.match(text[-1]) or CJK.match(line[0]) else " ") + line
    return text


def sync_passages(transcript: str, sync: str) -> list[tuple[int, str]]:
    """(start second, paragraph) of a legacy transcript: sync 'N:|line(word)|…' marks where each
    N-minute step falls; a paragraph starts at the last step reached before its first line."""
    interval, _, marks = sync.partition(":")
    minutes = int(interval) if interval.strip().isdigit() else 1
    reached = [(int(m[1]), step * minutes * 60) for step, m in
               enumerate(re.finditer(r"(\d+)\((\d+)\)", marks), start=1)]
    passages, lines, first = [], transcript.split("\n"), 1
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            continue
        paragraph = _joined([text.strip() for text in lines[first - 1:number - 1] if text.strip()])
        if paragraph:
            seconds = max((s for at, s in reached if at < first), default=0)
            passages.append((seconds, paragraph))
        first = number + 1
    return passages


def _passages(record) -> list[tuple[int, str]]:
    vtt = _text(record, "vtt_transcript")
    if vtt:
        return vtt_passages(vtt)
    transcript = (record.findtext("transcript") or "").strip()
    transcript = re.sub(r"\[\[footnotes\]\].*?\[\[/footnotes\]\]", "", transcript, flags=re.DOTALL)
    return sync_passages(transcript, _text(record, "sync")) if transcript else []


def _body(points: list[Point], passages: list[tuple[int, str]]) -> str:
    if not points:
        return "\n\n".join(f"[{format_seconds(s)}] {text}" for s, text in passages) + "\n"
    parts = [text for s, text in passages if s < points[0].seconds]
    for index, point in enumerate(points):
        end = points[index + 1].seconds if index + 1 < len(points) else None
        parts.append(f"## [{format_seconds(point.seconds)}] {point.title}")
        parts += [text for s, text in passages if s >= point.seconds and (end is None or s < end)]
    return "\n\n".join(parts) + "\n"


def _meta(record, path: Path) -> dict[str, Any]:
    day = record.find("date")
    date = (day.get("value") or "").strip() if day is not None else ""
    date = date if is_partial_date(date) else _text(record, "date_nonpreferred_format")
    meta: dict[str, Any] = {"title": _text(record, "title") or path.stem}
    narrators = _texts(record, "interviewee")
    meta["narrator"] = narrators[0] if len(narrators) == 1 else narrators or "（OHMS 文件未注明讲述人）"
    if is_partial_date(date):
        meta["interviewed"] = date
    interviewers = _texts(record, "interviewer")
    if interviewers:
        meta["interviewer"] = interviewers[0] if len(interviewers) == 1 else interviewers
    tags = list(dict.fromkeys(_texts(record, "subject") + _texts(record, "keyword")))
    if tags:
        meta["tags"] = tags
    if _text(record, "description"):
        meta["summary"] = _text(record, "description")
    if _text(record, "userestrict") == "1":
        meta["access"] = "restricted"
    source = {k: _text(record, k) for k in ("accession", "repository", "media_url", "file_name") if _text(record, k)}
    meta["ohms"] = {"file": path.name, **source}
    return meta


def story_from_ohms(path: Path, data: bytes) -> tuple[dict[str, Any], str]:
    """(front matter, body) of the draft an OHMS file becomes; OhmsError if it cannot be read."""
    record = read_record(data)
    points = _points(record)
    passages = [(s, t) for s, t in _passages(record) if t.strip().lower() not in NO_TEXT]
    if not points and not passages:
        raise OhmsError("文件中既没有索引（index/point）也没有文字稿（transcript 或 vtt_transcript）")
    body = _body(points, passages)
    meta = _meta(record, path)
    by_time = {s.seconds: s.id for s in split_segments(body) if s.title is not None}
    index = {by_time[p.seconds]: {k: v for k, v in (("synopsis", p.synopsis), ("keywords", p.keywords)) if v}
             for p in points if p.seconds in by_time and (p.synopsis or p.keywords)}
    if index:
        meta["segments"] = index
    return meta, body


def slug_for(path: Path, meta: dict[str, Any]) -> str:
    """The new story's slug: the OHMS accession number, else the file name, made file-safe."""
    base = meta.get("ohms", {}).get("accession") or path.stem
    return re.sub(r"[^\w-]+", "-", base).strip("-_").lower()[:60] or "ohms"


def import_ohms_files(paths: list[Path], editor, who: str) -> tuple[list[str], list[str]]:
    """Save each readable OHMS file as a draft story (editor None: only check); return (slugs, 'path: message' lines)."""
    saved, problems = [], []
    for path in paths:
        try:
            meta, body = story_from_ohms(path, path.read_bytes())
            slug = slug_for(path, meta)
            if editor is None:
                saved.append(slug)
                continue
            story = editor.create_story(slug, meta, body, who, f"OHMS 导入：{path.name}", "import", confirm_sensitive=True)
        except (OhmsError, ValueError) as error:  # EditError (slug taken) is a ValueError too
            problems.append(f"{path}: {error}")
        except OSError as error:
            problems.append(f"{path}: 无法读取（{error.strerror or error}）")
        else:
            saved.append(story.slug)
    return saved, problems
