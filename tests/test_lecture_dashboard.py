"""The delivery log tells the truth: the dashboard's figures for a generated log equal
figures computed here independently (future dates are scheduled talks, venue types and
audiences by the vocabularies, 讲得最少 includes never-told stories and leaves out work
records); suggestions are not pre-ticked and each says truly why it was proposed."""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from conftest import write_tree
from lecture_archive import lecture_archive

from archive.lectures.deliveries import dashboard
from archive.lectures.plan import Delivery, LecturePlan, PlanItem
from archive.lectures.plan_editing import PlanError, mark_delivered
from archive.lectures.talk_suggest import suggest_segments
from archive.store import ContentStore

TODAY = dt.date(2026, 12, 2)
WORK_RECORD = """
---
title: 宣讲团是怎样组建的
narrator: 区退役军人服务中心
source: 据公开做法整理的工作纪实
conflicts:
  - 抗美援朝战争
---
[00:01:00] 宣讲团成立于2019年，团员有老兵、老党员和青年志愿者，每年走进学校、社区和机关宣讲一百多场。
"""
# free text as speakers typed it -> the vocabulary's venue type, written out by hand for this test
TYPED_VENUES = {"中学": "学校", "学校": "学校", "红星路小学": "学校", "街道": "社区", "社区": "社区",
                "区政府": "机关", "机关": "机关", "某集团公司": "企业", "": "其他"}
AUDIENCES = ["初中", "小学高年级", "机关", "社区", "老年大学"]


@pytest.fixture
def archive_root(tmp_path):
    return write_tree(lecture_archive(tmp_path / "archive"), {"stories/work.md": WORK_RECORD})


@pytest.fixture
def store(archive_root) -> ContentStore:
    return ContentStore(archive_root)


def generated_log(seed: int) -> list[LecturePlan]:
    """Plans telling random stories, with deliveries from last year to next month."""
    rng = random.Random(seed)
    plans = []
    for number in range(12):
        plan = LecturePlan(id=f"20260101-{number:04x}", title=f"讲稿{number}", status="delivered")
        plan.items = [PlanItem(story=slug, segment="x") for slug in rng.sample(["crossing", "battle", "work"], 2)]
        for _ in range(rng.randint(0, 4)):
            day = TODAY + dt.timedelta(days=rng.randint(-400, 40))
            plan.deliveries.append(Delivery(date=day.isoformat(), venue_type=rng.choice(list(TYPED_VENUES)),
                                            audience=rng.choice(AUDIENCES), audience_size=rng.randint(0, 300)))
        plans.append(plan)
    return plans


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dashboard_figures_equal_an_independent_count(store, seed):
    plans = generated_log(seed)
    given = [(p, d) for p in plans for d in p.deliveries if d.date <= TODAY.isoformat()]
    coming = sorted((d.date, p.title) for p in plans for d in p.deliveries if d.date > TODAY.isoformat())
    board = dashboard(plans, store.list_stories(), "lecturer", limit=10, today=TODAY)
    assert board.talks == len(given)
    assert board.listeners == sum(d.audience_size for _p, d in given)
    assert board.scheduled == coming
    assert dict(board.per_month) == {**{m: 0 for m, _ in board.per_month}, **Counter(d.date[:7] for _p, d in given)}
    talks, listeners = Counter(), Counter()
    for _plan, delivery in given:
        talks[TYPED_VENUES[delivery.venue_type]] += 1
        listeners[TYPED_VENUES[delivery.venue_type]] += delivery.audience_size
    assert {kind: (n, listeners[kind]) for kind, n in talks.items()} == {
        kind: (n, people) for kind, n, people in board.by_venue_type}
    expected_audiences = Counter(d.audience if d.audience != "老年大学" else "其他听众" for _p, d in given)
    assert dict(board.by_audience) == dict(expected_audiences)
    story_talks = Counter(slug for plan, _d in given for slug in {i.story for i in plan.items})
    to_tell = ["battle", "crossing", "mines"]  # readable for a lecturer, not the work record
    assert [(c.slug, c.count) for c in board.least_told] == sorted(
        ((slug, story_talks[slug]) for slug in to_tell), key=lambda row: (row[1], row[0]))
    assert [c.slug for c in board.never_told] == [s for s in to_tell if not story_talks[s]]


def test_a_future_date_is_not_a_delivery(store):
    plan = LecturePlan(id="20261201-abcd", venue="东升中学")
    with pytest.raises(PlanError, match="2026-12-10 还没到"):
        mark_delivered(plan, {"date": "2026-12-10"}, today=TODAY)
    assert plan.deliveries == [] and plan.status == "draft"
    delivery = mark_delivered(plan, {"date": "2026-12-01", "venue_type": "中学"}, today=TODAY)
    assert delivery.venue_type == "学校"  # stored as the vocabulary's term


def test_suggestions_say_truly_why_and_leave_out_work_records(store):
    chosen = suggest_segments(store, None, audience="初中", theme="抗美援朝战争", minutes=10, role="lecturer")
    assert chosen and "work" not in {s.story.slug for s in chosen}
    for suggestion in chosen:
        assert suggestion.reason.startswith("故事标注为“抗美援朝战争”") and suggestion.reason.endswith("还没讲过")


def test_suggestion_page_ticks_nothing(app, client, login):
    app.extensions["archive"].lectures.save(LecturePlan(id="20261201-abcd", title="试讲", audience="初中",
                                                        theme="抗美援朝战争", target_minutes=5))
    login(client, "lecturer")
    html = client.get("/lectures/20261201-abcd/suggest").get_data(as_text=True)
    assert 'name="pick"' in html and "checked" not in html.split('class="pick-list suggestions"')[1]
