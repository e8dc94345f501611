"""The reading pages through Flask's test client: what shows, what never shows, caching."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from reading_archive import HIDDEN_TITLES, build_reading_archive

from archive import create_app

PAGES = ["/", "/stories/", "/browse/", "/browse/conflict/", "/browse/conflict/对越自卫反击战", "/people/",
         "/timeline/", "/collections/", "/collections/kang-mei-yuan-chao", "/stories/kua-guo-ya-lu-jiang",
         "/stories/kua-guo-ya-lu-jiang/card", "/people/wang-jianguo"]


@pytest.fixture
def reading_app(tmp_path):
    root = build_reading_archive(tmp_path / "archive")
    return create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                       "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance")})


@pytest.fixture
def reader(reading_app):
    return reading_app.test_client()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_home_shows_figures_and_entry_points(reader):
    html = text_of(reader.get("/"))
    assert re.search(r"<strong>3</strong> 篇口述故事", html)  # only the three public stories
    assert "抗美援朝战争" in html and "和平时期" in html
    assert 'action="/search"' in html
    assert "跨过鸭绿江" in html and "抗美援朝老兵" in html


@pytest.mark.parametrize("url", PAGES)
def test_no_page_shows_a_story_the_reader_may_not_read(reader, url):
    response = reader.get(url)
    if url == "/browse/conflict/对越自卫反击战":
        assert response.status_code == 404  # only hidden stories tell about it
        return
    assert response.status_code == 200
    html = text_of(response)
    for title in HIDDEN_TITLES:
        assert title not in html
    assert "秘密讲述人" not in html
    assert "crossing/secret.jpg" not in html


@pytest.mark.parametrize("slug", ["internal-story", "restricted-story", "embargoed-story", "draft-story"])
def test_hidden_story_pages_are_404_for_the_public(reader, slug):
    assert reader.get(f"/stories/{slug}").status_code == 404
    assert reader.get(f"/stories/{slug}/card").status_code == 404


def test_signed_in_archivist_reads_restricted_story(reader, login):
    login(reader, "archivist")
    response = reader.get("/stories/restricted-story")
    assert response.status_code == 200 and "受限故事" in text_of(response)
    assert reader.get("/stories/draft-story").status_code == 200


def test_lecturer_reads_internal_but_not_restricted(reader, login):
    login(reader, "lecturer")
    assert reader.get("/stories/internal-story").status_code == 200
    assert reader.get("/stories/restricted-story").status_code == 404
    assert "内部故事" in text_of(reader.get("/stories/"))


def test_story_page_has_segments_timestamps_player_and_citation(reader):
    html = text_of(reader.get("/stories/kua-guo-ya-lu-jiang"))
    assert 'id="can-jun"' in html and 'id="t000003"' in html and 'id="t000005"' in html
    assert 'class="ts" href="#t000005" data-seconds="5"' in html
    assert 'data-anchor="can-jun"' in html  # copy-link button
    assert re.search(r'<audio id="player"[^>]+src="/media/recording/crossing/interview.wav', html)
    assert "王建国口述，李红访谈，2023-05-01：《跨过鸭绿江》" in html
    assert "志愿军第27军" in html and "长津湖战役" in html  # narrator card
    assert 'alt="鸭绿江边的老兵"' in html
    assert "内部照片" not in html


def test_hostile_markdown_is_sanitized(reader):
    html = text_of(reader.get("/stories/hostile"))
    body = html.split('id="transcript"', 1)[1]
    assert "<script" not in body and "onerror" not in body and "onclick" not in body
    assert "javascript:" not in body
    assert "<img" not in body  # transcripts never load images by themselves


def test_story_page_answers_conditional_get_with_304(reader, reading_app):
    first = reader.get("/stories/kua-guo-ya-lu-jiang")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = reader.get("/stories/kua-guo-ya-lu-jiang", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    path = reading_app.extensions["archive"].store.story_path("kua-guo-ya-lu-jiang")
    path.write_text(path.read_text(encoding="utf-8").replace("天很冷", "天非常冷"), encoding="utf-8")
    changed = reader.get("/stories/kua-guo-ya-lu-jiang", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "天非常冷" in text_of(changed)


def test_thumbnail_is_upright_without_metadata_and_cached_long(reader):
    html = text_of(reader.get("/stories/kua-guo-ya-lu-jiang"))
    thumb = re.search(r'src="(/media/thumb/crossing/bridge.jpg[^"]*)"', html).group(1)
    response = reader.get(thumb.replace("&amp;", "&"))
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    image = Image.open(io.BytesIO(response.data))
    assert image.size[0] < image.size[1]  # EXIF orientation 6 applied: 240x120 becomes portrait
    assert not image.getexif() and "exif" not in image.info
    assert b"secret description" not in response.data


def test_restricted_photo_and_unlisted_files_are_not_served(reader):
    assert reader.get("/media/thumb/crossing/secret.jpg").status_code == 404
    assert reader.get("/media/web/../stories/hostile.md").status_code == 404
    assert reader.get("/media/recording/crossing/bridge.jpg").status_code == 404
    assert reader.get("/media/thumb/crossing/interview.wav").status_code == 404


def test_recording_supports_range_requests_for_seeking(reader):
    response = reader.get("/media/recording/crossing/interview.wav", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206 and len(response.data) == 100


def test_static_files_have_versioned_urls_and_long_caching(reader):
    html = text_of(reader.get("/"))
    css = re.search(r'href="(/static/css/archive.css\?v=[0-9a-f]+)"', html).group(1)
    assert re.search(r'src="/static/js/archive.js\?v=[0-9a-f]+"', html)
    response = reader.get(css)
    assert response.status_code == 200 and "max-age=31536000" in response.headers["Cache-Control"]


def test_pages_have_no_inline_script_or_style(reader):
    for url in PAGES[:4] + PAGES[9:]:
        html = text_of(reader.get(url))
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"\son[a-z]+=", html) and " style=" not in html, url


def test_conflict_page_orders_stories_by_events(reader):
    html = text_of(reader.get("/browse/conflict/"))
    assert html.index("解放战争") < html.index("抗美援朝战争") < html.index("和平时期")


def test_people_index_files_names_by_surname_sound(reader):
    html = text_of(reader.get("/people/"))
    assert 'id="letter-Z"' in html and "曾卫东" in html  # 曾 as a surname is zeng, not ceng
    assert 'id="letter-C"' not in html
    assert html.index('id="letter-W"') < html.index('id="letter-Z"')


def test_person_page_shows_service_table_and_interviews(reader):
    html = text_of(reader.get("/people/wang-jianguo"))
    assert "<th scope=\"row\">负伤</th><td>左腿冻伤</td>" in html
    assert "<strong>1947年</strong>" in html
    assert "跨过鸭绿江" in html
    assert reader.get("/people/secret-person").status_code == 404


def test_timeline_lays_stories_out_by_years_told(reader):
    html = text_of(reader.get("/timeline/"))
    years = re.findall(r'<span class="year-label">(\d+)年</span>', html)
    assert years == ["1947", "1948", "1950", "1953", "1998", "2005"]  # 1979: only hidden stories  # only hidden stories tell about 1979


def test_collection_keeps_order_and_skips_hidden_or_missing_stories(reader):
    html = text_of(reader.get("/collections/kang-mei-yuan-chao"))
    assert "<strong>志愿军老战士</strong>" in html and "跨过鸭绿江" in html
    assert reader.get("/collections/no-such").status_code == 404


def test_not_found_page_is_chinese_and_helps_go_on(reader):
    response = reader.get("/stories/no-such-story")
    html = text_of(response)
    assert response.status_code == 404
    assert "页面不存在" in html and 'action="/search"' in html and "分类浏览" in html


def test_search_page_keeps_query_and_links_hits_to_highlighted_segments(reader):
    html = text_of(reader.get("/search?q=鸭绿江"))
    assert 'value="鸭绿江"' in html
    assert "找到 1 篇相关故事" in html
    assert 'href="/stories/kua-guo-ya-lu-jiang?hl=%E9%B8%AD%E7%BB%BF%E6%B1%9F#' in html
    assert "<mark>鸭绿江</mark>" in html


def test_search_facets_narrow_and_can_be_removed(reader):
    html = text_of(reader.get("/search?q=年&conflict=和平时期"))
    assert "边境排雷的日子" in html and "跨过鸭绿江" not in html
    assert "战争：和平时期 ✕" in html
    everything = text_of(reader.get("/search?q=年"))
    assert "跨过鸭绿江" in everything and "边境排雷的日子" in everything


def test_search_with_nothing_found_helps_the_reader_on(reader):
    html = text_of(reader.get("/search?q=完全不存在的词语组合"))
    assert "没有找到相关的故事" in html and "讲述人索引" in html


def test_search_inside_one_story(reader):
    html = text_of(reader.get("/search?q=年&story=bian-jing-pai-lei"))
    assert "在《边境排雷的日子》中搜索" in html
    assert "跨过鸭绿江" not in html.split('class="search-results"', 1)[1]


@pytest.mark.parametrize("query", ["", "((", "AND OR NOT", "<script>", "年&page=999", "年&page=-3&sort=zzz"])
def test_search_page_never_fails_on_odd_input(reader, query):
    response = reader.get(f"/search?q={query}")
    assert response.status_code == 200
    assert "<script>" not in text_of(response).split("<main", 1)[1].replace('<script src', '')


def test_a_story_saved_by_the_app_shows_at_once_in_lists_and_counts(reader, reading_app):
    from archive.models import Story

    assert "新录入的故事" not in text_of(reader.get("/"))
    store = reading_app.extensions["archive"].store
    store.save_story(Story.new("xin-gu-shi", {"title": "新录入的故事", "narrator": "李四",
                                              "conflicts": ["抗日战争"]}, "1938年的事。\n"))
    html = text_of(reader.get("/"))
    assert "新录入的故事" in html and re.search(r"<strong>4</strong> 篇口述故事", html)
    assert "新录入的故事" in text_of(reader.get("/browse/conflict/抗日战争"))
    store.delete_story("xin-gu-shi")
    assert "新录入的故事" not in text_of(reader.get("/"))


def test_search_offers_did_you_mean_for_a_homophone_of_a_narrator(reader):
    html = text_of(reader.get("/search?q=王建果"))
    assert "您是不是要找" in html and 'href="/search?q=%E7%8E%8B%E5%BB%BA%E5%9B%BD"' in html


def test_derivatives_are_made_once_into_the_cache_folder(reader, tmp_path):
    reader.get("/media/thumb/crossing/bridge.jpg")
    made = list((tmp_path / "cache" / "derivatives" / "thumb").glob("*.jpg"))
    assert len(made) == 1
    first = made[0].stat().st_mtime_ns
    reader.get("/media/thumb/crossing/bridge.jpg")
    assert [p.stat().st_mtime_ns for p in made] == [first]
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_long_story_lists_come_in_pages(reader, monkeypatch):
    monkeypatch.setattr("archive.views.paging.PER_PAGE", 2)
    first = text_of(reader.get("/stories/"))
    assert "共 3 篇" in first and first.count('class="story-card"') == 2
    assert 'href="/stories/?page=2" rel="next"' in first
    second = text_of(reader.get("/stories/?page=2"))
    assert second.count('class="story-card"') == 1 and 'rel="prev"' in second
    assert text_of(reader.get("/stories/?page=99")).count('class="story-card"') == 1  # the last page
