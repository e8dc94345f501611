"""Keeping cited segment ids: when an edit would change the id of a segment that a lecture
plan cites (a heading without a timecode renamed, say), the heading gets the old id pinned
(`## 新标题 {#h-406014}`), so every existing link and talk reference keeps working.

A reference made by an old name of a segment whose own id does not change (`h-406014`, the
heading id a timecoded segment had before timecodes named it) is not pinned — a pin would
rename the segment — but moved: the editor points the citing plans at the segment's id.

Pure functions of (old body, new body, cited ids); the editor calls `pin_cited_ids` before
it saves, the view reads `pinned_ids` off the result to tell the archivist.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from archive.segments import HEADING, Segment, split_segments


def _names(segment: Segment) -> set[str]:
    return {segment.id, *segment.aliases}


def _counterpart(old: list[Segment], new: list[Segment]) -> dict[int, int]:
    """Old segment index -> new segment index, matched by their text (headings excluded)."""
    matcher = difflib.SequenceMatcher(None, [s.text for s in old], [s.text for s in new], autojunk=False)
    pairs: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):  # same passage, or edited in place
            pairs.update(zip(range(i1, i2), range(j1, j2), strict=True))
    return pairs


@dataclass
class KeptIds:
    """What `pin_cited_ids` did: the body with pins, ids pinned, references to move, ids lost."""

    body: str
    pinned: list[str] = field(default_factory=list)
    moved: dict[str, str] = field(default_factory=dict)  # old name -> the segment's (unchanged) id
    lost: list[str] = field(default_factory=list)  # no heading to pin: the reference will be flagged


def pin_cited_ids(old_body: str, new_body: str, cited: set[str]) -> KeptIds:
    """Keep every cited id of `old_body` naming the same passage in `new_body`."""
    old, new = split_segments(old_body), split_segments(new_body)
    known = set().union(*(_names(s) for s in new)) if new else set()
    pairs = _counterpart(old, new)
    lines = new_body.split("\n")
    kept = KeptIds(new_body)
    for index, segment in enumerate(old):
        target = new[pairs[index]] if index in pairs else None
        for wanted in sorted((_names(segment) & cited) - known):
            if target is not None and wanted != segment.id and target.id == segment.id:
                kept.moved[wanted] = target.id
                continue
            line = target.line - 1 if target is not None and target.title is not None else None
            match = HEADING.match(lines[line]) if line is not None and line < len(lines) else None
            if match is None or match["anchor"]:
                kept.lost.append(wanted)
                continue
            lines[line] = f"{lines[line].rstrip()} {{#{wanted}}}"
            known.add(wanted)
            kept.pinned.append(wanted)
    kept.body = "\n".join(lines)
    return kept


def pinned_ids(submitted_body: str, saved_body: str) -> list[str]:
    """Ids pinned by the save: heading anchors in the saved text the archivist did not type."""
    def anchors(body: str) -> list[str]:
        return [m["anchor"] for m in map(HEADING.match, body.split("\n")) if m and m["anchor"]]
    typed = set(anchors(submitted_body))
    return [anchor for anchor in anchors(saved_body) if anchor not in typed]
