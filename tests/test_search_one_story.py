"""Updating one story (a save, a delete, a rename) reads that story's file and the people it names,
nothing else of the archive: every file opened and folder listed during the update is counted
(Python's audit hook sees each open and scandir)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.store import ContentStore
from tests.conftest import write_tree

STORY = """---
title: 第{n}篇
narrator: 老兵{n}
people: [{person}]
---
[00:00:10] 我们连夜过江，{n}个战友背着电台走在最后。
"""
PERSON = "---\nname: 战友{n}\n---\n籍贯山东。\n"
_SEEN: list[tuple[str, str]] | None = None


def _hook(event: str, args: tuple) -> None:
    if _SEEN is not None and event in ("open", "os.scandir", "os.listdir") and args and args[0] is not None:
        _SEEN.append((event, str(args[0])))


sys.addaudithook(_hook)


@pytest.fixture
def archive(tmp_path):
    root = write_tree(tmp_path / "archive", {
        **{f"stories/story-{n:02d}.md": STORY.format(n=n, person=f"person-{n % 5}") for n in range(40)},
        **{f"people/person-{n}.md": PERSON.format(n=n) for n in range(5)}})
    engine = WhooshSearchEngine(ContentStore(root), tmp_path / "index")
    engine.rebuild()
    return root, engine


def _archive_files_touched(root: Path, action) -> set[str]:
    global _SEEN
    _SEEN = []
    try:
        action()
    finally:
        seen, _SEEN = _SEEN, None
    touched = set()
    for event, path in seen:
        try:
            relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue  # the index, Python's own files
        if relative.startswith(("stories", "people")):  # the vocabularies/ lists are read, they are small
            touched.add(relative if event == "open" else f"{relative}/ (listed)")
    return touched


def _slugs(engine, text: str) -> list[str]:
    return sorted(h.slug for h in engine.search(SearchRequest(query=text, role="admin", per_page=50)).hits)


def test_a_save_reads_only_that_story_and_its_people(archive):
    root, engine = archive
    path = root / "stories" / "story-07.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n后来又去了蘑菇屯。\n", encoding="utf-8")
    store = ContentStore(root)
    story = store.get_story("story-07")
    touched = _archive_files_touched(root, lambda: engine.index_story(story))
    # its person's file too unless the store has it cached (unchanged since the rebuild read it)
    assert "stories/story-07.md" in touched and touched <= {"stories/story-07.md", "people/person-2.md"}
    assert _slugs(engine, "蘑菇屯") == ["story-07"]


def test_adding_deleting_and_renaming_one_story_read_nothing_else(archive):
    root, engine = archive
    write_tree(root, {"stories/new-one.md": STORY.format(n=99, person="person-1").replace("过江", "过江到了蘑菇屯")})
    added = ContentStore(root).get_story("new-one")
    touched = _archive_files_touched(root, lambda: engine.index_story(added))
    assert "stories/new-one.md" in touched and touched <= {"stories/new-one.md", "people/person-1.md"}
    assert _slugs(engine, "蘑菇屯") == ["new-one"]
    (root / "stories" / "story-03.md").unlink()
    assert _archive_files_touched(root, lambda: engine.delete_story("story-03")) == set()
    assert "story-03" not in _slugs(engine, "过江") and len(_slugs(engine, "过江")) == 40
    (root / "stories" / "new-one.md").rename(root / "stories" / "renamed.md")
    renamed = ContentStore(root).get_story("renamed")

    def rename():
        engine.delete_story("new-one")
        engine.index_story(renamed)

    touched = _archive_files_touched(root, rename)
    assert "stories/renamed.md" in touched and touched <= {"stories/renamed.md", "people/person-1.md"}
    assert _slugs(engine, "蘑菇屯") == ["renamed"]
