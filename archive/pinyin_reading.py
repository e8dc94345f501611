"""Reading mode for young pupils: pinyin above the characters (HTML <ruby>).

Text is cut into words first (a jieba tokenizer of its own, so the search's
segmenter is untouched), then each word is read with pypinyin and its phrase
dictionary, which settles most polyphones by their word (银行 háng, 重新
chóng, 重重 zhòng).  Where both still guess wrong, the archive's own list
vocabularies/pinyin.txt gives the reading of a word (`很长 = hěn cháng`);
documented in docs/teaching.md.
"""
from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from pathlib import Path

import jieba
from markupsafe import Markup
from pypinyin import Style, pinyin

PHRASES_FILE = Path("vocabularies") / "pinyin.txt"
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_TAG = re.compile(r"(<[^>]*>)")
_SKIP = ("<rt", "<script", "<style")
_tokenizer: jieba.Tokenizer | None = None


def _words(text: str) -> list[str]:
    global _tokenizer
    if _tokenizer is None:
        jieba.setLogLevel(logging.WARNING)
        _tokenizer = jieba.Tokenizer()
    return list(_tokenizer.cut(text, HMM=False))


def parse_phrases(text: str) -> dict[str, tuple[str, ...]]:
    """{word: one syllable per character} from `word = syl syl` lines; lines that do not fit are skipped."""
    found = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        word, _, reading = (part.strip() for part in line.partition("="))
        syllables = tuple(reading.split())
        if word and len(syllables) == len(word):
            found[word] = syllables
    return found


@lru_cache(maxsize=8)
def _phrases(path: str, stamp: tuple[int, int]) -> dict[str, tuple[str, ...]]:
    try:
        return parse_phrases(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def load_phrases(root: Path) -> dict[str, tuple[str, ...]]:
    """The archive's own word readings (re-read when the file changes)."""
    path = Path(root) / PHRASES_FILE
    try:
        stat = os.stat(path)
    except OSError:
        return {}
    return _phrases(str(path), (stat.st_mtime_ns, stat.st_size))


def readings(text: str, phrases: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """(word, its syllables joined by spaces) for a run of Chinese characters."""
    found = []
    for word in _split(text, phrases):
        if word in phrases:
            found.append((word, " ".join(phrases[word])))
        else:
            found.append((word, " ".join(p[0] for p in pinyin([word], style=Style.TONE))))
    return found


def _split(text: str, phrases: dict[str, tuple[str, ...]]) -> list[str]:
    """Words, with the archive's own words kept whole even where the tokenizer would cut them."""
    if not phrases:
        return _words(text)
    pattern = "|".join(re.escape(w) for w in sorted(phrases, key=len, reverse=True))
    parts = []
    for piece in re.split(f"({pattern})", text):
        parts += [piece] if piece in phrases else (_words(piece) if piece else [])
    return parts


def _ruby(run: str, phrases: dict[str, tuple[str, ...]]) -> str:
    out = []
    for word, syllables in readings(run, phrases):
        pairs = "".join(f"{char}<rt>{syl}</rt>" for char, syl in zip(word, syllables.split(), strict=False))
        out.append(f"<ruby>{pairs}</ruby>")
    return "".join(out)


@lru_cache(maxsize=256)
def _ruby_html(html: str, phrases_key: tuple) -> str:
    phrases = dict(phrases_key)
    pieces, skipping = [], False
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            skipping = piece.lower().startswith(_SKIP) or (skipping and not piece.lower().startswith(("</rt", "</script", "</style")))
            pieces.append(piece)
        else:
            pieces.append(piece if skipping else _CJK_RUN.sub(lambda m: _ruby(m.group(0), phrases), piece))
    return "".join(pieces)


def ruby_html(html: str, root: Path) -> Markup:
    """Rendered (sanitized) HTML with pinyin over every Chinese character outside tags."""
    phrases = load_phrases(root)
    return Markup(_ruby_html(str(html), tuple(sorted(phrases.items()))))
