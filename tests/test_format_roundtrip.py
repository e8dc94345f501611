"""Loading and saving without edits gives back the same bytes; YAML never rewrites what was typed."""
from __future__ import annotations

import pytest

from archive.frontmatter import FrontMatterError, parse_document
from archive.models import Story
from archive.store import ContentStore

ODD_BUT_VALID = [
    "---\ntitle: 过江\nnarrator: 王建国\n---\n正文\n",
    "---\r\ntitle: 过江\r\nnarrator: [王建国, 李秀英]\r\n---\r\nWindows 换行\r\n",
    "\ufeff---\ntitle: 带 BOM\nnarrator: 高山\n---\n",
    "---\ntitle:   '引号'   # 注释保留\nnarrator: \"于海\"\nunknown_key: {a: 1}\n---\n\n\n尾部没有换行",
    "---\ntitle: x\nnarrator: y\n...\n用 ... 结束的元数据\n",
]


@pytest.mark.parametrize("text", ODD_BUT_VALID)
def test_story_saved_without_edits_is_byte_identical(tmp_path, text):
    store = ContentStore(tmp_path)
    path = tmp_path / "stories" / "s.md"
    path.parent.mkdir()
    path.write_bytes(text.encode("utf-8"))
    store.save_story(store.get_story("s"))
    assert path.read_bytes() == text.encode("utf-8")


def test_yaml_pitfalls_keep_what_the_archivist_typed():
    doc = parse_document(
        "---\ntitle: 过江\nnarrator: 白玉\nunit_code: 012\nconsent: no\n"
        "interviewed: 2023-05-01\nborn: 1928\nfinal: yes\n---\n"
    )
    assert doc.meta["unit_code"] == "012"
    assert doc.meta["consent"] == "no"
    assert doc.meta["final"] == "yes"
    assert doc.meta["interviewed"] == "2023-05-01"
    assert doc.meta["born"] == 1928


def test_editing_metadata_keeps_unknown_keys_and_body(tmp_path):
    store = ContentStore(tmp_path)
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "s.md").write_text(
        "---\ntitle: 旧标题\nnarrator: 向前\ncode: '012'\nmy_field: 保留我\n---\n## 参军\n\n正文。\n",
        encoding="utf-8",
    )
    story = store.get_story("s")
    story.meta["title"] = "新标题"
    store.save_story(story)
    again = store.get_story("s")
    assert again.meta == {"title": "新标题", "narrator": "向前", "code": "012", "my_field": "保留我"}
    assert again.body == "## 参军\n\n正文。\n"


def test_a_new_story_reads_back_equal(tmp_path):
    store = ContentStore(tmp_path)
    meta = {"title": "no", "narrator": ["于海", "高山"], "interviewed": "2024-01-02",
            "tags": ["012", "true", "1.5"], "born": 1930}
    store.save_story(Story.new("new-one", meta, "正文\n"))
    assert store.get_story("new-one").meta == meta


@pytest.mark.parametrize("text,line", [
    ("没有元数据", 1),
    ("---\ntitle: x\n", 1),
    ("---\ntitle: x\nnarrator: [unclosed\n---\n", 4),
    ("---\n- 列表\n---\n", 2),
])
def test_broken_front_matter_is_an_error_with_a_line(text, line):
    with pytest.raises(FrontMatterError) as caught:
        parse_document(text)
    assert caught.value.line == line
