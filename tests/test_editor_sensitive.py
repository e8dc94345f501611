"""The sensitive-data rule lives in the editing service (issue 10): a library caller of the Editor
is refused an ID-card number or a phone number unless it confirms, as the web form is."""
from __future__ import annotations

import pytest

from archive.audit import AuditLog
from archive.editing import Editor, SensitiveDataFound
from archive.store import ContentStore
from archive.versions import History

ID_CARD = "11010519491231002X"  # checksum-valid


@pytest.fixture
def editor(archive_root, tmp_path):
    return Editor(ContentStore(archive_root), History(tmp_path / "history"), AuditLog(tmp_path / "audit.log"))


def test_a_new_story_with_an_id_card_number_is_refused_unless_confirmed(editor, archive_root):
    meta = {"title": "甲", "narrator": "王建国"}
    with pytest.raises(SensitiveDataFound) as refused:
        editor.create_story("jia", meta, f"我的身份证号是 {ID_CARD}。\n", "archivist")
    assert [(f.kind, f.line) for f in refused.value.findings] == [("id_card", 1)]
    assert ID_CARD not in str(refused.value)
    assert not (archive_root / "stories" / "jia.md").exists()
    editor.create_story("jia", meta, f"我的身份证号是 {ID_CARD}。\n", "archivist", confirm_sensitive=True)
    assert (archive_root / "stories" / "jia.md").exists()


def test_an_edit_putting_a_phone_number_in_the_summary_is_refused(editor, archive_root):
    story = editor.store.get_story("kua-guo-ya-lu-jiang")
    before = (archive_root / "stories" / "kua-guo-ya-lu-jiang.md").read_bytes()
    story.meta = dict(story.meta, summary="联系电话 13812345678")
    with pytest.raises(SensitiveDataFound) as refused:
        editor.save_story(story, story.version, "archivist")
    assert refused.value.findings[0].where == "摘要"
    assert (archive_root / "stories" / "kua-guo-ya-lu-jiang.md").read_bytes() == before
    editor.save_story(story, story.version, "archivist", confirm_sensitive=True)
    assert "13812345678" in (archive_root / "stories" / "kua-guo-ya-lu-jiang.md").read_text(encoding="utf-8")
