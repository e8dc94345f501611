"""Search fails closed (issue 14): "did you mean" offers only words of stories the reader may
read; a damaged index file is noticed and rebuilt while serving, never a 500; a save re-indexes
just the story saved."""
from __future__ import annotations

import errno
import logging
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from archive import create_app
from archive import store as store_module
from archive.search import indexer as indexer_module
from archive.search.api import SearchRequest
from archive.search.engine import WhooshSearchEngine
from archive.search.index import IndexFolder
from archive.search.indexer import Indexer
from archive.store import ContentStore
from tests.conftest import write_tree


def story(title: str, narrator: str, text: str, **meta: str) -> str:
    lines = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"""
---
title: {title}
narrator: {narrator}
{lines}---
[00:01:00] {text}
"""


# Each hidden story holds one name that sounds like a misspelling a reader might type; the public
# story holds 渡江 and 上甘岭, so a corrected query would find *something* whatever it suggested.
SUGGEST_STORIES = {
    "stories/gong-kai.md": story("渡江的故事", "张大山", "我们在上甘岭守了四十三天，后来又去渡江。"),
    "stories/guo-jiang.md": story("过江的故事", "李小河", "渡江以后我们一直往南走。"),
    "stories/shou-xian.md": story("受限的故事", "秘人乙", "秘人乙讲他夜里渡江的事。", access="restricted"),
    "stories/feng-cun.md": story("封存的故事", "封德厚", "封德厚讲他渡江的事。", embargo_until="'2099-01-01'"),
    "stories/nei-bu.md": story("内部的故事", "内部人", "我们在石门岭过夜，第二天渡江。", access="internal",
                               place="石门岭"),
}


@pytest.fixture
def archive_root(tmp_path: Path) -> Path:
    """The archive the conftest `app`, `client` and `login` fixtures serve."""
    return write_tree(tmp_path / "archive", SUGGEST_STORIES)


def suggestion(client, query: str) -> str | None:
    answer = client.get("/api/search", query_string={"q": query})
    assert answer.status_code == 200
    return answer.get_json()["suggestion"]


@pytest.mark.parametrize("typed", ["米人乙 度江", "丰德厚 度江", "米人乙", "丰德厚"])
@pytest.mark.parametrize("role", [None, "lecturer"])
def test_did_you_mean_never_offers_a_name_only_a_hidden_story_holds(client, login, role, typed):
    if role:
        login(client, role)
    offered = suggestion(client, typed)
    assert offered in (None, "米人乙 渡江", "丰德厚 渡江")  # at most the public word is corrected
    page = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert "秘人乙" not in page and "封德厚" not in page


def test_an_internal_place_is_offered_to_a_lecturer_but_not_to_an_anonymous_reader(client, login):
    assert suggestion(client, "石们岭 度江") in (None, "石们岭 渡江")
    assert "石门岭" not in client.get("/search", query_string={"q": "石们岭 度江"}).get_data(as_text=True)
    login(client, "lecturer")
    assert suggestion(client, "石们岭 度江") == "石门岭 渡江"


def test_a_public_name_is_still_offered_to_everyone(client):
    assert suggestion(client, "上干岭") == "上甘岭"
    assert suggestion(client, "米人乙 度江") == "米人乙 渡江"
    page = client.get("/search", query_string={"q": "上干岭"}).get_data(as_text=True)
    assert "您是不是要找" in page and "上甘岭" in page


def test_a_name_whose_story_a_save_makes_restricted_is_no_longer_offered(app, client):
    assert suggestion(client, "李晓河 度江") == "李小河 渡江"
    editor = app.extensions["archive"].editor
    story = editor.store.get_story("guo-jiang")
    story.meta["access"] = "restricted"
    editor.save_story(story, story.version, "archivist1")  # the reader's word list is kept a while
    assert suggestion(client, "李晓河 度江") in (None, "李晓河 渡江")
    assert "李小河" not in client.get("/search", query_string={"q": "李晓河 度江"}).get_data(as_text=True)


# -- a damaged index file is rebuilt while serving -------------------------------------------
RELEVANCE = Path(__file__).parent / "relevance"
QUERY = "侦察"  # found in several stories of tests/relevance
STORY_PAGE = "/stories/gao-shan"
RELATED = re.compile(r'<section class="related.*?</section>', re.DOTALL)


def serve(root: Path, folder: Path):
    """The web app over `root`, with its index and other folders in `folder` (built at start-up)."""
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(root), "INDEX_DIR": str(folder / "index"),
                      "CACHE_DIR": str(folder / "cache"), "INSTANCE_DIR": str(folder / "instance")})
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a fault is the 500 page, as in production
    return app


@pytest.fixture
def relevance_root(tmp_path: Path) -> Path:
    return Path(shutil.copytree(RELEVANCE, tmp_path / "served"))


@pytest.fixture
def expected(relevance_root: Path, tmp_path: Path) -> tuple:
    """What readers see with a sound index (another app's; decoded postings are cached per process)."""
    found = answers(serve(relevance_root, tmp_path / "reference").test_client())
    assert found[0] and found[2] is not None  # hits, and related stories on the story page
    return found


def damage(index: Path, how: str) -> None:
    """Change bytes in the middle of every .trm (term table), or cut every .pst (postings) in half."""
    generation = index / (index / "CURRENT").read_text(encoding="utf-8").strip()
    for path in generation.glob("*.trm" if how == "trm" else "*.pst"):
        data = bytearray(path.read_bytes())
        if how == "trm":
            for at in range(len(data) // 4, len(data) * 3 // 4, 7):
                data[at] ^= 0xFF
        else:
            del data[len(data) // 2:]
        path.write_bytes(bytes(data))


def answers(client) -> tuple:
    """What a reader sees of search: API hits, the titles on the search page, the related stories."""
    api = client.get("/api/search", query_string={"q": QUERY, "per_page": 50})
    page = client.get("/search", query_string={"q": QUERY})
    story = client.get(STORY_PAGE)
    assert (api.status_code, page.status_code, story.status_code) == (200, 200, 200)
    titles = re.findall(r'<h2 class="hit-title">(.*?)</h2>', page.get_data(as_text=True))
    related = RELATED.search(story.get_data(as_text=True))
    return [h["slug"] for h in api.get_json()["hits"]], titles, related.group(0) if related else None


@pytest.mark.parametrize("first", ["/api/search", "/search", STORY_PAGE])
@pytest.mark.parametrize("how", ["trm", "pst"])
def test_a_damaged_index_file_is_rebuilt_while_serving(relevance_root, tmp_path, expected, caplog, how, first):
    app = serve(relevance_root, tmp_path / "live")
    damage(tmp_path / "live" / "index", how)
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="archive.search"):
        response = client.get(first, query_string={"q": QUERY} if first != STORY_PAGE else None)
        assert response.status_code == 200  # this very request is answered from the rebuilt index
        assert answers(client) == expected
    logged = [r for r in caplog.records if r.name.startswith("archive.search")]
    assert any(r.levelno == logging.ERROR and "重建" in r.getMessage() for r in logged)
    assert any("已重建" in r.getMessage() for r in logged)


def test_when_the_rebuild_fails_too_readers_get_a_chinese_notice_and_it_is_not_retried_each_time(
        relevance_root, tmp_path, expected, monkeypatch, caplog):
    app = serve(relevance_root, tmp_path / "live")
    damage(tmp_path / "live" / "index", "pst")
    attempts = []

    def full_disk(folder):
        attempts.append(folder)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(IndexFolder, "new_generation", full_disk)
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="archive.search"):
        page = client.get("/search", query_string={"q": QUERY})
    text = page.get_data(as_text=True)
    assert page.status_code == 503
    assert "搜索暂不可用" in text and "自动重建没有成功" in text and "存储空间已满" in text
    assert "Traceback" not in text and str(tmp_path) not in text
    assert any("重建失败" in r.getMessage() for r in caplog.records)
    for _ in range(3):
        api = client.get("/api/search", query_string={"q": QUERY})
        assert api.status_code == 503 and "自动重建没有成功" in api.get_json()["error"]
        story = client.get(STORY_PAGE)  # the story itself is still read, without related stories
        assert story.status_code == 200 and "高山讲侦察" in story.get_data(as_text=True)
        assert RELATED.search(story.get_data(as_text=True)) is None
    assert len(attempts) == 1  # one rebuild, not one per request
    monkeypatch.undo()  # room on the disk again; the next rebuild may start once the interval is over
    app.extensions["archive"].search.repair.interval = 0.0
    assert answers(app.test_client()) == expected


def test_a_rebuild_longer_than_a_reader_waits_answers_try_again_shortly_then_search_is_back(
        relevance_root, tmp_path, expected, monkeypatch):
    app = serve(relevance_root, tmp_path / "live")
    damage(tmp_path / "live" / "index", "trm")
    engine = app.extensions["archive"].search
    engine.repair.wait = 0.0
    release = threading.Event()
    rebuild = Indexer._rebuild

    def slow_rebuild(indexer, progress):
        release.wait(30)
        return rebuild(indexer, progress)

    monkeypatch.setattr(Indexer, "_rebuild", slow_rebuild)
    client = app.test_client()
    api = client.get("/api/search", query_string={"q": QUERY})
    assert api.status_code == 503 and "正在从故事文件重建" in api.get_json()["error"]
    assert client.get(STORY_PAGE).status_code == 200
    release.set()
    deadline = time.monotonic() + 30
    while client.get("/api/search", query_string={"q": QUERY}).status_code != 200:
        assert time.monotonic() < deadline, "search did not come back after the rebuild"
        time.sleep(0.05)
    assert answers(client) == expected


def test_a_save_into_a_damaged_index_is_kept_and_found_once_it_is_rebuilt(relevance_root, tmp_path):
    app = serve(relevance_root, tmp_path / "live")
    damage(tmp_path / "live" / "index", "pst")
    editor = app.extensions["archive"].editor
    story = editor.store.get_story("gao-shan")
    story.body += "\n[00:09:00] 高山：最后团长说了一句“好样的侦察兵”。\n"
    editor.save_story(story, story.version, "archivist1")  # the archivist's save does not fail
    found = app.test_client().get("/api/search", query_string={"q": '"好样的侦察兵"'})
    assert found.status_code == 200 and [hit["slug"] for hit in found.get_json()["hits"]] == ["gao-shan"]


# -- a save re-indexes that story alone ------------------------------------------------------
def test_a_save_reindexes_that_story_alone_without_reading_the_others(relevance_root, tmp_path, monkeypatch):
    index = tmp_path / "index"
    WhooshSearchEngine(ContentStore(relevance_root), index).rebuild()
    engine = WhooshSearchEngine(ContentStore(relevance_root), index)  # a store that has read nothing yet
    assert engine.search(SearchRequest(query='"好样的侦察兵"', role="admin")).total == 0
    store = ContentStore(relevance_root)
    story = store.get_story("gao-shan")
    story.body += "\n[00:09:00] 高山：最后团长说了一句“好样的侦察兵”。\n"
    saved = store.save_story(story, base_version=story.version)
    read, scanned = [], []
    real_read = store_module.read_text_file
    monkeypatch.setattr(store_module, "read_text_file",
                        lambda path: read.append(Path(path).relative_to(relevance_root).as_posix()) or real_read(path))
    monkeypatch.setattr(indexer_module, "scan_files", lambda root: scanned.append(root) or {})
    engine.index_story(saved)
    assert scanned == [] and set(read) <= {"stories/gao-shan.md", "people/gao-shan.md"}
    hit = engine.search(SearchRequest(query='"好样的侦察兵"', role="admin")).hits[0]
    assert (hit.slug, hit.timestamp) == ("gao-shan", "00:09:00")


INCREMENTAL_QUERIES = ["侦察班", "侦察", "渡江", "船工", "高山", "单雄", '"侦察班七个人"', "摸过界河", "红马甲"]


def reader_answers(engine: WhooshSearchEngine) -> list:
    found = []
    for query in INCREMENTAL_QUERIES:
        results = engine.search(SearchRequest(query=query, role="admin", per_page=50))
        found.append((query, results.total, [(h.slug, h.score, h.snippet) for h in results.hits]))
    return found


def test_saves_that_teach_or_forget_a_name_answer_exactly_as_a_rebuild(relevance_root, tmp_path):
    live = WhooshSearchEngine(ContentStore(relevance_root), tmp_path / "live")
    live.rebuild()
    store = live.store

    def save(slug: str, change) -> None:
        story = store.get_story(slug)
        change(story)
        live.index_story(store.save_story(story, base_version=story.version))
        fresh = WhooshSearchEngine(ContentStore(relevance_root), tmp_path / f"fresh-{len(steps)}")
        fresh.rebuild()
        steps.append(reader_answers(live) == reader_answers(fresh))

    steps: list[bool] = []
    # A tag that another story's transcript holds: 侦察班 enters the vocabulary, so 高山讲侦察 is cut anew.
    save("shan-xiong", lambda s: s.meta.update(tags=["船工", "侦察班"]))
    save("shan-xiong", lambda s: setattr(s, "body", s.body + "\n他也摸过界河，穿着红马甲。\n"))
    save("gao-shan", lambda s: s.meta.update(place="摸过界河"))
    save("shan-xiong", lambda s: s.meta.update(tags=["船工"]))  # 侦察班 leaves the vocabulary again
    (relevance_root / "stories" / "gao-shan.md").unlink()
    live.delete_story("gao-shan")
    fresh = WhooshSearchEngine(ContentStore(relevance_root), tmp_path / "fresh-last")
    fresh.rebuild()
    assert steps == [True] * 4 and reader_answers(live) == reader_answers(fresh)
    assert live.search(SearchRequest(query="摸过界河", role="admin")).hits[0].slug == "shan-xiong"
