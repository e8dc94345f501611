"""A photo can carry its own embargo date: hidden from everyone but archivists until that
day (on the story page, in the API, as a thumbnail), then shown by itself."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_tree
from tests.reading_archive import jpeg

STORY = """
---
title: 老照片
narrator: 赵长林
interviewed: 2024-04-01
media:
  - file: zhao/old.jpg
    caption: 连队合影
  - file: zhao/sealed.jpg
    caption: 家属同意以后公开的照片
    embargo_until: '2999-01-01'
  - file: zhao/opened.jpg
    caption: 已到期公开的照片
    embargo_until: '2001-01-01'
---
[00:00:10] 这几张照片是我从部队带回来的。
"""


@pytest.fixture
def archive_root(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "archive", {
        "stories/lao-zhao-pian.md": STORY,
        "media/zhao/old.jpg": jpeg(),
        "media/zhao/sealed.jpg": jpeg(color=(0, 120, 0)),
        "media/zhao/opened.jpg": jpeg(color=(0, 0, 200)),
    })


def _shown(client) -> tuple[str, list[str]]:
    page = client.get("/stories/lao-zhao-pian").get_data(as_text=True)
    api = client.get("/api/stories/lao-zhao-pian").get_json()
    return page, [m["file"] for m in api["media"]]


def test_a_photo_under_embargo_is_hidden_until_its_date(client):
    page, files = _shown(client)
    assert files == ["zhao/old.jpg", "zhao/opened.jpg"]
    assert "zhao/opened.jpg" in page and "家属同意以后公开的照片" not in page and "zhao/sealed.jpg" not in page
    assert client.get("/media/thumb/zhao/sealed.jpg").status_code == 404
    assert client.get("/media/web/zhao/sealed.jpg").status_code == 404
    assert client.get("/media/thumb/zhao/opened.jpg").status_code == 200


def test_a_lecturer_does_not_see_it_either_but_an_archivist_does(app, client, login):
    login(client, "lecturer")
    assert "zhao/sealed.jpg" not in _shown(client)[1]
    archivist = app.test_client()
    login(archivist, "archivist")
    page, files = _shown(archivist)
    assert "zhao/sealed.jpg" in files and "家属同意以后公开的照片" in page
    assert archivist.get("/media/thumb/zhao/sealed.jpg").status_code == 200


def test_a_photo_embargo_that_is_not_a_date_is_reported_with_its_line(run_cli, archive_root):
    path = archive_root / "stories" / "lao-zhao-pian.md"
    path.write_text(path.read_text(encoding="utf-8").replace("'2999-01-01'", "明年春天"), encoding="utf-8")
    result = run_cli("check")
    assert result.exit_code == 1
    assert "stories/lao-zhao-pian.md:10: embargo_until 应为 ISO 日期" in result.output


PORTRAIT_PERSON = """
---
name: 赵长林
born: 1930
portrait: zhao/sealed.jpg
---
赵长林，1930年生。
"""
PORTRAIT_STORY = STORY.replace("narrator: 赵长林\n", "narrator: 赵长林\npeople:\n  - zhao-changlin\n")
COLLECTION = """
---
title: 老照片专题
cover: zhao/sealed.jpg
stories:
  - lao-zhao-pian
---
几张老照片。
"""


@pytest.fixture
def portrait_root(archive_root: Path) -> Path:
    return write_tree(archive_root, {"people/zhao-changlin.md": PORTRAIT_PERSON,
                                     "stories/lao-zhao-pian.md": PORTRAIT_STORY,
                                     "collections/lao-zhao-pian.md": COLLECTION})


PAGES_WITH_PORTRAITS = ("/people/", "/people/zhao-changlin", "/stories/lao-zhao-pian", "/collections/",
                        "/collections/lao-zhao-pian", "/")


def test_an_embargoed_photo_used_as_portrait_or_cover_stays_hidden(portrait_root, app, login):
    reader = app.test_client()
    for path in PAGES_WITH_PORTRAITS:
        page = reader.get(path)
        assert page.status_code == 200, path
        assert "zhao/sealed.jpg" not in page.get_data(as_text=True), path
    for size in ("thumb", "web"):
        assert reader.get(f"/media/{size}/zhao/sealed.jpg").status_code == 404
    lecturer = app.test_client()
    login(lecturer, "lecturer")
    assert "zhao/sealed.jpg" not in lecturer.get("/people/zhao-changlin").get_data(as_text=True)
    assert lecturer.get("/media/thumb/zhao/sealed.jpg").status_code == 404
    archivist = app.test_client()
    login(archivist, "archivist")
    assert "zhao/sealed.jpg" in archivist.get("/people/zhao-changlin").get_data(as_text=True)
    assert archivist.get("/media/thumb/zhao/sealed.jpg").status_code == 200


def test_a_portrait_no_media_entry_restricts_is_shown(portrait_root, app):
    person = portrait_root / "people" / "zhao-changlin.md"
    person.write_text(person.read_text(encoding="utf-8").replace("zhao/sealed.jpg", "zhao/old.jpg"), encoding="utf-8")
    reader = app.test_client()
    assert "zhao/old.jpg" in reader.get("/people/zhao-changlin").get_data(as_text=True)
    assert reader.get("/media/thumb/zhao/old.jpg").status_code == 200


def test_a_photo_embargo_written_as_a_year_hides_the_photo(archive_root, app):
    path = archive_root / "stories" / "lao-zhao-pian.md"
    path.write_text(path.read_text(encoding="utf-8").replace("'2999-01-01'", "'2099'"), encoding="utf-8")
    page, files = _shown(app.test_client())
    assert "zhao/sealed.jpg" not in files and "zhao/sealed.jpg" not in page
    assert app.test_client().get("/media/thumb/zhao/sealed.jpg").status_code == 404
