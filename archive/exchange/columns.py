"""The spreadsheet columns of stories and people: one per field of the content model (nested
fields as dotted columns such as `service.units`, `consent.signed`), each with its kind, and
the two directions a cell goes: a value to its text, a text to its value (or a problem).

Lists are joined with `；`.  Media entries and the `segments:` index are lists of mappings and
stay out of the sheet (they are edited on the site and through OHMS)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.access import LEVELS, STATUSES
from archive.dates import PARTIAL_DATE_HINT, is_partial_date

SEPARATOR = "；"
TRUE, FALSE = "是", "否"
KINDS = ("text", "names", "list", "date", "year", "bool", "level", "status")


@dataclass(frozen=True)
class Column:
    """One column: its header (the dotted key path) and the kind of value it holds."""

    name: str
    kind: str = "text"

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


def _columns(spec: str) -> tuple[Column, ...]:
    return tuple(Column(*item.split(":")) for item in spec.split())


STORY_COLUMNS = _columns(
    "slug title narrator:names interviewer:names interviewed:date place summary conflicts:list honors:list "
    "tags:list audience:list people:list content_notes:list access:level status:status embargo_until:date "
    "consent.form_on_file:bool consent.signed:date consent.scope consent.posthumous "
    "takedown.date:date takedown.by takedown.reason sample:bool")
PERSON_COLUMNS = _columns(
    "slug name aliases:list born:year died:year hometown gender portrait access:level party_joined:year "
    "service.enlisted:year service.discharged:year service.branch service.units:list service.rank "
    "service.campaigns:list service.conflicts:list service.honors:list service.wounds")
LEFT_OUT = {"media", "segments"}  # lists of mappings: not a cell


def value_at(meta: dict[str, Any], path: tuple[str, ...]) -> Any:
    """meta['service']['units'] for ('service', 'units'); None where any step is missing."""
    value: Any = meta
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def cell_text(value: Any) -> str:
    """The text a value is written as: lists joined with ；, booleans 是/否, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, list):
        return SEPARATOR.join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return SEPARATOR.join(f"{k}={cell_text(v)}" for k, v in value.items())
    return str(value)


def _items(text: str) -> tuple[list[str], str | None]:
    text = text.replace(";", SEPARATOR) if SEPARATOR not in text and ";" in text else text
    if text.startswith("[") and text.endswith("]"):
        return [], f"列表请用“{SEPARATOR}”分隔，不要写成 [..]"
    items = [item.strip() for item in text.split(SEPARATOR)]
    if any(not item for item in items):
        return [], f"列表中有空项（两个“{SEPARATOR}”相连，或开头、结尾多了“{SEPARATOR}”）"
    return items, None


def parse_cell(column: Column, text: str) -> tuple[Any, str | None]:
    """(value, None) or (None, Chinese problem) for a changed cell; an empty cell removes the field."""
    text = text.strip()
    if not text:
        return None, None
    kind = column.kind
    if kind in ("list", "names"):
        items, problem = _items(text)
        return (items[0] if kind == "names" and len(items) == 1 else items), problem
    if kind == "date":
        return (text, None) if is_partial_date(text) else (None, f"{PARTIAL_DATE_HINT}（实际是 {text!r}）")
    if kind == "year":
        ok = text.isascii() and text.isdigit() and 1850 <= int(text) <= 2100
        return (int(text), None) if ok else (None, f"应为四位年份，如 1928（实际是 {text!r}）")
    if kind == "bool":
        if text in (TRUE, "true", "True", "TRUE", "1"):
            return True, None
        return (False, None) if text in (FALSE, "false", "False", "FALSE", "0") else (None, f"应为“{TRUE}”或“{FALSE}”")
    if kind in ("level", "status"):
        allowed = LEVELS if kind == "level" else STATUSES
        return (text, None) if text in allowed else (None, f"只能是 {' / '.join(allowed)}（实际是 {text!r}）")
    return text, None


def _kind_of(value: Any) -> str | None:
    """The column kind of an extra value, or None when it is no cell (a list of mappings)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "year"
    if isinstance(value, list):
        return None if any(isinstance(item, (dict, list)) for item in value) else "list"
    return "text"


def _extra(meta: dict[str, Any], prefix: str, known: set[str], found: dict[str, Column]) -> None:
    for key, value in meta.items():
        name = f"{prefix}{key}"
        if name in known or name in found:
            continue
        if isinstance(value, dict):
            if not prefix:  # one level of nesting, as `service.units`
                _extra(value, f"{name}.", known, found)
            continue
        kind = _kind_of(value)
        if kind is not None:
            found[name] = Column(name, kind)


def extra_columns(records: list, declared: tuple[Column, ...]) -> tuple[Column, ...]:
    """Columns for the keys some record has beyond the declared ones (kept, not dropped), nested
    mappings as dotted columns; lists of mappings (media, segments) are no cell."""
    known = {c.name for c in declared} | LEFT_OUT
    found: dict[str, Column] = {}
    for record in records:
        _extra(record.meta, "", known, found)
    return tuple(found[name] for name in sorted(found))
