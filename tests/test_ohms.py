"""OHMS (issue 12): `archive export --ohms SLUG` validates against the OHMS XSD version 6 (copy in
tests/exchange_data/ohms.xsd) for every sample story; `archive import --ohms FILE…` reads both
kinds of transcript OHMS tools write (legacy `transcript` + `sync`, and `vtt_transcript`) into
drafts whose segments keep the index points' times, titles, synopses and keywords."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from archive.cli import cli
from archive.models import Story
from archive.store import ContentStore
from tests.exchange_helpers import ARCHIVIST, REPO, fingerprint, sample_copy

DATA = Path(__file__).parent / "exchange_data"
NS = {"o": "https://www.weareavp.com/nunncenter/ohms"}
SCHEMA = etree.XMLSchema(etree.parse(str(DATA / "ohms.xsd")))


@pytest.fixture
def sample(tmp_path):
    return sample_copy(tmp_path)


def _run(root, *args):
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.output


def _export(root, slug) -> etree._Element:
    result = CliRunner().invoke(cli, ["--root", str(root), "export", "--ohms", slug, "--include-restricted",
                                      "--user", ARCHIVIST], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return etree.fromstring(result.stdout_bytes)


def test_every_sample_story_exports_as_ohms_that_validates_against_the_xsd(sample):
    slugs = sorted(p.stem for p in (REPO / "stories").glob("*.md"))
    for slug in slugs:
        document = _export(sample, slug)
        assert SCHEMA.validate(document), (slug, SCHEMA.error_log.last_error)
    document.find(".//o:title", NS).getparent().remove(document.find(".//o:title", NS))
    assert not SCHEMA.validate(document)  # the schema does catch a record without its title


def test_the_export_carries_the_index_transcript_and_recording(sample):
    story = ContentStore(sample).get_story("liu-guiying-yao-xiang")
    noted = {k: v for k, v in story.segment_notes.items() if v.keywords}
    document = _export(sample, "liu-guiying-yao-xiang")
    record = document.find("o:record", NS)
    assert record.findtext("o:title", namespaces=NS) == story.title
    assert record.findtext("o:interviewee", namespaces=NS) == story.narrators[0]
    points = record.findall("o:index/o:point", NS)
    assert len(points) >= len(noted) and noted
    by_time = {p.findtext("o:time", namespaces=NS): p for p in points}
    for segment_id, note in noted.items():
        segment = story.segment(segment_id)
        point = by_time[str(segment.seconds)]
        assert point.findtext("o:keywords", namespaces=NS) == ";".join(note.keywords)
        assert point.findtext("o:synopsis", namespaces=NS) == note.synopsis
    vtt = record.findtext("o:vtt_transcript", namespaces=NS)
    assert vtt.startswith("WEBVTT") and "-->" in vtt
    if any(m.kind in ("audio", "video") for m in story.media):
        assert record.findtext("o:media_url", namespaces=NS).startswith("http://localhost/media/recording/")


def test_a_restricted_story_is_not_exported_without_an_archivist(sample):
    hidden = next(s for s in ContentStore(sample).list_stories() if s.meta.get("access") == "restricted")
    code, output = _run(sample, "export", "--ohms", hidden.slug)
    assert code == 2 and "不公开" in output and "<ROOT" not in output


@pytest.mark.parametrize("name, titles", [
    ("ohms_legacy_sync.xml", ["参军", "过江", "长津湖"]), ("ohms_vtt.xml", ["送信", "闯岗哨", "入党"])])
def test_ohms_files_of_both_transcript_kinds_import_with_their_index(sample, tmp_path, name, titles):
    path = tmp_path / name
    shutil.copy(DATA / name, path)
    assert SCHEMA.validate(etree.parse(str(path)))
    code, output = _run(sample, "import", "--ohms", str(path))
    assert code == 0, output
    slug = output.split("stories/")[1].split(".md")[0]
    story = Story.from_text(slug, (sample / f"stories/{slug}.md").read_text(encoding="utf-8"))
    assert story.meta["status"] == "draft"
    timed = [s for s in story.segments if s.title]
    assert [s.title for s in timed] == titles
    source = etree.parse(str(path)).getroot()
    times = [int(t.text) for t in source.iterfind(".//o:point/o:time", NS)]
    assert [s.seconds for s in timed] == times
    for point, segment in zip(source.iterfind(".//o:point", NS), timed, strict=True):
        keywords = point.findtext("o:keywords", namespaces=NS).split(";")
        assert story.segment_notes[segment.id].keywords == tuple(keywords)
        assert story.segment_notes[segment.id].synopsis == (point.findtext("o:synopsis", namespaces=NS) or "")
    text = story.body
    assert ("天冷得很" in story.segment(timed[1].id).text) if "legacy" in name else ("放羊" in story.segment(timed[1].id).text)
    assert "赵守田：1944年我入了党。" in text or "王建国：长津湖那一仗" in text
    code, output = _run(sample, "check")
    assert f"stories/{slug}.md" not in output, output


def test_an_unreadable_file_is_named_and_the_others_still_import(sample, tmp_path):
    broken, other, good = tmp_path / "broken.xml", tmp_path / "other.xml", tmp_path / "good.xml"
    broken.write_text("<ROOT><record><title>半截", encoding="utf-8")
    other.write_text("<html><body>不是 OHMS</body></html>", encoding="utf-8")
    shutil.copy(DATA / "ohms_vtt.xml", good)
    before = fingerprint(sample)
    code, output = _run(sample, "import", "--ohms", str(broken), str(other), str(good))
    assert code == 1 and "Traceback" not in output
    assert f"{broken}: 不是有效的 XML" in output and f"{other}: 不是 OHMS 文件" in output
    assert set(fingerprint(sample)) - set(before) == {"stories/oh0031.md"}


def test_an_exported_story_imports_back_with_the_same_index(sample, tmp_path):
    path = tmp_path / "liu.xml"
    path.write_bytes(etree.tostring(_export(sample, "liu-guiying-yao-xiang")))
    (sample / "stories/liu-guiying-yao-xiang.md").rename(tmp_path / "moved.md")
    code, output = _run(sample, "import", "--ohms", str(path))
    assert code == 0, output
    original = Story.from_text("x", (tmp_path / "moved.md").read_text(encoding="utf-8"))
    again = ContentStore(sample).get_story("liu-guiying-yao-xiang")
    assert [s.seconds for s in again.segments if s.seconds is not None] == \
        [s.seconds for s in original.segments if s.seconds is not None]
    assert {n.keywords for n in again.segment_notes.values()} == \
        {n.keywords for n in original.segment_notes.values() if n.keywords}
