"""The content store: list, get, save, delete; stale edits refused; unsafe slugs rejected."""
from __future__ import annotations

import pytest

from archive.models import Person, Story
from archive.safe_write import atomic_write_text, sweep_temp_files
from archive.store import NEW_FILE_VERSION, ContentStore, StaleEditError


def test_list_get_save_delete_stories(archive_root):
    store = ContentStore(archive_root)
    assert [s.slug for s in store.list_stories()] == ["kua-guo-ya-lu-jiang"]
    story = store.get_story("kua-guo-ya-lu-jiang")
    assert story.title == "跨过鸭绿江" and story.narrators == ["王建国"]
    assert [s.title for s in story.segments] == ["参军", "过江"]
    store.save_story(Story.new("second", {"title": "第二篇", "narrator": "于海"}, "正文\n"))
    assert [s.slug for s in store.list_stories()] == ["kua-guo-ya-lu-jiang", "second"]
    assert store.delete_story("second") is True
    assert store.get_story("second") is None
    assert store.delete_story("second") is False


def test_people_and_their_stories(archive_root):
    store = ContentStore(archive_root)
    person = store.get_person("wang-jianguo")
    assert person.name == "王建国" and person.service["units"] == ["志愿军第27军"]
    assert [s.slug for s in store.stories_of_person("wang-jianguo")] == ["kua-guo-ya-lu-jiang"]
    person.meta["hometown"] = "山东烟台"
    store.save_person(person)
    assert store.get_person("wang-jianguo").meta["hometown"] == "山东烟台"


@pytest.mark.parametrize("slug", ["../secret", "a/b", ".hidden", "", "x" * 200, "a.md"])
def test_unsafe_slugs_never_touch_the_disk(archive_root, slug):
    store = ContentStore(archive_root)
    assert store.get_story(slug) is None
    assert store.delete_story(slug) is False


def test_a_stale_edit_is_refused_and_the_other_change_survives(archive_root):
    store = ContentStore(archive_root)
    mine = store.get_story("kua-guo-ya-lu-jiang")
    theirs = store.get_story("kua-guo-ya-lu-jiang")
    theirs.meta["summary"] = "他们的修改"
    store.save_story(theirs, base_version=theirs.version)
    mine.meta["summary"] = "我的修改"
    with pytest.raises(StaleEditError) as caught:
        store.save_story(mine, base_version=mine.version)
    assert caught.value.current.summary == "他们的修改"
    assert store.get_story("kua-guo-ya-lu-jiang").summary == "他们的修改"


def test_creating_over_an_existing_story_is_refused(archive_root):
    store = ContentStore(archive_root)
    with pytest.raises(StaleEditError):
        store.save_story(Story.new("kua-guo-ya-lu-jiang", {"title": "x", "narrator": "y"}, ""),
                         base_version=NEW_FILE_VERSION)


def test_broken_files_are_reported_not_raised(archive_root):
    (archive_root / "stories" / "broken.md").write_bytes(b"---\ntitle: [\n---\n")
    (archive_root / "stories" / "gbk.md").write_bytes("---\ntitle: 老兵\n---\n".encode("gbk"))
    store = ContentStore(archive_root)
    assert [s.slug for s in store.list_stories()] == ["kua-guo-ya-lu-jiang"]
    assert sorted(p.name for p in store.load_errors) == ["broken.md", "gbk.md"]
    assert store.get_story("broken") is None


def test_edits_on_disk_are_seen_without_restart(archive_root):
    store = ContentStore(archive_root)
    assert store.get_story("kua-guo-ya-lu-jiang").title == "跨过鸭绿江"
    path = archive_root / "stories" / "kua-guo-ya-lu-jiang.md"
    path.write_text(path.read_text(encoding="utf-8").replace("跨过鸭绿江", "雄赳赳气昂昂跨过鸭绿江"), encoding="utf-8")
    assert store.get_story("kua-guo-ya-lu-jiang").title == "雄赳赳气昂昂跨过鸭绿江"


def test_temp_files_left_by_a_crash_are_swept(archive_root):
    stale = archive_root / "stories" / ".kua-guo-ya-lu-jiang.md.0123456789ab.tmp"
    stale.write_text("half a file", encoding="utf-8")
    keep = archive_root / "stories" / "notes.tmp"
    keep.write_text("not ours", encoding="utf-8")
    assert sweep_temp_files(archive_root) == [stale]
    assert not stale.exists() and keep.exists()


def test_atomic_write_leaves_no_temp_file(tmp_path):
    atomic_write_text(tmp_path / "a.md", "内容")
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_person_model_reads_service_record(archive_root):
    person: Person = ContentStore(archive_root).get_person("wang-jianguo")
    assert person.service["campaigns"] == ["长津湖战役"] and person.meta["born"] == 1928
