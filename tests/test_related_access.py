"""Related stories on a story page are reused for a while (they cost an index query each),
but every use checks them with the access rule: a story that becomes restricted leaves the
page of every other story at once."""
from __future__ import annotations

from tests.conftest import STORY, write_tree

OTHER = STORY.replace("title: 跨过鸭绿江", "title: 鸭绿江边的冬天").replace("people:\n  - wang-jianguo\n", "")


def test_a_related_story_made_restricted_leaves_the_page_at_once(app, archive_root):
    write_tree(archive_root, {"stories/ya-lu-jiang-dong-tian.md": OTHER})
    context = app.extensions["archive"]
    context.search.update()
    reader = app.test_client()
    assert "鸭绿江边的冬天" in reader.get("/stories/kua-guo-ya-lu-jiang").get_data(as_text=True)
    story = context.store.get_story("ya-lu-jiang-dong-tian")
    story.meta = dict(story.meta, access="restricted")
    context.editor.save_story(story, story.version, "测试")
    assert "鸭绿江边的冬天" not in reader.get("/stories/kua-guo-ya-lu-jiang").get_data(as_text=True)
