"""Reading a term's posting list a block at a time.

Uses the block readers of the pinned Whoosh-Reloaded 2.7.5 (the start-up check
makes sure that is the Whoosh installed); any other matcher is read posting by
posting.  Deleted documents may be included: callers filter by live docnums.
"""
from __future__ import annotations


def term_postings(reader, fieldname: str, text) -> list[tuple[int, float]]:
    """(docnum, weight) of a term in one segment, read a block at a time."""
    key = text.encode("utf-8") if isinstance(text, str) else text
    if (fieldname, key) not in reader:
        return []
    matcher = reader.postings(fieldname, key)
    while hasattr(matcher, "child") and not hasattr(matcher, "_read_ids"):
        matcher = matcher.child  # deletions are filtered by the caller against live docnums
    if not hasattr(matcher, "_read_ids"):
        return list(matcher.items_as("weight"))
    pairs: list[tuple[int, float]] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        pairs.extend(zip(matcher._ids, matcher._weights))
        matcher._next_block()
    return pairs
