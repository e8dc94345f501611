"""A second search engine behind `archive.search.api.SearchEngine`, on SQLite FTS5.

It proves the seam: the contract tests (tests/search_contract.py) run against it as against
Whoosh.  The index is derived (one SQLite file in the index folder, rebuilt from the files):

- `passage`: an FTS5 table, one row per segment of a story plus one "head" row (title, names,
  summary, labels).  `words` holds the project's own words (archive.search.analysis, space
  separated, so FTS5's unicode61 tokenizer indexes exactly them); `subs` adds jieba's sub-words
  (退役军人 -> 退役, 军人), so a shorter word finds the longer one;
- `story`: slug, stored fields and the access columns `level`/`embargo` (archive.access);
- `facet`: (slug, facet, value) rows, counted with GROUP BY; `word`: names the segmenter is taught.

Access is a WHERE clause of every query, so an unreadable story never counts anywhere.
Snippets are cut from the original text (escaped, matches in <mark>): FTS5's snippet() would
show the space-separated word column, not the speaker's punctuation.  It ranks by bm25 and
does not try to rank like Whoosh; `suggest` offers nothing (it may: the contract allows None).
"""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from html import escape
from pathlib import Path

import rjieba

from archive import access
from archive.models import Story
from archive.search.analysis import Vocabulary, normalize_text, word_tokens
from archive.search.api import FacetValue, SearchHit, SearchRequest, SearchResults
from archive.search.vocabulary import story_words
from archive.segments import TIMESTAMP
from archive.store import ContentStore

DB_NAME = "stories.sqlite3"
MAX_PER_PAGE, FACET_VALUES, MAX_TERMS, SNIPPET_CHARS = 100, 30, 24, 120
SCHEMA = """
CREATE TABLE IF NOT EXISTS story(slug TEXT PRIMARY KEY, title, narrators, interviewed, summary, level, embargo,
                                 version);
CREATE TABLE IF NOT EXISTS facet(slug, name, value);
CREATE INDEX IF NOT EXISTS facet_slug ON facet(slug);
CREATE TABLE IF NOT EXISTS word(slug, word);
CREATE TABLE IF NOT EXISTS generation(n INTEGER);
CREATE VIRTUAL TABLE IF NOT EXISTS passage USING fts5(slug UNINDEXED, segment UNINDEXED, title UNINDEXED,
                                                      stamp UNINDEXED, shown UNINDEXED, words, subs);
"""
FACET_KEYS = {"conflict": "conflicts", "honor": "honors", "tag": "tags", "audience": "audience"}
FACETS = ("narrator", *FACET_KEYS, "decade")
_EXCLUDE = re.compile(r'(?:^|(?<=\s))(?:[-－]|NOT\s+)("[^"]*"?|[^\s"-]\S*)')
_PHRASE = re.compile(r'"([^"]*)"')
_SMALL = frozenset("的了在是和与及或也都就把被给对从为我你他她")


def _tokens(text: str, vocab: Vocabulary | None) -> list[str]:
    return [t for t in (w.replace('"', "") for w in word_tokens(normalize_text(text), vocab)) if t]


def _fts(tokens: list[str], columns: str) -> str:
    """An FTS5 phrase of `tokens` in `columns` ('{words subs}')."""
    return f'{columns} : "' + " ".join(tokens) + '"'


def _shown(text: str) -> str:
    """A segment's Markdown as a reader sees it: timestamps and heading marks off."""
    lines = (TIMESTAMP.sub("", line) for line in text.splitlines())
    return "\n".join(line.lstrip("#").strip() for line in lines).strip()


def highlight(text: str, marks: list[str]) -> str:
    """Escaped text around the first match with every match in <mark> (normalising keeps length)."""
    folded = normalize_text(text)
    spans = sorted((m.start(), -m.end()) for mark in marks if mark for m in re.finditer(re.escape(mark), folded))
    start = max(0, spans[0][0] - SNIPPET_CHARS // 3) if spans else 0
    end = start + SNIPPET_CHARS
    out, at = [], start
    for left, right in ((left, -right) for left, right in spans):
        if left < at or right > end:
            continue
        out += [escape(text[at:left]), "<mark>", escape(text[left:right]), "</mark>"]
        at = right
    out.append(escape(text[at:end]))
    return ("…" if start else "") + "".join(out).strip() + ("…" if end < len(text) else "")


class SqliteSearchEngine:
    """Search over one archive's stories in SQLite FTS5 (implements archive.search.api.SearchEngine)."""

    def __init__(self, store: ContentStore, index_dir: Path):
        self.store = store
        self.path = Path(index_dir) / DB_NAME

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        db.executescript(SCHEMA)
        return db

    # -- lifecycle --------------------------------------------------------
    def ensure_ready(self) -> dict[str, int]:
        """Create the tables if missing and bring them in step with the files."""
        return self.update()

    def start(self) -> None:
        """App start-up: `ensure_ready`."""
        self.ensure_ready()

    def pending_notice(self, slug: str) -> str | None:
        """Saves are searchable at once: never a notice."""
        return None

    def rebuild(self, progress=None) -> int:
        """Empty every table and index every story again, in one transaction; return the count."""
        stories = self.store.list_stories()
        with closing(self._connect()) as db, db:
            generation = self._generation_after(db)
            for table in ("story", "facet", "word", "passage", "generation"):
                db.execute(f"DELETE FROM {table}")
            db.execute("INSERT INTO generation VALUES (?)", (generation,))
            for story in stories:
                db.executemany("INSERT INTO word VALUES (?, ?)", [(story.slug, w) for w in story_words(story)])
            vocab = self._vocab(db)
            for number, story in enumerate(stories, 1):
                self._write(db, story, vocab)
                if progress is not None:
                    progress(number, len(stories))
        return len(stories)

    def update(self) -> dict[str, int]:
        """Index stories added or changed since, drop the deleted ones; return the counts."""
        stories = {story.slug: story for story in self.store.list_stories()}
        with closing(self._connect()) as db:
            indexed = dict(db.execute("SELECT slug, version FROM story"))
        counts = {"added": 0, "changed": 0, "deleted": 0}
        for slug, story in stories.items():
            if indexed.get(slug) != (story.version or ""):
                counts["changed" if slug in indexed else "added"] += 1
                self.index_story(story)
        for slug in indexed.keys() - stories.keys():
            counts["deleted"] += 1
            self.delete_story(slug)
        return counts

    def index_story(self, story: Story) -> None:
        """Replace one story's rows (after a save)."""
        with closing(self._connect()) as db, db:
            self._remove(db, story.slug)
            db.executemany("INSERT INTO word VALUES (?, ?)", [(story.slug, w) for w in story_words(story)])
            self._write(db, story, self._vocab(db))

    def delete_story(self, slug: str) -> None:
        """Remove one story's rows (after a delete)."""
        with closing(self._connect()) as db, db:
            self._remove(db, slug)

    def version(self) -> str:
        """The rebuild generation: it changes with each rebuild."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT n FROM generation").fetchone()
        return str(row[0]) if row else ""

    @staticmethod
    def _generation_after(db: sqlite3.Connection) -> int:
        return (db.execute("SELECT max(n) FROM generation").fetchone()[0] or 0) + 1

    @staticmethod
    def _vocab(db: sqlite3.Connection) -> Vocabulary:
        return Vocabulary({w for (w,) in db.execute("SELECT word FROM word")})

    @staticmethod
    def _remove(db: sqlite3.Connection, slug: str) -> None:
        for table in ("story", "facet", "word", "passage"):
            db.execute(f"DELETE FROM {table} WHERE slug = ?", (slug,))

    @staticmethod
    def _write(db: sqlite3.Connection, story: Story, vocab: Vocabulary) -> None:
        level, embargo = access.standing(story.meta)
        date = story.interviewed.strip()
        db.execute("INSERT INTO story VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (story.slug, story.title, "\n".join(story.narrators), date, story.summary, level,
                    embargo.isoformat() if embargo else "0000-00-00", story.version or ""))
        pairs = [("narrator", n) for n in story.narrators] + [
            (name, v) for name, key in FACET_KEYS.items() for v in story.strings(key)]
        if len(date) >= 4 and date[:4].isdigit():
            pairs.append(("decade", f"{date[:3]}0年代"))
        db.executemany("INSERT INTO facet VALUES (?, ?, ?)", [(story.slug, n, v) for n, v in pairs])
        head = "\n".join([story.title, *story.narrators, story.summary, str(story.meta.get("place") or ""),
                          *(v for key in FACET_KEYS.values() for v in story.strings(key))])
        rows = [(None, None, None, head)] + [(s.id, s.title, s.timestamp, _shown(s.text)) for s in story.segments]
        for segment, title, stamp, shown in rows:
            words = _tokens(shown, vocab)
            subs = [s for w in words if len(w) > 2 for s in rjieba.cut_for_search(w) if s != w]
            db.execute("INSERT INTO passage VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (story.slug, segment, title, stamp, shown, " ".join(words), " ".join(subs)))

    # -- search -----------------------------------------------------------
    def _parse(self, db: sqlite3.Connection, text: str) -> tuple[str | None, str | None, list[str]]:
        """(FTS5 expression a story must match or None, expression it must not, marks to highlight)."""
        text = str(text or "")[:400]
        vocab = self._vocab(db)
        excluded = [m.strip('"') for m in _EXCLUDE.findall(text)]
        text = _EXCLUDE.sub(" ", text)
        phrases = [p for p in _PHRASE.findall(text) if p.strip()]
        free = [t for t in _tokens(_PHRASE.sub(" ", text).replace('"', " "), vocab) if t not in _SMALL][:MAX_TERMS]
        must = [_fts(_tokens(p, vocab), "words") for p in phrases if _tokens(p, vocab)]
        if free:
            must.insert(0, "(" + " OR ".join(_fts([w], "{words subs}") for w in dict.fromkeys(free)) + ")")
        nots = [_fts(_tokens(x, vocab), "{words subs}") for x in excluded if _tokens(x, vocab)]
        typed = [normalize_text(w) for w in _PHRASE.sub(" ", text).replace('"', " ").split()]
        marks = [normalize_text(p).replace(" ", "") for p in phrases] + typed + free
        return (" AND ".join(must) or None), (" OR ".join(nots) or None), marks

    @staticmethod
    def _readable(role: str | None) -> tuple[str, list]:
        """The access rule as SQL on story s (archive.access: level, and the embargo against today)."""
        levels = sorted(access.readable_levels(role))
        if set(access.LEVELS) <= set(levels):
            return "1", []
        return (f"s.level IN ({', '.join('?' * len(levels))}) AND s.embargo <= ?",
                [*levels, access.today().isoformat()])

    def _matched(self, db, request: SearchRequest) -> tuple[str, list, list[str]]:
        """A query selecting (slug, score, interviewed) of every readable match, its arguments, marks."""
        must, nots, marks = self._parse(db, request.query)
        rule, args = self._readable(request.role)
        if must:
            sql = ("SELECT s.slug, -min(p.rank) AS score, s.interviewed AS day FROM (SELECT slug, rank"
                   " FROM passage WHERE passage MATCH ?) p JOIN story s ON s.slug = p.slug WHERE ")
            args = [must, *args]
        else:
            sql = "SELECT s.slug, 0.0 AS score, s.interviewed AS day FROM story s WHERE "
        sql += rule
        if nots:
            sql += " AND s.slug NOT IN (SELECT slug FROM passage WHERE passage MATCH ?)"
            args.append(nots)
        for name, values in (request.filters or {}).items():
            if name in FACETS and values:
                sql += (" AND s.slug IN (SELECT slug FROM facet WHERE name = ? AND value IN"
                        f" ({', '.join('?' * len(values))}))")
                args += [name, *map(str, values)]
        if request.story:
            sql += " AND s.slug = ?"
            args.append(request.story)
        return sql + (" GROUP BY s.slug" if must else ""), args, marks

    def search(self, request: SearchRequest) -> SearchResults:
        """Run a query; never raises on any input text."""
        per_page = max(1, min(int(request.per_page or 10), MAX_PER_PAGE))
        page = max(1, int(request.page or 1))
        with closing(self._connect()) as db:
            try:
                sql, args, marks = self._matched(db, request)
                total = db.execute(f"SELECT count(*) FROM ({sql})", args).fetchone()[0]
            except sqlite3.OperationalError:  # an expression FTS5 refuses: nothing found, never an error
                return SearchResults(0, [], {}, None, page, per_page)
            order = {"newest": "day DESC", "oldest": "day ASC"}.get(request.sort, "score DESC")
            if not marks and request.sort not in ("newest", "oldest"):
                order = "day DESC"
            ranked = db.execute(f"SELECT slug, score FROM ({sql}) ORDER BY {order}, slug LIMIT ? OFFSET ?",
                                [*args, per_page, (page - 1) * per_page]).fetchall()
            facets: dict[str, list[FacetValue]] = {}
            for name, value, count in db.execute(
                    f"SELECT name, value, count(*) AS n FROM facet WHERE slug IN (SELECT slug FROM ({sql}))"
                    " GROUP BY name, value ORDER BY n DESC, value", args):
                if len(facets.setdefault(name, [])) < FACET_VALUES:
                    facets[name].append(FacetValue(value, count))
            if request.story:
                return self._inside_story(db, ranked, marks, page, per_page)
            hits = [self._hit(db, slug, score, marks) for slug, score in ranked]
        return SearchResults(total, hits, facets, None, page, per_page)

    def _inside_story(self, db, ranked, marks: list[str], page: int, per_page: int) -> SearchResults:
        """Segment-level hits of the one story searched in, in reading order."""
        if not ranked:
            return SearchResults(0, [], {}, None, page, per_page)
        (slug, score), = ranked
        hits = [self._hit(db, slug, score, marks, segment) for segment, text in db.execute(
            "SELECT segment, shown FROM passage WHERE slug = ? AND segment IS NOT NULL ORDER BY rowid", (slug,))
            if any(m and m in normalize_text(text) for m in marks)] or [self._hit(db, slug, score, marks)]
        start = (page - 1) * per_page
        return SearchResults(len(hits), hits[start:start + per_page], {}, None, page, per_page)

    def _hit(self, db, slug: str, score: float, marks: list[str], only: str | None = None) -> SearchHit:
        """The hit of a story at its first segment holding a match (or segment `only`)."""
        title, narrators, interviewed, summary = db.execute(
            "SELECT title, narrators, interviewed, summary FROM story WHERE slug = ?", (slug,)).fetchone()
        rows = db.execute("SELECT segment, title, stamp, shown FROM passage WHERE slug = ? AND ? IN (segment, '')"
                          " ORDER BY segment IS NULL, rowid", (slug, only or "")).fetchall()
        folded = [normalize_text(row[3]) for row in rows]
        found = next((row for row, text in zip(rows, folded) if any(m and m in text for m in marks)), None)
        segment, segment_title, stamp, shown = found or (None, None, None, summary or "")
        snippet = highlight(shown if found is not None and segment is not None else summary or shown, marks)
        return SearchHit(slug, title or slug, round(float(score or 0.0), 4), narrators.split("\n") if narrators else [],
                         segment, segment_title, stamp, snippet, interviewed or "", summary or "")

    def suggest(self, query: str, role: str | None = None) -> str | None:
        """No "did you mean" in this engine."""
        return None

    def related(self, slug: str, role: str | None = None, limit: int = 5) -> list[SearchHit]:
        """Readable stories sharing the most facet values (war, tag, honour, narrator) with this one."""
        rule, args = self._readable(role)
        with closing(self._connect()) as db:
            if not db.execute(f"SELECT 1 FROM story s WHERE s.slug = ? AND {rule}", [slug, *args]).fetchone():
                return []
            ranked = db.execute(
                "SELECT other.slug, count(*) AS n FROM facet mine JOIN facet other ON other.name = mine.name"
                " AND other.value = mine.value AND other.slug != mine.slug JOIN story s ON s.slug = other.slug"
                f" WHERE mine.slug = ? AND mine.name != 'decade' AND {rule} GROUP BY other.slug"
                " ORDER BY n DESC, other.slug LIMIT ?", [slug, *args, limit]).fetchall()
            return [self._hit(db, other, count, []) for other, count in ranked]
