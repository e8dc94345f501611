"""Reading a term's posting list a block at a time.

Uses the block readers of the pinned Whoosh-Reloaded 2.7.5 (the start-up check
makes sure that is the Whoosh installed); any other matcher is read posting by
posting.  Deleted documents may be included: callers filter by live docnums.
"""
from __future__ import annotations

import pickle
from itertools import accumulate

INT_SIZE = 4  # whoosh.system._INT_SIZE: the count that prefixes an encoded positions value


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


def term_values(reader, fieldname: str, text, wanted: set[int]) -> dict[int, bytes]:
    """Encoded posting values (e.g. positions) of a term for the `wanted` docnums of one segment."""
    key = text.encode("utf-8") if isinstance(text, str) else text
    if (fieldname, key) not in reader:
        return {}
    matcher = reader.postings(fieldname, key)
    while hasattr(matcher, "child") and not hasattr(matcher, "_read_ids"):
        matcher = matcher.child
    if not hasattr(matcher, "_read_ids"):
        return {doc: value for doc, value in matcher.all_items() if doc in wanted}
    found: dict[int, bytes] = {}
    while matcher.is_active():
        matcher._read_ids()
        ids = matcher._ids
        if wanted.intersection(ids):
            matcher._read_values()
            found.update((doc, value) for doc, value in zip(ids, matcher._values) if doc in wanted)
        matcher._next_block()
    return found


def positions(value: bytes) -> list[int]:
    """Positions from an encoded Positions-format value (pickled deltas after a count)."""
    data = value[INT_SIZE:]
    if not data.endswith(b"."):
        data += b"."
    return list(accumulate(pickle.loads(data)))  # our own index files, as Whoosh itself reads them
