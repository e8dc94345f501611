"""The search page: query, facets, sort, pages, "did you mean", and search inside one story."""
from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from archive.access import current_role
from archive.context import current_context
from archive.numbers import number_or
from archive.search.api import SearchHit, SearchRequest, SearchResults
from archive.unmatched_words import unmatched_words

bp = Blueprint("search", __name__)

FACETS = {"conflict": "战争", "honor": "荣誉", "tag": "主题", "audience": "适合对象", "narrator": "讲述人",
          "decade": "访谈年代"}
SORTS = {"relevance": "按相关度", "newest": "按访谈时间（新→旧）", "oldest": "按访谈时间（旧→新）"}
PER_PAGE = 10
MARKED = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def search_request_from_args(args, role: str | None) -> SearchRequest:
    """Read q, facet filters, sort, page and story from query arguments (bad values fall back)."""
    page = args.get("page", "1")
    return SearchRequest(
        query=args.get("q", "").strip()[:200],
        role=role,
        filters={name: [v for v in args.getlist(name) if v][:10] for name in FACETS if args.getlist(name)},
        sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
        page=number_or(page, 1, 1, 1000),
        per_page=PER_PAGE,
        story=args.get("story") or None,
    )


def marked_words(snippet: str) -> list[str]:
    """The words the engine marked in a snippet, to highlight on the story page."""
    words = [html.unescape(re.sub(r"<[^>]+>", "", w)).strip() for w in MARKED.findall(snippet)]
    return list(dict.fromkeys(w for w in words if w))[:8]


def hit_url(hit: SearchHit) -> str:
    """The story page at the hit's segment, with the matched words to highlight."""
    anchor = hit.segment or None
    return url_for("stories.show", slug=hit.slug, hl=marked_words(hit.snippet) or None, _anchor=anchor)


def _search_url(params: dict[str, list[str]]) -> str:
    """/search?… from a dict of lists (urlencode: url_for is slow for dozens of facet links)."""
    query = urlencode([(key, value) for key, values in params.items() for value in values])
    return f"{request.script_root}/search?{query}" if query else f"{request.script_root}/search"


def toggle_url(args, name: str, value: str) -> str:
    """This search with one facet value added or removed (back to page 1)."""
    params = {key: args.getlist(key) for key in args if key != "page"}
    chosen = params.get(name, [])
    params[name] = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
    return _search_url(params)


def facet_links(args, results: SearchResults | None, shown: int = 8) -> dict[str, dict[str, str]]:
    """{facet: {value: URL of this search with that value toggled}} for the values shown."""
    if results is None:
        return {}
    links: dict[str, dict[str, str]] = {}
    for name, values in results.facets.items():
        chosen = args.getlist(name)
        rest = urlencode([(key, v) for key in args if key not in ("page", name) for v in args.getlist(key)])
        links[name] = {}
        for facet in values[:shown]:
            picked = [v for v in chosen if v != facet.value] if facet.value in chosen else [*chosen, facet.value]
            query = "&".join(part for part in (rest, urlencode([(name, v) for v in picked])) if part)
            links[name][facet.value] = f"{request.script_root}/search?{query}"
    return links


def page_url(args, number: int) -> str:
    """This search at another page."""
    params = {key: args.getlist(key) for key in args}
    params["page"] = [str(number)]
    return _search_url(params)


def story_list_url(filters: dict[str, list[str]]) -> str:
    """The filtered story list (archive.filters) with this search's war, audience, narrator and theme."""
    keys = {"conflict": "conflict", "audience": "audience", "narrator": "narrator", "tag": "topic"}
    pairs = [(keys[name], value) for name, values in filters.items() if name in keys for value in values]
    return f"{request.script_root}/stories/" + (f"?{urlencode(pairs)}" if pairs else "")


@bp.route("/search")
def page():
    """Search the stories the reader may read."""
    role = current_role()
    search_request = search_request_from_args(request.args, role)
    context = current_context()
    story = context.catalog.story(search_request.story, role) if search_request.story else None
    if search_request.story and story is None:
        search_request.story = None
    results: SearchResults | None = None
    asked = bool(search_request.query or search_request.filters)
    if asked:
        results = context.search.search(search_request)
    nothing = results is not None and not results.total
    return render_template("search.html", search=search_request, results=results, story=story,
                           facets=FACETS, sorts=SORTS, args=request.args, hit_url=hit_url,
                           toggle_url=toggle_url, page_url=page_url, facet_links=facet_links(request.args, results),
                           unmatched=unmatched_words(context.search, search_request.query, role) if asked else [],
                           story_list_url=story_list_url(search_request.filters),
                           suggestions=context.catalog.facet("conflict", role)[:4] if nothing else [])
