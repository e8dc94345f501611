"""Absolute links (the citation on a story page, `url` in the API, calendar ids) come from
the configured base URL, never from the request's Host header: one request with
`Host: evil.example` must not poison the page cache for later readers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive import create_app
from tests.test_app import _free_port

EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def test_a_forged_host_does_not_reach_the_page_or_later_readers(client):
    forged = client.get("/stories/kua-guo-ya-lu-jiang", headers=EVIL)
    assert forged.status_code in (200, 400, 404)
    assert "evil.example" not in forged.get_data(as_text=True)
    page = client.get("/stories/kua-guo-ya-lu-jiang").get_data(as_text=True)
    assert "evil.example" not in page
    assert "http://localhost/stories/kua-guo-ya-lu-jiang" in page


def test_api_links_ignore_a_forged_host(client):
    for path in ("/api/stories", "/api/stories/kua-guo-ya-lu-jiang", "/api/people/wang-jianguo"):
        assert "evil.example" not in client.get(path, headers=EVIL).get_data(as_text=True), path


def test_links_use_the_configured_base_url(archive_root, tmp_path):
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "INDEX_DIR": str(tmp_path / "index"),
                      "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance"),
                      "BASE_URL": "https://dangan.example.gov.cn/koushu/"})
    client = app.test_client()
    page = client.get("/stories/kua-guo-ya-lu-jiang", headers=EVIL).get_data(as_text=True)
    assert "https://dangan.example.gov.cn/koushu/stories/kua-guo-ya-lu-jiang" in page
    story = client.get("/api/stories/kua-guo-ya-lu-jiang").get_json()
    assert story["url"] == "https://dangan.example.gov.cn/koushu/stories/kua-guo-ya-lu-jiang"


@pytest.mark.parametrize("value", ["evil", "ftp://x.example", "http://", "http://a.example/?q=1", "javascript:x"])
def test_a_base_url_that_is_not_one_is_refused_at_start_up(archive_root, tmp_path, value):
    with pytest.raises(ValueError, match="ARCHIVE_BASE_URL"):
        create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "INDEX_DIR": str(tmp_path / "index"),
                    "INSTANCE_DIR": str(tmp_path / "instance"), "BASE_URL": value})


def test_archive_serve_names_a_bad_base_url(archive_root, tmp_path):
    env = dict(os.environ, ARCHIVE_BASE_URL="evil", ARCHIVE_INSTANCE_DIR=str(tmp_path / "instance"),
               ARCHIVE_INDEX_DIR=str(tmp_path / "index"))
    result = subprocess.run([str(Path(sys.executable).with_name("archive")), "--root", str(archive_root), "serve",
                             "--port", str(_free_port())], env=env, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 2
    assert "ARCHIVE_BASE_URL" in result.stderr and "Traceback" not in result.stderr
