"""Chinese text analysis for the search index: normalisation with an offset map,
word tokens (rjieba, taught the archive's own vocabulary), character bigrams and
pinyin for names.

Every function here is pure given its inputs:

- `normalize("跨過鴨綠江，ＡＢ")` -> Normalized("跨过鸭绿江,ab", offsets into the original);
- `word_tokens("退役军人王建国", vocab)` -> ["退役军人", "王建国"] (sequential positions, i.e. list order);
- `bigram_tokens("退役军人，王")` -> ["退役", "役军", "军人", None, None, "王"] (a phrase of bigrams = an
  exact substring; None keeps runs apart);
- `name_pinyin("曾志")` -> ["zengzhi", "zhi", "zz"].

jieba was measured against rjieba (see docs/search.md): rjieba cuts ~20x faster
with the same dictionary, so it is the segmenter.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
import rjieba
from pypinyin import lazy_pinyin

_T2S = opencc.OpenCC("t2s")

# Surnames pypinyin reads with their common-word sound.
SURNAME_PINYIN = {
    "曾": "zeng", "单": "shan", "朴": "piao", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha",
    "盖": "ge", "乐": "yue", "覃": "qin", "翟": "zhai", "缪": "miao", "种": "chong", "秘": "bi",
    "召": "shao", "卜": "bu", "折": "she", "员": "yun", "繁": "po", "重": "chong", "句": "gou",
    "藏": "zang", "薄": "bo", "黑": "he", "朝": "chao", "谌": "chen", "燕": "yan", "尉迟": "yuchi",
    "万俟": "moqi", "长孙": "zhangsun", "单于": "chanyu", "澹台": "tantai", "令狐": "linghu",
    "宁": "ning", "纪": "ji", "华": "hua", "任": "ren", "沈": "shen", "贾": "jia", "石": "shi",
    "柏": "bai", "阚": "kan", "洗": "xian", "冼": "xian", "相": "xiang", "祭": "zhai", "教": "jiao",
}

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
CJK_RUN = re.compile(CJK.pattern + "+")
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+|[a-z0-9]+")


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, for each of its characters, the index of the original character."""

    text: str
    offsets: list[int] | None  # None: the mapping is the identity
    length: int  # length of the original text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A [start, end) span of the normalised text as a span of the original."""
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1 if end > start else self.offsets[start]


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Each character whose NFKC form, lower-cased, is one other character (full-width -> half-width,
    compatibility ideographs, upper case).  Expansions such as … -> ... are left alone, so
    normalising never changes the length of a text and offsets stay exact."""
    table: dict[int, str] = {}
    for code in [*range(0x41, 0x5B), *range(0x80, 0xD800), *range(0xE000, 0x10000), *range(0x2F800, 0x2FA20)]:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).lower()
        if folded != char and len(folded) == 1:
            table[code] = folded
    return table


@lru_cache(maxsize=1)
def _fold_pattern() -> re.Pattern:
    """A character class of the keys of `_fold_table` (a C-speed scan finds the few to fold)."""
    codes = sorted(_fold_table())
    ranges, first, last = [], codes[0], codes[0]
    for code in codes[1:] + [-1]:
        if code == last + 1:
            last = code
            continue
        ranges.append(re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else ""))
        first = last = code
    return re.compile("[" + "".join(ranges) + "]")


def normalize(text: str) -> Normalized:
    """NFKC (full-width -> half-width), lower case and traditional -> simplified, keeping offsets."""
    table = _fold_table()
    folded = _fold_pattern().sub(lambda m: table[ord(m.group())], text)
    simple = _T2S.convert(folded)
    if len(simple) != len(folded):  # a phrase conversion changed the length: convert char by char
        simple = "".join(_T2S.convert(char)[:1] or char for char in folded)
    return Normalized(simple, None, len(text))


def normalize_text(text: str) -> str:
    """Just the normalised text."""
    return normalize(text).text


class Vocabulary:
    """Words the archive knows (names, places, units, campaigns, war names) that the
    segmenter must keep whole.  They win over rjieba's dictionary, longest first.

    Found by jumping (one character class) to each character that starts a word and looking the
    longest candidate up in a set, not with one regex of all the words: compiling that regex took
    most of a second at 9,000 words, paid by every save that brings in a new name, and it scanned
    a transcript three times slower."""

    def __init__(self, words: set[str] | list[str] = ()):
        cleaned = {normalize_text(w).strip() for w in words}
        self.words: frozenset[str] = frozenset(w for w in cleaned if 2 <= len(w) <= 20 and not w.isspace())
        self._lengths = sorted({len(w) for w in self.words}, reverse=True)
        self._starts = frozenset(w[:2] for w in self.words)
        firsts = "".join(sorted({re.escape(w[0]) for w in self.words}))
        self._first = re.compile(f"[{firsts}]") if firsts else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and self.words == other.words

    def __hash__(self) -> int:
        return hash(self.words)

    def _longest_at(self, text: str, start: int) -> int:
        """Length of the longest word standing at `start` (0: none)."""
        if text[start:start + 2] in self._starts:
            for length in self._lengths:
                if start + length <= len(text) and text[start:start + length] in self.words:
                    return length
        return 0

    def split(self, text: str) -> list[tuple[str, bool]]:
        """Cut normalised text into (piece, is_vocabulary_word) parts, in order: scanning left to
        right, the longest word standing at each place."""
        parts: list[tuple[str, bool]] = []
        last = 0
        found = self._first.search(text) if self._first else None
        while found is not None:
            start = found.start()
            length = self._longest_at(text, start)
            if length:
                if start > last:
                    parts.append((text[last:start], False))
                parts.append((text[start:start + length], True))
                last = start + length
            found = self._first.search(text, start + (length or 1))
        if last < len(text) or not parts:
            parts.append((text[last:], False))
        return parts


def _keep(token: str) -> bool:
    return bool(token) and (token[0].isalnum() or CJK.match(token) is not None)


def word_tokens(text: str, vocab: Vocabulary | None = None) -> list[str]:
    """Words of normalised text in order (punctuation and spaces dropped)."""
    tokens: list[str] = []
    parts = vocab.split(text) if vocab is not None else [(text, False)]
    for piece, known in parts:
        if known:
            tokens.append(piece)
        else:
            tokens.extend(t for t in rjieba.cut(piece) if _keep(t))
    return tokens


def word_spans(text: str, vocab: Vocabulary | None = None) -> list[tuple[str, int, int]]:
    """Words of normalised text with their [start, end) offsets, in text order."""
    spans: list[tuple[str, int, int]] = []
    position = 0
    parts = vocab.split(text) if vocab is not None else [(text, False)]
    for piece, known in parts:
        words = [piece] if known else rjieba.cut(piece)
        for word in words:
            if _keep(word):
                spans.append((word, position, position + len(word)))
            position += len(word)
    return spans


def bigram_tokens(text: str) -> list[str | None]:
    """Overlapping CJK character bigrams (a lone character stays a unigram) and latin/digit words,
    with two Nones (empty positions) between runs, so that a phrase never matches across punctuation
    and two bigrams at most two positions apart are always of one run (see archive.search.phrase)."""
    tokens: list[str | None] = []
    for run in _RUNS.findall(text):
        if tokens:
            tokens += (None, None)
        if run[0].isascii() or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    return tokens


def is_bigram(word: str) -> bool:
    """Is the word two CJK characters (indexed as one term of the bigram field)?"""
    return len(word) == 2 and CJK.match(word) is not None and CJK.match(word[1]) is not None


def is_cjk(text: str) -> bool:
    """Does the text contain a CJK character?"""
    return CJK.search(text) is not None


@lru_cache(maxsize=4096)
def name_pinyin(name: str) -> tuple[str, ...]:
    """Pinyin keys of a Chinese name: full ("wangjianguo"), given name ("jianguo"), initials ("wjg")."""
    name = "".join(CJK.findall(normalize_text(name)))
    if not name:
        return ()
    for length in (2, 1):
        surname = name[:length]
        if len(name) > length and surname in SURNAME_PINYIN:
            syllables = [SURNAME_PINYIN[surname]] + lazy_pinyin(name[length:])
            break
    else:
        syllables = lazy_pinyin(name)
    full = "".join(syllables)
    keys = [full, "".join(syllables[1:]), "".join(s[0] for s in syllables if s)]
    return tuple(dict.fromkeys(k for k in keys if k))


def text_pinyin(text: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of normalised text (for homophone suggestions)."""
    return tuple(lazy_pinyin(text))
