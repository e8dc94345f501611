"""The content model, declared once: every front-matter field of stories (and a story's
consent), people (and a person's service record), media entries, collections and lecture
plans, with its kind, whether it is required, its Chinese label, its closed vocabulary
(`choices`, each with its Chinese name in `choice_labels` and, where a select explains it, who it
is for in `choice_hints`) or editable word list (`vocabulary`), a short Chinese help text, and
whether the web form edits it.

Derived from it: `archive check`'s required/type checks (archive.validate, through
`value_problem`; a story's and a media entry's consent too), the web forms' key groups, labels,
hints, input names, select options and messages (archive.story_form, the story, person, photo,
recording and lecture-plan templates through `declared_fields`, archive.uploads,
archive.recording_uploads, archive.lectures.plan_editing), the import and sheet-import messages
(archive.importer, archive.exchange.sheet_import), the Editor's required and type checks
that the form, the JSON API and library callers share (archive.editing), the API's schema
(archive.exchange.openapi), the merge page's field names (archive.merging), the vocabulary
files' names and labels (archive.vocabularies), a lecture plan's reading of its fields
(archive.lectures.plan) and the field tables of docs/format.md and docs/lectures.md, which
tests/test_content_model.py holds equal to this declaration (tests/test_content_model_derived.py
holds the rest to it).  Rules that are more than a type (access values that fail closed, media
files and people that exist, the segment index, the items of a plan) stay in archive.validate,
archive.access and archive.lectures.plan.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.access import LEVELS, STATUSES
from archive.dates import DATE_HINT, PARTIAL_DATE_HINT, is_partial_date, parse_date

# kind -> the type column of docs/format.md (a `choice` field shows its choices instead)
KIND_DOCS = {
    "text": "文字", "text_or_list": "文字或文字列表", "text_list": "文字列表", "date": "ISO 日期",
    "day": "ISO 日期（写到日）", "year": "四位数字", "mapping": "映射", "list": "列表", "flag": "`true`",
    "segment_id": "段落编号", "choice": "", "positive_number": "正数", "count": "整数",
}

SLUG_RULE = "只能含字母、数字、汉字、'-' 和 '_'，不能有空格或点"  # what a file name (编号) may hold


def slug_problem(label: str = "编号") -> str:
    """The one message for an unusable slug: '编号只能含…' / '人物编号只能含…'."""
    return f"{label}{SLUG_RULE}"


def slug_taken(slug: str) -> str:
    """The one message for a story slug another story already has."""
    return f"编号 {slug} 已被另一篇故事使用，请换一个"


@dataclass(frozen=True)
class Field:
    """One front-matter key."""

    key: str
    kind: str  # a key of KIND_DOCS
    label: str  # the Chinese name forms, messages and the merge page use
    required: bool = False
    help: str = ""  # a short Chinese hint (form hint, API description)
    choices: tuple[str, ...] = ()  # the only values a `choice` field may take
    vocabulary: str = ""  # the editable word list under vocabularies/ a form offers (open: other words allowed)
    form: bool = False  # edited by the generic widgets of the web form (archive.story_form)
    choice_labels: tuple[str, ...] = ()  # the Chinese name of each of `choices`, in the same order
    choice_hints: tuple[str, ...] = ()  # what each choice means, shown after its name in a select
    name: str = ""  # the web forms' input name, when it is not the key
    short: str = ""  # a shorter label where a reading page lists values beside it ('入伍' for 入伍年份)

    @property
    def short_label(self) -> str:
        """The label a reading page shows: `short`, or the label itself."""
        return self.short or self.label

    @property
    def input_name(self) -> str:
        """The name of the field's input on the web forms: 'consent_scope' for consent's `scope`."""
        return self.name or self.key

    def __post_init__(self) -> None:
        for names in (self.choice_labels, self.choice_hints):
            if names and len(names) != len(self.choices):
                raise ValueError(f"{self.key}: one Chinese name per choice")

    def choice_label(self, value: str) -> str:
        """'internal' -> '内部' (a value that is not a choice is shown as it is)."""
        if not self.choice_labels:
            return value
        return dict(zip(self.choices, self.choice_labels, strict=True)).get(value, value)

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """(value, shown text) of each choice, for a select: ('public', '公开（所有读者）')."""
        hints = self.choice_hints or ("",) * len(self.choices)
        return tuple((value, f"{self.choice_label(value)}（{hint}）" if hint else self.choice_label(value))
                     for value, hint in zip(self.choices, hints, strict=True))

    @property
    def docs_type(self) -> str:
        """The type column of docs/format.md."""
        if self.kind == "choice":
            return " / ".join(f"`{choice}`" for choice in self.choices)
        return KIND_DOCS[self.kind]


LEVEL_LABELS = ("公开", "内部", "受限")  # the Chinese names of archive.access's LEVELS
LEVEL_READERS = ("所有读者", "登录用户", "仅档案员")  # who reads each level
MEDIA_LEVEL_LABELS = ("随故事",) + LEVEL_LABELS[1:]  # a media entry left public is read as its story is

STORY_FIELDS = (
    Field("title", "text", "标题", required=True, form=True),
    Field("narrator", "text_or_list", "讲述人", required=True, help="多人用顿号分隔", form=True),
    Field("interviewed", "date", "访谈日期", help="如 2024-05-01", form=True),
    Field("interviewer", "text_or_list", "采访人", form=True),
    Field("place", "text", "访谈地点", form=True, short="地点"),
    Field("conflicts", "text_list", "战争与时期", vocabulary="conflicts.txt", form=True, short="战争"),
    Field("honors", "text_list", "荣誉", vocabulary="honors.txt", form=True),
    Field("tags", "text_list", "主题标签", help="用顿号分隔，如 渡江、担架队", form=True, short="主题"),
    Field("audience", "text_list", "适合听众", vocabulary="audiences.txt", form=True, short="适合"),
    Field("summary", "text", "内容摘要", form=True),
    Field("access", "choice", "公开范围", help="不写等于 public", choices=LEVELS, choice_labels=LEVEL_LABELS,
          choice_hints=LEVEL_READERS),
    Field("embargo_until", "day", "保密至", help="到期自动公开，如 2030-01-01；留空表示不设", form=True),
    Field("status", "choice", "状态", help="不写等于已发布", choices=STATUSES, choice_labels=("草稿", "已发布")),
    Field("takedown", "mapping", "下架"),
    Field("consent", "mapping", "授权"),
    Field("people", "text_list", "关联人物"),
    Field("media", "list", "照片与录音"),
    Field("content_notes", "text_list", "内容提示", help="如 战争暴力细节（提醒教师注意）", form=True),
    Field("sample", "flag", "示例内容"),
    Field("segments", "mapping", "段落索引"),
    Field("teaching", "mapping", "教学说明"),
    Field("key_segment", "segment_id", "荣誉墙段落"),
)

PERSON_FIELDS = (
    Field("name", "text", "姓名", required=True, form=True),
    Field("aliases", "text_list", "曾用名"),
    Field("born", "year", "出生年份", help="四位年份，如 1928", form=True),
    Field("died", "year", "去世年份", help="四位年份，如 2020", form=True),
    Field("hometown", "text", "籍贯", form=True),
    Field("gender", "text", "性别", form=True),
    Field("portrait", "text", "头像", help="media/ 下的文件"),
    Field("service", "mapping", "服役记录"),
    Field("access", "choice", "公开范围", choices=LEVELS, choice_labels=LEVEL_LABELS),
    Field("media", "list", "照片与录音"),
    Field("citation", "text", "事迹简介"),
)

SERVICE_FIELDS = (
    Field("enlisted", "year", "入伍年份", form=True, short="入伍"),
    Field("discharged", "year", "退役年份", form=True, short="退役"),
    Field("branch", "text", "军种", form=True),
    Field("rank", "text", "职务或军衔", form=True),
    Field("units", "text_list", "部队番号", help="多项用顿号分隔", form=True, short="部队"),
    Field("campaigns", "text_list", "参加战役", help="多项用顿号分隔", form=True),
    Field("conflicts", "text_list", "经历战争", form=True),
    Field("honors", "text_list", "立功受奖", form=True),
    Field("wounds", "text", "负伤情况", form=True, short="负伤"),
)

CONSENT_FIELDS = (  # a story's (or a media entry's) `consent:` mapping; the story and photo forms edit it
    Field("form_on_file", "flag", "已存档授权书", help="讲述人签字的使用许可", name="consent_release_form"),
    Field("signed", "date", "授权日期", name="consent_date"),
    Field("scope", "text", "授权范围", help="如 可用于档案馆、宣讲与学校教学；不得用于商业用途", name="consent_scope"),
    Field("posthumous", "text", "身后发布意愿", help="如 去世后方可公开全文", name="consent_posthumous"),
)

MEDIA_FIELDS = (  # one entry of a story's or person's `media:` list (or just the file name)
    Field("file", "text", "文件", required=True, help="相对 media/ 的路径"),
    Field("caption", "text", "说明", help="也用作图片的替代文字"),
    Field("date", "date", "日期", help="只有年份时写 '1955'"),
    Field("place", "text", "地点"),
    Field("credit", "text", "提供者", help="提供者或版权"),
    Field("people", "text_list", "照片中的人物", help="人物编号"),
    Field("access", "choice", "公开范围", help="单独限制这一项", choices=LEVELS, choice_labels=MEDIA_LEVEL_LABELS),
    Field("embargo_until", "day", "保密至", help="到这一天之前只给档案员看"),
    Field("consent", "mapping", "授权", help="写法同故事的 consent"),
    Field("original_name", "text", "原文件名", help="上传时自动记下"),
    Field("duration", "count", "时长（秒）", help="录音、录像的整秒数，上传时读出"),
)

SEGMENT_NOTE_FIELDS = (  # one entry of a story's `segments:` index, under a segment id
    Field("synopsis", "text", "摘要"),
    Field("keywords", "text_list", "关键词"),
)

COLLECTION_FIELDS = (
    Field("title", "text", "专题名称", required=True),
    Field("stories", "text_list", "故事", required=True, help="故事编号，按阅读顺序"),
    Field("cover", "text", "封面", help="media/ 下的文件"),
    Field("audience", "text_list", "适合听众"),
    Field("commentary", "mapping", "策展人按语", help="故事编号 → 按语"),
    Field("teaching", "mapping", "教学说明"),
)

PLAN_STATUSES = ("draft", "scheduled", "delivered")
VENUE_TYPES = ("学校", "机关", "企业", "社区", "部队", "其他")  # what a plan's venue_type is counted as

PLAN_FIELDS = (
    Field("title", "text", "讲稿标题", required=True),
    Field("theme", "text", "主题", help="一场战争、一个标签或任意文字；“推荐片段”按它检索"),
    Field("audience", "text", "听众", vocabulary="audiences.txt"),
    Field("venue", "text", "宣讲地点", help="同一地点请写法一致"),
    Field("venue_type", "text", "场所类型", help=f"{'、'.join(VENUE_TYPES)}（统计按它分组）"),
    Field("date", "date", "宣讲日期", help="要加引号：'2026-12-10'"),
    Field("time", "text", "开始时间", help="'14:30'（24 小时制，加引号）"),
    Field("speakers", "text_list", "宣讲人"),
    Field("target_minutes", "positive_number", "目标时长（分钟）", help="这一场宣讲的时段长度"),
    Field("chars_per_minute", "positive_number", "语速（字/分钟）", help="不写时用网站设置（默认 200）"),
    Field("status", "choice", "状态", help="scheduled 须有日期", choices=PLAN_STATUSES,
          choice_labels=("草稿", "已安排", "已宣讲")),
    Field("owner", "text", "创建者", help="网站自动填写"),
    Field("items", "list", "讲稿条目", help="按讲述顺序排列"),
    Field("deliveries", "list", "宣讲记录"),
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


def field(fields: tuple[Field, ...], key: str) -> Field:
    """The declared field `key` (KeyError if it is not declared)."""
    for candidate in fields:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


FORM_FIELDS = {"story": STORY_FIELDS, "person": PERSON_FIELDS, "service": SERVICE_FIELDS, "consent": CONSENT_FIELDS,
               "media": MEDIA_FIELDS, "plan": PLAN_FIELDS}


def declared_fields(record: str) -> dict[str, Field]:
    """key -> Field of one record kind of the forms ('story', 'person', 'service', 'consent', 'media', 'plan'):
    what the edit, photo and recording templates take their labels, hints, options and required marks from."""
    return {f.key: f for f in FORM_FIELDS[record]}


def missing_message(f: Field) -> str:
    """'缺少必填项 title（标题）'."""
    return f"缺少必填项 {f.key}（{f.label}）"


def choice_message(f: Field) -> str:
    """A form's message for a value that is not one of the choices: '公开范围只能是 公开 / 内部 / 受限'."""
    return f"{f.label}只能是 {' / '.join(f.choice_label(value) for value in f.choices)}"


def is_missing(value: Any) -> bool:
    """A required field left out or blank."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def missing_problems(fields: tuple[Field, ...], meta: dict[str, Any], keys=None) -> dict[str, str]:
    """{key: '缺少必填项 …'} for each required field missing or blank in `meta` (only `keys`, if given)."""
    return {f.key: missing_message(f) for f in required(fields)
            if is_missing(meta.get(f.key)) and (keys is None or f.key in keys)}


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _type_name(value: Any) -> str:
    return {bool: "布尔值", int: "数字", float: "数字", list: "列表", dict: "映射"}.get(type(value), "文本")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def value_problem(f: Field, value: Any) -> str | None:
    """The Chinese message when `value` (present, not None) is not of the field's kind; None when it is."""
    key, kind = f.key, f.kind
    if kind in ("text", "segment_id") and not isinstance(value, str):
        return f"{key} 应为文本，实际是{_type_name(value)}"
    if kind == "text_or_list" and not isinstance(value, str) and not _is_text_list(value):
        return f"{key} 应为文本或文本列表"
    if kind == "text_list" and not _is_text_list(value):
        return f"{key} 应为文本列表（每行一项，以 '- ' 开头）"
    if kind == "date" and not is_partial_date(value):
        return f"{key} {PARTIAL_DATE_HINT}（实际是 {value!r}）"
    if kind == "day" and parse_date(value) is None:
        return f"{key} {DATE_HINT}（实际是 {value!r}）"
    if kind == "year" and not (_is_int(value) and 1850 <= value <= 2100):
        return f"{key} 应为四位年份，如 1928（实际是 {value!r}）"
    if kind == "mapping" and not isinstance(value, dict):
        return f"{key} 应为映射（如 reason:、date: …），见 docs/format.md"
    if kind == "flag" and not isinstance(value, bool):
        return f"{key} 应为 true 或 false（实际是 {value!r}）"
    if kind == "list" and not isinstance(value, list):
        return f"{key} 应为列表，见 docs/format.md"
    if kind == "choice" and value not in f.choices:
        return f"{key} 只能是 {' / '.join(f.choices)}（实际是 {value!r}）"
    if kind == "positive_number" and not ((_is_int(value) or isinstance(value, float)) and value > 0):
        return f"{key} 应为正数（实际是 {value!r}）"
    if kind == "count" and not (_is_int(value) and value >= 0):
        return f"{key} 应为不小于 0 的整数（实际是 {value!r}）"
    return None


def meta_problems(fields: tuple[Field, ...], meta: dict[str, Any], keys=None) -> dict[str, str]:
    """{key: message} for each declared field of `meta` (only `keys`, if given) whose value is of the
    wrong kind; required fields are not asked for here (see `required`)."""
    problems = {}
    for f in fields:
        if f.key in meta and meta[f.key] is not None and (keys is None or f.key in keys):
            message = value_problem(f, meta[f.key])
            if message:
                problems[f.key] = message
    return problems
