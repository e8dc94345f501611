"""Every private part of Whoosh that the search uses, in one module, for one exact version.

We keep Whoosh for writing, segments and the term dictionary, and read its
files faster than its public searcher does (archive.search.postings): posting
blocks straight into numpy arrays, the field-length column in one read, and
the multi-process writer started eagerly.  Those reads go through the private
names listed in `PRIVATE_NAMES` and nowhere else.  They are checked at start-up
(`check_private_names`, called by index.check_whoosh_installation): a Whoosh
whose private names differ is refused with a message naming them, rather than
run on a slower or wrong path.  The fallback below (`block_matcher` or
`length_bytes` answering None) is only for readers that are not Whoosh's own
segment readers, never for a renamed attribute.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator

WHOOSH_DISTRIBUTION = "Whoosh-Reloaded"
WHOOSH_VERSION = "2.7.5"  # the only version whose private names PRIVATE_NAMES describes

# Module-level names, classes' methods and the instance attributes the probe sees being set.
PRIVATE_NAMES = (
    "whoosh.codec.whoosh3._lenfield",
    "whoosh.codec.whoosh3.LENGTHS_COLUMN",
    "whoosh.codec.whoosh3.W3LeafMatcher._read_ids",
    "whoosh.codec.whoosh3.W3LeafMatcher._read_weights",
    "whoosh.codec.whoosh3.W3LeafMatcher._read_values",
    "whoosh.codec.whoosh3.W3LeafMatcher._next_block",
    "whoosh.codec.whoosh3.W3PerDocReader._cached_reader",
    "whoosh.multiproc.MpWriter._new_task",
    "whoosh.index.FileIndex._segments",
)
INSTANCE_NAMES = (  # checked on a live index by _probe
    "W3LeafMatcher._ids", "W3LeafMatcher._weights", "W3LeafMatcher._values",
    "SegmentReader._perdoc", "FixedBytesColumn.Reader._dbfile", "FixedBytesColumn.Reader._basepos",
    "FixedBytesColumn.Reader._count", "FixedBytesColumn.Reader._fixedlen", "MpWriter.tasks",
)


def _resolve(dotted: str) -> object:
    """Import the longest module prefix of `dotted`, then follow the attributes (AttributeError if gone)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise AttributeError(dotted)


def _leaf_class():
    from whoosh.codec.whoosh3 import W3LeafMatcher
    return W3LeafMatcher


# -- what archive.search.postings and indexer call -------------------------------
def block_matcher(reader, fieldname: str, key: bytes):
    """The W3 leaf matcher of a term in one segment, or None when the reader hands out another kind."""
    matcher = reader.postings(fieldname, key)
    while not isinstance(matcher, _leaf_class()) and hasattr(matcher, "child"):
        matcher = matcher.child
    return matcher if isinstance(matcher, _leaf_class()) else None


def weight_blocks(matcher) -> Iterator[tuple[list[int], list[float]]]:
    """(docnums, weights) of each block of a W3 leaf matcher, deleted documents included."""
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


def value_blocks(matcher) -> Iterator[tuple[list[int], list[bytes]]]:
    """(docnums, encoded values) of each block of a W3 leaf matcher, deleted documents included."""
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_values()
        yield matcher._ids, matcher._values
        matcher._next_block()


def length_bytes(reader, fieldname: str) -> bytes | None:
    """The one-byte length codes of a field for the documents of one segment (b"" when no document
    has the field), or None when the reader is not Whoosh's own segment reader."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield

    perdoc = getattr(reader, "_perdoc", None) if type(reader).__name__ == "SegmentReader" else None
    if not isinstance(perdoc, W3PerDocReader):
        return None
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return b""
    if column._fixedlen != 1:
        raise AttributeError("FixedBytesColumn.Reader._fixedlen")
    return column._dbfile.get(column._basepos, column._count)


def start_writers(writer, procs: int) -> None:
    """Start the sub-writers of an MpWriter now (it starts them lazily, after this process has grown)."""
    for _ in range(procs):
        writer._new_task()


def stop_writers(writer) -> None:
    """Terminate an MpWriter's sub-writers (its cancel() leaves them waiting for work for ever)."""
    for task in writer.tasks:
        task.terminate()


def segment_sizes(ix) -> list[int]:
    """Documents in each segment of an index, from its table of contents alone."""
    return [segment.doc_count() for segment in ix._segments()]


# -- the start-up check ------------------------------------------------------------
def _probe_index():
    """A two-document index in memory, written with our codec and field type.  Its writer keeps sort
    buffers in <temp>/<index name>.tmp and deletes that folder when done: the name is this call's
    own, since every archive process runs this check (the default name, MAIN, is shared by all)."""
    import uuid

    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage

    from archive.search.schema import ArchiveCodec, TokenField

    ix = RamStorage().create_index(fields.Schema(words=TokenField(positions=True)),
                                   indexname=f"archive-probe-{uuid.uuid4().hex}")
    writer = ix.writer(codec=ArchiveCodec())
    writer.add_document(words=["甲", "乙", "甲"])
    writer.add_document(words=["乙"])
    writer.commit()
    return ix


def _probe() -> str | None:
    """Use every private name once on a small index in memory; the name of the first that fails, or None."""
    ix = _probe_index()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        steps = [
            ("W3LeafMatcher", lambda: block_matcher(reader, "words", "乙".encode()) is not None),
            ("W3LeafMatcher._ids/_weights", lambda: [(list(i), list(w)) for i, w in weight_blocks(
                block_matcher(reader, "words", "乙".encode()))] == [([0, 1], [1.0, 1.0])]),
            ("W3LeafMatcher._values", lambda: [len(v[0]) for _i, v in value_blocks(
                block_matcher(reader, "words", "甲".encode()))] == [8]),
            ("SegmentReader._perdoc, FixedBytesColumn.Reader", lambda: length_bytes(reader, "words") is not None
             and len(length_bytes(reader, "words")) == 2),
            ("FileIndex._segments", lambda: segment_sizes(ix) == [2]),
        ]
        for name, works in steps:
            try:
                if not works():
                    return name
            except Exception:  # noqa: BLE001 -- any failure means the private name no longer works as read
                return name
    return None


def check_private_names() -> list[str]:
    """The private names (of PRIVATE_NAMES, or found not working by the probe) the installed Whoosh lacks."""
    missing = []
    for dotted in PRIVATE_NAMES:
        try:
            _resolve(dotted)
        except AttributeError:
            missing.append(dotted)
    failed = None if missing else _probe()
    return missing + ([failed] if failed else [])
