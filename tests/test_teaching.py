"""Teachers' pages (issue 17): pinyin reading mode, lesson sheets, exhibits and the honour wall's
choice of narrators (only public material)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from teaching_archive import POLYPHONES, build_teaching_archive

from archive import create_app
from archive.pinyin_reading import readings, ruby_html

# The test passage: ten polyphonic characters, each in a word that decides its reading.
PASSAGE = "他长大后当了行长，在银行重新开张那天，他重重地关上门，还要去为人民服务，路很长，走得很慢。"
EXPECTED = [("长", "zhǎng"), ("行", "háng"), ("长", "zhǎng"), ("行", "háng"), ("重", "chóng"),
            ("重", "zhòng"), ("重", "zhòng"), ("地", "de"), ("还", "hái"), ("为", "wèi"), ("长", "cháng"),
            ("得", "de")]
POLYPHONIC = set("长行重地还为得")
RUBY = re.compile(r"(\w)<rt>([^<]+)</rt>")


@pytest.fixture
def teaching_app(tmp_path):
    root = build_teaching_archive(tmp_path / "archive")
    shipped = Path(__file__).parent.parent / "vocabularies" / "pinyin.txt"  # the list the archive ships
    (root / "vocabularies" / "pinyin.txt").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    return create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                       "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance")})


def test_reading_mode_reads_ten_polyphones_right(teaching_app, tmp_path):
    html = ruby_html(f"<p>{PASSAGE}</p>", tmp_path / "archive")
    read = [(char, syllable) for char, syllable in RUBY.findall(html) if char in POLYPHONIC]
    assert read == EXPECTED
    assert len(read) >= 10


def test_readings_keep_markup_and_skip_non_chinese():
    html = str(ruby_html('<p>1950年<mark>银行</mark> <a href="/x">OK</a></p>', "/nonexistent"))
    assert '<mark><ruby>银<rt>yín</rt>行<rt>háng</rt></ruby></mark>' in html
    assert '<a href="/x">OK</a>' in html and html.startswith("<p>1950")
    assert readings("重新", {}) == [("重新", "chóng xīn")]


def test_reading_page_has_ruby_larger_type_and_a_way_back(teaching_app):
    client = teaching_app.test_client()
    story_page = client.get("/stories/polyphones").get_data(as_text=True)
    assert "/stories/polyphones/read" in story_page  # the toggle on the story page
    page = client.get("/stories/polyphones/read").get_data(as_text=True)
    assert "<ruby>银<rt>yín</rt>行<rt>háng</rt></ruby>" in page
    assert "reading-mode" in page and "关闭拼音阅读模式" in page and "teaching.css" in page
    assert POLYPHONES[:2] not in page  # every character carries its pinyin
    assert client.get("/stories/kmyc-internal/read").status_code == 404


def test_lesson_sheet_gathers_chosen_segments_questions_photos_and_qr(teaching_app):
    client = teaching_app.test_client()
    page = client.get("/stories/kmyc-xiao/lesson").get_data(as_text=True)
    assert 'id="sheet-part-0"' in page and 'id="sheet-part-3"' in page and 'id="sheet-part-6"' not in page
    assert "过江那一夜，战士们最怕的是什么？" in page and "道德与法治" in page and "志愿军在严寒中过江" in page
    assert "<svg" in page and 'aria-label="二维码：雪夜过江"' in page and "/media/web/kmyc-xiao/photo.jpg" in page
    picked = client.get("/stories/kmyc-xiao/lesson?segment=part-6&segment=nonsense").get_data(as_text=True)
    assert 'id="sheet-part-6"' in picked and 'id="sheet-part-0"' not in picked
    plain = client.get("/stories/kangri/lesson").get_data(as_text=True)  # no notes: the first two segments
    assert 'id="sheet-part-0"' in plain and 'id="sheet-part-3"' in plain and "讨论题" not in plain
    assert client.get("/stories/kmyc-restricted/lesson").status_code == 404


def test_exhibit_booklet_has_commentary_in_order_and_no_restricted_story(teaching_app):
    client = teaching_app.test_client()
    page = client.get("/collections/exhibit/booklet").get_data(as_text=True)
    assert page.index("雪夜过江") < page.index("长津湖的冬天")
    assert "策展人按：</strong>先读这一篇" in page and "两位老兵讲的冬天有什么相同？" in page
    assert "受限回忆" not in page
    assert "/collections/exhibit/booklet" in client.get("/collections/exhibit").get_data(as_text=True)


def test_wall_shows_only_public_honoured_narrators(teaching_app):
    client = teaching_app.test_client()
    items = client.get("/wall/items.json").get_json()
    assert sorted(i["name"] for i in items) == sorted(["张英雄", "李战斗", "王百岁", "孙照片"])
    by_name = {i["name"]: i for i in items}
    assert "百岁老党员" in by_name["王百岁"]["honours"]
    assert by_name["张英雄"]["url"] == "/stories/hero-a-story#t=zhan-dou"
    assert "hero-hidden-photo.jpg" not in by_name["孙照片"]["portrait_url"]  # its portrait is restricted
    page = client.get("/wall/").get_data(as_text=True)
    for hidden in ("赵保密", "钱内部", "周普通", "hero-hidden-photo.jpg"):
        assert hidden not in page and hidden not in str(items)
    assert client.get("/wall/qr/hero-secret.svg").status_code == 404
    assert client.get("/wall/qr/hero-a.svg").headers["Content-Type"].startswith("image/svg+xml")
    by_collection = client.get("/wall/items.json?collection=exhibit").get_json()
    assert [i["name"] for i in by_collection] == ["雪夜老兵"]


def test_favicon_answers(teaching_app):
    response = teaching_app.test_client().get("/favicon.ico")
    assert response.status_code == 200 and b"<svg" in response.data
