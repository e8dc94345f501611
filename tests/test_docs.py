"""The documentation tells the truth: the examples in docs/format.md pass `archive check`,
and the README names the two commands and every CLI command."""
from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import click
from click.testing import CliRunner

from archive.cli import cli
from archive.models import Person, Story
from archive.store import ContentStore

REPO = Path(__file__).resolve().parent.parent
FORMAT = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLE = re.compile(r"<!-- example: (?P<path>\S+) -->\n```markdown\n(?P<text>.*?)```", re.DOTALL)


def write_examples(root: Path) -> dict[str, str]:
    """Write every example file of docs/format.md under root, with the media it names."""
    examples = {m["path"]: m["text"] for m in EXAMPLE.finditer(FORMAT)}
    for name, text in examples.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    store = ContentStore(root)
    for record in [*store.list_stories(), *store.list_people()]:
        names = [item.file for item in record.media] + [getattr(record, "portrait", None) or ""]
        for name in filter(None, names):
            (root / "media" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "media" / name).write_bytes(b"\xff\xd8\xff\xd9")
    return examples


def test_format_examples_pass_check(tmp_path):
    examples = write_examples(tmp_path)
    assert {"stories/kua-guo-ya-lu-jiang.md", "people/wang-jianguo.md"} <= set(examples)
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "check"])
    assert result.exit_code == 0, result.output
    assert result.output == "检查通过：1 篇故事、1 位人物，没有发现问题。\n"


def test_format_example_story_reads_as_the_document_says(tmp_path):
    write_examples(tmp_path)
    store = ContentStore(tmp_path)
    story = store.get_story("kua-guo-ya-lu-jiang")
    assert isinstance(story, Story)
    assert story.to_text() == (tmp_path / "stories/kua-guo-ya-lu-jiang.md").read_text(encoding="utf-8")
    assert story.meta["source"].startswith("2021年")  # an unknown key, kept
    assert story.meta["interviewed"] == "2021-10-19" and story.media[0].date == "1953"
    ids = [segment.id for segment in story.segments]
    assert len(ids) == 4 and ids[0] == "t000030" and ids[1:3] == ["guo-jiang", "t001420"]
    assert story.segments[0].seconds == 30
    person = store.get_person("wang-jianguo")
    assert isinstance(person, Person) and person.meta["born"] == 1928 and person.service["enlisted"] == 1947


def test_format_documents_every_key_the_sample_collection_uses():
    store = ContentStore(REPO)
    records = [*store.list_stories(), *store.list_people()]
    keys = {key for record in records for key in record.meta}
    keys |= {key for person in store.list_people() for key in person.service}
    keys |= {key for record in records for item in record.media for key in item.extra}
    for key in keys:
        assert f"`{key}`" in FORMAT, f"docs/format.md does not describe `{key}`"


def test_readme_quick_start_is_the_two_commands():
    quick_start = README.split("## 快速开始", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.DOTALL)[1]
    assert [line.split("#")[0].strip() for line in block.splitlines()] == ["make serve", "make test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]


def _commands(group: click.Group, prefix: str = "archive") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix} {name}")
    return found


def test_every_cli_command_has_help_and_is_in_the_readme():
    flat = re.sub(r"--root DIR |\[--root 档案目录\] ", "", README)
    for name, command in _commands(cli):
        assert (command.help or "").strip(), f"{name} has no --help text"
        if not isinstance(command, click.Group):
            assert name in flat, f"README does not document `{name}`"


def test_readme_walkthrough_for_adding_a_story_by_hand_passes_check(tmp_path):
    section = README.split("## 档案员：手工添加一篇访谈", 1)[1].split("\n## ", 1)[0]
    person, story = (dedent(block) for block in re.findall(r"```markdown\n(.*?)```", section, re.DOTALL))
    files = {"people/zhang-guoqiang.md": person, "stories/zhang-guoqiang-guo-jiang.md": story,
                  "media/zhang-guoqiang/portrait.jpg": "x"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "check"])
    assert result.exit_code == 0, result.output
    found = ContentStore(tmp_path).get_story("zhang-guoqiang-guo-jiang")
    assert found is not None and found.meta["status"] == "draft" and found.people == ["zhang-guoqiang"]
    assert [segment.seconds for segment in found.segments] == [80, 725]


def test_format_documents_every_limit_of_a_file():
    from archive import limits

    table = FORMAT.split("### 一个文件最多能有多大（上限）", 1)[1].split("\n## ", 1)[0]
    for value in (f"{limits.MAX_FILE_BYTES // (1024 * 1024)} MB", f"{limits.MAX_FRONT_MATTER_CHARS:,} 个字符",
                  f"{limits.MAX_YAML_DEPTH} 层", f"{limits.MAX_YAML_NODES:,} 项", f"{limits.MAX_INT_DIGITS} 位",
                  f"{limits.MAX_BODY_CHARS:,} 个字符", f"{limits.MAX_SEGMENTS:,} 个", f"{limits.MAX_MARKDOWN_DEPTH} 层",
                  f"{limits.RENDER_SECONDS:g} 秒", f"{limits.RENDER_MEMORY_BYTES // 1024 ** 3} GB"):
        assert value in table, value
