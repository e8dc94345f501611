"""Reading a term's posting list a block at a time.

Uses the block readers of the pinned Whoosh-Reloaded 2.7.5 (the start-up check
makes sure that is the Whoosh installed); any other matcher is read posting by
posting.  Deleted documents may be included: callers filter by live docnums.

Decoded lists are kept in a small LRU keyed by segment id: a Whoosh segment
never changes once written (deletions are kept beside it), so a cached list
stays right until the segment is merged away, and common words such as 老兵 or
志愿军 are decoded once instead of on every query.
"""
from __future__ import annotations

import pickle
import threading
from array import array
from collections import OrderedDict
from itertools import accumulate

INT_SIZE = 4  # whoosh.system._INT_SIZE: the count that prefixes an encoded positions value


class _PostingCache:
    """A thread-safe LRU of decoded posting lists, bounded by the number of postings held."""

    def __init__(self, max_postings: int):
        self.max_postings = max_postings
        self.held = 0
        self.lists: OrderedDict[tuple, tuple[array, array]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> tuple[array, array] | None:
        with self.lock:
            found = self.lists.get(key)
            if found is not None:
                self.lists.move_to_end(key)
            return found

    def put(self, key: tuple, ids: array, weights: array) -> None:
        with self.lock:
            if key in self.lists:
                return
            self.lists[key] = (ids, weights)
            self.held += len(ids)
            while self.held > self.max_postings and self.lists:
                _key, (old_ids, _weights) = self.lists.popitem(last=False)
                self.held -= len(old_ids)


_CACHE = _PostingCache(max_postings=2_000_000)  # about 16 MB of ids and weights


def _segment_id(reader) -> str | None:
    segment = getattr(reader, "segment", None)
    found = segment() if callable(segment) else None
    return found.segment_id() if found is not None and hasattr(found, "segment_id") else None


def term_postings(reader, fieldname: str, text) -> list[tuple[int, float]]:
    """(docnum, weight) of a term in one segment, read a block at a time (or from the cache)."""
    key = text.encode("utf-8") if isinstance(text, str) else text
    if (fieldname, key) not in reader:
        return []
    segment_id = _segment_id(reader)
    cached = _CACHE.get((segment_id, fieldname, key)) if segment_id else None
    if cached is not None:
        return list(zip(*cached))
    pairs = _read_postings(reader, fieldname, key)
    if segment_id:
        _CACHE.put((segment_id, fieldname, key), array("l", (d for d, _ in pairs)), array("d", (w for _, w in pairs)))
    return pairs


def _read_postings(reader, fieldname: str, key: bytes) -> list[tuple[int, float]]:
    """Decode a posting list from the index files."""
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
