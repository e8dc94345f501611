"""Every reading page of the repository's own sample archive opens, as `make serve` shows it."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive import create_app

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("sample")
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(REPO), "INDEX_DIR": str(scratch / "index"),
                      "CACHE_DIR": str(scratch / "cache"), "INSTANCE_DIR": str(scratch / "instance")})
    return app.test_client()


def test_every_listed_page_of_the_sample_archive_opens(sample):
    api = sample.get("/api/stories?per_page=100").get_json()
    assert api["total"] >= 10
    urls = ["/", "/stories/", "/browse/", "/people/", "/timeline/", "/collections/"]
    urls += [f"/stories/{s['slug']}" for s in api["stories"]] + [f"/stories/{s['slug']}/card" for s in api["stories"]]
    urls += [f"/people/{p['slug']}" for p in sample.get("/api/people").get_json()["people"]]
    urls += [f"/collections/{c['slug']}" for c in sample.get("/api/collections").get_json()["collections"]]
    for kind in ("conflict", "honor", "tag", "place", "audience"):
        urls.append(f"/browse/{kind}/")
    statuses = {url: sample.get(url).status_code for url in urls}
    assert {url: status for url, status in statuses.items() if status != 200} == {}


def test_sample_photos_and_recording_are_served(sample):
    story = sample.get("/api/stories/liu-guiying-yao-xiang").get_json()
    recording = next(m for m in story["media"] if m["kind"] == "audio")
    response = sample.get(recording["recording"], headers={"Range": "bytes=0-15"})
    assert response.status_code == 206 and response.data.startswith(b"OggS")
    photo = next(m for m in story["media"] if m["kind"] == "image")
    assert sample.get(photo["thumbnail"]).mimetype == "image/jpeg"


def test_sample_archive_hides_what_the_public_may_not_read(sample):
    listed = {s["slug"] for s in sample.get("/api/stories?per_page=100").get_json()["stories"]}
    on_disk = {p.stem for p in (REPO / "stories").glob("*.md")}
    hidden = on_disk - listed
    assert hidden  # the sample has internal, restricted, embargoed and draft stories
    for slug in hidden:
        assert sample.get(f"/stories/{slug}").status_code == 404
