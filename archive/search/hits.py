"""Search hits and their snippets: a ranked document becomes a `SearchHit` that names the segment
of the transcript holding the match, with the matched words marked in a passage of it."""
from __future__ import annotations

from html import escape

from archive.search.analysis import name_pinyin
from archive.search.api import SearchHit, SearchRequest, SearchResults
from archive.search.snippets import Passage, Transcript, best_passage, matching_segments, note_passage
from archive.store import ContentStore


def make_hit(fields: dict, score: float | None, passage: Passage) -> SearchHit:
    """The hit of a document's stored fields, pointing at the passage's segment."""
    segment = passage.segment
    return SearchHit(
        slug=fields["slug"], title=fields.get("title") or fields["slug"], score=round(float(score or 0.0), 4),
        narrators=list(fields.get("narrators") or []), segment=segment.id if segment else None,
        segment_title=segment.title if segment else None, timestamp=segment.timestamp if segment else None,
        snippet=passage.snippet, interviewed=fields.get("interviewed") or "", summary=fields.get("summary") or "")


def summary_hit(fields: dict, score: float | None) -> SearchHit:
    """A hit whose snippet is the story's summary (related stories)."""
    return make_hit(fields, score, Passage(None, escape(fields.get("summary") or ""), 0.0))


class Hits:
    """Builds hits from the story files (the transcripts are read from the store, not the index)."""

    def __init__(self, store: ContentStore):
        self.store = store

    def hit(self, fields: dict, score: float | None, marks: list[str], latin: str) -> SearchHit:
        """The hit of one ranked document: its best passage for the marked words."""
        transcript = self._transcript(fields["slug"])
        narrators = list(fields.get("narrators") or [])
        if latin:
            marks = marks + [n for n in narrators if latin in name_pinyin(n)]
        summary = fields.get("summary") or ""
        if transcript is None:
            passage = Passage(None, escape(summary), 0.0)
        else:
            passage = best_passage(transcript, marks, summary)
            if passage.segment is None:  # a word only the interview index (segments: front matter) holds
                passage = note_passage(transcript, fields.get("notes") or {}, marks) or passage
        return make_hit(fields, score, passage)

    def inside_story(self, request: SearchRequest, ranked, searcher, marks, page: int, per_page: int
                     ) -> SearchResults:
        """Segment-level hits of one story, in reading order."""
        if not ranked:
            return SearchResults(0, [], {}, None, page, per_page)
        score, docnum = ranked[0]
        fields = searcher.stored_fields(docnum)
        story = self._transcript(request.story)
        passages = matching_segments(story, marks) if story is not None and marks else []
        if not passages:
            summary = fields.get("summary") or ""
            passages = [best_passage(story, marks, summary)] if story is not None else [Passage(None, "", 0.0)]
        hits = [make_hit(fields, score, p) for p in passages]
        start = (page - 1) * per_page
        return SearchResults(len(hits), hits[start:start + per_page], {}, None, page, per_page)

    def _transcript(self, slug: str) -> Transcript | None:
        try:
            return Transcript.read(self.store.story_path(slug))
        except KeyError:
            return None
