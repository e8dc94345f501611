"""`archive import FOLDER`: a dry run that reports per file and writes nothing, and a
real run that adds good files as drafts (history, audit, index) and skips bad ones."""
from __future__ import annotations

import io
import json

import docx
import pytest
from conftest import write_tree

from archive.audit import AuditLog
from archive.content_model import slug_taken

CSV = (
    "file,slug,title,narrator,interviewed,conflicts,audience,people\n"
    "高大山访谈.txt,gao-dashan,老班长的三等功,高大山,2024-03-02,抗美援朝战争,初中、高中,wang-jianguo\n"
    "渡江.docx,du-jiang,渡江那一夜,于春生,2024年3月,解放战争,,\n"
    "gbk.txt,,向阳的故事,向阳,,,,\n"
    "不存在.txt,,,,,,,\n"
)


@pytest.fixture
def folder(tmp_path):
    document = docx.Document()
    document.add_heading("上船", level=2)
    document.add_paragraph("[00:00:30] 天一黑我们就上了船。")
    buffer = io.BytesIO()
    document.save(buffer)
    return write_tree(tmp_path / "incoming", {
        "metadata.csv": CSV,
        "高大山访谈.txt": "## 入朝\n\n[00:01:00] 我们是夜里过的江。\n",
        "渡江.docx": buffer.getvalue(),
        "white.md": "---\ntitle: 白老的回忆\nnarrator: 白玉清\ninterviewed: 2023-11-08\n---\n一九七九年二月……\n",
        "gbk.txt": "这是一段GBK编码的文字稿。".encode("gb18030"),
        "broken.md": "---\ntitle: [未闭合\n---\n正文\n",
        "empty.txt": "   \n",
    })


def test_dry_run_reports_every_file_and_writes_nothing(run_cli, folder, archive_root):
    before = sorted(p.name for p in (archive_root / "stories").iterdir())
    result = run_cli("import", str(folder), "--dry-run")
    out = result.output
    assert result.exit_code == 1
    assert "incoming/高大山访谈.txt: 可导入 → stories/gao-dashan.md（《老班长的三等功》，讲述人 高大山" in out
    assert "incoming/white.md: 可导入 → stories/white.md" in out
    assert "incoming/gbk.txt: 可导入" in out  # Word's Chinese plain text (GB18030) is read too
    assert "incoming/metadata.csv:3: interviewed 应为 ISO 日期" in out  # 渡江.docx's row
    assert "incoming/broken.md:3: YAML 格式错误" in out
    assert "incoming/empty.txt:1: 文件是空的" in out
    assert "incoming/metadata.csv:5: CSV 中的 不存在.txt 在文件夹里找不到" in out
    assert "试运行：3 个文件可导入，3 个有问题；没有写入任何内容。" in out
    assert sorted(p.name for p in (archive_root / "stories").iterdir()) == before
    assert "Traceback" not in out


def test_real_run_adds_drafts_with_history_audit_and_index(run_cli, folder, archive_root, tmp_path):
    result = run_cli("import", str(folder), "--who", "档案员张丽")
    assert result.exit_code == 1  # some files were skipped, and it says so
    assert "已导入 3 篇草稿，跳过 3 个有问题的文件。" in result.output
    text = (archive_root / "stories" / "gao-dashan.md").read_text(encoding="utf-8")
    assert "status: draft" in text and "- 初中" in text and "我们是夜里过的江" in text
    assert not (archive_root / "stories" / "du-jiang.md").exists()
    entries = AuditLog(archive_root / "instance" / "audit.jsonl").entries()
    assert {e["target"] for e in entries} == {"stories/gao-dashan", "stories/white", "stories/gbk"}
    assert all(e["who"] == "档案员张丽" and e["action"] == "stories.import" for e in entries)
    found = json.loads(run_cli("search", "夜里过的江", "--json").output)
    assert [hit["slug"] for hit in found["hits"]] == ["gao-dashan"]  # indexed at once, for archivists …
    assert json.loads(run_cli("search", "夜里过的江", "--json", "--role", "anonymous").output)["total"] == 0
    again = run_cli("import", str(folder), "--dry-run")
    assert slug_taken("gao-dashan") in again.output  # importing twice is refused


def test_empty_folder_is_a_clear_error(run_cli, tmp_path):
    (tmp_path / "nothing").mkdir()
    result = run_cli("import", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and "没有 .md、.txt 或 .docx 文字稿" in result.output


def test_a_chinese_file_name_without_a_slug_gives_a_pinyin_slug(run_cli, tmp_path, archive_root):
    """Issue 10: a blank 编号 must not make a Chinese file name (a URL and citation of 100+ characters
    of percent-encoding); the importer derives it from the file name's pinyin, as the form does from
    the title."""
    incoming = write_tree(tmp_path / "incoming", {
        "李大娘讲支前.md": "---\ntitle: 支前的小车\nnarrator: 李桂兰\n---\n[00:00:10] 我们推着小车往前线送粮。\n"})
    result = run_cli("import", str(incoming), "--who", "档案员张丽")
    assert "已导入 1 篇草稿" in result.output, result.output
    assert (archive_root / "stories" / "li-da-niang-jiang-zhi-qian.md").exists()
    assert not list((archive_root / "stories").glob("李*"))
