"""The topic vocabulary (主题词表): broader and narrower topics with synonyms, in
vocabularies/topics.txt, and how story tags map to it.

Format (documented in docs/teaching.md): one topic a line; two more spaces of
indent make a topic narrower than the line above it; `=` separates a topic's
name from its synonyms (other tags that mean it).  `#` starts a comment.  An
archive without the file has no topic tree: tags are then shown as they are
and `archive check` does not judge them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

TOPICS_FILE = Path("vocabularies") / "topics.txt"
_SEPARATORS = re.compile(r"\s*[=＝]\s*")
INDENT = 2


@dataclass
class Topic:
    """One topic: its name, synonyms, and the topics directly under it."""

    name: str
    synonyms: tuple[str, ...] = ()
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class TopicTree:
    """The whole vocabulary, by name, with the roots in file order."""

    topics: dict[str, Topic] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_label = {label: t.name for t in self.topics.values() for label in (t.name, *t.synonyms)}

    def topic_of(self, tag: str) -> str | None:
        """The topic a tag stands for (its name or a synonym), or None if the vocabulary lacks it."""
        return self._by_label.get(tag.strip())

    def narrower(self, name: str) -> list[str]:
        """The topic and every topic under it, depth first."""
        found = [name]
        for child in self.topics[name].children:
            found += self.narrower(child)
        return found

    def broader(self, name: str) -> list[str]:
        """The topic and every topic above it, nearest first."""
        chain = [name]
        while self.topics[chain[-1]].parent:
            chain.append(self.topics[chain[-1]].parent)
        return chain

    def labels(self, name: str) -> tuple[str, ...]:
        """A topic's name and synonyms."""
        return (name, *self.topics[name].synonyms)

    def expansions(self) -> dict[str, tuple[str, ...]]:
        """{label: every label of the topic and of its narrower topics}, for search."""
        found = {}
        for name in self.topics:
            words = tuple(label for narrower in self.narrower(name) for label in self.labels(narrower))
            for label in self.labels(name):
                found[label] = words
        return found


def parse_topics(text: str) -> TopicTree:
    """Read topic-file text; a bad line is reported with its number and skipped."""
    topics: dict[str, Topic] = {}
    roots: list[str] = []
    problems: list[tuple[int, str]] = []
    stack: list[tuple[int, str]] = []  # (indent, name) of the open ancestors
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip().replace("\t", "  ").replace("\u3000", "  ")
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        labels = [w for w in _SEPARATORS.split(line.strip()) if w]
        name = labels[0]
        if name in topics or any(name in t.synonyms for t in topics.values()):
            problems.append((number, f"主题“{name}”重复出现"))
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack and indent - stack[-1][0] > INDENT:
            problems.append((number, "缩进比上一级多了不止两个空格"))
        parent = stack[-1][1] if stack else None
        topics[name] = Topic(name, tuple(dict.fromkeys(labels[1:])), parent, [], number)
        (topics[parent].children if parent else roots).append(name)
        stack.append((indent, name))
    return TopicTree(topics, roots, problems)


@lru_cache(maxsize=16)
def _load(path: str, stamp: tuple[int, int]) -> TopicTree | None:
    if stamp == (0, 0):
        return None
    try:
        return parse_topics(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def load_topics(root: Path) -> TopicTree | None:
    """The archive's topic tree, or None when it keeps none (re-read when the file changes)."""
    path = Path(root) / TOPICS_FILE
    try:
        stat = os.stat(path)
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)
    return _load(str(path), stamp)


def unknown_tags(root: Path, tags: list[str]) -> list[tuple[int, str]]:
    """(index, tag) of the tags the archive's topic vocabulary does not know (none without a vocabulary)."""
    tree = load_topics(root)
    if tree is None:
        return []
    return [(index, tag) for index, tag in enumerate(tags) if tree.topic_of(tag) is None]
