"""Whoosh pickles the class path of every codec, field type and format into an index's table of
contents: renaming or moving one of ours makes existing indexes unreadable.  So the class paths an
index holds are recorded here per SCHEMA_VERSION (a rename fails this test until the version is
bumped, which rebuilds every index at start-up), and an index whose classes are gone is rebuilt."""
from __future__ import annotations

import pickletools
import shutil

from archive.search import schema
from archive.search.engine import WhooshSearchEngine
from archive.search.schema import SCHEMA_VERSION
from archive.store import ContentStore
from tests.test_search_relevance import RELEVANCE

# SCHEMA_VERSION -> the archive.* classes its indexes pickle.  Renamed or moved a class?  Bump
# SCHEMA_VERSION in archive/search/schema.py and add a row; never edit an old row.
CLASS_PATHS = {
    10: {"archive.search.schema.PackedPositions", "archive.search.schema.TokenField"},
    11: {"archive.search.schema.PackedPositions", "archive.search.schema.TokenField"},
}


def _pickled_classes(index_folder) -> set[str]:
    found = set()
    for toc in index_folder.glob("_MAIN_*.toc"):
        data = toc.read_bytes()
        start = data.index(b"\x80\x02")  # after Whoosh's header, one pickle of the schema and segments
        for opcode, arg, _pos in pickletools.genops(data[start:]):
            if opcode.name == "GLOBAL":
                found.add(arg.replace(" ", "."))
            if opcode.name == "STOP":
                break
    return {path for path in found if path.startswith("archive.")}


def _built(tmp_path):
    root = tmp_path / "archive"
    shutil.copytree(RELEVANCE, root)
    engine = WhooshSearchEngine(ContentStore(root), tmp_path / "index")
    engine.rebuild()
    return engine


def test_the_class_paths_inside_an_index_are_those_recorded_for_its_schema_version(tmp_path):
    engine = _built(tmp_path)
    found = _pickled_classes(engine.folder.current_generation())
    assert found, "no class path found: the table of contents format changed"
    assert found == CLASS_PATHS.get(SCHEMA_VERSION), (
        f"an index of schema {SCHEMA_VERSION} pickles {sorted(found)}: a class was renamed or added; "
        "bump SCHEMA_VERSION and record the new paths in CLASS_PATHS")


def test_an_index_whose_classes_were_renamed_is_rebuilt_at_start_up(tmp_path):
    engine = _built(tmp_path)
    for toc in engine.folder.current_generation().glob("_MAIN_*.toc"):  # as if PackedPositions were renamed
        toc.write_bytes(toc.read_bytes().replace(b"PackedPositions", b"PackedPositionZ"))
    assert not hasattr(schema, "PackedPositionZ")
    counts = engine.ensure_ready()
    assert counts["rebuilt"] == 1 and counts["added"] == len(list((tmp_path / "archive" / "stories").glob("*.md")))
    assert _pickled_classes(engine.folder.current_generation()) == CLASS_PATHS[SCHEMA_VERSION]
