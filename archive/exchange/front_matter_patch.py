"""Rewrite only the top-level keys of a front matter block that changed, keeping every other
line as it was typed (comments, quoting, order), so that an edit of one spreadsheet cell
changes only that field of the file."""
from __future__ import annotations

import re
from typing import Any

import yaml

from archive.frontmatter import ArchiveDumper, FrontMatterError, dump_front_matter, parse_document

TOP_KEY = re.compile(r"^(?P<key>[^\s#:'\"-][^:]*?|'[^']*'|\"[^\"]*\"):(?:\s|$)")


class _IndentedDumper(ArchiveDumper):
    """Lists indented under their key (`  - x`), as the archive's files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _dump(key: str, value: Any) -> str:
    return yaml.dump({key: value}, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=1000)


def _blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """The front matter's inner lines cut into (top-level key, its lines); None for leading comments."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines:
        match = TOP_KEY.match(line)
        if match:
            blocks.append((match["key"].strip("'\""), [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def patch_front_matter(head: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """`head` (the block between and with its `---` lines) with only the changed keys rewritten;
    the whole block re-serialised if the block cannot be cut safely."""
    lines = head.splitlines(keepends=True)
    if len(lines) < 2 or lines[0].strip() != "---" or lines[-1].strip() != "---":
        return dump_front_matter(new)
    blocks = _blocks(lines[1:-1])
    keys = [key for key, _ in blocks if key is not None]
    if len(keys) != len(set(keys)) or set(keys) != {str(k) for k in old}:
        return dump_front_matter(new)
    out = []
    for key, block in blocks:
        if key is None or old.get(key) == new.get(key):
            out.append("".join(block))
        elif key in new:
            trailing = "".join(line for line in block[1:] if not line.strip())
            out.append(_dump(key, new[key]) + trailing)
    out += [_dump(key, value) for key, value in new.items() if key not in old]
    patched = lines[0] + "".join(out) + lines[-1]
    try:
        if parse_document(patched + "\n").meta == new:
            return patched
    except FrontMatterError:
        pass
    return dump_front_matter(new)
