"""A story as OHMS XML (version 6 of the Nunn Center's schema; a copy is kept in
tests/exchange_data/ohms.xsd): record metadata, one index `point` per segment (time, title,
partial transcript, synopsis and keywords from the `segments:` index), the transcript as
`vtt_transcript` when it has times (else as plain `transcript`), and the recording."""
from __future__ import annotations

import datetime as dt
import hashlib

from lxml import etree

from archive.access import effective_level
from archive.dates import parse_date
from archive.exchange.dublin_core import PUBLISHER, RIGHTS
from archive.models import Story
from archive.segment_labels import plain_text, segment_label, shorten
from archive.segments import Segment, format_seconds

OHMS = "https://www.weareavp.com/nunncenter/ohms"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PARTIAL_CHARS = 60
TITLE_CHARS = 40
LAST_CUE_SECONDS = 60


def record_id(slug: str) -> int:
    """A stable positive xs:int for the record's required `id` attribute, from the slug."""
    return int(hashlib.sha256(slug.encode()).hexdigest()[:7], 16)


def _add(parent, tag: str, text: str | None = None, **attributes: str):
    node = etree.SubElement(parent, f"{{{OHMS}}}{tag}", **attributes)
    if text:
        node.text = text
    return node


def _segment_text(segment: Segment) -> str:
    paragraphs = [plain_text(p) for p in segment.text.split("\n\n")]
    return "\n".join(p for p in paragraphs if p)


def vtt_transcript(segments: list[Segment]) -> str:
    """WebVTT with one cue per timed segment, from its time to the next one's."""
    timed = [s for s in segments if s.seconds is not None and _segment_text(s)]
    cues = ["WEBVTT", ""]
    for index, segment in enumerate(timed):
        end = timed[index + 1].seconds if index + 1 < len(timed) else segment.seconds + LAST_CUE_SECONDS
        end = max(end, segment.seconds + 1)
        cues += [f"{format_seconds(segment.seconds)}.000 --> {format_seconds(end)}.000", _segment_text(segment), ""]
    return "\n".join(cues)


def _index(record, story: Story) -> None:
    notes = story.segment_notes
    index = _add(record, "index")
    for segment in story.segments:
        if segment.id == "intro" and segment.id not in notes:
            continue
        point = _add(index, "point")
        if segment.seconds is not None:
            _add(point, "time", str(segment.seconds))
        _add(point, "title", segment_label(segment, TITLE_CHARS))
        _add(point, "partial_transcript", shorten(_segment_text(segment).replace("\n", " "), PARTIAL_CHARS))
        note = notes.get(segment.id)
        if note is not None:
            _add(point, "synopsis", note.synopsis)
            _add(point, "keywords", ";".join(note.keywords))


def _date(record, story: Story) -> None:
    day = parse_date(story.interviewed)
    _add(record, "date", value=day.isoformat() if day else "", format="yyyy-mm-dd")
    if story.interviewed and day is None:
        _add(record, "date_nonpreferred_format", story.interviewed)


def _media(record, recording: tuple[str, str] | None) -> None:
    if recording is None:
        return
    url, kind = recording
    _add(record, "media_url", url)
    mediafile = _add(record, "mediafile")
    _add(mediafile, "host", "Other")
    _add(mediafile, "clip_format", kind)


def ohms_xml(story: Story, story_url: str, recording: tuple[str, str, str] | None = None) -> bytes:
    """The OHMS XML of `story`; `recording` is (file name, URL, 'audio' or 'video') of its recording, if any."""
    root = etree.Element(f"{{{OHMS}}}ROOT", nsmap={None: OHMS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OHMS}/ohms.xsd")
    record = _add(root, "record", id=str(record_id(story.slug)), dt=dt.date.today().isoformat())
    _add(record, "version", "6.0")
    _date(record, story)
    _add(record, "title", story.title)
    _add(record, "accession", story.slug)
    seconds = max((s.seconds for s in story.segments if s.seconds is not None), default=0)
    _add(record, "duration", format_seconds(seconds))
    _add(record, "repository", PUBLISHER)
    _add(record, "repository_url", story_url)
    for tag, values in (("subject", story.strings("conflicts")), ("keyword", story.strings("tags")),
                        ("interviewee", story.narrators), ("interviewer", story.interviewers)):
        for value in values:
            _add(record, tag, value)
    if recording is not None:
        _add(record, "format", recording[2])
        _add(record, "file_name", recording[0])
    _media(record, recording[1:] if recording else None)
    _add(record, "language", "Chinese")
    _index(record, story)
    _add(record, "type", "Oral history")
    _add(record, "description", story.summary)
    timed = any(s.seconds is not None for s in story.segments)
    text = vtt_transcript(story.segments) if timed else "\n\n".join(_segment_text(s) for s in story.segments)
    _add(record, "vtt_transcript" if timed else "transcript", text)
    level = effective_level(story.meta)
    _add(record, "rights", RIGHTS[level])
    if recording is not None:
        _add(record, "fmt", recording[2])
    _add(record, "userestrict", "0" if level == "public" else "1")
    _add(record, "xmlfilename", f"{story.slug}.xml")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
