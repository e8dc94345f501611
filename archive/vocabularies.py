"""Controlled vocabularies for conflicts, honours and audiences: plain text files the
archivists extend, one term per line, '#' starts a comment.

They live in the archive root: vocabularies/conflicts.txt, honors.txt and
audiences.txt (synonyms.txt beside them belongs to search).  A missing file
falls back to the built-in list; terms already used in stories are offered too.
"""
from __future__ import annotations

from pathlib import Path

from archive.content_model import STORY_FIELDS
from archive.safe_write import atomic_write_text

DEFAULTS = {
    "conflicts": ["抗日战争", "解放战争", "抗美援朝战争", "对越自卫反击战", "和平时期"],
    "honors": ["一等功", "二等功", "三等功", "战斗英雄", "光荣在党50年纪念章",
               "中国人民志愿军抗美援朝出国作战70周年纪念章"],
    "audience": ["小学低年级", "小学高年级", "初中", "高中", "大学", "机关", "企业", "社区", "部队"],
}
# list name -> its file and its label: the story fields with a `vocabulary` (archive.content_model)
FILES = {field.key: field.vocabulary for field in STORY_FIELDS if field.vocabulary}
LABELS = {field.key: field.label for field in STORY_FIELDS if field.vocabulary}


def vocabulary_path(root: Path, name: str) -> Path:
    """Where the list `name` (conflicts, honors, audience) is kept."""
    return Path(root) / "vocabularies" / FILES[name]


def parse_terms(text: str) -> list[str]:
    """Terms of a vocabulary file, in order, without comments, blanks or repeats."""
    terms: list[str] = []
    for line in text.splitlines():
        term = line.split("#", 1)[0].strip()
        if term and term not in terms:
            terms.append(term)
    return terms


def load_terms(root: Path, name: str) -> list[str]:
    """The terms of one list (the built-in ones when its file does not exist)."""
    path = vocabulary_path(root, name)
    if not path.is_file():
        return list(DEFAULTS[name])
    return parse_terms(path.read_text(encoding="utf-8"))


def save_terms(root: Path, name: str, text: str) -> list[str]:
    """Replace one list with the terms in `text`; returns them."""
    terms = parse_terms(text)
    header = f"# {LABELS[name]}：每行一项，'#' 之后为注释。录入表单按此顺序列出。\n"
    atomic_write_text(vocabulary_path(root, name), header + "\n".join(terms) + "\n")
    return terms


def choices(root: Path, name: str, in_use: list[str] | None = None) -> list[str]:
    """Terms to offer in a form: the file's terms, then any others already used."""
    terms = load_terms(root, name)
    return terms + [t for t in (in_use or []) if t not in terms]
