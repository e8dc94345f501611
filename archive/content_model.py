"""The content model, declared once: every front-matter field of stories, people and a
person's service record, with its kind, whether it is required, its Chinese label and
the type column of docs/format.md.

Derived from it: `archive check`'s required/type checks (archive.validate), the JSON
API's required fields (views/edit_api.py), the merge page's field names
(archive.merging) and the field tables of docs/format.md, which tests/test_content_model.py
holds equal to this declaration.  Rules that are more than a type (access values, media
files, people that exist, the segment index) stay in archive.validate and archive.access.
"""
from __future__ import annotations

from dataclasses import dataclass

# kind -> the type column of docs/format.md
KIND_DOCS = {
    "text": "文字", "text_or_list": "文字或文字列表", "text_list": "文字列表", "date": "ISO 日期",
    "year": "四位数字", "mapping": "映射", "list": "列表", "flag": "`true`", "segment_id": "段落编号",
    "access": "`public` / `internal` / `restricted`", "status": "`draft` / `published`",
}


SLUG_RULE = "只能含字母、数字、汉字、'-' 和 '_'，不能有空格或点"  # what a file name (编号) may hold


def slug_problem(label: str = "编号") -> str:
    """The one message for an unusable slug: '编号只能含…' / '人物编号只能含…'."""
    return f"{label}{SLUG_RULE}"


@dataclass(frozen=True)
class Field:
    """One front-matter key."""

    key: str
    kind: str  # a key of KIND_DOCS
    label: str  # the Chinese name forms, messages and the merge page use
    required: bool = False

    @property
    def docs_type(self) -> str:
        """The type column of docs/format.md."""
        return KIND_DOCS[self.kind]


STORY_FIELDS = (
    Field("title", "text", "标题", required=True),
    Field("narrator", "text_or_list", "讲述人", required=True),
    Field("interviewed", "date", "访谈日期"),
    Field("interviewer", "text_or_list", "采访人"),
    Field("place", "text", "访谈地点"),
    Field("conflicts", "text_list", "战争与时期"),
    Field("honors", "text_list", "荣誉"),
    Field("tags", "text_list", "主题标签"),
    Field("audience", "text_list", "适合听众"),
    Field("summary", "text", "内容简介"),
    Field("access", "access", "公开范围"),
    Field("embargo_until", "date", "保密至"),
    Field("status", "status", "状态"),
    Field("takedown", "mapping", "下架"),
    Field("consent", "mapping", "授权"),
    Field("people", "text_list", "相关人物"),
    Field("media", "list", "照片与录音"),
    Field("content_notes", "text_list", "内容提示"),
    Field("sample", "flag", "示例内容"),
    Field("segments", "mapping", "段落索引"),
    Field("teaching", "mapping", "教学说明"),
    Field("key_segment", "segment_id", "荣誉墙段落"),
)

PERSON_FIELDS = (
    Field("name", "text", "姓名", required=True),
    Field("aliases", "text_list", "曾用名"),
    Field("born", "year", "出生年份"),
    Field("died", "year", "去世年份"),
    Field("hometown", "text", "籍贯"),
    Field("gender", "text", "性别"),
    Field("portrait", "text", "头像"),
    Field("service", "mapping", "服役记录"),
    Field("access", "access", "公开范围"),
    Field("media", "list", "照片与录音"),
    Field("citation", "text", "事迹简介"),
)

SERVICE_FIELDS = (
    Field("enlisted", "year", "入伍年份"),
    Field("discharged", "year", "退役年份"),
    Field("branch", "text", "兵种"),
    Field("units", "text_list", "所在部队"),
    Field("rank", "text", "职务或军衔"),
    Field("campaigns", "text_list", "参加的战役"),
    Field("conflicts", "text_list", "参加的战争"),
    Field("honors", "text_list", "荣誉"),
    Field("wounds", "text", "负伤情况"),
)


def labels(fields: tuple[Field, ...]) -> dict[str, str]:
    """key -> Chinese label."""
    return {field.key: field.label for field in fields}


def required(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """The fields a record must have."""
    return tuple(field for field in fields if field.required)


def of_kind(fields: tuple[Field, ...], *kinds: str) -> tuple[str, ...]:
    """Keys of the fields of these kinds."""
    return tuple(field.key for field in fields if field.kind in kinds)
