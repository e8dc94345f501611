"""`archive index` and `archive search`: the CLI contract of docs/search.md."""
from __future__ import annotations

import json

from archive.store import ContentStore
from tests.conftest import write_tree

SECRET = """
---
title: 未解密的档案
narrator: 周密
access: restricted
---
这是一段受限的口述，讲到了跨过鸭绿江的经过。
"""


def test_index_then_search_json(run_cli, archive_root):
    built = run_cli("index", "--rebuild")
    assert built.exit_code == 0, built.output
    assert "1 篇故事" in built.output
    result = run_cli("search", "鸭绿江", "--json", "--limit", "5")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["slug"] == "kua-guo-ya-lu-jiang" and hit["title"] == "跨过鸭绿江"
    assert (hit["segment_title"], hit["timestamp"]) == ("过江", "00:10:00")
    assert hit["segment"] == ContentStore(archive_root).get_story("kua-guo-ya-lu-jiang").segments[1].id
    assert "<mark>鸭绿江</mark>" in hit["snippet"]
    assert {"value": "抗美援朝战争", "count": 1} in data["facets"]["conflict"]
    assert data["suggestion"] is None


def test_search_builds_a_missing_index_and_reads_any_input(run_cli):
    for query in ["(", '"', "AND", "title:", "🙂", "x" * 2000, "narrator:", '"跨过']:
        result = run_cli("search", query, "--json")
        assert result.exit_code == 0, (query, result.output)
        assert isinstance(json.loads(result.output)["total"], int)


def test_plain_text_output_and_did_you_mean(run_cli):
    found = run_cli("search", "鸭绿江")
    assert found.exit_code == 0
    assert "共找到 1 篇故事" in found.output and "【鸭绿江】" in found.output
    missed = run_cli("search", "鸭录江")
    assert "没有找到" in missed.output and "您是不是要找：鸭绿江" in missed.output


def test_role_hides_restricted_stories(run_cli, archive_root):
    write_tree(archive_root, {"stories/secret.md": SECRET})
    as_archivist = json.loads(run_cli("search", "鸭绿江", "--json").output)
    as_public = json.loads(run_cli("search", "鸭绿江", "--json", "--role", "anonymous").output)
    assert as_archivist["total"] == 2
    assert as_public["total"] == 1 and as_public["hits"][0]["slug"] == "kua-guo-ya-lu-jiang"


def test_bad_options_exit_non_zero_without_traceback(run_cli):
    result = run_cli("search", "老兵", "--limit", "0")
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = run_cli("search", "老兵", "--filter", "conflict")
    assert result.exit_code == 2 and "名称=值" in result.output


def test_unknown_filter_name_exits_2_and_names_the_known_ones(run_cli):
    result = run_cli("search", "老兵", "--filter", "foo=bar")
    assert result.exit_code == 2, result.output
    assert "foo" in result.output and "conflict" in result.output and "Traceback" not in result.output
    assert run_cli("search", "鸭绿江", "--filter", "conflict=抗美援朝战争").exit_code == 0
