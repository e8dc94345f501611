"""Which words of a multi-word search found nothing, so the results page can say so
("“火星人”没有找到，下面是其余词的结果") instead of silently dropping them."""
from __future__ import annotations

from archive.search.api import SearchRequest

MAX_WORDS = 5


def unmatched_words(engine, query: str, role: str | None) -> list[str]:
    """The space-separated words of `query` that on their own find no story the reader may read."""
    words = list(dict.fromkeys(w for w in query.split() if w.strip()))
    if len(words) < 2 or len(words) > MAX_WORDS:
        return []
    return [w for w in words if engine.search(SearchRequest(query=w, role=role, per_page=1)).total == 0]
