"""The app skeleton: paths from configuration, Chinese layout, no asset from another host."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from archive import create_app


def test_paths_come_from_configuration(app, tmp_path, archive_root):
    assert app.config["ARCHIVE_ROOT"] == str(archive_root)
    assert app.config["INDEX_DIR"] == str(tmp_path / "index")
    assert app.config["CACHE_DIR"] == str(tmp_path / "cache")
    assert app.instance_path == str(tmp_path / "instance")
    assert (tmp_path / "instance" / "secret_key").is_file()


def test_archive_root_from_the_environment(monkeypatch, archive_root):
    monkeypatch.setenv("ARCHIVE_ROOT", str(archive_root))
    app = create_app({"TESTING": True})
    assert app.config["ARCHIVE_ROOT"] == str(archive_root)
    assert app.config["INDEX_DIR"] == str(archive_root / "search_index")


def test_start_up_sweeps_temp_files(archive_root, tmp_path):
    stale = archive_root / "stories" / ".x.md.0123456789ab.tmp"
    stale.write_text("torn", encoding="utf-8")
    create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "INSTANCE_DIR": str(tmp_path / "i")})
    assert not stale.exists()


def test_layout_is_chinese_and_loads_nothing_from_another_host(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "红色故事" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_unknown_page_gets_a_chinese_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_archive_serve_runs_a_production_server(archive_root, tmp_path):
    port = _free_port()
    archive = Path(sys.executable).with_name("archive")
    server = subprocess.Popen([str(archive), "--root", str(archive_root), "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    body = response.read().decode("utf-8")
                    assert response.headers["Server"] == "archive"  # waitress, not the dev server
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stdout.read().decode()
                time.sleep(0.2)
        assert "红色故事" in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_error_with_no_page_of_its_own_still_gets_a_chinese_page(app, login):
    client = app.test_client()
    token = login(client, "admin")
    response = client.post("/admin/preservation/purge", data={"csrf_token": token, "kind": "nonsense"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "请求有误" in page and "Bad Request" not in page
    refused = client.delete("/stories/", headers={"X-CSRF-Token": token})
    assert refused.status_code == 405 and "不支持" in refused.get_data(as_text=True)
