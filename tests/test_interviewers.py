"""Several interviewers (a list in front matter) survive the edit form and read well on the page."""
from __future__ import annotations

import html
import re

BASE = re.compile(r'name="base_version" value="([^"]*)"')


def test_a_list_of_interviewers_round_trips_through_the_edit_form(app, login, archive_root):
    path = archive_root / "stories" / "kua-guo-ya-lu-jiang.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "interviewed:", "interviewer:\n  - 周文涛\n  - 育英路小学学生记者团\ninterviewed:"), encoding="utf-8")
    before = path.read_bytes()
    client = app.test_client()
    token = login(client, "archivist")
    page = client.get("/edit/story/kua-guo-ya-lu-jiang").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="interviewer"[^>]*>', page).group(0)
    assert 'value="周文涛、育英路小学学生记者团"' in field
    body = re.search(r'<textarea id="f-body"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1)
    response = client.post("/edit/story/kua-guo-ya-lu-jiang", data={
        "csrf_token": token, "base_version": BASE.search(page).group(1), "title": "跨过鸭绿江",
        "narrator": "王建国", "interviewer": "周文涛、育英路小学学生记者团", "interviewed": "2023-05-01",
        "conflicts": ["抗美援朝战争"], "people": ["wang-jianguo"], "body": html.unescape(body)})
    assert response.status_code == 302
    assert path.read_bytes() == before

    story_page = client.get("/stories/kua-guo-ya-lu-jiang").get_data(as_text=True)
    assert "周文涛、育英路小学学生记者团" in story_page
    assert "[&#39;" not in story_page and "['" not in story_page
