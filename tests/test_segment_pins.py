"""Segment ids that links and talks rely on survive edits (issue 10): a segment with a timecode is
named by the timecode, and a cited heading that is renamed gets its old id pinned automatically."""
from __future__ import annotations

import re

import pytest
from conftest import write_tree

from archive.lectures.plan import LecturePlan, PlanItem
from archive.models import Story
from archive.segment_pins import pin_cited_ids
from archive.segments import split_segments

TUNNEL = "## 上甘岭的坑道\n\n[00:05:40] 坑道里没有水，我们舔石壁上的水珠。\n\n## 回国以后\n\n后来我回到了家乡。\n"
STORY = "---\ntitle: 上甘岭\nnarrator: 孙德全\n---\n" + TUNNEL


def test_a_heading_with_a_timecode_is_named_by_the_timecode():
    before = split_segments(TUNNEL)[0]
    after = split_segments(TUNNEL.replace("上甘岭的坑道", "坑道里的日子"))[0]
    assert before.id == after.id == "t000540"
    assert "h-406014" in before.aliases  # the id it had before: links made then still resolve
    assert Story.from_text("x", STORY).segment("h-406014").id == "t000540"


def test_pinning_is_only_for_cited_segments_that_would_change():
    renamed = TUNNEL.replace("## 回国以后", "## 回到家乡")
    old_id = split_segments(TUNNEL)[1].id
    kept = pin_cited_ids(TUNNEL, renamed, {old_id})
    assert kept.pinned == [old_id] and not kept.lost and f"## 回到家乡 {{#{old_id}}}" in kept.body
    assert split_segments(kept.body)[1].id == old_id
    unchanged = pin_cited_ids(TUNNEL, renamed, {"t000540"})  # a timecoded id needs nothing
    assert unchanged.body == renamed and not unchanged.pinned and not unchanged.moved
    retimed = pin_cited_ids(TUNNEL, TUNNEL.replace("00:05:40", "00:05:41"), {"t000540"})
    assert retimed.pinned == ["t000540"] and "## 上甘岭的坑道 {#t000540}" in retimed.body
    old_name = pin_cited_ids(TUNNEL, TUNNEL.replace("上甘岭的坑道", "坑道里的日子"), {"h-406014"})
    assert old_name.moved == {"h-406014": "t000540"} and not old_name.pinned  # a pin would rename t000540


@pytest.fixture
def archive_root(tmp_path):
    return write_tree(tmp_path / "archive", {"stories/shang-gan-ling.md": STORY})


def test_editing_a_cited_heading_keeps_every_link_and_talk_reference(app, login, archive_root):
    context = app.extensions["archive"]
    home_id = split_segments(TUNNEL)[1].id
    context.lectures.save(LecturePlan(id="20261202-aaaa", title="走进红星小学", owner="lecturer1", items=[
        PlanItem(story="shang-gan-ling", segment=home_id), PlanItem(story="shang-gan-ling", segment="h-406014")]),
        "lecturer1")
    client = app.test_client()
    token = login(client, "archivist")
    page = client.get("/edit/story/shang-gan-ling").get_data(as_text=True)
    base = re.search(r'name="base_version" value="([^"]*)"', page).group(1)
    body = TUNNEL.replace("## 回国以后", "## 回到家乡").replace("上甘岭的坑道", "坑道里的日子")
    response = client.post("/edit/story/shang-gan-ling", follow_redirects=True, data={
        "csrf_token": token, "base_version": base, "title": "上甘岭", "narrator": "孙德全", "body": body})
    assert response.status_code == 200 and "段落编号已固定" in response.get_data(as_text=True)
    saved = context.store.get_story("shang-gan-ling")
    assert f"## 回到家乡 {{#{home_id}}}" in saved.body and "## 坑道里的日子\n" in saved.body
    plan = context.lectures.get("20261202-aaaa")
    assert [item.segment for item in plan.items] == [home_id, "t000540"]  # the old heading name moved to its id
    assert all(saved.segment(item.segment) is not None for item in plan.items)
    reader = client.get(f"/stories/shang-gan-ling#{home_id}").get_data(as_text=True)
    assert f'id="{home_id}"' in reader  # the anchor teachers copied still exists
