"""The sample collection that `make serve` shows: valid, honest about what is fictional,
and rich enough that every later screen has something real-looking to show."""
from __future__ import annotations

import datetime as dt
import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from archive.cli import cli
from archive.frontmatter import parse_document
from archive.lectures.deliveries import dashboard, told_index
from archive.lectures.files import LectureStore
from archive.lectures.review import review_plan
from archive.models import IMAGE_SUFFIXES, Person, Story
from archive.store import ContentStore

REPO = Path(__file__).resolve().parent.parent
MEDIA_TOOL = REPO / "tools" / "make_sample_media.py"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A copy of the sample collection, so tests never touch the working tree."""
    root = tmp_path_factory.mktemp("sample")
    for folder in ("stories", "people", "media", "collections", "lectures"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def stories(sample) -> list[Story]:
    return ContentStore(sample).list_stories()


@pytest.fixture(scope="module")
def people(sample) -> list[Person]:
    return ContentStore(sample).list_people()


def test_check_passes_on_the_sample_collection(sample):
    result = CliRunner().invoke(cli, ["--root", str(sample), "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("检查通过：16 篇故事、9 位人物")


def test_the_readme_counts_match_the_collection(stories, people, sample):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    pictures = [p for p in (sample / "media").rglob("*") if p.suffix in IMAGE_SUFFIXES]
    collections = list((sample / "collections").glob("*.md"))
    plans = list((sample / "lectures").glob("*.md"))
    assert (f"{len(stories)} 篇访谈、{len(people)} 位人物、{len(pictures)} 张图片、{len(collections)} 个专题"
            f"和 {len(plans)} 份宣讲讲稿") in readme
    assert len(stories) >= 12 and len(people) >= 8


def test_every_story_is_marked_as_composite_or_says_its_source(stories, people):
    for story in stories:
        assert story.is_sample or str(story.meta.get("source", "")).startswith("据"), story.slug
    composites = [s for s in stories if s.is_sample]
    assert 0 < len(composites) < len(stories)
    assert all(person.meta.get("sample") is True for person in people)


def test_every_story_field_of_the_format_is_used(stories):
    used = {key for story in stories for key, value in story.meta.items() if value not in (None, [], "")}
    documented = {"title", "narrator", "interviewed", "interviewer", "place", "conflicts", "honors", "tags",
                  "audience", "summary", "access", "embargo_until", "status", "takedown", "consent", "people",
                  "media", "content_notes", "sample"}
    assert documented <= used, documented - used
    assert any(isinstance(s.meta["narrator"], list) for s in stories)
    assert {type(s.meta.get("interviewer")) for s in stories} >= {str, list}
    assert {s.meta.get("access") for s in stories} == {"public", "internal", "restricted"}
    assert {s.meta.get("status") for s in stories} == {"draft", "published"}
    embargoes = [dt.date.fromisoformat(s.meta["embargo_until"]) for s in stories if "embargo_until" in s.meta]
    assert min(embargoes) < dt.date.today() < max(embargoes), "one embargo lifted, one still running"


def test_media_entries_use_every_field_and_every_file_is_used(stories, people, sample):
    entries = [item for record in [*stories, *people] for item in record.media]
    for key in ("caption", "date", "place", "credit", "people", "access"):
        assert any(getattr(item, key) for item in entries), f"no photo has {key}"
    referenced = {item.file for item in entries} | {p.portrait for p in people if p.portrait}
    on_disk = {p.relative_to(sample / "media").as_posix() for p in (sample / "media").rglob("*") if p.is_file()}
    assert on_disk == referenced, on_disk ^ referenced


def test_people_carry_a_full_service_record(people, stories):
    keys = {key for person in people for key in person.meta}
    assert {"name", "aliases", "born", "died", "hometown", "gender", "portrait", "service", "media"} <= keys
    service_keys = {key for person in people for key in person.service}
    assert {"enlisted", "discharged", "branch", "units", "rank", "campaigns", "conflicts", "honors",
            "wounds"} <= service_keys
    told = {slug for story in stories for slug in story.people}
    assert told == {person.slug for person in people}, "every profile has a story and every link a profile"
    assert any(person.body.strip() for person in people)


def test_several_wars_and_honours(stories):
    conflicts = {c for s in stories for c in s.strings("conflicts")}
    honors = {h for s in stories for h in s.strings("honors")}
    assert {"抗日战争", "解放战争", "抗美援朝战争", "对越自卫反击战"} <= conflicts
    assert {"一等功", "二等功", "三等功", "战斗英雄"} <= honors
    assert len({a for s in stories for a in s.strings("audience")}) >= 7


def test_transcripts_use_timestamps_headings_anchors_and_plain_paragraphs(stories):
    segments = [segment for story in stories for segment in story.segments]
    assert any(s.seconds is not None and s.title for s in segments), "a heading with a time"
    assert any(s.seconds is not None and not s.title for s in segments), "a timestamped paragraph"
    assert any(s.id.startswith("h-") and s.seconds is None for s in segments), "a heading without a time"
    assert any(s.id.startswith("p-") for s in segments), "a story cut into paragraph groups"
    assert {"zao-shu", "shang-chuan"} <= {s.id for s in segments}, "anchors pinned by hand"
    for story in stories:
        ids = {s.id for s in story.segments}
        renamed = [i for i in ids if re.sub(r"-\d+$", "", i) in ids - {i}]
        assert not renamed, f"{story.slug}: repeated segment ids {renamed}"


def test_every_sample_file_saves_back_byte_identical(sample):
    store = ContentStore(sample)
    for story in store.list_stories():
        before = store.story_path(story.slug).read_bytes()
        store.save_story(story, base_version=story.version)
        assert store.story_path(story.slug).read_bytes() == before, story.slug
    for person in store.list_people():
        path = sample / "people" / f"{person.slug}.md"
        before = path.read_bytes()
        store.save_person(person, base_version=person.version)
        assert path.read_bytes() == before, person.slug


def test_pictures_are_drawn_by_the_tool_and_carry_no_location(sample):
    spec = importlib.util.spec_from_file_location("make_sample_media", MEDIA_TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    on_disk = {p.relative_to(sample / "media").as_posix() for p in (sample / "media").rglob("*")
               if p.suffix in IMAGE_SUFFIXES}
    assert on_disk == set(tool.MEDIA)
    for name in on_disk:
        with Image.open(sample / "media" / name) as image:
            exif = image.getexif()
            assert 0x8825 not in exif, f"{name} has GPS data"  # GPSInfo IFD
            assert min(image.size) >= 300
    with Image.open(sample / "media" / "yu-haibo" / "lei-qu.jpg") as rotated:
        assert rotated.getexif().get(0x0112) == 6, "one phone-style photo stored sideways"


def test_collections_name_existing_stories_and_covers(sample, stories):
    slugs = {story.slug for story in stories}
    collections = sorted((sample / "collections").glob("*.md"))
    assert len(collections) >= 2
    for path in collections:
        meta = parse_document(path.read_text(encoding="utf-8")).meta
        assert meta["title"] and meta["stories"], path.name
        assert set(meta["stories"]) <= slugs, path.name
        assert (sample / "media" / meta["cover"]).is_file(), path.name


def test_lecture_plans_point_at_current_segments_and_fill_the_dashboard(sample):
    store = ContentStore(sample)
    plans = LectureStore(store).list_plans()
    assert {plan.status for plan in plans} == {"draft", "scheduled", "delivered"}
    told = told_index(plans)
    flags = set()
    for plan in plans:
        assert not plan.problems, plan.id
        reviewed = review_plan(plan, store, "lecturer", told)
        assert [item.state for item in reviewed.items if item.state != "ok"] == [], plan.id
        flags |= {flag.kind for item in reviewed.items for flag in item.flags}
    assert {"audience", "told"} <= flags, "the sample shows the speaker's checks"
    board = dashboard(plans, store.list_stories(), "lecturer")
    assert sum(count for _month, count in board.per_month) >= 3


def test_one_public_story_has_a_recording_that_covers_its_timestamps(stories, sample):
    recorded = [s for s in stories if any(item.kind == "audio" for item in s.media)]
    assert [s.slug for s in recorded] == ["liu-guiying-yao-xiang"]
    story = recorded[0]
    assert story.meta["access"] == "public" and story.meta["status"] == "published"
    audio = next(item for item in story.media if item.kind == "audio")
    data = (sample / "media" / audio.file).read_bytes()
    assert data[:4] == b"OggS" and b"OpusHead" in data[:100]
    # Ogg granule position of the last page = samples at 48 kHz: the recording reaches the last timestamp.
    last_page = data.rfind(b"OggS")
    length_seconds = int.from_bytes(data[last_page + 6:last_page + 14], "little") / 48000
    assert length_seconds > max(s.seconds for s in story.segments if s.seconds is not None)
