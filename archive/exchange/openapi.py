"""The OpenAPI 3.1 description of every /api/ route, served at /api/openapi.json.

Declared once here; tests/test_openapi.py holds it to Flask's url map both ways and runs
schemathesis against it.  Every error answers the `Error` schema (JSON with a Chinese message)."""
from __future__ import annotations

from typing import Any

from archive.content_model import STORY_FIELDS, Field

FILTERS = ("conflict", "honor", "tag", "audience", "place", "narrator")
ANY: dict = {}
TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}


KIND_SCHEMAS: dict[str, dict] = {  # content_model kind -> JSON schema
    "text": TEXT, "segment_id": TEXT, "text_or_list": {"oneOf": [TEXT, TEXTS]}, "text_list": TEXTS,
    "date": TEXT, "day": {"type": "string", "format": "date"}, "year": {"type": "integer", "minimum": 1850, "maximum": 2100},
    "mapping": {"type": "object"}, "list": {"type": "array"}, "flag": {"type": "boolean"},
    "positive_number": {"type": "number", "exclusiveMinimum": 0}, "count": {"type": "integer", "minimum": 0},
}


def _field_schema(field: Field) -> dict:
    schema = {"enum": list(field.choices)} if field.kind == "choice" else dict(KIND_SCHEMAS[field.kind])
    return schema | {"description": "；".join(part for part in (field.label, field.help) if part)}


def fields_schema(fields: tuple[Field, ...], description: str) -> dict:
    """The JSON schema of front matter declared by archive.content_model (unknown keys are kept)."""
    return {"type": "object", "description": description, "additionalProperties": True,
            "required": [f.key for f in fields if f.required],
            "properties": {f.key: _field_schema(f) for f in fields}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: dict[str, Any], **optional: Any) -> dict:
    return {"type": "object", "required": list(required), "properties": {**required, **optional}}


SCHEMAS: dict[str, dict] = {
    "Error": _object({"error": TEXT}, message=TEXT, fields=ANY, warnings=ANY, current_version=ANY,
                     current_text=ANY),
    "StorySummary": _object({"slug": TEXT, "title": TEXT, "narrators": TEXTS, "url": TEXT, "api": TEXT},
                            interviewed=TEXT, summary=TEXT, conflicts=TEXTS, honors=TEXTS, tags=TEXTS,
                            audience=TEXTS, place=TEXTS, years={"type": "array", "items": {"type": "integer"}}),
    "StoryList": _object({"total": {"type": "integer"}, "page": {"type": "integer"},
                          "per_page": {"type": "integer"}, "stories": {"type": "array", "items": _ref("StorySummary")}}),
    "Story": {"allOf": [_ref("StorySummary"), _object({"segments": {"type": "array", "items": _object(
        {"id": TEXT, "text": TEXT, "html": TEXT}, title=ANY, seconds=ANY, timestamp=ANY)},
        "people": {"type": "array"}, "media": {"type": "array"}}, interviewer=TEXTS, dublin_core=_ref("DublinCore"))]},
    "DublinCore": {"type": "object", "description": "Dublin Core 元素 → 取值列表（与 OAI-PMH 的 oai_dc 相同）",
                   "additionalProperties": TEXTS, "required": ["title", "identifier", "publisher"]},
    "PersonSummary": _object({"slug": TEXT, "name": TEXT, "url": TEXT, "api": TEXT}, hometown=ANY, born=ANY),
    "Person": {"allOf": [_ref("PersonSummary"), _object({"biography": TEXT, "biography_html": TEXT,
                                                         "stories": {"type": "array", "items": _ref("StorySummary")},
                                                         "media": {"type": "array"}}, service=ANY, aliases=TEXTS)]},
    "PeopleList": _object({"people": {"type": "array", "items": _ref("PersonSummary")}}),
    "CollectionList": _object({"collections": {"type": "array", "items": _object(
        {"slug": TEXT, "title": TEXT, "stories": TEXTS}, audience=TEXTS)}}),
    "Collection": _object({"slug": TEXT, "title": TEXT, "introduction": TEXT,
                           "stories": {"type": "array", "items": _ref("StorySummary")}}, audience=TEXTS),
    "SearchResults": _object({"total": {"type": "integer"}, "hits": {"type": "array", "items": _object(
        {"slug": TEXT, "title": TEXT, "score": {"type": "number"}})}, "page": {"type": "integer"},
        "per_page": {"type": "integer"}}, facets={"type": "object"}, suggestion=ANY),
    "Source": _object({"slug": TEXT, "version": TEXT, "text": TEXT, "meta": {"type": "object"}, "body": TEXT}),
    "Saved": _object({"slug": TEXT, "version": TEXT, "status": TEXT}),
    "StoryInput": _object({"meta": _ref("StoryMeta"), "body": TEXT}, slug=TEXT, message=TEXT,
                          base_version=TEXT, confirm_sensitive={"type": "boolean"}),
    "StoryMeta": fields_schema(STORY_FIELDS, "故事的元数据（docs/format.md 第 3 节）；表中没有的键原样保留"),
    "Takedown": _object({"reason": TEXT}),
    "Publish": _object({}, consent_reason=TEXT),
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = _json(_ref("Error"), "错误（JSON，中文说明）：400 请求有误、401 未登录、403 无权限、404 不存在或无权查看、"
                             "405 方法不允许、409 保存冲突、413 太大、422 内容不合格、428 缺少 base_version、"
                             "500 服务器出错、503/507 存储或搜索暂不可用")


def _query(name: str, schema: dict, description: str, many: bool = False) -> dict:
    if many:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description,
            **({"style": "form", "explode": True} if many else {})}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": TEXT, "description": "编号（文件名，不含 .md）"}
PAGING = [_query("page", {"type": "integer", "minimum": 1}, "页码"),
          _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "每页条数（最多 100）")]
CSRF = {"name": "X-CSRF-Token", "in": "header", "required": False, "schema": TEXT,
        "description": "登录后页面上的 CSRF 令牌（写操作必需）"}


def _get(summary: str, schema: str, params: list | None = None, tag: str = "阅读") -> dict:
    return {"get": {"summary": summary, "tags": [tag], "parameters": params or [],
                    "responses": {"200": _json(_ref(schema), "成功"), "default": ERROR}}}


def _write(summary: str, body: str | None, status: str = "200", params: list | None = None,
           body_required: bool = True) -> dict:
    operation = {"summary": summary, "tags": ["编辑（档案员）"], "parameters": [*(params or []), CSRF],
                 "security": [{"session": []}], "responses": {status: _json(_ref("Saved"), "已保存"), "default": ERROR}}
    if body:
        operation["requestBody"] = {"required": body_required, "content": {"application/json": {"schema": _ref(body)}}}
    return operation


def _paths() -> dict[str, dict]:
    filters = [_query(name, TEXT, f"只列出 {name} 为此值的故事（可重复）", many=True) for name in FILTERS]
    search = [_query("q", TEXT, "检索词"), _query("sort", TEXT, "relevance / date / title"),
              _query("story", TEXT, "只在这篇故事内检索"), *PAGING]
    return {
        "/api/stories": {**_get("可读的故事列表", "StoryList", [*filters, *PAGING]),
                         "post": _write("新建草稿", "StoryInput", "201")},
        "/api/stories/{slug}": {**_get("一篇故事：段落、人物、照片与 Dublin Core", "Story", [SLUG]),
                                "put": _write("保存修改（需 base_version；过期时 409）", "StoryInput", params=[SLUG])},
        "/api/stories/{slug}/dc": _get("一篇故事的 Dublin Core 记录", "DublinCore", [SLUG]),
        "/api/stories/{slug}/source": {"get": {**_get("文件原文与版本号（档案员）", "Source", [SLUG], "编辑（档案员）")["get"],
                                               "security": [{"session": []}]}},
        "/api/stories/{slug}/publish": {"post": _write("草稿发布；讲述人的授权不全时须带 consent_reason，否则 409 并列出缺什么",
                                                       "Publish", params=[SLUG], body_required=False)},
        "/api/stories/{slug}/takedown": {"post": _write("立即下架（须写明原因）", "Takedown", params=[SLUG])},
        "/api/people": _get("有档案的讲述人", "PeopleList"),
        "/api/people/{slug}": _get("一位人物：生平、服役经历、故事与照片", "Person", [SLUG]),
        "/api/collections": _get("专题列表", "CollectionList"),
        "/api/collections/{slug}": _get("一个专题", "Collection", [SLUG]),
        "/api/search": _get("全文检索（与检索页相同的参数）", "SearchResults",
                            [*search, *(_query(n, TEXT, f"按 {n} 筛选", many=True) for n in FILTERS[:-2])]),
        "/api/openapi.json": {"get": {"summary": "本说明（OpenAPI 3.1）", "tags": ["说明"],
                                      "responses": {"200": _json({"type": "object"}, "OpenAPI 文档"), "default": ERROR}}},
    }


def openapi_document(server_url: str) -> dict:
    """The whole description; `server_url` is the site's configured base URL."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "红色故事口述历史档案 JSON API", "version": "1",
                 "description": "与网页相同的故事、人物、专题与检索；每个回答都按读者的角色过滤。"
                                "所有错误都以 JSON 回答，带中文说明。详见 docs/api.md 与 docs/exchange.md。"},
        "servers": [{"url": server_url}],
        "paths": _paths(),
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    }
