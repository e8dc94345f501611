"""A transcript passage as the blocks a script prints: paragraphs with bold runs (the
speaker labels such as **问：**), list items, tables and footnotes.

Input is the Markdown of a segment or section; output is a list of `Block`s that
the printable script, the Word export and the slide notes all draw the same way.
Timestamps, link targets and other marks are dropped (archive.lectures.timing).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.lectures.timing import plain_text

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_NOTE = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_NOTE_MARK = re.compile(r"\[\^([^\]]+)\]")


@dataclass
class Block:
    """One printed block: kind is 'para', 'item' (list item), 'table' or 'note' (footnote)."""

    kind: str
    runs: list[tuple[str, bool]] = field(default_factory=list)  # (text, bold)
    rows: list[list[str]] = field(default_factory=list)  # table cells

    @property
    def text(self) -> str:
        """The block as plain text (table cells joined by ' | ')."""
        if self.kind == "table":
            return "\n".join(" | ".join(row) for row in self.rows)
        return "".join(text for text, _bold in self.runs)


def _runs(markdown: str) -> list[tuple[str, bool]]:
    """'**问：** 您好' -> [('问：', True), (' 您好', False)], other marks removed."""
    markdown = _NOTE_MARK.sub(r"[\1]", markdown)
    runs, position = [], 0
    for match in _BOLD.finditer(markdown):
        runs.append((plain_text(markdown[position:match.start()]), False))
        runs.append((plain_text(match.group(1) or match.group(2)), True))
        position = match.end()
    runs.append((plain_text(markdown[position:]), False))
    runs = [(text, bold) for text, bold in runs if text]
    if runs and not runs[0][1]:
        runs[0] = (runs[0][0].lstrip(), False)
    return [(text, bold) for text, bold in runs if text]


def _cells(line: str) -> list[str]:
    return [plain_text(cell.strip()) for cell in _ROW.match(line).group(1).split("|")]


def _chunk_blocks(chunk: str) -> list[Block]:
    lines = [line for line in chunk.splitlines() if line.strip()]
    if lines and all(_ROW.match(line) or _RULE.match(line) for line in lines):
        return [Block("table", rows=[_cells(line) for line in lines if not _RULE.match(line)])]
    if lines and all(_ITEM.match(line) for line in lines):
        return [Block("item", _runs(_ITEM.match(line).group(1))) for line in lines]
    note = _NOTE.match(chunk.strip())
    if note:
        return [Block("note", [(f"注[{note.group(1)}]：", True), *_runs(note.group(2))])]
    runs = _runs(chunk)
    return [Block("para", runs)] if runs else []


def script_blocks(markdown: str) -> list[Block]:
    """Markdown passage -> printed blocks, in order, footnotes last."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        blocks += _chunk_blocks(chunk)
    return [b for b in blocks if b.kind != "note"] + [b for b in blocks if b.kind == "note"]
