"""The lecture pages through the real app: login, CSRF, adding, editing, checks, exports, log, dashboard."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import csrf_token_of
from docx import Document
from icalendar import Calendar
from lecture_archive import lecture_archive
from pptx import Presentation


@pytest.fixture
def archive_root(tmp_path):
    return lecture_archive(tmp_path / "archive")


@pytest.fixture
def lecturer(client, login):
    """A client signed in as a lecturer, with its CSRF token."""
    return client, login(client, "lecturer")


def new_plan(client, token, **fields) -> str:
    data = {"title": "走进红星小学", "audience": "小学高年级", "target_minutes": "3", "csrf_token": token, **fields}
    response = client.post("/lectures/new", data=data)
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[-1]


def add(client, token, plan_id, story, segments=(), photos=()):
    return client.post("/lectures/add", data={"csrf_token": token, "story": story, "plan": plan_id,
                                              "segment": list(segments), "photo": list(photos)})


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def item_order(html: str) -> list[str]:
    return re.findall(r'<strong class="item-heading">([^<]+)</strong>', html)


def test_lecture_pages_need_a_speaker_account(client, login):
    response = client.get("/lectures/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert 'href="/lectures/"' not in page(client, "/")
    login(client, "lecturer")
    assert 'href="/lectures/"' in page(client, "/")
    assert "全部讲稿（0）" in page(client, "/lectures/")
    empty = page(client, "/lectures/dashboard")
    assert '<strong id="talk-count">0</strong>' in empty and "还没有宣讲记录" in empty
    assert "排雷的日子" in empty.split("还没讲过的故事")[1] and "未公开的回忆" not in empty


def test_forms_without_csrf_token_are_refused(lecturer):
    client, _token = lecturer
    assert client.post("/lectures/new", data={"title": "无令牌"}).status_code == 400


def test_build_a_primary_school_talk_and_see_times_and_flags(lecturer):
    client, token = lecturer
    plan_id = new_plan(client, token)
    html = page(client, "/lectures/add?story=crossing&segment=t001000")
    assert 'value="t001000" checked' in html and "鸭绿江边的老兵" in html and "内部照片" not in html
    add(client, token, plan_id, "crossing", ["t001000"], ["crossing/bridge.png"])
    add(client, token, plan_id, "battle", ["t000500"])
    html = page(client, f"/lectures/{plan_id}")
    assert item_order(html) == ["跨过鸭绿江 · 00:10:00", "鸭绿江边的老兵", "阵地上的七天七夜 · 00:05:00"]
    assert "不宜：内容提示：战争暴力细节——不宜小学高年级听众" in html
    total = re.search(r'<strong id="total-time">([^<]+)</strong>', html).group(1)
    assert total == "58秒"  # 45 and 46 characters at 200 a minute (14 s each), plus 30 s for the photo
    assert '<span id="slot-fit" class="fit fit-under">不足 2分02秒</span>' in html
    version = re.search(r'name="version" value="([^"]+)"', html).group(1)
    response = client.post(f"/lectures/{plan_id}/items", data={
        "csrf_token": token, "version": version, "order": ["2", "0", "1"], "action": "remove:1",
        "notes-0": "放慢语速", "trim_first-0": "1", "trim_last-0": "1", "quote-0": "", "notes-2": ""})
    assert response.status_code == 302
    html = page(client, f"/lectures/{plan_id}")
    assert item_order(html) == ["阵地上的七天七夜 · 00:05:00", "跨过鸭绿江 · 00:10:00"]
    battle_part, crossing_part = html.split("跨过鸭绿江 · 00:10:00</strong>")
    assert "已截取" not in battle_part and "放慢语速" not in battle_part  # fields follow their item, not its place
    assert "已截取第 1–1 句" in crossing_part and ">放慢语速</textarea>" in crossing_part


def test_stale_item_form_is_refused_with_a_message(lecturer):
    client, token = lecturer
    plan_id = new_plan(client, token)
    add(client, token, plan_id, "crossing", ["t001000", "t002000"])
    old = re.search(r'name="version" value="([^"]+)"', page(client, f"/lectures/{plan_id}")).group(1)
    add(client, token, plan_id, "mines", [])  # refused: nothing chosen
    add(client, token, plan_id, "battle", ["t000500"])
    response = client.post(f"/lectures/{plan_id}/items", data={"csrf_token": token, "version": old,
                                                                "order": ["1", "0", "2"]}, follow_redirects=True)
    assert "讲稿已被他人修改" in response.get_data(as_text=True)
    assert item_order(page(client, f"/lectures/{plan_id}"))[0] == "跨过鸭绿江 · 00:10:00"


def test_reorder_from_the_editor_script_answers_json(lecturer):
    client, token = lecturer
    plan_id = new_plan(client, token)
    add(client, token, plan_id, "crossing", ["t001000", "t002000"])
    version = re.search(r'name="version" value="([^"]+)"', page(client, f"/lectures/{plan_id}")).group(1)
    response = client.post(f"/lectures/{plan_id}/items", headers={"Accept": "application/json"},
                           data={"csrf_token": token, "version": version, "order": ["1", "0"], "action": "save"})
    assert response.status_code == 200 and response.json["ok"] and response.json["version"] != version
    assert item_order(page(client, f"/lectures/{plan_id}")) == ["跨过鸭绿江 · 00:20:00", "跨过鸭绿江 · 00:10:00"]


def test_restricted_story_cannot_be_added_by_a_lecturer_nor_leak(app, client, login):
    token = login(client, "lecturer")
    plan_id = new_plan(client, token)
    assert client.get("/lectures/add?story=secret").status_code == 404
    response = add(client, token, plan_id, "secret", ["t000200"])
    assert response.status_code == 302
    add(client, token, plan_id, "crossing", [], ["crossing/secret.png"])
    assert "条目（0）" in page(client, f"/lectures/{plan_id}")
    archivist = app.test_client()
    archivist_token = login(archivist, "archivist")
    add(archivist, archivist_token, plan_id, "secret", ["t000200"])
    assert "未公开的回忆" in page(archivist, f"/lectures/{plan_id}")
    html = page(client, f"/lectures/{plan_id}")
    assert "未公开的回忆" not in html and "秘密" not in html and "此条目涉及您无权查看的内容" in html
    docx = Document(io.BytesIO(client.get(f"/lectures/{plan_id}/export.docx").data))
    assert not any("秘密" in p.text for p in docx.paragraphs)
    assert "秘密" not in page(client, f"/lectures/{plan_id}/script")


def test_plan_with_deleted_segment_opens_and_exports_with_a_warning(app, lecturer):
    client, token = lecturer
    plan_id = new_plan(client, token)
    add(client, token, plan_id, "crossing", ["t001000"])
    add(client, token, plan_id, "mines", [app.extensions["archive"].store.get_story("mines").segments[0].id])
    app.extensions["archive"].store.delete_story("mines")
    html = page(client, f"/lectures/{plan_id}")
    assert "缺失：故事 mines 已被删除或无法读取" in html
    script = page(client, f"/lectures/{plan_id}/script")
    assert "第 2 项未导出：故事 mines 已被删除或无法读取" in script and "1950年10月" in script
    response = client.get(f"/lectures/{plan_id}/export.docx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(".docx")
    text = [p.text for p in Document(io.BytesIO(response.data)).paragraphs]
    assert "警告：第 2 项未导出：故事 mines 已被删除或无法读取" in text
    deck = Presentation(io.BytesIO(client.get(f"/lectures/{plan_id}/export.pptx").data))
    assert len(deck.slides) == 2


def test_schedule_calendar_deliver_and_dashboard(lecturer):
    client, token = lecturer
    plan_id = new_plan(client, token)
    add(client, token, plan_id, "crossing", ["t001000"])
    assert client.get(f"/lectures/{plan_id}/calendar.ics").status_code == 302  # a draft has no date yet
    html = page(client, f"/lectures/{plan_id}")
    version = re.search(r'name="version" value="([^"]+)"', html).group(1)
    response = client.post(f"/lectures/{plan_id}/details", data={
        "csrf_token": token, "version": version, "title": "走进红星小学", "audience": "小学高年级",
        "venue": "红星路小学", "venue_type": "学校", "date": "2026-12-10", "time": "9:00", "status": "scheduled",
        "target_minutes": "40"}, follow_redirects=True)
    assert "讲稿信息已保存" in response.get_data(as_text=True)
    event = Calendar.from_ical(client.get(f"/lectures/{plan_id}/calendar.ics").data).walk("VEVENT")[0]
    assert str(event["location"]) == "红星路小学" and event.decoded("dtstart").hour == 9
    assert len(Calendar.from_ical(client.get("/lectures/calendar.ics").data).walk("VEVENT")) == 1
    response = client.post(f"/lectures/{plan_id}/deliver", data={
        "csrf_token": token, "date": "2026-11-10", "venue": "红星路小学", "venue_type": "学校",
        "audience_size": "45", "note": "学生提问踊跃"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "已记录本次宣讲" in html and "已宣讲" in html and "学生提问踊跃" in html
    board = page(client, "/lectures/dashboard")
    assert '<strong id="talk-count">1</strong>' in board and '<strong id="listener-count">45</strong>' in board
    assert "<svg" in board and "跨过鸭绿江</a>：1 场" in board and "未公开的回忆" not in board
    assert "阵地上的七天七夜" in board.split("还没讲过的故事")[1]
    # a new plan for the same venue flags the segment told there
    second = new_plan(client, token, title="再访红星小学")
    add(client, token, second, "crossing", ["t001000"])
    version = re.search(r'name="version" value="([^"]+)"', page(client, f"/lectures/{second}")).group(1)
    client.post(f"/lectures/{second}/details", data={"csrf_token": token, "version": version,
                                                     "venue": "红星路小学", "status": "draft"})
    assert "已于 2026-11-10 在「红星路小学」讲过这一片段" in page(client, f"/lectures/{second}")


def test_suggestions_use_search_and_add_chosen_segments(lecturer):
    client, token = lecturer
    plan_id = new_plan(client, token, theme="鸭绿江", target_minutes="2")
    html = page(client, f"/lectures/{plan_id}/suggest")
    picks = re.findall(r'name="pick" value="([^"]+)"', html)
    assert picks and all(p.startswith("crossing#") for p in picks)
    response = client.post(f"/lectures/{plan_id}/suggest", data={"csrf_token": token, "pick": picks})
    assert response.status_code == 302
    assert len(item_order(page(client, f"/lectures/{plan_id}"))) == len(picks)
    assert "阵地上的七天七夜" not in page(client, f"/lectures/{plan_id}/suggest?theme=对越自卫反击战")


def test_bad_input_gets_a_message_not_an_error_page(lecturer):
    client, token = lecturer
    plan_id = new_plan(client, token)
    response = client.post(f"/lectures/{plan_id}/details", data={"csrf_token": token, "time": "下午两点"},
                           follow_redirects=True)
    assert response.status_code == 200 and "时间应写成 14:30 这样的格式" in response.get_data(as_text=True)
    response = client.post(f"/lectures/{plan_id}/deliver", data={"csrf_token": token, "audience_size": "很多"},
                           follow_redirects=True)
    assert "听众人数应为正数" in response.get_data(as_text=True)
    assert client.get("/lectures/20990101-0000").status_code == 404
    assert client.get("/lectures/add?story=../etc").status_code == 404


def test_add_to_talk_links_on_story_segments_and_search_hits_for_speakers_only(client, login):
    assert "加入讲稿" not in page(client, "/stories/crossing")
    login(client, "lecturer")
    story = page(client, "/stories/crossing")
    assert 'href="/lectures/add?story=crossing"' in story
    assert 'href="/lectures/add?story=crossing&amp;segment=t001000"' in story
    assert re.search(r'href="/lectures/add\?story=crossing&amp;segment=[\w-]+"', page(client, "/search?q=鸭绿江"))


def test_every_sample_plan_of_the_repository_opens_and_exports(tmp_path):
    from archive import create_app

    root = Path(__file__).parent.parent
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                      "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "repo-instance")})
    client = app.test_client()
    app.extensions["archive"].accounts.add_user("archivist1", "correct-horse-battery", "archivist")
    token = csrf_token_of(client)
    client.post("/login", data={"username": "archivist1", "password": "correct-horse-battery", "csrf_token": token})
    plans = app.extensions["archive"].lectures.list_plans()
    assert len(plans) >= 3 and {p.status for p in plans} == {"draft", "scheduled", "delivered"}
    for plan in plans:
        assert plan.problems == []
        html = page(client, f"/lectures/{plan.id}")
        assert "缺失：" not in html and "已修改：" not in html
        assert page(client, f"/lectures/{plan.id}/script").count('class="script-item"') == len(plan.items)
        assert len(Document(io.BytesIO(client.get(f"/lectures/{plan.id}/export.docx").data)).paragraphs) > 5
        assert len(Presentation(io.BytesIO(client.get(f"/lectures/{plan.id}/export.pptx").data)).slides) == (
            len(plan.items) + 1)
    board = page(client, "/lectures/dashboard")
    assert int(re.search(r'id="talk-count">(\d+)<', board).group(1)) >= 2


def test_speaking_rate_is_configurable_for_the_whole_site(archive_root, tmp_path):
    from archive import create_app

    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "LECTURE_CHARS_PER_MINUTE": 100,
                      "INDEX_DIR": str(tmp_path / "index2"), "INSTANCE_DIR": str(tmp_path / "instance2")})
    client = app.test_client()
    app.extensions["archive"].accounts.add_user("speaker", "correct-horse-battery", "lecturer")
    client.post("/login", data={"username": "speaker", "password": "correct-horse-battery",
                                "csrf_token": csrf_token_of(client)})
    token = csrf_token_of(client)
    plan_id = new_plan(client, token)
    add(client, token, plan_id, "crossing", ["t001000"])
    html = page(client, f"/lectures/{plan_id}")
    assert '<strong id="total-time">27秒</strong>' in html and "按每分钟 100 字估算" in html  # 45 characters
