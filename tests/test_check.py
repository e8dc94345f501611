"""`archive check`: every problem as path:line: message, exit 1; a clean archive exits 0."""
from __future__ import annotations

import pytest

from tests.conftest import write_tree

GOOD_HEAD = "---\ntitle: 标题\nnarrator: 王建国\n"


def check_output(run_cli, root):
    result = run_cli("check", root=root)
    return result.exit_code, result.output


def test_clean_archive_prints_one_line_and_exits_0(run_cli):
    result = run_cli("check")
    assert result.exit_code == 0
    assert result.output == "检查通过：1 篇故事、1 位人物，没有发现问题。\n"


@pytest.mark.parametrize("text,expected", [
    ("---\ntitle: 标题\nnarrator: [王建国\n---\n", "stories/bad.md:4: YAML 格式错误"),
    ("---\ntitle: 标题\n---\n", "stories/bad.md:1: 缺少必填项 narrator（讲述人）"),
    ("---\nnarrator: 王建国\n---\n", "stories/bad.md:1: 缺少必填项 title（标题）"),
    (GOOD_HEAD + "tags: 侦察\n---\n", "stories/bad.md:4: tags 应为文本列表"),
    (GOOD_HEAD + "title2: x\ninterviewed: 2023-13-01\n---\n", "stories/bad.md:5: interviewed 应为 ISO 日期"),
    (GOOD_HEAD + "interviewed: 去年\n---\n", "stories/bad.md:4: interviewed 应为 ISO 日期"),
    (GOOD_HEAD + "access: secret\n---\n", "stories/bad.md:4: access 只能是 public / internal / restricted"),
    (GOOD_HEAD + "embargo_until: 2030/01/01\n---\n", "stories/bad.md:4: embargo_until 应为 ISO 日期"),
    (GOOD_HEAD + "summary: 12\n---\n", "stories/bad.md:4: summary 应为文本，实际是数字"),
    (GOOD_HEAD + "people:\n  - wang-jianguo\n  - nobody\n---\n", "stories/bad.md:6: 引用的人物未定义：people/nobody.md 不存在"),
    (GOOD_HEAD + "media:\n  - file: missing.jpg\n    caption: 照片\n---\n",
     "stories/bad.md:5: 引用的媒体文件不存在：media/missing.jpg"),
    (GOOD_HEAD + "media:\n  - file: ../../etc/passwd\n---\n", "stories/bad.md:5: 引用的媒体文件不存在"),
    ("正文没有元数据\n", "stories/bad.md:1: 文件开头缺少 '---' 包围的 YAML 元数据"),
    ("", "stories/bad.md:1: 文件开头缺少"),
    ("---\n- 一\n- 二\n---\n", "stories/bad.md:2: YAML 元数据必须是"),
])
def test_each_story_problem_is_reported_with_its_line(run_cli, archive_root, text, expected):
    write_tree(archive_root, {"stories/bad.md": text})
    code, output = check_output(run_cli, archive_root)
    assert code == 1
    assert expected in output


@pytest.mark.parametrize("text,expected", [
    ("---\nborn: 1928\n---\n", "people/p.md:1: 缺少必填项 name（姓名）"),
    ("---\nname: 高山\nborn: 一九二八\n---\n", "people/p.md:3: born 应为四位年份"),
    ("---\nname: 高山\nservice: 侦察兵\n---\n", "people/p.md:3: service 应为映射"),
    ("---\nname: 高山\nservice:\n  enlisted: 47\n---\n", "people/p.md:4: enlisted 应为四位年份"),
    ("---\nname: 高山\nservice:\n  units: 27军\n---\n", "people/p.md:4: units 应为文本列表"),
    ("---\nname: 高山\nportrait: none.jpg\n---\n", "people/p.md:3: 引用的媒体文件不存在：media/none.jpg"),
])
def test_each_person_problem_is_reported_with_its_line(run_cli, archive_root, text, expected):
    write_tree(archive_root, {"people/p.md": text})
    code, output = check_output(run_cli, archive_root)
    assert code == 1
    assert expected in output


def test_duplicate_slugs_are_reported(run_cli, archive_root):
    write_tree(archive_root, {"stories/Kua-Guo-Ya-Lu-Jiang.md": GOOD_HEAD + "---\n"})
    code, output = check_output(run_cli, archive_root)
    assert code == 1 and "编号重复" in output


@pytest.mark.parametrize("content,expected", [
    (bytes(range(256)) * 10, "stories/weird.md:1: 这是二进制文件，不是文本"),
    ("---\ntitle: 老兵的故事\nnarrator: 王建国\n---\n".encode("gbk"), "stories/weird.md:2: 不是 UTF-8 编码（可能是 GBK）"),
    (b"", "stories/weird.md:1: 文件开头缺少 '---'"),
    (b"---\ntitle: " + "长".encode() * 1_700_000 + b"\n", "stories/weird.md:1: YAML 元数据没有结束"),
    (b"x" * (11 * 1024 * 1024), "stories/weird.md:1: 文件过大"),
])
def test_no_input_file_produces_a_traceback(run_cli, archive_root, content, expected):
    (archive_root / "stories" / "weird.md").write_bytes(content)
    code, output = check_output(run_cli, archive_root)
    assert code == 1
    assert "Traceback" not in output
    assert expected in output


def test_media_that_exists_is_accepted(run_cli, archive_root):
    write_tree(archive_root, {
        "media/photo.jpg": b"\xff\xd8\xff",
        "stories/ok.md": GOOD_HEAD + "media:\n  - file: photo.jpg\n    caption: 合影\n    date: 1953-07\n---\n",
    })
    assert check_output(run_cli, archive_root)[0] == 0


def test_missing_root_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("check", root=tmp_path / "nope")
    assert result.exit_code == 2
    assert "档案根目录不存在" in result.output


@pytest.mark.parametrize("text,expected", [
    ("---\nstories:\n  - kua-guo-ya-lu-jiang\n---\n", "collections/c.md:1: 缺少必填项 title（专题名称）"),
    ("---\ntitle: 抗美援朝\nstories: kua-guo-ya-lu-jiang\n---\n", "collections/c.md:3: stories 应为故事编号"),
    ("---\ntitle: 抗美援朝\nstories:\n  - kua-guo-ya-lu-jiang\n  - gone\n---\n",
     "collections/c.md:5: 专题引用的故事不存在：stories/gone.md"),
    ("---\ntitle: 抗美援朝\ncover: none.jpg\nstories: []\n---\n", "collections/c.md:3: 引用的媒体文件不存在"),
])
def test_each_collection_problem_is_reported_with_its_line(run_cli, archive_root, text, expected):
    write_tree(archive_root, {"collections/c.md": text})
    code, output = check_output(run_cli, archive_root)
    assert code == 1
    assert expected in output


def test_a_takedown_needs_a_reason(run_cli, archive_root):
    write_tree(archive_root, {"stories/t.md": GOOD_HEAD + "takedown:\n  date: 2026-01-01\n---\n"})
    code, output = check_output(run_cli, archive_root)
    assert code == 1 and "stories/t.md:4: 撤下必须写明原因" in output


def test_a_clean_collection_is_counted(run_cli, archive_root):
    write_tree(archive_root, {"collections/c.md": "---\ntitle: 抗美援朝\nstories:\n  - kua-guo-ya-lu-jiang\n---\n"})
    result = run_cli("check")
    assert result.exit_code == 0
    assert result.output == "检查通过：1 篇故事、1 位人物、1 个专题，没有发现问题。\n"


@pytest.mark.parametrize("text,expected", [
    ("---\nstatus: draft\n---\n", "lectures/l.md:1: 缺少必填项 title（讲稿标题）"),
    ("---\ntitle: 进课堂\nstatus: done\n---\n", "lectures/l.md:3: status 只能是"),
    ("---\ntitle: 进课堂\ntarget_minutes: 半小时\n---\n", "lectures/l.md:3: target_minutes 应为正数"),
    ("---\ntitle: 进课堂\nitems:\n  - text: 开场白\n  - 乱写的一项\n---\n", "lectures/l.md:5: items 第 2 项无法识别"),
    ("---\ntitle: 进课堂\ndate: 九月\n---\n", "lectures/l.md:3: date 应为 ISO 日期"),
])
def test_each_lecture_plan_problem_is_reported_with_its_line(run_cli, archive_root, text, expected):
    write_tree(archive_root, {"lectures/l.md": text})
    code, output = check_output(run_cli, archive_root)
    assert code == 1
    assert expected in output


def test_the_segment_index_is_read_and_checked(run_cli, archive_root):
    from archive.store import ContentStore

    path = archive_root / "stories" / "kua-guo-ya-lu-jiang.md"
    first, second = (s.id for s in ContentStore(archive_root).get_story("kua-guo-ya-lu-jiang").segments)
    text = path.read_text(encoding="utf-8").replace("people:\n", f"segments:\n  {second}:\n    synopsis: 夜渡鸭绿江。\n"
                                                     "    keywords:\n      - 鸭绿江\n      - 夜行军\n"
                                                     f"  t999999:\n    synopsis: 不存在的段落\n  {first}: 参军\npeople:\n")
    path.write_text(text, encoding="utf-8")
    story = ContentStore(archive_root).get_story("kua-guo-ya-lu-jiang")
    assert story.segment_notes[second].synopsis == "夜渡鸭绿江。"
    assert story.segment_notes[second].keywords == ("鸭绿江", "夜行军")
    result = run_cli("check")
    assert result.exit_code == 1
    assert "segments 里的段落 t999999 在正文中不存在" in result.output
    assert f"段落 {first} 的索引应为映射" in result.output
    assert second not in result.output
