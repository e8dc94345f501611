"""The listening page without a browser: clean segment labels, the interview index with
synopsis and keywords, and the search inside one story counting passages, not stories."""
from __future__ import annotations

import re

import pytest
from conftest import write_tree

from archive import create_app
from archive.segment_labels import plain_text, segment_label
from archive.segments import split_segments

INTERVIEW = """
---
title: 卫生员的药箱
narrator: 刘桂英
segments:
  t000020:
    synopsis: 十九岁随队伍参军。
    keywords:
      - 妇救会
      - 参军
media:
  - file: liu/interview.ogg
---
[00:00:20] **问：** 刘奶奶，您是怎么参的军？

**刘桂英：** 我十九岁那年跟着*妇救会*给伤员洗绷带。

[00:03:40] 刚到卫生部，我连[绷带](https://example.org)都缠不好。伤员很多。

## **过江**的那一夜 {#guo-jiang}

伤员抬上船，伤员一个也没落下。
"""


@pytest.fixture
def reader(tmp_path):
    root = write_tree(tmp_path / "archive", {"stories/yao-xiang.md": INTERVIEW,
                                             "media/liu/interview.ogg": b"OggS" + b"\0" * 60})
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                      "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance")})
    return app.test_client()


def test_plain_text_drops_markdown_and_the_leading_time():
    assert plain_text("[00:00:20] **问：** 您是*怎么*参的[军](http://x)？<b>啊</b>") == "问： 您是怎么参的军？啊"
    assert plain_text("> - 1. __引__ `码`") == "引 码"


def test_a_segment_label_is_its_heading_or_its_first_words():
    first, second, third = split_segments(INTERVIEW.split("---", 2)[2])
    assert segment_label(first) == "问： 刘奶奶，您是怎么参的军？"
    assert segment_label(second) == "刚到卫生部，我连绷带都缠不好。伤员很多。"
    assert segment_label(third) == "过江的那一夜"
    assert segment_label(second, limit=8) == "刚到卫生部，我…"


def test_the_index_lists_clean_labels_with_synopsis_and_keywords(reader):
    html = reader.get("/stories/yao-xiang").get_data(as_text=True)
    index = html[html.index('id="toc"'):html.index('id="transcript"')]
    labels = re.findall(r'<span class="index-label">(.*?)</span>', index)
    assert labels == ["问： 刘奶奶，您是怎么参的军？", "刚到卫生部，我连绷带都缠不好。伤员很多。", "过江的那一夜"]
    assert "**" not in index and index.count("00:00:20") == 1
    assert "十九岁随队伍参军。" in index and '<span class="chip">妇救会</span>' in index
    assert "<h2 class=\"segment-title\">" in html and "**过江**" not in html  # the heading, too
    assert 'id="player"' in html and "listening.js" in html and "find_in_story.js" in html


def test_search_inside_one_story_counts_passages(reader):
    html = reader.get("/search?q=伤员&story=yao-xiang").get_data(as_text=True)
    count = re.search(r'<p class="result-count" role="status">(.*?)</p>', html).group(1)
    assert count.startswith("本篇 3 处") and "篇相关故事" not in count


def test_search_across_stories_still_counts_stories(reader):
    html = reader.get("/search?q=伤员").get_data(as_text=True)
    assert "找到 1 篇相关故事" in html


def _pickers(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def test_segment_pickers_name_segments_in_clean_text(reader, tmp_path):
    app = reader.application
    app.extensions["archive"].accounts.add_user("speaker1", "correct-horse-battery", "lecturer")
    from conftest import csrf_token_of

    reader.post("/login", data={"username": "speaker1", "password": "correct-horse-battery",
                                "csrf_token": csrf_token_of(reader)})
    add = reader.get("/lectures/add?story=yao-xiang").get_data(as_text=True)
    lesson = reader.get("/stories/yao-xiang/lesson").get_data(as_text=True)
    for html in (_pickers(add, "<legend>选择片段</legend>", "</fieldset>"),
                 _pickers(lesson, 'class="segment-picker"', "</fieldset>")):
        assert "问： 刘奶奶，您是怎么参的军？" in html and "过江的那一夜" in html
        assert "**" not in html and "[00:00:20] [00:00:20]" not in html
        assert html.count("00:00:20") == 1
