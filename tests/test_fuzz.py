"""Fuzzing with hypothesis: whatever text arrives, the front-matter reader gives a value or a
clear error (never another exception), a valid story round-trips byte for byte, segment
splitting loses no word, the query parser never raises, the lecture-plan reader reports
problems instead of failing, and uploads of broken, polyglot or mislabelled images end in a
4xx with nothing left on disk."""
from __future__ import annotations

import io

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from archive.frontmatter import FrontMatterError, parse_document
from archive.models import Story
from archive.segments import split_segments
from tests.test_upload import SLUG, _media_files, _upload, image_bytes

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAMLISH = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#\n 0123456789年月日老兵\t,.?%@`")), max_size=200)
CJK_TEXT = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF) | st.sampled_from(list(" \n#[]:*-")),
                   max_size=400)


@FAST
@given(st.one_of(YAMLISH, st.text(max_size=300)))
def test_any_front_matter_gives_a_document_or_a_clear_error(text):
    try:
        doc = parse_document(f"---\n{text}\n---\n正文。\n")
    except FrontMatterError as error:
        assert error.message and error.line >= 1
    else:
        assert isinstance(doc.meta, dict)


SCALAR = st.one_of(st.text(max_size=30), st.integers(-10**12, 10**12), st.booleans())
META = st.dictionaries(st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=12),
                       st.one_of(SCALAR, st.lists(st.text(max_size=20), max_size=4)), max_size=8)


@FAST
@given(META, CJK_TEXT)
def test_a_valid_story_round_trips_byte_for_byte(meta, body):
    text = "---\n" + yaml.safe_dump({"title": "题", "narrator": "某", **meta}, allow_unicode=True) + "---\n" + body
    try:
        story = Story.from_text("s", text)
    except FrontMatterError:
        return  # a limit or a duplicate key: refused with a message, which the test above covers
    assert story.to_text() == text
    edited = Story.from_text("s", story.to_text())
    edited.meta = dict(edited.meta, summary="改过")
    again = Story.from_text("s", edited.to_text())
    assert again.meta["summary"] == "改过" and again.body == story.body


@FAST
@given(CJK_TEXT)
def test_segment_splitting_loses_no_word(body):
    segments = split_segments(body)
    kept = "".join(s.text + (s.title or "") for s in segments)
    for line in body.splitlines():
        words = line.strip().lstrip("#").strip()
        for char in words:
            if "\u4e00" <= char <= "\u9fff":
                assert char in kept, (char, body)
    assert len({s.id for s in segments}) == len(segments)


@FAST
@given(st.text(max_size=200))
def test_the_query_parser_reads_any_string(query):
    from archive.search.query import parse_query

    parsed = parse_query(query)
    assert parsed is not None


PLAN_VALUE = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.text(max_size=10)),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=3), max_leaves=8)


@FAST
@given(st.dictionaries(st.sampled_from(["title", "date", "time", "audience", "target_minutes", "chars_per_minute",
                                        "status", "owner", "items", "deliveries", "speakers", "venue"]), PLAN_VALUE))
def test_any_lecture_plan_front_matter_is_read_with_problems_not_errors(meta):
    from archive.lectures.plan import LecturePlan

    plan = LecturePlan.from_meta("20261201-abcd", meta)
    assert isinstance(plan.problems, list)
    assert all(problem.message for problem in plan.problems)


# -- uploads -------------------------------------------------------------------------------------
def _gif_animated() -> bytes:
    frames = [Image.new("P", (30, 20), i) for i in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def _polyglot() -> bytes:
    return image_bytes("JPEG") + b"<?php system($_GET['c']); ?><script>alert(1)</script>"


BROKEN = st.one_of(
    st.builds(lambda cut: image_bytes("JPEG")[:cut], st.integers(0, 600)),
    st.builds(lambda cut: image_bytes("PNG")[:cut], st.integers(0, 200)),
    st.builds(lambda seed: bytes((b * seed) % 256 for b in image_bytes("PNG")), st.integers(2, 255)),
    st.just(b""), st.just(_gif_animated()), st.binary(max_size=2000),
)


@pytest.fixture
def app(archive_root, tmp_path):
    from archive import create_app

    return create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "INDEX_DIR": str(tmp_path / "index"),
                       "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance"),
                       "UPLOAD_MAX_BYTES": 300_000})


def test_broken_and_mislabelled_uploads_end_in_a_4xx_with_nothing_left(app, login, archive_root):
    client = app.test_client()
    token = login(client, "archivist")
    story = archive_root / "stories" / f"{SLUG}.md"

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(BROKEN, st.sampled_from(["照片.jpg", "照片.png", "照片.gif", "照片", "照片.mp3", "照片.JPG.exe"]))
    def upload(content, name):
        before, files = story.read_bytes(), _media_files(archive_root)
        response = _upload(client, token, [(name, content)])
        assert response.status_code < 500, (name, content[:40], response.status_code)
        if response.status_code >= 400:
            assert _media_files(archive_root) == files
            assert story.read_bytes() == before
            assert "没有保存" in response.get_data(as_text=True) or response.status_code == 400

    upload()
    leftovers = [p for p in (archive_root / "media").rglob("*") if p.name.endswith(".tmp")] \
        if (archive_root / "media").exists() else []
    assert leftovers == []


def test_a_polyglot_image_reaches_readers_only_re_encoded(app, login, archive_root):
    client = app.test_client()
    token = login(client, "archivist")
    assert _upload(client, token, [("合影.jpg", _polyglot())]).status_code == 302
    stored = app.extensions["archive"].store.get_story(SLUG).media[-1].file
    for size in ("thumb", "web"):
        derivative = client.get(f"/media/{size}/{stored}")
        assert derivative.status_code == 200 and derivative.mimetype == "image/jpeg"
        assert b"<script>" not in derivative.data and b"<?php" not in derivative.data


# -- generated hostile files ---------------------------------------------------------------------
ANY = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                             st.text(max_size=20)),
                   lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                   max_leaves=12)
STORY_KEYS = ["title", "narrator", "interviewer", "interviewed", "place", "conflicts", "honors", "tags", "audience",
              "summary", "access", "status", "embargo_until", "takedown", "consent", "people", "media",
              "content_notes", "segments"]
PERSON_KEYS = ["name", "born", "died", "hometown", "aliases", "portrait", "service", "media"]
PAGES = ["/", "/stories/", "/people/", "/browse/", "/timeline/", "/collections/", "/search?q=老兵", "/api/stories",
         "/api/people"]


def test_generated_hostile_files_never_give_a_server_error(app):
    from archive.validate import check_archive

    context = app.extensions["archive"]
    client = app.test_client()
    counter = iter(range(10**6))
    served: list[int] = []

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(STORY_KEYS), ANY), st.dictionaries(st.sampled_from(PERSON_KEYS), ANY),
           CJK_TEXT)
    def hostile(story_meta, person_meta, body):
        number = next(counter)
        for folder in ("stories", "people"):
            for old in (context.paths.root / folder).glob("fuzz-*.md"):
                old.unlink()
        slug = f"fuzz-{number}"
        story = context.paths.root / "stories" / f"{slug}.md"
        person = context.paths.root / "people" / f"{slug}.md"
        story.write_text("---\n" + yaml.safe_dump(story_meta, allow_unicode=True) + "---\n" + body, encoding="utf-8")
        person.write_text("---\n" + yaml.safe_dump(person_meta, allow_unicode=True) + "---\n简介。\n", encoding="utf-8")
        check_archive(context.store)  # never raises
        for path in [*PAGES, f"/stories/{slug}", f"/stories/{slug}/card", f"/api/stories/{slug}",
                     f"/people/{slug}", f"/api/people/{slug}"]:
            response = client.get(path)
            assert response.status_code < 500, (path, story_meta, person_meta)
            served.append(response.status_code == 200 and path == f"/stories/{slug}")

    hostile()
    assert sum(served) >= 3  # some generated stories were readable pages, not only refused files
