"""The story and person edit forms: turn submitted fields into front matter and back.

Parsing is pure: `parse_story_form(form, original) -> (meta, errors)`.  Keys the
form does not show (and values it shows unchanged) keep their original form,
so editing one field does not rewrite the rest of the file.
"""
from __future__ import annotations

import copy
import re
from typing import Any

from archive.content_model import (
    CONSENT_FIELDS,
    PERSON_FIELDS,
    SERVICE_FIELDS,
    STORY_FIELDS,
    Field,
    choice_message,
    field,
    is_missing,
    required,
)
from archive.dates import DATE_HINT, PARTIAL_DATE_HINT, is_partial_date, parse_date
from archive.models import as_list
from archive.numbers import NumberError, parse_number

SEPARATORS = re.compile(r"[、,，;；\n]+")


def _form_keys(fields: tuple[Field, ...], *kinds: str, vocabulary: bool | None = None) -> tuple[str, ...]:
    """Keys of the fields the form edits with its generic widgets (content_model's `form`), by kind."""
    return tuple(f.key for f in fields if f.form and f.kind in kinds
                 and (vocabulary is None or bool(f.vocabulary) == vocabulary))


# the key groups of the forms, from archive.content_model
CHOICE_KEYS = _form_keys(STORY_FIELDS, "text_list", vocabulary=True)  # ticked from vocabularies/, others typed
LIST_KEYS = _form_keys(STORY_FIELDS, "text_list", vocabulary=False)
TEXT_KEYS = _form_keys(STORY_FIELDS, "text")
NAME_KEYS = _form_keys(STORY_FIELDS, "text_or_list")  # one name as text, several as a list
DATE_KEYS = _form_keys(STORY_FIELDS, "date", "day")
WHOLE_DAY_KEYS = _form_keys(STORY_FIELDS, "day")
ACCESS = field(STORY_FIELDS, "access")
PERSON_TEXT_KEYS, PERSON_YEAR_KEYS = _form_keys(PERSON_FIELDS, "text"), _form_keys(PERSON_FIELDS, "year")
SERVICE_TEXT_KEYS, SERVICE_YEAR_KEYS = _form_keys(SERVICE_FIELDS, "text"), _form_keys(SERVICE_FIELDS, "year")
SERVICE_LIST_KEYS = _form_keys(SERVICE_FIELDS, "text_list")


def consent_name(key: str) -> str:
    """The form field of a CONSENT_FIELDS key (its declared input name): 'scope' -> 'consent_scope'."""
    return field(CONSENT_FIELDS, key).input_name


def _require(fields: tuple[Field, ...], meta: dict, errors: dict[str, str], prefix: str = "") -> None:
    """'请填写标题' for each required field (archive.content_model) the form left blank."""
    for f in required(fields):
        if is_missing(meta.get(f.key)):
            errors[f"{prefix}{f.key}"] = f"请填写{f.label}"


def split_terms(text: str) -> list[str]:
    """'甲、乙,丙' -> ['甲', '乙', '丙'] (blanks and repeats dropped)."""
    terms: list[str] = []
    for term in SEPARATORS.split(text or ""):
        term = term.strip()
        if term and term not in terms:
            terms.append(term)
    return terms


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, list):
        return [str(v) for v in as_list(old)] == new
    return old == new


def _put(meta: dict, key: str, value: Any) -> None:
    """Set meta[key] unless it already says the same; an empty value removes the key."""
    if value in (None, "", [], {}):
        meta.pop(key, None)
    elif not _same(meta.get(key), value):
        meta[key] = value


def _date(form, key: str, errors: dict[str, str], whole_day: bool = False) -> str:
    """A date field: a whole day for an embargo (it decides who may read), else also a year or month."""
    value = (form.get(key) or "").strip()
    if value and whole_day and parse_date(value) is None:
        errors[key] = f"解除限制的日期{DATE_HINT}"
    elif value and not is_partial_date(value):
        errors[key] = f"日期{PARTIAL_DATE_HINT}"
    return value


def _choices(form, key: str) -> list[str]:
    chosen = [v.strip() for v in form.getlist(key) if v.strip()]
    return chosen + [t for t in split_terms(form.get(f"{key}_other", "")) if t not in chosen]


def parse_consent(form, original: Any, errors: dict[str, str]) -> dict[str, Any]:
    """The consent block (CONSENT_FIELDS: form_on_file, signed, scope, posthumous wishes)."""
    consent = copy.deepcopy(original) if isinstance(original, dict) else {}
    for f in CONSENT_FIELDS:
        name = consent_name(f.key)
        if f.kind == "flag":
            value: Any = True if form.get(name) else None
        elif f.kind in ("date", "day"):
            value = _date(form, name, errors, whole_day=f.kind == "day")
        else:
            value = (form.get(name) or "").strip()
        _put(consent, f.key, value)
    return consent


def parse_story_form(form, original: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """(front matter, {field: Chinese error}) from a submitted story form."""
    meta = copy.deepcopy(original or {})
    errors: dict[str, str] = {}
    for key in TEXT_KEYS:
        _put(meta, key, (form.get(key) or "").strip())
    for key in NAME_KEYS:
        names = split_terms(form.get(key, ""))
        _put(meta, key, names[0] if len(names) == 1 else names)
    _require(STORY_FIELDS, meta, errors)
    for key in DATE_KEYS:
        _put(meta, key, _date(form, key, errors, whole_day=key in WHOLE_DAY_KEYS))
    for key in CHOICE_KEYS:
        _put(meta, key, _choices(form, key))
    for key in LIST_KEYS:
        _put(meta, key, split_terms(form.get(key, "")))
    people = [p for p in form.getlist("people") if p.strip()]
    _put(meta, "people", people)
    access = form.get("access") or "public"
    if access not in ACCESS.choices:
        errors["access"] = choice_message(ACCESS)
    _put(meta, "access", None if access == "public" and "access" not in meta else access)
    _put(meta, "consent", parse_consent(form, meta.get("consent"), errors))
    return meta, errors


def story_form_values(meta: dict[str, Any]) -> dict[str, Any]:
    """The values a story form shows for this front matter."""
    consent = meta.get("consent") if isinstance(meta.get("consent"), dict) else {}
    values: dict[str, Any] = {key: str(meta.get(key) or "") for key in TEXT_KEYS + DATE_KEYS}
    for key in NAME_KEYS:
        values[key] = "、".join(str(n) for n in as_list(meta.get(key)))
    for key in CHOICE_KEYS:
        values[key] = [str(v) for v in as_list(meta.get(key))]
    for key in LIST_KEYS:
        values[key] = "、".join(str(v) for v in as_list(meta.get(key)))
    values["people"] = [str(p) for p in as_list(meta.get("people"))]
    values["access"] = meta.get("access") if meta.get("access") in ACCESS.choices else "public"
    for f in CONSENT_FIELDS:
        value = consent.get(f.key)
        values[consent_name(f.key)] = bool(value) if f.kind == "flag" else str(value or "")
    return values


def _year(form, key: str, errors: dict[str, str]) -> int | None:
    value = (form.get(key) or "").strip()
    if not value:
        return None
    try:
        return int(parse_number(value, "年份", minimum=1850, maximum=2100))
    except NumberError:
        errors[key] = "请填写四位年份，如 1928"
        return None


def parse_person_form(form, original: dict[str, Any] | None = None, prefix: str = "") -> tuple[dict, dict]:
    """(front matter, errors) of a person: name, born, hometown and the service record."""
    meta = copy.deepcopy(original or {})
    errors: dict[str, str] = {}
    _put(meta, "name", (form.get(f"{prefix}name") or "").strip())  # first: a new profile's file begins with it
    for key in PERSON_YEAR_KEYS:
        _put(meta, key, _year(form, f"{prefix}{key}", errors))
    for key in PERSON_TEXT_KEYS[1:]:  # the name: above
        _put(meta, key, (form.get(f"{prefix}{key}") or "").strip())
    _require(PERSON_FIELDS, meta, errors, prefix)
    service = copy.deepcopy(meta.get("service")) if isinstance(meta.get("service"), dict) else {}
    for key in SERVICE_YEAR_KEYS:
        _put(service, key, _year(form, f"{prefix}{key}", errors))
    for key in SERVICE_TEXT_KEYS:
        _put(service, key, (form.get(f"{prefix}{key}") or "").strip())
    for key in SERVICE_LIST_KEYS:
        _put(service, key, split_terms(form.get(f"{prefix}{key}", "")))
    _put(meta, "service", service)
    return meta, errors


def person_form_values(meta: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The values a person form shows."""
    service = meta.get("service") if isinstance(meta.get("service"), dict) else {}
    values = {f"{prefix}{key}": str(meta.get(key) or "") for key in PERSON_TEXT_KEYS + PERSON_YEAR_KEYS}
    for key in SERVICE_YEAR_KEYS + SERVICE_TEXT_KEYS:
        values[f"{prefix}{key}"] = str(service.get(key) or "")
    for key in SERVICE_LIST_KEYS:
        values[f"{prefix}{key}"] = "、".join(str(v) for v in as_list(service.get(key)))
    return values
