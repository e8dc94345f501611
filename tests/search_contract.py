"""The contract of `archive.search.api.SearchEngine`, written once for every engine.

What a reader or archivist notices, whatever engine answers: a story is found by a word of its
text, title or narrator; totals are exact and pages add up to them; facets count all hits and
filters narrow them; a story a reader may not read never shows in hits, totals, facets,
snippets, suggestions or related stories; saves and deletes show at once; a rebuild from the
files finds everything; `-WORD` and quoted phrases; escaped snippets with <mark>; the hit points
at the segment that holds the match.

`SearchContract` holds the tests; tests/test_search_contract.py runs it once per engine in
`archive.search.engines.ENGINES` through the `engine_name` fixture it defines.
"""
from __future__ import annotations

import datetime as dt

import pytest

from archive import access
from archive.search.api import SearchEngine, SearchRequest
from archive.search.engines import create_engine
from archive.store import ContentStore
from tests.conftest import write_tree


def story_file(title: str, narrator: str, interviewed: str, body: str, **meta: str) -> str:
    """A story file: front matter lines from `meta` (lists as YAML flow lists), then the body."""
    lines = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"---\ntitle: {title}\nnarrator: {narrator}\ninterviewed: '{interviewed}'\n{lines}---\n{body}\n"


RIVER = story_file("跨过鸭绿江", "王建国", "2023-05-01", """
## 参军

[00:01:00] 我是1947年参军的，当了通信兵，学会了用电台。

## 过江

[00:10:00] 我们连夜跨过鸭绿江，我背着电台走在最后。

## 坑道

[00:20:00] 在上甘岭的坑道里，我们三天喝不上一口水。
""", conflicts="[抗美援朝战争]", tags="[电台]", honors="[二等功]")
STORIES = {
    "stories/kua-jiang.md": RIVER,
    "stories/chang-jin-hu.md": story_file("冰雪长津湖", "李春生", "1998-03-01", """
[00:02:00] 那年冬天<img src=x onerror=alert(1)>特别冷，我们只吃了冻土豆，<script>alert(1)</script>那是最难熬的日子。

[00:05:00] 后来部队开到了鸭绿江边。
""", conflicts="[抗美援朝战争]", tags="[阵地]"),
    "stories/xiao-he.md": story_file("小河边", "赵大山", "2005-07-01", """
[00:01:00] 我们跨过了一条小河，走了很久，后来才到鸭绿江。
""", conflicts="[解放战争]", honors="[一等功]"),
    "stories/nei-bu.md": story_file("内部的回忆", "钱内部", "2010-01-01", """
[00:01:00] 过了鸭绿江，我在团部抄写秘密电报。
""", conflicts="[抗美援朝战争]", tags="[内部标签]", access="internal"),
    "stories/shou-xian.md": story_file("受限的回忆", "周春山", "2011-01-01", """
[00:01:00] 过了鸭绿江，我保管着一份机密名单。
""", conflicts="[抗美援朝战争]", tags="[受限标签]", access="restricted"),
    "stories/feng-cun.md": story_file("封存的回忆", "吴封存", "2012-01-01", """
[00:01:00] 过了鸭绿江，我每天写封存日记。
""", conflicts="[抗美援朝战争]", tags="[封存标签]", embargo_until="'2999-01-01'"),
}
# Twelve public stories of the cooks (炊事班), for totals, pages, facets and filters.
COOKS = {f"stories/chui-shi-{n:02d}.md": story_file(
    f"第{n}位炊事员", f"炊事员{n:02d}", f"{1980 + n}-06-01", f"[00:00:10] 我在炊事班做饭，第{n}年。",
    conflicts="[解放战争]" if n % 2 else "[抗日战争]", tags=f"[锅{n % 3}]") for n in range(1, 13)}
PUBLIC = {"kua-jiang", "chang-jin-hu", "xiao-he"} | {f"chui-shi-{n:02d}" for n in range(1, 13)}
UNREADABLE = {"nei-bu": "秘密电报", "shou-xian": "机密名单", "feng-cun": "封存日记"}  # slug: its own words
PRIVATE_WORDS = ["秘密电报", "机密名单", "封存日记", "钱内部", "周春山", "吴封存", "内部标签", "受限标签", "封存标签"]
HOSTILE = ["", "   ", "(", '"', '""', "AND", "OR NOT", "title:", "*", "~", "🙂", "\x00", "<script>", "-", "- -",
           "NOT", '"-"', "老兵" * 500, "a" * 1000, "narrator:\"向", "{words subs} : x", "x NEAR y", "^2"]


def slugs(found) -> set[str]:
    """The slugs of a SearchResults' hits, or of a list of hits."""
    return {hit.slug for hit in getattr(found, "hits", found)}


class SearchContract:
    """Every engine in archive.search.engines.ENGINES passes these (see tests/test_search_contract.py)."""

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls, engine_name, tmp_path_factory):
        """An engine over the shared archive, built with `rebuild` (read-only tests use it)."""
        root = write_tree(tmp_path_factory.mktemp(engine_name) / "archive", {**STORIES, **COOKS})
        built = create_engine(ContentStore(root), root.parent / "index", engine_name)
        built.rebuild()
        return built

    @pytest.fixture
    def own_engine(self, engine_name, tmp_path):
        """An engine over a private copy of the archive, for tests that save and delete."""
        root = write_tree(tmp_path / "archive", {**STORIES, **COOKS})
        built = create_engine(ContentStore(root), tmp_path / "index", engine_name)
        built.rebuild()
        return built

    @staticmethod
    def find(engine, query: str, role: str | None = None, **options):
        return engine.search(SearchRequest(query=query, role=role, **options))

    # -- finding ------------------------------------------------------------
    @pytest.mark.parametrize("query, slug", [("上甘岭", "kua-jiang"), ("冻土豆", "chang-jin-hu"),
                                             ("长津湖", "chang-jin-hu"), ("李春生", "chang-jin-hu"),
                                             ("王建国", "kua-jiang")])
    def test_a_story_is_found_by_a_word_of_its_text_title_or_narrator(self, engine, query, slug):
        results = self.find(engine, query)
        assert slugs(results) == {slug}
        assert results.total == 1
        assert results.hits[0].title == {"kua-jiang": "跨过鸭绿江", "chang-jin-hu": "冰雪长津湖"}[slug]

    def test_the_total_is_exact_and_pages_add_up_to_it(self, engine):
        first = self.find(engine, "炊事班", per_page=5)
        assert first.total == 12 and first.pages == 3
        pages = [self.find(engine, "炊事班", per_page=5, page=n) for n in (1, 2, 3)]
        assert [len(p.hits) for p in pages] == [5, 5, 2]
        assert set().union(*map(slugs, pages)) == {f"chui-shi-{n:02d}" for n in range(1, 13)}
        assert all(p.total == 12 for p in pages)

    def test_facets_count_every_hit_not_only_the_page(self, engine):
        results = self.find(engine, "炊事班", per_page=2)
        conflicts = {f.value: f.count for f in results.facets["conflict"]}
        assert conflicts == {"解放战争": 6, "抗日战争": 6}
        assert {f.value: f.count for f in results.facets["tag"]} == {"锅0": 4, "锅1": 4, "锅2": 4}

    def test_filters_narrow_the_hits_and_the_total(self, engine):
        one = self.find(engine, "炊事班", filters={"conflict": ["解放战争"]}, per_page=50)
        assert one.total == 6 and slugs(one) == {f"chui-shi-{n:02d}" for n in (1, 3, 5, 7, 9, 11)}
        both = self.find(engine, "炊事班", filters={"conflict": ["解放战争"], "tag": ["锅1"]}, per_page=50)
        assert slugs(both) == {"chui-shi-01", "chui-shi-07"} and both.total == 2

    def test_a_word_after_a_minus_leaves_out_the_stories_holding_it(self, engine):
        assert slugs(self.find(engine, "鸭绿江")) == {"kua-jiang", "chang-jin-hu", "xiao-he"}
        assert slugs(self.find(engine, "鸭绿江 -冻土豆")) == {"kua-jiang", "xiao-he"}

    def test_a_quoted_phrase_must_stand_as_written(self, engine):
        assert {"kua-jiang", "xiao-he"} <= slugs(self.find(engine, "跨过 鸭绿江"))
        assert slugs(self.find(engine, '"跨过鸭绿江"')) == {"kua-jiang"}

    @pytest.mark.parametrize("query", ["", "   "])
    def test_an_empty_query_lists_what_the_reader_may_read_newest_first(self, engine, query):
        results = self.find(engine, query, per_page=100)
        assert slugs(results) == PUBLIC and results.total == len(PUBLIC)
        days = [hit.interviewed for hit in results.hits]
        assert days == sorted(days, reverse=True)
        assert self.find(engine, query, role="archivist", per_page=100).total == len(PUBLIC) + len(UNREADABLE)

    @pytest.mark.parametrize("query", HOSTILE)
    def test_no_input_makes_search_fail(self, engine, query):
        results = self.find(engine, query, role="archivist")
        assert isinstance(results.total, int) and len(results.hits) <= results.total
        assert engine.suggest(query) is None or isinstance(engine.suggest(query), str)

    # -- snippets and segments ----------------------------------------------
    def test_the_snippet_marks_the_word_and_escapes_the_text(self, engine):
        hit = self.find(engine, "冻土豆").hits[0]
        assert "<mark>冻土豆</mark>" in hit.snippet.replace("</mark><mark>", "")  # one word, marked in parts
        assert "<script" not in hit.snippet and "&lt;script&gt;" in hit.snippet  # after the match
        assert "<img" not in hit.snippet and "&lt;img src=x onerror=alert(1)&gt;" in hit.snippet  # before it

    def test_the_hit_points_at_the_segment_holding_the_match(self, engine):
        story = engine.store.get_story("kua-jiang")
        for word in ("上甘岭", "通信兵"):
            holding = next(s for s in story.segments if word in s.text)
            hit = self.find(engine, word).hits[0]
            assert (hit.slug, hit.segment, hit.timestamp) == ("kua-jiang", holding.id, holding.timestamp)
            assert f"<mark>{word}</mark>" in hit.snippet.replace("</mark><mark>", "")

    def test_searching_inside_one_story_lists_its_segments_holding_the_word_in_reading_order(self, engine):
        story = engine.store.get_story("kua-jiang")
        holding = [s.id for s in story.segments if "电台" in s.text]
        inside = self.find(engine, "电台", story="kua-jiang")
        assert len(holding) == 2 and [hit.segment for hit in inside.hits] == holding and inside.total == 2
        assert {hit.slug for hit in inside.hits} == {"kua-jiang"}
        assert all("<mark>电台</mark>" in hit.snippet for hit in inside.hits)
        assert self.find(engine, "冻土豆", story="kua-jiang").total == 0
        assert self.find(engine, "机密名单", story="shou-xian").total == 0
        assert self.find(engine, "机密名单", role="archivist", story="shou-xian").total == 1

    @pytest.mark.parametrize("sort", ["newest", "oldest"])
    def test_hits_can_be_sorted_by_interview_date(self, engine, sort):
        days = [hit.interviewed for hit in self.find(engine, "炊事班", sort=sort, per_page=50).hits]
        assert len(days) == 12 and days == sorted(days, reverse=sort == "newest")

    # -- access ---------------------------------------------------------------
    @pytest.mark.parametrize("slug", sorted(UNREADABLE))
    def test_an_unreadable_story_is_never_found_by_the_public_but_is_by_an_archivist(self, engine, slug):
        word = UNREADABLE[slug]
        hidden = self.find(engine, word)
        assert hidden.total == 0 and hidden.hits == []
        assert not any(hidden.facets.values())
        seen = self.find(engine, word, role="archivist")
        assert slugs(seen) == {slug} and seen.total == 1

    def test_a_lecturer_finds_internal_stories_and_nothing_restricted(self, engine):
        assert slugs(self.find(engine, "秘密电报", role="lecturer")) == {"nei-bu"}
        assert self.find(engine, "机密名单", role="lecturer").total == 0
        assert self.find(engine, "封存日记", role="lecturer").total == 0

    def test_unreadable_stories_do_not_count_in_totals_facets_or_snippets(self, engine):
        public = self.find(engine, "鸭绿江", per_page=50)
        assert public.total == 3 and slugs(public) == {"kua-jiang", "chang-jin-hu", "xiao-he"}
        shown = str(public.to_json())
        assert not [word for word in PRIVATE_WORDS if word in shown]
        assert {f.value: f.count for f in public.facets["conflict"]} == {"抗美援朝战争": 2, "解放战争": 1}
        archivist = self.find(engine, "鸭绿江", role="archivist", per_page=50)
        assert archivist.total == 6
        assert {f.value: f.count for f in archivist.facets["conflict"]}["抗美援朝战争"] == 5

    def test_an_embargo_lifts_on_its_date(self, engine, monkeypatch):
        monkeypatch.setattr(access, "today", lambda: dt.date(2999, 1, 1))
        assert slugs(self.find(engine, "封存日记")) == {"feng-cun"}

    @pytest.mark.parametrize("typed", ["周春衫", "周春山", "机密明单", "秘密电抱"])
    def test_a_suggestion_never_names_what_the_reader_may_not_read(self, engine, typed):
        for role in (None, "archivist"):
            better = engine.suggest(typed, role)
            assert better is None or isinstance(better, str)
            if better is not None:
                assert self.find(engine, better, role).total > 0
            if role is None:
                assert not [word for word in PRIVATE_WORDS if better and word in better]
        assert self.find(engine, typed).suggestion in (None, *[s for s in [engine.suggest(typed)] if s])

    def test_related_stories_are_readable_and_never_the_story_itself(self, engine):
        public = engine.related("kua-jiang", None, limit=10)
        assert public and "kua-jiang" not in slugs(public)
        assert slugs(public) <= PUBLIC
        archivist = engine.related("kua-jiang", "archivist", limit=10)
        assert "kua-jiang" not in slugs(archivist) and slugs(archivist) & set(UNREADABLE)
        assert engine.related("shou-xian", None) == []
        assert not [w for w in PRIVATE_WORDS if w in str([h.to_json() for h in public])]

    # -- keeping the index in step -----------------------------------------
    def test_a_saved_story_is_found_by_its_new_text_and_no_longer_by_the_old(self, own_engine):
        store = own_engine.store
        path = store.story_path("chang-jin-hu")
        path.write_text(path.read_text(encoding="utf-8").replace("冻土豆", "炒面和雪"), encoding="utf-8")
        own_engine.index_story(store.get_story("chang-jin-hu"))
        assert slugs(self.find(own_engine, "炒面")) == {"chang-jin-hu"}
        assert self.find(own_engine, "冻土豆").total == 0

    def test_a_new_story_is_found_at_once_and_a_deleted_one_is_gone(self, own_engine):
        store = own_engine.store
        write_tree(store.root, {"stories/xin-de.md": story_file("新的故事", "郑新来", "2024-01-01",
                                                                "[00:00:10] 我在野战医院当护士。")})
        own_engine.index_story(store.get_story("xin-de"))
        assert slugs(self.find(own_engine, "野战医院")) == {"xin-de"}
        before = self.find(own_engine, "鸭绿江").total
        store.story_path("kua-jiang").unlink()
        own_engine.delete_story("kua-jiang")
        assert self.find(own_engine, "上甘岭").total == 0
        assert self.find(own_engine, "鸭绿江").total == before - 1

    def test_a_new_story_that_is_restricted_stays_hidden(self, own_engine):
        store = own_engine.store
        write_tree(store.root, {"stories/mi-mi.md": story_file("秘密", "冯保密", "2024-01-01",
                                                               "[00:00:10] 我看守过弹药库。", access="restricted")})
        own_engine.index_story(store.get_story("mi-mi"))
        assert self.find(own_engine, "弹药库").total == 0
        assert slugs(self.find(own_engine, "弹药库", role="admin")) == {"mi-mi"}

    def test_a_rebuild_from_the_files_finds_everything(self, own_engine, engine_name, tmp_path):
        fresh = create_engine(ContentStore(own_engine.store.root), tmp_path / "fresh", engine_name)
        assert fresh.rebuild() == len(STORIES) + len(COOKS)
        assert self.find(fresh, "", role="archivist", per_page=100).total == len(STORIES) + len(COOKS)
        for query in ("鸭绿江", "炊事班", "上甘岭 -冻土豆"):
            assert slugs(self.find(fresh, query, role="admin", per_page=50)) == \
                slugs(self.find(own_engine, query, role="admin", per_page=50))

    def test_update_brings_the_index_in_step_with_the_files(self, own_engine):
        root = own_engine.store.root
        write_tree(root, {"stories/bu-lu.md": story_file("补录", "陈补录", "2024-02-01", "[00:00:10] 我修过铁路桥。")})
        (root / "stories" / "xiao-he.md").unlink()
        own_engine.update()
        assert slugs(self.find(own_engine, "铁路桥")) == {"bu-lu"}
        assert self.find(own_engine, "小河").total == 0

    def test_start_builds_a_missing_index_and_catches_up_with_the_files(self, engine_name, tmp_path):
        root = write_tree(tmp_path / "archive", {**STORIES, **COOKS})
        fresh = create_engine(ContentStore(root), tmp_path / "never-built", engine_name)
        fresh.start()
        assert self.find(fresh, "", role="archivist", per_page=100).total == len(STORIES) + len(COOKS)
        write_tree(root, {"stories/wan-lai.md": story_file("晚来", "褚晚来", "2024-03-01", "[00:00:10] 我赶过马车。")})
        counts = fresh.ensure_ready()
        assert (counts["added"], counts["deleted"]) == (1, 0) and isinstance(counts["changed"], int)
        assert slugs(self.find(fresh, "马车")) == {"wan-lai"}
        assert fresh.pending_notice("wan-lai") is None

    def test_a_rebuild_reports_its_progress(self, own_engine):
        seen = []
        count = own_engine.rebuild(lambda done, total: seen.append((done, total)))
        assert seen and seen[-1] == (count, count) == (len(STORIES) + len(COOKS),) * 2

    def test_the_engine_has_every_method_of_the_interface(self, engine):
        wanted = [name for name, value in vars(SearchEngine).items() if callable(value) and not name.startswith("_")]
        assert {"search", "index_story", "start", "pending_notice"} <= set(wanted)
        assert [name for name in wanted if not callable(getattr(engine, name, None))] == []

    def test_the_version_changes_when_the_index_is_rebuilt(self, own_engine):
        before = own_engine.version()
        own_engine.rebuild()
        assert own_engine.version() != before

