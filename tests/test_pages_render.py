"""Transcript rendering: what a reader sees of the Markdown an archivist wrote."""
from __future__ import annotations

from archive.render import markdown_to_html, render_transcript


def test_readable_markdown_survives_sanitizing():
    html = str(markdown_to_html("> 当兵就要当个好兵。\n\n| 年份 | 事件 |\n|---|---|\n| 1950 | 过江 |\n\n- 一\n- 二\n"))
    assert "<blockquote>" in html and "<table>" in html and "<td>1950</td>" in html and "<li>二</li>" in html


def test_links_keep_safe_schemes_only_and_never_load_anything():
    html = str(markdown_to_html(
        "[档案局](https://example.org/) [坏](javascript:alert(1)) ![图](http://evil.example/x.png)\n\n"
        '<iframe src="http://evil.example/"></iframe><style>body{display:none}</style>'
        '<p style="color:red" onclick="x()">文字</p>'))
    assert 'href="https://example.org/"' in html and 'rel="noopener noreferrer"' in html
    assert "javascript" not in html and "<img" not in html and "<iframe" not in html
    assert "<style" not in html and "style=" not in html and "onclick" not in html and "文字" in html


def test_timestamps_starting_a_paragraph_become_player_links():
    segments = render_transcript("## 过江\n\n[00:10:00] 我们连夜过江，大约在[00:12:00]到了对岸。\n")
    html = str(segments[0].html)
    assert html.count('class="ts"') == 1
    assert segments[0].id == "t001000"  # a heading followed by its timecode is named by the time (issue 10)
    assert f'href="#{segments[0].id}" data-seconds="600"' in html  # the link goes to the heading's segment
    assert "[00:12:00]" in html  # a time inside a sentence stays text


def test_heading_shows_a_time_only_when_the_text_does_not_start_with_one():
    segments = render_transcript("## [00:01:00] 参军\n\n我是1947年参军的。\n\n## 过江\n\n[00:10:00] 过江。\n")
    assert [(s.title, s.heading_time) for s in segments] == [("参军", "00:01:00"), ("过江", None)]
    assert segments[1].timestamp == "00:10:00"


def test_unmarked_transcript_is_cut_into_paragraph_groups_with_stable_ids():
    body = "\n\n".join(f"第{i}段。" + "我们在阵地上守了七天七夜。" * 12 for i in range(6)) + "\n"
    first = render_transcript(body)
    assert len(first) > 1 and all(s.id.startswith("p-") for s in first)
    edited = render_transcript(body.replace("第5段。", "第五段。"))
    assert first[0].id == edited[0].id
