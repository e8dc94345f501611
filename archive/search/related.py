"""Related stories: those most like one story (its most telling words by tf-idf, its wars, tags,
honours and people), among what the reader may read."""
from __future__ import annotations

from collections import Counter
from math import log

import numpy as np
from whoosh import query as q

from archive.models import Story
from archive.search.analysis import is_bigram, normalize_text, word_tokens
from archive.search.api import SearchHit
from archive.search.execution import readable
from archive.search.hits import summary_hit
from archive.search.live_index import IndexView
from archive.search.query import STOPWORDS
from archive.search.schema import strip_markup

FACET_BOOSTS = (("conflicts", "conflict", 2.0), ("tags", "tag", 1.0), ("honors", "honor", 0.5))


def related_stories(view: IndexView, story: Story | None, role: str | None, limit: int) -> list[SearchHit]:
    """Up to `limit` readable stories most like `story` (none when it is not readable itself)."""
    table, ranker = view.table, view.ranker
    allowed = readable(view, role)
    own = [doc for doc in np.flatnonzero(allowed).tolist() if story is not None and table.slugs[doc] == story.slug]
    if story is None or not own:
        return []
    likes = key_terms(view, story)
    for key, name, boost in FACET_BOOSTS:
        likes += [q.Term(name, v, boost=boost) for v in story.strings(key)]
    likes += [q.Term("people", p, boost=3.0) for p in story.people]
    likes += [q.Term("narrator", n, boost=3.0) for n in story.narrators]
    if not likes:
        return []
    scores, matched = ranker.vector(q.Or(likes))
    matched &= allowed
    matched[own] = False
    docs = np.flatnonzero(matched)
    ranked = table.order(docs, scores[docs], "relevance", limit=limit)
    return [summary_hit(view.searcher.stored_fields(doc), score) for score, doc in ranked]


def key_terms(view: IndexView, story: Story, count: int = 12) -> list[q.Term]:
    """The story's most telling words by tf-idf, as weighted terms of the field that holds them."""
    searcher = view.searcher
    words = Counter(w for w in word_tokens(normalize_text(strip_markup(story.body)), view.vocab)
                    if len(w) >= 2 and w not in STOPWORDS and not w.isdigit())
    total = max(1, searcher.doc_count_all())
    fields = {w: "body2" if is_bigram(w) else "body" for w in words}
    scored = [(w, tf * log((total + 1) / (searcher.doc_frequency(fields[w], w) + 0.5)))
              for w, tf in words.items()]
    scored.sort(key=lambda item: (-item[1], item[0]))
    top = scored[:count]
    peak = top[0][1] if top and top[0][1] > 0 else 1.0
    return [q.Term(fields[w], w, boost=max(0.1, s / peak)) for w, s in top]
