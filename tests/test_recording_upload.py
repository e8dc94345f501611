"""Recording uploads through the website (real ffmpeg/ffprobe, small generated files): every
listed format is accepted with its duration; a renamed text file, a truncated file and an
oversized one are refused with nothing left behind; recordings are served with ranges (206)
and an embargoed recording is refused to readers."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from archive import create_app
from archive.models import content_version

FORMATS = {  # what the archivist's file is called -> ffmpeg options that make it, stored extension
    "访谈.mp3": (["-c:a", "libmp3lame"], "mp3"),
    "访谈.m4a": (["-c:a", "aac"], "m4a"),
    "访谈.aac": (["-c:a", "aac", "-f", "adts"], "aac"),
    "访谈.ogg": (["-c:a", "libvorbis"], "ogg"),
    "访谈.opus": (["-c:a", "libopus", "-f", "ogg"], "ogg"),
    "访谈.wav": ([], "wav"),
    "访谈.flac": ([], "flac"),
    "录像.mp4": (["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"], "mp4"),
    "录像.webm": (["-c:v", "libvpx", "-c:a", "libopus"], "webm"),
}
STORY = "---\ntitle: 药箱\nnarrator: 刘桂英\n---\n[00:00:01] 我们沂蒙山的闺女。\n"


def make_media(folder: Path, name: str, seconds: int = 3) -> Path:
    """A real recording made by ffmpeg: a tone (and a test picture for video)."""
    options, _ = FORMATS[name]
    inputs = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    if name.startswith("录像"):
        inputs = ["-f", "lavfi", "-i", f"testsrc=size=64x48:rate=10:duration={seconds}", *inputs, "-shortest"]
    target = folder / name
    subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, *options, str(target)], check=True)
    return target


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("samples")
    return {name: make_media(folder, name) for name in FORMATS}


@pytest.fixture
def site(tmp_path, accounts_for):
    root = tmp_path / "archive"
    (root / "stories").mkdir(parents=True)
    (root / "stories" / "yao-xiang.md").write_text(STORY, encoding="utf-8")
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(tmp_path / "index"),
                      "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance"),
                      "RECORDING_MAX_BYTES": 2 * 1024 * 1024})
    client = app.test_client()
    token = accounts_for(app, client, "archivist")
    return app, client, token, root


@pytest.fixture
def accounts_for():
    from conftest import TEST_PASSWORD, csrf_token_of

    def sign_in(app, client, role: str) -> str:
        app.extensions["archive"].accounts.add_user(f"{role}1", TEST_PASSWORD, role)
        client.post("/login", data={"username": f"{role}1", "password": TEST_PASSWORD,
                                    "csrf_token": csrf_token_of(client)})
        return csrf_token_of(client)

    return sign_in


def put(client, token: str, name: str, data: bytes, **details):
    """Upload as the page's script does, based on the story as it is on disk now."""
    base = content_version((Path(client.application.config["ARCHIVE_ROOT"]) / "stories/yao-xiang.md").read_bytes())
    query = {"name": name, "base_version": base, **details}
    return client.put("/edit/story/yao-xiang/recordings", query_string=query, data=data,
                      headers={"X-CSRF-Token": token, "Content-Type": "application/octet-stream"})


def media_entries(root: Path) -> list[dict]:
    text = (root / "stories" / "yao-xiang.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1]).get("media") or []


def stored_files(root: Path) -> list[Path]:
    media = root / "media"
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_every_listed_format_is_accepted_with_its_duration(site, samples):
    _app, client, token, root = site
    for name in FORMATS:
        response = put(client, token, name, samples[name].read_bytes(), caption=f"{name}的说明")
        assert response.status_code == 200, (name, response.get_json())
    entries = media_entries(root)
    assert [e["original_name"] for e in entries] == list(FORMATS)
    assert [e["file"].rsplit(".", 1)[1] for e in entries] == [ext for _o, ext in FORMATS.values()]
    assert all(e["file"].startswith("recordings/") and e["duration"] == 3 for e in entries)
    assert len(stored_files(root)) == len(FORMATS)  # nothing else (no partial files) left in media/
    history = client.get("/edit/story/yao-xiang/history").get_data(as_text=True)
    assert "添加录音：访谈.mp3" in history  # through the Editor: history and audit
    page = client.get("/edit/story/yao-xiang/recordings").get_data(as_text=True)
    assert "原文件名：录像.webm" in page and "时长 00:00:03" in page


@pytest.mark.parametrize("case", ["renamed text", "truncated wav", "truncated m4a", "oversized", "empty", "picture"])
def test_bad_files_are_refused_and_leave_nothing(site, samples, case):
    _app, client, token, root = site
    before = (root / "stories" / "yao-xiang.md").read_bytes()
    data, name, status = {
        "renamed text": ("这不是录音，只是一段文字。\n".encode() * 50, "访谈.mp3", 415),
        "truncated wav": (samples["访谈.wav"].read_bytes()[:30_000], "访谈.wav", 415),
        "truncated m4a": (samples["访谈.m4a"].read_bytes()[:20_000], "访谈.m4a", 415),
        "oversized": (b"\0" * (2 * 1024 * 1024 + 1), "长访谈.wav", 413),
        "empty": (b"", "空.mp3", 400),
        "picture": (b"\xff\xd8\xff\xe0" + b"\0" * 4000, "照片.mp4", 415),
    }[case]
    response = put(client, token, name, data)
    assert response.status_code == status
    message = response.get_json()["error"]
    assert message.startswith(name) and "没有保存" in message
    assert stored_files(root) == []  # no partial file, no stored file
    assert (root / "stories" / "yao-xiang.md").read_bytes() == before


def test_uploads_are_for_archivists_with_a_csrf_token(site, samples):
    app, client, _token, root = site
    assert put(client, "wrong", "访谈.mp3", samples["访谈.mp3"].read_bytes()).status_code == 400
    reader = app.test_client()
    response = reader.put("/edit/story/yao-xiang/recordings", data=b"x", headers={"X-CSRF-Token": "x"})
    assert response.status_code in (302, 400, 403)
    assert stored_files(root) == []


def test_a_range_request_returns_206_with_the_right_bytes(site, samples):
    app, client, token, root = site
    assert put(client, token, "访谈.flac", samples["访谈.flac"].read_bytes()).status_code == 200
    file = media_entries(root)[0]["file"]
    original = (root / "media" / file).read_bytes()
    reader = app.test_client()
    response = reader.get(f"/media/recording/{file}", headers={"Range": "bytes=1000-1999"})
    assert response.status_code == 206
    assert response.data == original[1000:2000]
    assert response.headers["Content-Range"] == f"bytes 1000-1999/{len(original)}"
    assert response.headers["Accept-Ranges"] == "bytes"


def test_an_embargoed_recording_is_refused_to_readers(site, samples):
    app, client, token, root = site
    response = put(client, token, "访谈.ogg", samples["访谈.ogg"].read_bytes(), embargo_until="2099-01-01")
    assert response.status_code == 200
    file = media_entries(root)[0]["file"]
    assert media_entries(root)[0]["embargo_until"] == "2099-01-01"
    reader = app.test_client()
    assert reader.get(f"/media/recording/{file}").status_code == 404
    assert reader.get(f"/media/recording/{file}", headers={"Range": "bytes=0-99"}).status_code == 404
    assert file not in reader.get("/stories/yao-xiang").get_data(as_text=True)  # no player for the reader
    assert client.get(f"/media/recording/{file}").status_code == 200  # the archivist still hears it
    bad = put(client, token, "访谈.ogg", samples["访谈.ogg"].read_bytes(), embargo_until="明年")
    assert bad.status_code == 400 and "保密至" in bad.get_json()["error"]


def test_a_partial_upload_left_by_a_crash_is_swept_at_start_up(tmp_path):
    from archive.recording_uploads import receive
    from archive.store import ContentStore

    class Crash(Exception):
        pass

    class Dying:
        """A request body whose connection dies after 3 MB (the server process would die with it)."""

        def __init__(self):
            self.sent = 0

        def read(self, size):
            self.sent += size
            if self.sent > 3 * 1024 * 1024:
                raise Crash
            return b"\0" * size

    media = tmp_path / "media"
    with pytest.raises(Crash):
        receive(Dying(), media, "访谈.wav", None, 10 * 1024 * 1024)
    assert list((media / ".uploads").iterdir()) == []  # an error: removed at once
    stray = media / ".uploads" / ".recording.0123456789ab.tmp"  # a kill -9 leaves this behind
    stray.write_bytes(b"\0" * 1024)
    ContentStore(tmp_path).sweep()
    assert not stray.exists()
