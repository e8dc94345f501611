"""Three-way merge of two edits of one story: the version both editors opened (base),
the one saved meanwhile (theirs) and the one just submitted (mine).

Front matter merges field by field, the transcript paragraph by paragraph (merge3):
a change made on one side only is taken as it is; the same change on both sides
once; different changes of the same field or paragraph are a conflict the
archivist settles by an explicit choice.  Nothing here writes: the view shows the
`StoryMerge` and saves `resolve(choices)` only when the archivist confirms.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import merge3

from archive.content_model import STORY_FIELDS, labels
from archive.models import as_list

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
CHOICES = {"theirs": "保留他人的版本", "mine": "保留我的版本", "both": "两段都保留（他人的在前）"}
FIELD_LABELS = labels(STORY_FIELDS)  # the merge page names fields as the form does


@dataclass
class Piece:
    """A run of paragraphs in the merged transcript.

    kind: 'same' (nobody changed it), 'theirs' / 'mine' (changed by one side, taken as is),
    'conflict' (both changed it differently: `theirs` and `mine` hold the two versions)."""

    kind: str
    theirs: list[str] = field(default_factory=list)
    mine: list[str] = field(default_factory=list)
    number: int = 0  # conflicts are numbered 1, 2, … for the choice fields

    @property
    def paragraphs(self) -> list[str]:
        """The paragraphs taken without asking (conflicts have none until chosen)."""
        return self.mine if self.kind == "mine" else self.theirs


@dataclass
class FieldConflict:
    """One front-matter field both editors changed differently."""

    key: str
    theirs: Any
    mine: Any

    @property
    def label(self) -> str:
        """The field's Chinese name (the key itself for fields the form does not know)."""
        return FIELD_LABELS.get(self.key, self.key)

    @property
    def choice_name(self) -> str:
        """Name of the form field that carries the archivist's choice."""
        return f"field-{self.key}"


@dataclass
class StoryMerge:
    """The outcome of a three-way merge, before the archivist confirms it."""

    meta: dict[str, Any]  # merged front matter; conflicting fields hold theirs until chosen
    pieces: list[Piece]
    field_conflicts: list[FieldConflict]
    changed_fields: dict[str, str]  # key -> 'theirs' | 'mine': fields taken from one side
    base_known: bool = True  # False: the opened version was not in the history, every difference asks

    @property
    def conflicts(self) -> list[Piece]:
        """The paragraphs that need a choice."""
        return [piece for piece in self.pieces if piece.kind == "conflict"]

    @property
    def is_clean(self) -> bool:
        """True when nothing needs a choice."""
        return not self.conflicts and not self.field_conflicts

    def missing_choices(self, choices: Mapping[str, str]) -> list[str]:
        """Names of the choice fields not (or wrongly) answered."""
        missing = [f"body-{p.number}" for p in self.conflicts if choices.get(f"body-{p.number}") not in CHOICES]
        missing += [c.choice_name for c in self.field_conflicts if choices.get(c.choice_name) not in ("theirs", "mine")]
        return missing

    def resolve(self, choices: Mapping[str, str]) -> tuple[dict[str, Any], str]:
        """(front matter, body) with every conflict settled as chosen; KeyError if a choice is missing."""
        missing = self.missing_choices(choices)
        if missing:
            raise KeyError(missing[0])
        meta = dict(self.meta)
        for conflict in self.field_conflicts:
            value = conflict.mine if choices[conflict.choice_name] == "mine" else conflict.theirs
            _put(meta, conflict.key, value)
        paragraphs: list[str] = []
        for piece in self.pieces:
            paragraphs += _chosen(piece, choices.get(f"body-{piece.number}", ""))
        return meta, join_paragraphs(paragraphs)


_ABSENT = object()


def _put(meta: dict[str, Any], key: str, value: Any) -> None:
    if value is _ABSENT:
        meta.pop(key, None)
    else:
        meta[key] = value


def _chosen(piece: Piece, choice: str) -> list[str]:
    if piece.kind != "conflict":
        return piece.paragraphs
    if choice == "both":
        return piece.theirs + [p for p in piece.mine if p not in piece.theirs]
    return piece.mine if choice == "mine" else piece.theirs


def split_paragraphs(body: str) -> list[str]:
    """A transcript as its paragraphs (blank-line separated, outer whitespace dropped)."""
    return [p for p in PARAGRAPH_BREAK.split(body.strip()) if p]


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs back to a transcript body (one blank line between, a final newline)."""
    return "\n" + "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def merge_meta(base: dict, theirs: dict, mine: dict) -> tuple[dict, list[FieldConflict], dict[str, str]]:
    """Field-by-field three-way merge: (merged, conflicts, fields taken from one side)."""
    merged: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    taken: dict[str, str] = {}
    for key in [*theirs, *(k for k in mine if k not in theirs), *(k for k in base if k not in theirs and k not in mine)]:
        was, now, ours = (side.get(key, _ABSENT) for side in (base, theirs, mine))
        if ours == was or ours == now:
            value = now
            if now != was:
                taken[key] = "theirs"
        elif now == was:
            value, taken[key] = ours, "mine"
        else:
            value = now
            conflicts.append(FieldConflict(key, now, ours))
        _put(merged, key, value)
    return merged, conflicts, taken


def merge_paragraphs(base: list[str] | None, theirs: list[str], mine: list[str]) -> list[Piece]:
    """Paragraph-level three-way merge; without a base every difference is a conflict."""
    regions = _regions(base, theirs, mine) if base is not None else _two_way(theirs, mine)
    pieces: list[Piece] = []
    for kind, theirs_part, mine_part in regions:
        if kind == "conflict":
            pieces.append(Piece("conflict", theirs_part, mine_part, number=len(pieces) + 1))
        elif theirs_part or mine_part:
            pieces.append(Piece(kind, theirs_part, mine_part))
    conflicts = [p for p in pieces if p.kind == "conflict"]
    for number, piece in enumerate(conflicts, start=1):
        piece.number = number
    return pieces


def _regions(base: list[str], theirs: list[str], mine: list[str]) -> Iterator[tuple[str, list[str], list[str]]]:
    """merge3's regions as (kind, theirs' paragraphs, mine)."""
    for region in merge3.Merge3(base, theirs, mine).merge_regions():
        kind, start, end = region[:3]
        if kind == "unchanged":
            yield "same", base[start:end], base[start:end]
        elif kind == "same":
            yield "same", theirs[start:end], theirs[start:end]
        elif kind == "a":
            yield "theirs", theirs[start:end], []
        elif kind == "b":
            yield "mine", [], mine[start:end]
        else:
            yield from _refined(base[region[1]:region[2]], theirs[region[3]:region[4]], mine[region[5]:region[6]])


def _refined(was: list[str], theirs: list[str], mine: list[str]) -> Iterator[tuple[str, list[str], list[str]]]:
    """merge3 calls a change next to an insertion a conflict; one side that only added paragraphs
    before or after the untouched run is merged instead (a correction plus a new paragraph)."""
    for adder, changer, kind in ((mine, theirs, "theirs"), (theirs, mine, "mine")):
        extra = len(adder) - len(was)
        if extra > 0 and adder[:len(was)] == was:
            yield kind, *_sides(kind, changer)
            yield _other(kind), *_sides(_other(kind), adder[len(was):])
            return
        if extra > 0 and adder[extra:] == was:
            yield _other(kind), *_sides(_other(kind), adder[:extra])
            yield kind, *_sides(kind, changer)
            return
    yield "conflict", theirs, mine


def _other(kind: str) -> str:
    return "mine" if kind == "theirs" else "theirs"


def _sides(kind: str, paragraphs: list[str]) -> tuple[list[str], list[str]]:
    return (paragraphs, []) if kind == "theirs" else ([], paragraphs)


def _two_way(theirs: list[str], mine: list[str]) -> Iterator[tuple[str, list[str], list[str]]]:
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, theirs, mine, autojunk=False).get_opcodes():
        if tag == "equal":
            yield "same", theirs[i1:i2], theirs[i1:i2]
        else:
            yield "conflict", theirs[i1:i2], mine[j1:j2]


def merge_story(base: tuple[dict, str] | None, theirs: tuple[dict, str], mine: tuple[dict, str]) -> StoryMerge:
    """Merge two edits, each given as (front matter, body); `base` None when the opened version is unknown."""
    base_meta, base_body = base if base is not None else (theirs[0], None)
    meta, field_conflicts, taken = merge_meta(base_meta, theirs[0], mine[0])
    base_paragraphs = split_paragraphs(base_body) if base_body is not None else None
    pieces = merge_paragraphs(base_paragraphs, split_paragraphs(theirs[1]), split_paragraphs(mine[1]))
    return StoryMerge(meta, pieces, field_conflicts, taken, base_known=base is not None)


def shown_value(value: Any) -> str:
    """A front-matter value as an archivist reads it (no YAML): lists joined by 、, mappings as 键：值."""
    if value is _ABSENT or value in (None, "", []):
        return "（空）"
    if isinstance(value, dict):
        return "；".join(f"{key}：{shown_value(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "、".join(shown_value(item) for item in as_list(value))
    return str(value)
