"""Photo uploads: several at once, type from content, refused kinds leave nothing
behind, Chinese names kept as metadata, derivatives without metadata, originals
for archivists only."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from archive import create_app

SLUG = "kua-guo-ya-lu-jiang"


def image_bytes(fmt: str, size=(64, 48), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (180, 40, 40))
    image.save(buffer, fmt, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def gps_exif(orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestCam"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    return exif.tobytes()


def png_bomb(width=40_000, height=40_000) -> bytes:
    """A tiny PNG whose header claims 1.6 gigapixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + \
        chunk(b"IEND", b"")


@pytest.fixture
def app(archive_root, tmp_path):
    return create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "INDEX_DIR": str(tmp_path / "index"),
                       "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance"),
                       "UPLOAD_MAX_BYTES": 300_000})


@pytest.fixture
def archivist(app, login):
    client = app.test_client()
    return client, login(client, "archivist")


def _upload(client, token, files, **fields):
    """Post the photo form as the page sends it: with the version of the story it was opened on."""
    data = {"csrf_token": token, "base_version": client.application.extensions["archive"].store.get_story(SLUG).version}
    for row, (name, content) in enumerate(files):
        data[f"photo-{row}"] = (io.BytesIO(content), name)
    data.update(fields)
    return client.post(f"/edit/story/{SLUG}/photos", data=data, content_type="multipart/form-data")


def _media_files(root):
    return sorted(p.relative_to(root) for p in (root / "media").rglob("*") if p.is_file()) \
        if (root / "media").exists() else []


def test_several_photos_at_once_of_each_accepted_kind(app, archivist, archive_root):
    client, token = archivist
    files = [("老照片一.jpg", image_bytes("JPEG")), ("立功证书.png", image_bytes("PNG")),
             ("渡江.webp", image_bytes("WEBP")), ("scan.TIFF", image_bytes("TIFF"))]
    response = _upload(client, token, files, **{"caption-0": "1951年在朝鲜", "people-0": "王建国、李明",
                                                "credit-0": "王建国家属提供", "consent_release_form-0": "1",
                                                "consent_scope-0": "档案与教学"})
    assert response.status_code == 302
    story = app.extensions["archive"].store.get_story(SLUG)
    assert [item.file.rsplit(".", 1)[1] for item in story.media] == ["jpg", "png", "webp", "tif"]
    first = story.media[0]
    assert first.file.startswith("photos/") and "老照片" not in first.file
    assert first.extra["original_name"] == "老照片一.jpg" and first.caption == "1951年在朝鲜"
    assert first.people == ["王建国", "李明"] and first.extra["consent"]["form_on_file"] is True
    assert all((archive_root / "media" / item.file).is_file() for item in story.media)
    assert "添加照片" in client.get(f"/edit/story/{SLUG}/history").get_data(as_text=True)


def test_what_the_forms_write_passes_archive_check(app, archivist, archive_root, run_cli, login):
    client, token = archivist
    assert _upload(client, token, [("合影.jpg", image_bytes("JPEG"))],
                   **{"date-0": "1953-07", "people-0": "王建国", "access-0": "internal", "consent_release_form-0": "1",
                      "consent_date-0": "2024-01-02"}).status_code == 302
    response = client.post("/edit/new", data={
        "csrf_token": token, "slug": "xin-gu-shi", "title": "新故事", "narrator": "王建国、李明", "interviewed": "2024-05",
        "conflicts": ["抗美援朝战争"], "conflicts_other": "边境作战", "tags": "冻土豆", "access": "internal",
        "embargo_until": "2030-01-01", "consent_release_form": "1", "consent_date": "2024-05-02",
        "consent_posthumous": "身后可公开", "person_choice": "wang-jianguo", "body": "## 一\n\n正文。\n"})
    assert response.status_code == 302
    result = run_cli("check")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name, content, status, words", [
    ("假照片.jpg", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n" * 20, 415, "不是 JPEG、PNG、WebP 或 TIFF"),
    ("炸弹.png", png_bomb(), 422, "解压炸弹"),
    ("太大.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 400_000, 413, "文件过大"),
    ("图标.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     415, "不接受 SVG"),
    ("伪装.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 415, "不接受 SVG"),
    ("坏图.jpg", image_bytes("JPEG")[:200], 422, "损坏"),
])
def test_refused_uploads_get_a_clear_4xx_and_leave_nothing_behind(app, archivist, archive_root, name, content,
                                                                  status, words):
    client, token = archivist
    story_before = (archive_root / "stories" / f"{SLUG}.md").read_bytes()
    files_before = _media_files(archive_root)
    response = _upload(client, token, [("好照片.jpg", image_bytes("JPEG")), (name, content)])
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert name in page and words in page and "这一批照片都没有保存" in page
    assert _media_files(archive_root) == files_before
    assert (archive_root / "stories" / f"{SLUG}.md").read_bytes() == story_before


def test_a_badly_written_date_is_refused_before_anything_is_stored(app, archivist, archive_root):
    client, token = archivist
    before = _media_files(archive_root)
    response = _upload(client, token, [("合影.jpg", image_bytes("JPEG"))], **{"date-0": "1953年夏"})
    assert response.status_code == 400 and "日期应为 ISO 日期，如 1953" in response.get_data(as_text=True)
    assert _media_files(archive_root) == before


def test_gps_exif_never_reaches_the_derivatives_and_orientation_is_applied(app, archivist, archive_root):
    client, token = archivist
    original = image_bytes("JPEG", size=(200, 100), exif=gps_exif(orientation=6))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry GPS
    assert _upload(client, token, [("带定位.jpg", original)]).status_code == 302
    item = app.extensions["archive"].store.get_story(SLUG).media[0]
    reader = app.test_client()  # anonymous reader of a published story
    for size in ("thumb", "web"):
        response = reader.get(f"/media/{size}/{item.file}")
        assert response.status_code == 200
        derived = Image.open(io.BytesIO(response.data))
        assert derived.format == "JPEG"
        assert not derived.getexif() and "exif" not in derived.info and not derived.getexif().get_ifd(0x8825)
        assert b"TestCam" not in response.data
        assert derived.size[1] > derived.size[0]  # turned upright: 200×100 with orientation 6 is portrait
    assert reader.get(f"/edit/original/{item.file}").status_code == 302
    assert client.get(f"/edit/original/{item.file}").data == original  # archivists get the untouched original


def test_originals_are_for_archivists_only(app, archivist, login):
    client, token = archivist
    _upload(client, token, [("原件.png", image_bytes("PNG"))])
    item = app.extensions["archive"].store.get_story(SLUG).media[0]
    lecturer = app.test_client()
    login(lecturer, "lecturer")
    assert lecturer.get(f"/edit/original/{item.file}").status_code == 403
    assert app.test_client().get(f"/edit/original/{item.file}").status_code == 302
    assert client.get(f"/edit/original/{item.file}").status_code == 200
    assert client.get("/edit/original/../stories/kua-guo-ya-lu-jiang.md").status_code == 404
    downloads = app.extensions["archive"].audit.entries(target=f"media/{item.file}")
    assert [(e["who"], e["action"]) for e in downloads] == [("archivist1", "media.original")]  # who took a copy


def test_a_restricted_photo_on_a_public_story_is_hidden_from_readers(app, archivist):
    client, token = archivist
    _upload(client, token, [("家中合影.jpg", image_bytes("JPEG"))], **{"access-0": "restricted"})
    item = app.extensions["archive"].store.get_story(SLUG).media[0]
    assert item.access == "restricted"
    assert app.test_client().get(f"/media/thumb/{item.file}").status_code == 404
    assert client.get(f"/media/thumb/{item.file}").status_code == 200


def test_a_photo_can_be_corrected_or_taken_off_the_story(app, archivist, archive_root):
    client, token = archivist
    _upload(client, token, [("一.jpg", image_bytes("JPEG")), ("二.png", image_bytes("PNG"))])
    store = app.extensions["archive"].store
    first, second = (item.file for item in store.get_story(SLUG).media)
    base = store.get_story(SLUG).version
    response = client.post(f"/edit/story/{SLUG}/photos/0", data={
        "csrf_token": token, "base_version": base, "action": "update", "caption": "连队合影", "date": "1952",
        "people": "王建国", "access": "restricted"})
    assert response.status_code == 302
    item = store.get_story(SLUG).media[0]
    assert (item.caption, item.date, item.people, item.access) == ("连队合影", "1952", ["王建国"], "restricted")
    assert item.extra["original_name"] == "一.jpg"  # what the form does not show is kept
    stale = client.post(f"/edit/story/{SLUG}/photos/1", data={"csrf_token": token, "base_version": base,
                                                              "action": "remove"})
    assert stale.status_code == 409
    response = client.post(f"/edit/story/{SLUG}/photos/1", data={
        "csrf_token": token, "base_version": store.get_story(SLUG).version, "action": "remove"})
    assert response.status_code == 302
    assert [i.file for i in store.get_story(SLUG).media] == [first]
    assert app.test_client().get(f"/media/thumb/{second}").status_code == 404  # no longer shown to readers
    assert (archive_root / "media" / second).is_file()  # but kept, so the history can bring it back


def test_many_photos_chosen_together_share_one_description(app, archivist):
    client, token = archivist
    data = {"csrf_token": token, "caption-batch": "1998年抗洪", "place-batch": "九江大堤",
            "base_version": app.extensions["archive"].store.get_story(SLUG).version,
            "photos": [(io.BytesIO(image_bytes("JPEG")), f"抗洪{n}.jpg") for n in range(3)],
            "photo-0": (io.BytesIO(image_bytes("PNG")), "单独一张.png"), "caption-0": "单独说明"}
    response = client.post(f"/edit/story/{SLUG}/photos", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    media = app.extensions["archive"].store.get_story(SLUG).media
    assert [(m.caption, m.place, m.extra["original_name"]) for m in media] == [
        ("1998年抗洪", "九江大堤", "抗洪0.jpg"), ("1998年抗洪", "九江大堤", "抗洪1.jpg"),
        ("1998年抗洪", "九江大堤", "抗洪2.jpg"), ("单独说明", "", "单独一张.png")]
