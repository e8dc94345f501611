"""The Whoosh schema, defined once, and the one pure function that maps a story
(plus the people it names) to an index document.

Text is analysed here, not by Whoosh: `TokenField` takes the list of tokens our
analyzer produced and hands Whoosh its postings directly, which skips Whoosh's
per-token analyzer pipeline (most of its indexing time) and keeps positions
sequential so phrase queries work.
"""
from __future__ import annotations

import re
import sys
from array import array
from collections import Counter, defaultdict

import numpy as np
from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.system import pack_uint

from archive.access import standing
from archive.models import Person, Story, as_list
from archive.search.analysis import Vocabulary, bigram_tokens, is_bigram, name_pinyin, normalize_text, word_tokens
from archive.segment_labels import MARKDOWN_LINK

SCHEMA_VERSION = 11  # bump when fields or analysis change: old indexes are rebuilt at start-up
# Whoosh pickles the paths of PackedPositions and TokenField into every index's table of contents:
# renaming or moving them (or this module) needs a SCHEMA_VERSION bump (tests/test_search_schema_classes.py).

_TIMESTAMP = re.compile(r"^\s*\[\d{1,2}:[0-5]\d:[0-5]\d\]\s*", re.MULTILINE)
_MARKUP = re.compile(r"\{#[\w-]+\}|^#+\s*|^\s*>+\s?|\*+|`+|" + MARKDOWN_LINK, re.MULTILINE)


POSITION_DTYPE = np.dtype("<u4")  # how PackedPositions stores a position


class PackedPositions(formats.Positions):
    """Positions stored as little-endian 32-bit integers, so that a whole posting list's positions
    are read into one numpy array (Whoosh's own format pickles each document's list)."""

    def encode(self, poslist) -> bytes:
        packed = array("I", poslist)
        if sys.byteorder == "big":
            packed.byteswap()
        return packed.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return np.frombuffer(valuestring, dtype=POSITION_DTYPE).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // POSITION_DTYPE.itemsize

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(position, 1) for position in self.decode_positions(valuestring)]


class ArchiveCodec(W3Codec):
    """Whoosh's own codec, without per-block field-length statistics: only Whoosh's block-skipping
    scorer reads them (archive.search.ranking reads whole posting lists), and gathering them looked up
    a document length for every posting written, a sixth of the time spent writing the index."""

    length_stats = False


class TokenField(fields.FieldType):
    """A field indexed from a ready-made token list (list order = position; None leaves a position empty)."""

    def __init__(self, positions: bool, field_boost: float = 1.0):
        fmt = PackedPositions if positions else formats.Frequency
        self.format = fmt(field_boost=field_boost)
        self.analyzer = None
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value, **kwargs):
        """Postings (term bytes, frequency, weight, encoded value) for a token list."""
        boost = self.format.field_boost
        if isinstance(self.format, formats.Positions):
            positions: dict[str, list[int]] = defaultdict(list)
            for position, token in enumerate(value):
                if token is not None:
                    positions[token].append(position)
            encode = self.format.encode
            for token, poslist in positions.items():
                yield token.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist)
        else:
            for token, freq in Counter(t for t in value if t is not None).items():
                yield token.encode("utf-8"), freq, freq * boost, pack_uint(freq)

    def process_text(self, qstring, mode="", **kwargs):
        """Query text is analysed by archive.search.query, never here."""
        return iter([qstring])

    def self_parsing(self) -> bool:
        return False


def make_schema() -> fields.Schema:
    """The index schema: one document per story."""
    return fields.Schema(
        slug=fields.ID(stored=True, unique=True),
        title=fields.STORED(),  # shown in hits
        narrators=fields.STORED(),
        interviewed=fields.STORED(),
        summary=fields.STORED(),
        facets=fields.STORED(),  # {facet: values}, counted over all hits without touching postings
        notes=fields.STORED(),  # {segment id: synopsis and keywords}: a hit on them points at the segment
        body=TokenField(positions=False),  # words of the transcript (rjieba + archive vocabulary), except
        # two-character words: body2 holds each of them as one bigram, and queries look for them there
        body2=TokenField(positions=True),  # character bigrams of the transcript: recall and phrases
        head=TokenField(positions=False, field_boost=3.0),  # words of title, names, summary, labels
        head2=TokenField(positions=True, field_boost=2.0),  # bigrams of the same
        pinyin=fields.KEYWORD(),  # narrators' names in pinyin (full, given name, initials)
        pinyin2=fields.KEYWORD(),  # the same for the people the story names (found, but after narrators)
        narrator=fields.KEYWORD(),  # facets and field syntax: exact front-matter values
        conflict=fields.KEYWORD(),
        honor=fields.KEYWORD(),
        tag=fields.KEYWORD(),
        audience=fields.KEYWORD(),
        decade=fields.KEYWORD(),
        people=fields.KEYWORD(),  # person slugs, for related stories
        level=fields.ID(),  # access level without the embargo (archive.access.standing: fails closed)
        embargo=fields.ID(),  # embargo date (ISO) or "0000-00-00"; compared with today at query time
    )


def strip_markup(body: str) -> str:
    """Markdown source -> the words a reader sees (timestamps, heading marks, emphasis removed)."""
    return _MARKUP.sub(lambda m: m.group(1) or "", _TIMESTAMP.sub("", body))


def decade_of(date: str) -> str | None:
    """'1998-05-01' -> '1990年代'."""
    year = date[:4]
    return f"{year[:3]}0年代" if len(year) == 4 and year.isdigit() else None


def access_fields(meta: dict) -> tuple[str, str]:
    """(level ignoring the embargo, embargo ISO date or '0000-00-00'), by archive.access."""
    level, embargo = standing(meta)
    return level, embargo.isoformat() if embargo else "0000-00-00"


def head_text(story: Story, people: dict[str, Person]) -> str:
    """Title, names, summary and labels of a story and the people it names, one per line."""
    parts = [story.title, *story.narrators, story.summary, str(story.meta.get("place") or "")]
    for key in ("conflicts", "honors", "tags"):
        parts += story.strings(key)
    for note in story.segment_notes.values():  # the interview index (OHMS synopsis and keywords)
        parts += [note.synopsis, *note.keywords]
    for slug in story.people:
        person = people.get(slug)
        if person is not None:
            service = person.service
            parts += [person.name, *map(str, as_list(person.meta.get("aliases")))]
            for key in ("units", "campaigns"):
                parts += [str(v) for v in as_list(service.get(key))]
    return "\n".join(p for p in parts if p)


def story_to_document(story: Story, vocab: Vocabulary, people: dict[str, Person]) -> dict:
    """The index document of a story (pure: same story, vocabulary and people -> same document)."""
    body = normalize_text(strip_markup(story.body))
    head = normalize_text(head_text(story, people))
    level, embargo = access_fields(story.meta)
    date = story.interviewed.strip()
    names = [people[s].name for s in story.people if s in people]
    facets = {"narrator": story.narrators, "conflict": story.strings("conflicts"), "honor": story.strings("honors"),
              "tag": story.strings("tags"), "audience": story.strings("audience"),
              "decade": [d for d in [decade_of(date)] if d]}
    return {
        "slug": story.slug,
        "title": story.title,
        "narrators": story.narrators,
        "interviewed": date,
        "summary": story.summary,
        "body": [w for w in word_tokens(body, vocab) if not is_bigram(w)],  # two-character words: see body2
        "body2": bigram_tokens(body),
        "head": word_tokens(head, vocab),
        "head2": bigram_tokens(head),
        "pinyin": sorted({key for name in story.narrators for key in name_pinyin(name)}),
        "pinyin2": sorted({key for name in names for key in name_pinyin(name)}),
        **facets,
        "facets": facets,
        "notes": {sid: "\n".join(p for p in (note.synopsis, *note.keywords) if p)
                  for sid, note in story.segment_notes.items()},
        "people": story.people,
        "level": level,
        "embargo": embargo,
    }
