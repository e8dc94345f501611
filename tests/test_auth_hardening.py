"""Issue 14: the login page sends a reader only to pages of this site, media URLs with
NUL bytes or other tricks are a plain 404, and the login limit holds when many guesses
arrive at the same moment (through a real waitress server and across processes)."""
from __future__ import annotations

import http.client
import multiprocessing
import re
import threading
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from archive import create_app
from archive.accounts.db import AccountsDB
from archive.accounts.ratelimit import LoginLimiter
from archive.store import ContentStore
from tests.conftest import CSRF_FIELD, TEST_PASSWORD, csrf_token_of, write_tree
from tests.reading_archive import jpeg
from tests.served import waitress_in_thread

STORY = """
---
title: 老照片
narrator: 赵长林
interviewed: 2024-04-01
media:
  - file: zhao/old.jpg
    caption: 连队合影
  - file: zhao/fang-tan.ogg
    caption: 访谈录音
---
[00:00:10] 这几张照片是我从部队带回来的。
"""


@pytest.fixture
def archive_root(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "archive", {
        "stories/lao-zhao-pian.md": STORY,
        "media/zhao/old.jpg": jpeg(),
        "media/zhao/fang-tan.ogg": b"OggS" + bytes(200),
    })


# -- 1. after login, only same-site targets ------------------------------------
def _login_with_next(client, raw_query_value: str):
    """Log in through the form posted to /login?next=<raw>, as a crafted link would."""
    return client.post(f"/login?next={raw_query_value}",
                       data={"username": "admin1", "password": TEST_PASSWORD, "csrf_token": csrf_token_of(client)})


def _where_a_browser_goes(location: str) -> str:
    """The host a browser lands on: it drops tabs and newlines, trims C0 controls and
    spaces, and reads a backslash as a slash before resolving against the page."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("".join(map(chr, range(0x21)))).replace("\\", "/")
    return urlsplit(urljoin("http://localhost/login", cleaned)).netloc


BYPASSES = [
    "%2F%09%2Fevil.com", "/%09/evil.com", "/%0A/evil.com", "/%0A/x", "/%0D/evil.com", "%09//evil.com",
    "/%0B/evil.com", "/%0C/evil.com", "%1F//evil.com", "/%00/evil.com", "%20//evil.com",
    "/%5Cevil.com", "/%5C/evil.com", "%5C%5Cevil.com", "/%255Cevil.com",
    "https:evil.com", "https://evil.com", "http:/evil.com", "javascript:alert(1)", "evil.com",
    "//evil.com", "///evil.com", "/%2F%2Fevil.com", "/%252F%252Fevil.com",
    "/%E3%80%80/evil.com", "/%C2%A0/evil.com", "/%E2%80%A8/evil.com", "%E2%80%8B//evil.com",
    "%EF%BB%BF//evil.com", "/%C2%85/evil.com",
]


@pytest.mark.parametrize("raw", BYPASSES)
def test_a_crafted_next_after_login_lands_on_the_home_page_of_this_site(client, accounts, raw):
    response = _login_with_next(client, raw)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert _where_a_browser_goes(location) == "localhost"
    assert location == "/"


@pytest.mark.parametrize("raw, location", [
    ("/stories/x%3Fa%3D1", "/stories/x?a=1"),
    ("%2Fsearch%3Fq%3D%25E6%258A%2597%25E7%25BE%258E", "/search?q=%E6%8A%97%E7%BE%8E"),
    ("/stories/%E8%80%81%E7%85%A7%E7%89%87", "/stories/%E8%80%81%E7%85%A7%E7%89%87"),
])
def test_a_same_site_next_is_kept(client, accounts, raw, location):
    assert _login_with_next(client, raw).headers["Location"] == location


def test_a_reader_sent_to_login_comes_back_to_the_page_they_asked_for(client, accounts):
    login_url = client.get("/account/password").headers["Location"]
    assert login_url.startswith("/login?next=")
    response = client.post(login_url, data={"username": "admin1", "password": TEST_PASSWORD,
                                            "csrf_token": csrf_token_of(client)})
    assert response.headers["Location"] == "/account/password"


# -- 2. media names that are not a clean path inside media/ ---------------------
BAD_NAMES = [
    "zhao/old.jpg%00", "zhao/old.jpg%00.jpg", "zhao%00/old.jpg", "%00", "zhao/old.jpg%0A", "zhao/old.jpg%01",
    "zhao/old.jpg%7F", "zhao/old.jpg%C2%85",
    "../stories/lao-zhao-pian.md", "zhao/../../stories/lao-zhao-pian.md", "%2E%2E/stories/lao-zhao-pian.md",
    "..%2Fstories%2Flao-zhao-pian.md", "zhao/%2E%2E/zhao/old.jpg", "zhao/./old.jpg", "zhao%5Cold.jpg",
    "%2Fetc%2Fpasswd", "{media}/zhao/old.jpg", "%C0%AE%C0%AE/stories/lao-zhao-pian.md",
    "zhao/" + "a" * 300 + ".jpg",
]
ROUTES = ["/media/thumb/", "/media/web/", "/media/recording/", "/edit/original/"]


@pytest.fixture
def archivist_client(app, login):
    client = app.test_client()
    login(client, "archivist")
    return client


@pytest.mark.parametrize("route", ROUTES)
def test_each_media_route_serves_its_good_file(archivist_client, route):
    name = "zhao/fang-tan.ogg" if route == "/media/recording/" else "zhao/old.jpg"
    assert archivist_client.get(route + name).status_code == 200


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_media_name_with_nul_dots_or_an_absolute_path_is_not_found(archivist_client, archive_root, route, name):
    name = name.replace("{media}", "%2F" + str(archive_root / "media").lstrip("/"))
    response = archivist_client.get(route + name, follow_redirects=True)  # '//' is merged by a redirect first
    assert response.status_code in (400, 404)
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("name", [
    "", ".", "zhao", "zhao/", "/zhao/old.jpg", "zhao//old.jpg", "zhao/./old.jpg", "./zhao/old.jpg",
    "zhao\\old.jpg", "zhao/old.jpg\x00", "zhao/old.jpg\n", "zhao/old.jpg\x1b", "zhao/old.jpg\ud800",
    "zhao/../zhao/old.jpg", "zhao/" + "a" * 5000,
])
def test_the_store_maps_only_clean_relative_names_to_media_files(archive_root, name):
    store = ContentStore(archive_root)
    assert store.media_path("zhao/old.jpg") == (archive_root / "media" / "zhao" / "old.jpg").resolve()
    assert store.media_path(name) is None


# -- 3. the login limit under simultaneous guesses ------------------------------
class _Browser:
    """One visitor with their own session cookie, talking HTTP to a real server."""

    def __init__(self, port: int):
        self.port, self.cookie = port, ""

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        connection.request(method, path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        status, text = response.status, response.read().decode()
        connection.close()
        return status, text


@pytest.fixture
def served(archive_root, tmp_path, monkeypatch):
    """The app behind waitress on a free port, counting calls of the password check."""
    app = create_app({"ARCHIVE_ROOT": str(archive_root), "INDEX_DIR": str(tmp_path / "index"),
                      "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance"),
                      "COOKIE_SECURE": False})
    accounts = app.extensions["archive"].accounts
    accounts.add_user("admin1", TEST_PASSWORD, "admin")
    checked, lock, authenticate = [], threading.Lock(), accounts.authenticate

    def counting_authenticate(username: str, password: str):
        with lock:
            checked.append(username)
        return authenticate(username, password)

    monkeypatch.setattr(accounts, "authenticate", counting_authenticate)
    with waitress_in_thread(app, threads=40) as server:
        yield server.effective_port, checked


def _guess_all_at_once(port: int, usernames: list[str]) -> list[int]:
    """Each visitor loads the form, then all post a wrong password at the same moment."""
    browsers = [_Browser(port) for _ in usernames]
    tokens = [CSRF_FIELD.search(b.request("GET", "/login")[1]).group(1) for b in browsers]
    barrier, statuses = threading.Barrier(len(browsers)), [0] * len(browsers)

    def guess(index: int) -> None:
        body = urlencode({"username": usernames[index], "password": "not-the-password",
                          "csrf_token": tokens[index]})
        barrier.wait()
        statuses[index] = browsers[index].request("POST", "/login", body)[0]

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_forty_simultaneous_guesses_for_one_user_reach_the_password_check_five_times(served):
    port, checked = served
    statuses = _guess_all_at_once(port, ["admin1"] * 40)
    assert len(checked) == 5
    assert sorted(statuses) == [401] * 5 + [429] * 35


def test_thirty_simultaneous_guesses_from_one_address_reach_the_password_check_twenty_times(served):
    port, checked = served
    statuses = _guess_all_at_once(port, [f"guess{n}" for n in range(30)])
    assert len(checked) == 20
    assert sorted(statuses) == [401] * 20 + [429] * 10


def _reserve_after(barrier, path: str, username: str, ip: str, times: int, results) -> None:
    """In a forked process: wait for the others, then try `times` attempts in a row."""
    limiter = LoginLimiter(AccountsDB(Path(path)))
    barrier.wait(timeout=30)
    for _ in range(times):
        results.put(limiter.begin_attempt(username, ip))


def test_processes_reserving_attempts_at_once_share_one_limit(tmp_path):
    path = str(tmp_path / "accounts.sqlite3")
    AccountsDB(Path(path)).ensure()
    forking = multiprocessing.get_context("fork")
    barrier, results = forking.Barrier(4), forking.Queue()
    workers = [forking.Process(target=_reserve_after, args=(barrier, path, "admin1", f"10.0.0.{n}", 10, results))
               for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0] * 4
    waits = [results.get(timeout=5) for _ in range(40)]
    assert sum(1 for wait in waits if wait == 0) == 5
    assert all(14 * 60 < wait <= 15 * 60 for wait in waits if wait != 0), sorted(waits)  # until the window has passed
