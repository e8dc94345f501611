"""Reading what people type into the search box, and turning it into a Whoosh query.

`parse_query('讲"跨过鸭绿江"的故事 narrator:王建国')` ->
ParsedQuery(words=['讲', '故事'], phrases=['跨过鸭绿江'], fields={'narrator': ['王建国']}).
Nothing here raises on any input: unbalanced quotes, operators, unknown
fields and emoji are all just text.  Free words are OR-ed (a natural-language
request need not contain every word); phrases and fields must match.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as q

from archive.search.analysis import Vocabulary, bigram_tokens, is_cjk, normalize_text, word_tokens
from archive.search.numerals import year_words
from archive.search.phrase import ExactPhrase
from archive.search.vocabulary import Synonyms

MAX_QUERY_CHARS = 200
MAX_TERMS = 24
FIELDS = {"narrator": "narrator", "conflict": "conflict", "honor": "honor", "tag": "tag",
          "audience": "audience", "讲述人": "narrator", "战争": "conflict", "荣誉": "honor", "标签": "tag"}
# `-WORD`, `－WORD`, `NOT WORD` (upper case: a lower-case "not" is a word) and `-"a phrase"`, after a space.
_EXCLUDE = re.compile(r'(?:^|(?<=\s))(?:[-－]|NOT\s+)("[^"“”]*["”]?|“[^"“”]*["”]?|[^\s"“”-][^\s"“”]*)')
_TOKEN = re.compile(r"(?<![a-z])(?P<field>" + "|".join(FIELDS) + r')[:：](?P<value>"[^"]*"|[^\s"]+)|"(?P<phrase>[^"]*)"')
# Words that carry no meaning in a request ("讲…的故事", "那位…").
STOPWORDS = frozenset([
    "的", "了", "在", "是", "和", "与", "及", "或", "也", "都", "就", "把", "被", "给", "对", "从", "为", "讲", "讲述", "说", "谈",
    "关于", "有关", "一个", "一位", "那位", "哪位", "那个", "这个", "这位", "那些", "这些", "什么", "哪些", "找", "想", "要", "请", "帮",
    "我", "我们", "你", "他", "她", "有", "没有", "故事", "事迹", "经历", "的话", "吗", "呢", "啊", "吧", "a", "an", "the", "of",
    "and", "or", "not", "to", "in", "on", "for", "about", "story", "stories",
])


@dataclass
class ParsedQuery:
    """A query split into free words, quoted phrases and field conditions (all normalised)."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)  # words and phrases a story must not hold
    blank: bool = True  # nothing but spaces was typed
    latin: str = ""  # the latin letters of the query joined, for pinyin ("wang jianguo" -> "wangjianguo")

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases or self.fields or self.excluded)


def parse_query(text: str, vocab: Vocabulary | None = None) -> ParsedQuery:
    """Split raw query text; never raises."""
    text = _without_tone_marks(str(text or "")[:MAX_QUERY_CHARS * 2])
    excluded = [re.sub(r"\s+", "", normalize_text(m.group(1)).strip('"“”')) for m in _EXCLUDE.finditer(text)]
    text = normalize_text(_EXCLUDE.sub(" ", text)).replace("“", '"').replace("”", '"')
    text = text.replace("「", '"').replace("」", '"')[:MAX_QUERY_CHARS]
    text, years = year_words(text)  # 一九四九 -> 1949; 四九年, 六十年代 ask for years
    parsed = ParsedQuery(excluded=[word for word in dict.fromkeys(excluded) if word][:MAX_TERMS])
    free: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        name = match["field"]
        free.append(text[last:match.start()])
        last = match.end()
        if name is not None:
            value = match["value"].strip('"').strip()
            if value:
                parsed.fields.setdefault(FIELDS[name], []).append(value)
        elif match["phrase"].strip():
            parsed.phrases.append(re.sub(r"\s+", "", match["phrase"]))
    free.append(text[last:])
    parsed.blank = not text.strip() and not parsed.excluded and not years
    rest = " ".join(free).replace('"', " ")
    tokens = [t for t in _merge_single_characters(word_tokens(rest, vocab)) if t not in STOPWORDS]
    parsed.words = list(dict.fromkeys(tokens + years))[:MAX_TERMS]
    parsed.latin = "".join(re.findall(r"[a-z]+", rest))
    return parsed


def _without_tone_marks(text: str) -> str:
    """Pinyin typed with tone marks (lǐ chūnshēng) -> plain letters; ü -> v, as pypinyin writes it."""
    if text.isascii():
        return text
    folded = []
    for char in text:
        parts = unicodedata.normalize("NFD", char) if "LATIN" in unicodedata.name(char, "") else char
        folded.append(("v" if parts[0] == "u" else "V") if "\u0308" in parts else parts[0])
    return "".join(folded)


def _merge_single_characters(tokens: list[str]) -> list[str]:
    """Join runs of lone CJK characters the segmenter could not place ("上/干/岭" -> "上干岭"):
    they are usually a name or a misheard word, and match better together."""
    merged: list[str] = []
    run = ""
    for token in tokens + [""]:
        if len(token) == 1 and is_cjk(token) and token not in STOPWORDS:
            run += token
            continue
        if run:
            merged.append(run)
            run = ""
        if token:
            merged.append(token)
    return merged


def _text_query(term: str, fieldname: str, fieldname2: str, boost: float) -> q.Query:
    """A word matched inside any longer word, through its character bigrams.

    A two-character word is one bigram term.  A longer word is the whole word where
    the segmenter kept it as one (which ranks higher) or all of its bigrams: checking
    that they stand side by side costs more than it gains in a request of several
    words, so only quoted phrases are exact.  A lone character is a word-field term."""
    grams = [gram for gram in bigram_tokens(term) if gram]
    if len(grams) == 1 and len(term) == 2:
        return q.Term(fieldname2, term, boost=boost * 1.5)
    if len(grams) <= 1:
        return q.Term(fieldname, term, boost=boost * 1.5)
    every_gram = q.And([q.Term(fieldname2, gram) for gram in dict.fromkeys(grams)], boost=boost / len(grams))
    return q.Or([q.Term(fieldname, term, boost=boost * 1.5), every_gram])


def word_query(term: str, synonyms: Synonyms) -> q.Query:
    """Any variant of a word, in the transcript or the title/names/labels; variants count as one word."""
    variants = synonyms.variants(term)
    if len(variants) > 1:
        return q.DisjunctionMax([_variant_query(v) for v in variants])
    return _variant_query(term)


def _variant_query(variant: str) -> q.Query:
    options = [_text_query(variant, "body", "body2", 1.0), _text_query(variant, "head", "head2", 1.0),
               q.Term("narrator", variant, boost=8.0)]  # a name is found by name first
    if not is_cjk(variant) and variant.isalpha():
        options += [q.Term("pinyin", variant, boost=3.0), q.Term("pinyin2", variant)]
    return q.Or(options)


def phrase_query(phrase: str) -> q.Query:
    """The words standing together, exactly (a phrase of character bigrams)."""
    grams = bigram_tokens(phrase)
    words = [gram for gram in grams if gram]
    if not words:
        return q.NullQuery
    if len(words) == 1:
        return q.Or([q.Term("body2", words[0]), q.Term("head2", words[0]), q.Term("body", words[0])])
    return q.Or([ExactPhrase("body2", grams), ExactPhrase("head2", grams, boost=2.0)])


def field_query(name: str, value: str, synonyms: Synonyms) -> q.Query:
    """`conflict:朝鲜战争` -> the facet values that are, or contain, any variant of the value."""
    value = normalize_text(value)
    options: list[q.Query] = []
    for variant in synonyms.variants(value):
        options.append(q.Term(name, variant, boost=2.0))
        options.append(q.Wildcard(name, f"*{_escape_wildcard(variant)}*"))
    if name == "narrator":
        latin = "".join(re.findall(r"[a-z]+", value))
        if latin:
            options += [q.Term("pinyin", latin), q.Term("pinyin2", latin, boost=0.5)]
    return q.Or(options)


def _escape_wildcard(text: str) -> str:
    return text.replace("*", "").replace("?", "")


def build_query(parsed: ParsedQuery, synonyms: Synonyms) -> q.Query:
    """The Whoosh query for a parsed request (Every() when it says nothing)."""
    required: list[q.Query] = [phrase_query(p) for p in parsed.phrases]
    for name, values in parsed.fields.items():
        required.append(q.Or([field_query(name, v, synonyms) for v in values]))
    core = [w for w in parsed.words if len(w) > 1 or not is_cjk(w)]
    minor = [word_query(w, synonyms) for w in parsed.words if w not in core]
    optional = [word_query(w, synonyms) for w in core]
    if len(parsed.latin) >= 3:
        optional += [q.Term("pinyin", parsed.latin, boost=4.0), q.Term("pinyin2", parsed.latin)]
    if optional and minor:  # lone characters only rank what longer words found
        optional = [q.AndMaybe(q.Or(optional), q.Or(minor))]
    elif minor:
        optional = minor
    if not required and not optional:
        wanted = q.Every() if parsed.blank or (parsed.excluded and not parsed.words) else q.NullQuery
    elif not required:
        wanted = q.Or(optional)
    elif not optional:
        wanted = q.And(required)
    else:
        wanted = q.AndMaybe(q.And(required), q.Or(optional))
    if not parsed.excluded:
        return wanted
    return q.AndNot(wanted, q.Or([phrase_query(word) for word in parsed.excluded]))


def marks_for(parsed: ParsedQuery, synonyms: Synonyms) -> list[str]:
    """The normalised strings to highlight in snippets (longest first)."""
    marks = set(parsed.phrases)
    for word in parsed.words:
        marks.update(v for v in synonyms.variants(word) if len(v) > 1 or is_cjk(v))
    for values in parsed.fields.values():
        for value in values:
            marks.update(synonyms.variants(normalize_text(value)))
    return sorted((m for m in marks if m.strip()), key=len, reverse=True)
