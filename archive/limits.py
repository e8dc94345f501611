"""What one file may cost the archive: the limits, declared once.

A single hostile or broken file must never take the archive down: a "billion
laughs" of YAML anchors, a 5,000-digit number, 3,000 nested maps, 20,000
headings or a 3,000-level Markdown list each once hung or crashed every page.
The readers (`archive.frontmatter`, the content store, `archive check`) refuse a
file past these limits as one problem with its line; the renderer
(`archive.render_sandbox`) cuts off a render past its time or memory budget.
docs/format.md lists them for archivists (a test holds it to this module).
"""
from __future__ import annotations

import re

MAX_FILE_BYTES = 10 * 1024 * 1024  # a whole story or profile file
MAX_FRONT_MATTER_CHARS = 64 * 1024  # the YAML block between the --- lines
MAX_YAML_DEPTH = 16  # lists and mappings inside each other
MAX_YAML_NODES = 20_000  # values in one front matter block
MAX_INT_DIGITS = 18  # a bare number longer than this is refused (quote a long code)
MAX_BODY_CHARS = 1_000_000  # the Markdown text of one story (a ten-hour transcript is about 150,000)
MAX_SEGMENTS = 4_000  # headings and timed paragraphs of one story
MAX_MARKDOWN_DEPTH = 20  # nested lists and quotes in the text
RENDER_SECONDS = 3.0  # turning one story's text into a page
RENDER_MEMORY_BYTES = 1024 * 1024 * 1024  # what one render may allocate

_MARKER = re.compile(r"^(?:##(?!#)|[ \t]*\[\d{1,2}:[0-5]\d:[0-5]\d\])", re.MULTILINE)
_LIST_ITEM = re.compile(r"^((?:[ \t]*>)*)([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE)
_QUOTES = re.compile(rf"^(?:[ \t]*>){{{MAX_MARKDOWN_DEPTH + 1}}}", re.MULTILINE)


def body_problem(body: str, first_line: int = 1) -> tuple[int, str] | None:
    """(file line, Chinese message) of the first limit a Markdown body passes, or None."""
    if len(body) > MAX_BODY_CHARS:
        return first_line, f"正文过长（{len(body):,} 字符，上限 {MAX_BODY_CHARS:,}）：请分成几篇故事"
    for count, match in enumerate(_MARKER.finditer(body), start=1):
        if count > MAX_SEGMENTS:
            line = first_line + body.count("\n", 0, match.start())
            return line, f"段落过多（标题和带时间码的段落超过 {MAX_SEGMENTS:,} 个）：请分成几篇故事"
    deep = next((m for m in _LIST_ITEM.finditer(body) if _list_depth(m) > MAX_MARKDOWN_DEPTH), None)
    quoted = _QUOTES.search(body)
    starts = [m.start() for m in (deep, quoted) if m is not None]
    if starts:
        line = first_line + body.count("\n", 0, min(starts))
        return line, f"列表或引用嵌套层数过多（超过 {MAX_MARKDOWN_DEPTH} 层）"
    return None


def _list_depth(item: re.Match) -> int:
    """How deep a list item sits: its quotes, plus one level per two columns of indent."""
    return item.group(1).count(">") + len(item.group(2).expandtabs(4)) // 2 + 1
