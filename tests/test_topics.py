"""The topic vocabulary (issue 17): a tree with synonyms, tags mapped to it, unknown tags
reported by `archive check`, the tree with counts on the browse page, and searching a
broader topic finds stories of its narrower ones."""
from __future__ import annotations

import json

from click.testing import CliRunner
from teaching_archive import build_teaching_archive

from archive import create_app
from archive.cli import cli
from archive.topics import parse_topics


def test_tree_synonyms_and_problems():
    tree = parse_topics("战斗经历\n  战役 = 战役与战斗\n    长津湖\n  潜伏\n和平年代\n长津湖\n      太深\n")
    assert tree.roots == ["战斗经历", "和平年代"]
    assert tree.topic_of("战役与战斗") == "战役" and tree.broader("长津湖") == ["长津湖", "战役", "战斗经历"]
    assert tree.narrower("战斗经历") == ["战斗经历", "战役", "长津湖", "潜伏"]
    assert [line for line, _ in tree.problems] == [6, 7]  # a repeated topic; an indent of more than one level


def run(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)


def test_check_reports_unknown_tags_with_path_and_line(tmp_path):
    root = build_teaching_archive(tmp_path)
    story = root / "stories" / "kangri.md"
    story.write_text(story.read_text(encoding="utf-8").replace("  - 战友情\n", "  - 战友情\n  - 地道战\n"),
                     encoding="utf-8")
    result = run(root, "check")
    line = next(n for n, text in enumerate(story.read_text(encoding="utf-8").splitlines(), 1) if "地道战" in text)
    assert result.exit_code == 1
    assert f"stories/kangri.md:{line}: 标签“地道战”不在主题词表" in result.output
    assert "战友情" not in result.output  # known tags are fine


def test_searching_a_broader_topic_finds_its_narrower_ones(tmp_path):
    root = build_teaching_archive(tmp_path)
    assert run(root, "index", "--rebuild").exit_code == 0
    found = {hit["slug"] for hit in json.loads(run(root, "search", "兵种与岗位", "--json").output)["hits"]}
    assert {"kmyc-norec", "kmyc-secretrec"} <= found  # tagged 汽车兵 (运输兵) and 卫生员
    assert "kangri" not in found
    narrow = {hit["slug"] for hit in json.loads(run(root, "search", "卫生员", "--json").output)["hits"]}
    assert "kmyc-norec" not in narrow  # a narrower topic does not bring its siblings


def test_browse_page_shows_the_tree_with_counts(tmp_path):
    root = build_teaching_archive(tmp_path / "a")
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "i"),
                      "CACHE_DIR": str(tmp_path / "c"), "INSTANCE_DIR": str(tmp_path / "n")})
    page = app.test_client().get("/browse/").get_data(as_text=True)
    tree = page.split('class="topic-tree"', 1)[1].split("</ul>", 1)[0]
    assert tree.index("战斗经历") < tree.index("战役与战斗") < tree.index("长津湖")
    assert 'class="depth-2"><a href="/stories/?topic=%E9%95%BF%E6%B4%A5%E6%B9%96">长津湖</a>' in tree
    assert "战斗经历</a><span class=\"count\">5 篇" in tree  # 5 public stories under it (internal one left out)
