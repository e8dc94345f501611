"""Front matter: split a file into its YAML block and Markdown body, and read the YAML
without letting YAML's implicit typing change what the archivist wrote.

`parse_document(text) -> Document` is pure.  Plain YAML reads `012` as 10, `no` as
False and `2024-05-01` as a date; our loader keeps all of these as the strings
that were typed.  Only plain decimal integers (`1928`) and `true`/`false` are typed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from archive.limits import MAX_FRONT_MATTER_CHARS, MAX_INT_DIGITS, MAX_YAML_DEPTH, MAX_YAML_NODES, body_problem


class FrontMatterError(ValueError):
    """A problem in a file's front matter (or a limit its body passes), with the 1-based line where it is."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


# What YAML's reader refuses (it allows tab, newlines and printable Unicode only); found by the fuzz test.
_UNPRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
DELIMITER = re.compile(r"^---[ \t]*\r?$")
CLOSING = re.compile(r"^(---|\.\.\.)[ \t]*\r?$")


class ArchiveLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates, codes and yes/no words as strings, and refuses what could make
    one small file cost the archive its memory or stack: aliases (a "billion laughs" expands 9^8
    times), explicit tags, nesting deeper than MAX_YAML_DEPTH, more than MAX_YAML_NODES values, bare
    numbers longer than MAX_INT_DIGITS and duplicate keys (the last one would silently win)."""

    def __init__(self, stream: str, first_line: int = 2):
        super().__init__(stream)
        self.first_line, self.depth, self.nodes = first_line, 0, 0

    def _refuse(self, mark: yaml.Mark | None, message: str) -> FrontMatterError:
        return FrontMatterError((mark.line if mark else 0) + self.first_line, message)

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise self._refuse(event.start_mark, f"不支持 YAML 别名（*{event.anchor}）：请把内容直接写出来")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise self._refuse(event.start_mark, f"不支持 YAML 标签（{tag}）：请去掉 ! 开头的标记")
        self.depth += 1
        self.nodes += 1
        if self.depth > MAX_YAML_DEPTH:
            raise self._refuse(event.start_mark, f"元数据嵌套层数过多（超过 {MAX_YAML_DEPTH} 层）")
        if self.nodes > MAX_YAML_NODES:
            raise self._refuse(event.start_mark, f"元数据的项数过多（超过 {MAX_YAML_NODES:,} 项）")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + self.first_line
                if key_node.value in seen:
                    raise FrontMatterError(line, f"键 {key_node.value} 重复（第 {seen[key_node.value]} 行已有）："
                                                 "只保留一个，否则不知道哪个算数")
                seen[key_node.value] = line
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = node.value.lstrip("+-")
        if len(digits) > MAX_INT_DIGITS:
            raise self._refuse(node.start_mark, f"数字位数过多（{len(digits):,} 位，上限 {MAX_INT_DIGITS} 位）："
                                                "如果这是编号，请加上引号")
        return super().construct_yaml_int(node)


ArchiveLoader.add_constructor("tag:yaml.org,2002:int", ArchiveLoader.construct_yaml_int)


_TYPED_TAGS = {
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
ArchiveLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _TYPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ArchiveLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
ArchiveLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)



@dataclass
class Document:
    """A parsed file: its front matter block (verbatim), metadata, body and line map."""

    head: str  # the front matter block exactly as read, delimiters included
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    lines: dict[tuple, int] = field(default_factory=dict)  # key path -> 1-based line

    def line_of(self, *path: Any) -> int:
        """The line of a key path such as ("media", 0, "file"), or of its nearest parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def split_front_matter(text: str) -> tuple[str, str, str]:
    """Split text into (head, yaml_text, body); head is "" when there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or not DELIMITER.match(lines[0].lstrip("\ufeff")):
        raise FrontMatterError(1, "文件开头缺少 '---' 包围的 YAML 元数据")
    for index in range(1, len(lines)):
        if CLOSING.match(lines[index]):
            head = "".join(lines[: index + 1])
            return head, "".join(lines[1:index]), "".join(lines[index + 1 :])
    raise FrontMatterError(1, "YAML 元数据没有结束的 '---' 行")


def _record_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int], offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = path + (key_node.value,)
                lines[child] = key_node.start_mark.line + offset
                _record_lines(value_node, child, lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = path + (index,)
            lines[child] = item.start_mark.line + offset
            _record_lines(item, child, lines, offset)


def load_yaml(yaml_text: str, first_line: int = 2) -> tuple[Any, dict[tuple, int]]:
    """Read YAML with ArchiveLoader; return (data, key path -> file line)."""
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(first_line, f"元数据过长（{len(yaml_text):,} 字符，上限 {MAX_FRONT_MATTER_CHARS:,}）")
    unprintable = _UNPRINTABLE.search(yaml_text)
    if unprintable is not None:
        line = first_line + yaml_text.count("\n", 0, unprintable.start())
        raise FrontMatterError(line, f"元数据里有不可见的控制字符（U+{ord(unprintable.group()):04X}），请删去")
    loader = ArchiveLoader(yaml_text, first_line)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + first_line if mark else first_line
        problem = getattr(error, "problem", None) or str(error)
        raise FrontMatterError(line, f"YAML 格式错误：{problem}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        if isinstance(error, FrontMatterError):
            raise
        raise FrontMatterError(first_line, f"YAML 无法读取：{error}") from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    if node is not None:
        _record_lines(node, (), lines, first_line)
    return data, lines


def parse_document(text: str) -> Document:
    """Parse a whole file's text into a Document; raise FrontMatterError on bad input."""
    head, yaml_text, body = split_front_matter(text)
    data, lines = load_yaml(yaml_text)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(2, "YAML 元数据必须是“键: 值”的映射")
    body_line = head.count("\n") + 1
    problem = body_problem(body, body_line)
    if problem is not None:
        raise FrontMatterError(*problem)
    return Document(head=head, meta=data, body=body, body_line=body_line, lines=lines)


def dump_front_matter(meta: dict[str, Any]) -> str:
    """Serialise metadata as a front matter block that ArchiveLoader reads back equal."""
    text = yaml.dump(meta, Dumper=ArchiveDumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"


class ArchiveDumper(yaml.SafeDumper):
    """SafeDumper that quotes any string ArchiveLoader would otherwise read as non-string."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = None
    resolved = ArchiveLoader.resolve(ArchiveLoader, yaml.ScalarNode, value, (True, False))
    plain_is_typed = resolved != "tag:yaml.org,2002:str"
    safe_plain = yaml.SafeLoader.resolve(yaml.SafeLoader, yaml.ScalarNode, value, (True, False))
    if plain_is_typed or safe_plain != "tag:yaml.org,2002:str":
        style = "'"
    if "\n" in value:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


ArchiveDumper.add_representer(str, _represent_str)
