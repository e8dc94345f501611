"""Reading Whoosh's files a block at a time, into numpy arrays.

Whoosh's block readers and length column are reached only through
archive.search.whoosh_private (checked at start-up for the pinned version);
a reader that is not Whoosh's own segment reader is read posting by posting
through the public API.  Docnums are those of one
segment, deleted documents included: callers keep the live ones.

Decoded posting lists and field lengths are kept in a small LRU keyed by
segment id: a Whoosh segment never changes once written (deletions are kept
beside it), so a cached array stays right until the segment is merged away,
and common words such as 老兵 or 志愿军 are decoded once instead of on every
query.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh.util.numeric import byte_to_length

from archive.search.schema import POSITION_DTYPE
from archive.search.whoosh_private import block_matcher, length_bytes, value_blocks, weight_blocks

_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)


class _ArrayCache:
    """A thread-safe LRU of decoded arrays, bounded by the number of entries held."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self.held = 0
        self.arrays: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> tuple[np.ndarray, ...] | None:
        with self.lock:
            found = self.arrays.get(key)
            if found is not None:
                self.arrays.move_to_end(key)
            return found

    def put(self, key: tuple, arrays: tuple[np.ndarray, ...]) -> None:
        with self.lock:
            if key in self.arrays:
                return
            self.arrays[key] = arrays
            self.held += len(arrays[0])
            while self.held > self.max_entries and self.arrays:
                _key, old = self.arrays.popitem(last=False)
                self.held -= len(old[0])


_CACHE = _ArrayCache(max_entries=2_000_000)  # about 24 MB of ids and weights


def _segment_id(reader) -> str | None:
    segment = getattr(reader, "segment", None)
    found = segment() if callable(segment) else None
    return found.segment_id() if found is not None and hasattr(found, "segment_id") else None


def _cached(reader, key: tuple, compute) -> tuple[np.ndarray, ...]:
    segment_id = _segment_id(reader)
    found = _CACHE.get((segment_id, *key)) if segment_id else None
    if found is None:
        found = compute()
        if segment_id:
            _CACHE.put((segment_id, *key), found)
    return found


def _as_key(text) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text


def term_postings(reader, fieldname: str, text, keep: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of a term in one segment, read a block at a time (or from the cache);
    `keep=False` for a pass over every term, which would otherwise push out the words queries use."""
    key = _as_key(text)
    if (fieldname, key) not in reader:
        return _EMPTY_IDS, np.zeros(0)
    if not keep:
        return _CACHE.get((_segment_id(reader), "postings", fieldname, key)) or _read_postings(reader, fieldname, key)
    return _cached(reader, ("postings", fieldname, key), lambda: _read_postings(reader, fieldname, key))


def _read_postings(reader, fieldname: str, key: bytes) -> tuple[np.ndarray, np.ndarray]:
    matcher = block_matcher(reader, fieldname, key)
    if matcher is None:
        pairs = list(reader.postings(fieldname, key).items_as("weight"))
        return (np.array([d for d, _ in pairs], dtype=np.int64), np.array([w for _, w in pairs], dtype=np.float64))
    ids: list[int] = []
    weights: list[float] = []
    for block_ids, block_weights in weight_blocks(matcher):
        ids.extend(block_ids)
        weights.extend(block_weights)
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def term_positions(reader, fieldname: str, text, wanted: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(docnum, position) pairs, as two arrays, of a term in one segment, for the `wanted` docnums only
    (a sorted array) if given; the field must store packed positions (schema.PackedPositions)."""
    key = _as_key(text)
    nothing = (_EMPTY_IDS, _EMPTY_IDS)
    if (fieldname, key) not in reader or (wanted is not None and not len(wanted)):
        return nothing
    matcher = block_matcher(reader, fieldname, key)
    docs: list[int] = []
    values: list[bytes] = []
    if matcher is None:
        chosen = None if wanted is None else set(wanted.tolist())
        for doc, value in reader.postings(fieldname, key).all_items():
            if chosen is None or doc in chosen:
                docs.append(doc)
                values.append(value)
    else:
        for block_ids, block_values in value_blocks(matcher):
            if wanted is None:
                docs.extend(block_ids)
                values.extend(block_values)
            else:
                ids = np.asarray(block_ids, dtype=np.int64)
                keep = np.flatnonzero(np.isin(ids, wanted, assume_unique=True)).tolist()
                docs.extend(ids[keep].tolist())
                values.extend([block_values[index] for index in keep])
    if not docs:
        return nothing
    positions = np.frombuffer(b"".join(values), dtype=POSITION_DTYPE).astype(np.int64)
    counts = [len(v) // POSITION_DTYPE.itemsize for v in values]
    return np.repeat(np.array(docs, dtype=np.int64), counts), positions


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """The length of a field in every document of one segment (deleted ones too), as Whoosh stores it."""
    return _cached(reader, ("lengths", fieldname), lambda: (_read_lengths(reader, fieldname),))[0]


def _read_lengths(reader, fieldname: str) -> np.ndarray:
    count = reader.doc_count_all()
    codes = length_bytes(reader, fieldname)
    if codes is None:
        return np.array([reader.doc_field_length(doc, fieldname) or 0 for doc in range(count)], dtype=np.float64)
    stored = np.zeros(count, dtype=np.uint8)
    stored[:min(len(codes), count)] = np.frombuffer(codes, dtype=np.uint8)[:count]
    return _LENGTH_OF_BYTE[stored]
