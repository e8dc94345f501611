"""A media entry whose file name holds a NUL (a hostile or damaged file) leaves the story page
readable: found by the file fuzz in tests/test_fuzz.py, where os.stat raised ValueError in the
page's cache stamp and the page answered 500."""
from __future__ import annotations

from tests.conftest import STORY, write_tree


def test_a_media_name_with_a_nul_does_not_break_the_story_page(app, archive_root):
    hostile = STORY.replace("people:\n", 'media:\n  - file: "a\\0b.jpg"\n    caption: 照片\npeople:\n')
    write_tree(archive_root, {"stories/kua-guo-ya-lu-jiang.md": hostile})
    response = app.test_client().get("/stories/kua-guo-ya-lu-jiang")
    assert response.status_code == 200
    assert "1950年10月" in response.get_data(as_text=True)
