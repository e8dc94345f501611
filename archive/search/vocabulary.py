"""What the archive teaches the search: its own names, places, units and campaigns
(from story front matter and people/ files) and the synonym list archivists keep
in `vocabularies/synonyms.txt`.

Synonym file format (documented in docs/search.md): one group per line, variants
separated by `=` (or `,` / `，` / `、`); the first variant is the group's name.
`#` starts a comment.  Example::

    对越自卫反击战 = 对越自卫还击战 = 中越边境自卫反击战
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from archive.models import Person, Story, as_list
from archive.search.analysis import Vocabulary, normalize_text
from archive.topics import load_topics

SYNONYMS_FILE = Path("vocabularies") / "synonyms.txt"
_SEPARATORS = re.compile(r"\s*[=,，、]\s*")

DEFAULT_SYNONYMS = """\
# 同义词表：每行一组，用 = 分隔；第一项是这组词的规范名称。以 # 开头的行是注释。
# 修改后运行 `archive index`（或重启网站）即可生效。
抗美援朝战争 = 抗美援朝 = 朝鲜战争 = 抗美援朝作战
对越自卫反击战 = 对越自卫还击战 = 中越边境自卫反击战 = 中越边境自卫还击战 = 对越反击战 = 对越作战
抗日战争 = 抗战 = 中国人民抗日战争 = 八年抗战
解放战争 = 第三次国内革命战争
中国人民志愿军 = 志愿军
日军 = 日寇 = 小日本 = 日本鬼子 = 日本侵略军 = 侵华日军
中国人民解放军 = 解放军 = 人民解放军 = 人民军队
"""


@dataclass
class SynonymProblem:
    """A line of the synonym file that could not be used."""

    line: int
    message: str


@dataclass
class Synonyms:
    """Groups of variant terms; each normalised variant maps to its whole group."""

    groups: list[tuple[str, ...]] = field(default_factory=list)
    problems: list[SynonymProblem] = field(default_factory=list)
    narrower: dict[str, tuple[str, ...]] = field(default_factory=dict)  # topic -> it and its narrower topics

    def __post_init__(self) -> None:
        self._by_variant = {variant: group for group in self.groups for variant in group}

    def variants(self, term: str) -> tuple[str, ...]:
        """All variants of a normalised term (the term alone when it has none); a broader topic
        of vocabularies/topics.txt brings its narrower topics (one way only)."""
        group = self._by_variant.get(term, (term,))
        return tuple(dict.fromkeys(group + self.narrower[term])) if term in self.narrower else group

    def all_terms(self) -> set[str]:
        """Every variant of every group, and every topic."""
        return set(self._by_variant) | set(self.narrower)


def parse_synonyms(text: str) -> Synonyms:
    """Read synonym-file text; lines with a single term are reported, not fatal."""
    groups, problems = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        variants = [normalize_text(v).strip() for v in _SEPARATORS.split(line)]
        variants = list(dict.fromkeys(v for v in variants if v))
        if len(variants) < 2:
            problems.append(SynonymProblem(number, "同义词组至少要有两个词，用 = 分隔"))
            continue
        groups.append(tuple(variants))
    return Synonyms(groups, problems)


def load_synonyms(root: Path) -> Synonyms:
    """The archive's synonym list, or the built-in default when the file does not exist."""
    path = Path(root) / SYNONYMS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = DEFAULT_SYNONYMS
    except (OSError, UnicodeDecodeError):
        return _with_topics(parse_synonyms(DEFAULT_SYNONYMS), root)
    return _with_topics(parse_synonyms(text), root)


def _with_topics(synonyms: Synonyms, root: Path) -> Synonyms:
    """Searching a broader topic finds stories of its narrower ones (archive.topics)."""
    tree = load_topics(root)
    if tree is not None:
        synonyms.narrower = {normalize_text(k): tuple(normalize_text(w) for w in v)
                             for k, v in tree.expansions().items()}
    return synonyms


def _strings(value) -> list[str]:
    return [str(v) for v in as_list(value) if isinstance(v, (str, int)) and str(v).strip()]


def story_words(story: Story) -> set[str]:
    """Names, places and labels a story's front matter gives."""
    words: set[str] = set(story.narrators)
    for key in ("interviewer", "place", "conflicts", "honors", "tags"):
        words.update(_strings(story.meta.get(key)))
    return words


def person_words(person: Person) -> set[str]:
    """Name, aliases, hometown, units and campaigns of a person."""
    words = {person.name, *_strings(person.meta.get("aliases")), *_strings(person.meta.get("hometown"))}
    service = person.service
    for key in ("units", "campaigns", "conflicts", "honors"):
        words.update(_strings(service.get(key)))
    return words


def build_vocabulary(stories: list[Story], people: list[Person], synonyms: Synonyms) -> Vocabulary:
    """The segmenter's extra words for this archive."""
    words: set[str] = set(synonyms.all_terms())
    for story in stories:
        words |= story_words(story)
    for person in people:
        words |= person_words(person)
    return Vocabulary(words)
