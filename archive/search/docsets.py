"""Which documents a query matches, computed with set operations on posting lists.

Whoosh's `docs_for_query` walks its matcher tree one document at a time in
Python; for the exact totals and facet counts of a query that matches most of
the archive that is the slowest part of a search.  Reading each term's ids as a
block and combining Python sets is several times faster.  Query types this
module does not know fall back to Whoosh.
"""
from __future__ import annotations

from whoosh import query as q

from archive.search.phrase import ExactPhrase


def matching_docs(searcher, query: q.Query) -> set[int]:
    """Global docnums (deleted documents included; callers intersect with live ones) matching `query`."""
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        found.update(doc + offset for doc in _leaf_docs(leaf, query))
    return found


def _leaf_docs(leaf, query: q.Query) -> set[int]:
    reader = leaf.reader()
    if isinstance(query, q.Term):
        key = query.text.encode("utf-8") if isinstance(query.text, str) else query.text
        if (query.fieldname, key) not in reader:
            return set()
        return set(reader.postings(query.fieldname, key).all_ids())
    if isinstance(query, ExactPhrase):
        return set(query.matcher(leaf).all_ids())
    if isinstance(query, (q.Or, q.DisjunctionMax)):
        result: set[int] = set()
        for child in query.subqueries:
            result |= _leaf_docs(leaf, child)
        return result
    if isinstance(query, q.And):
        result = None
        for child in query.subqueries:
            part = _leaf_docs(leaf, child)
            result = part if result is None else result & part
            if not result:
                return set()
        return result or set()
    if isinstance(query, q.AndMaybe):
        return _leaf_docs(leaf, query.a)
    if query is q.NullQuery or isinstance(query, q.NullQuery.__class__):
        return set()
    return set(leaf.docs_for_query(query))
