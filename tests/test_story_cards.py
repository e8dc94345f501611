"""The story card's text: cut at a sentence to fit one page, or one chosen segment."""
from __future__ import annotations

from archive.lectures.timing import spoken_chars
from archive.models import Story
from archive.story_cards import CARD_CHARS, card_text

LONG = "\n\n".join(f"[00:{n:02d}:00] 第{n}段：我们在阵地上守了七天七夜。炮弹把山头削平了一层。" for n in range(40))


def test_a_long_story_is_cut_at_a_sentence_within_the_budget():
    text = card_text(Story(slug="long", meta={"title": "长"}, body=LONG))
    assert text.cut and text.paragraphs[-1].endswith("。")
    assert sum(spoken_chars(p) for p in text.paragraphs) <= CARD_CHARS


def test_a_short_story_is_printed_whole_and_a_segment_card_holds_only_its_segment():
    story = Story(slug="s", meta={"title": "短"}, body=LONG)
    segment = story.segments[3]
    text = card_text(story, segment.id)
    assert text.paragraphs == ["第3段：我们在阵地上守了七天七夜。炮弹把山头削平了一层。"] and not text.cut
    assert text.segment_id == segment.id and text.segment_title == "[00:03:00]"
