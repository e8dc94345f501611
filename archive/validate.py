"""Validation of every file in an archive: what `archive check` reports.

Each problem is a `Problem(path, line, message)`, printed as `path:line: message`.
Validation never raises on bad input: binary, empty, GBK-encoded or enormous
files are problems like any other.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.access import policy_problems
from archive.content_model import (
    COLLECTION_FIELDS,
    CONSENT_FIELDS,
    MEDIA_FIELDS,
    PERSON_FIELDS,
    PLAN_FIELDS,
    SEGMENT_NOTE_FIELDS,
    SERVICE_FIELDS,
    STORY_FIELDS,
    Field,
    is_missing,
    missing_message,
    required,
    value_problem,
)
from archive.frontmatter import Document, FrontMatterError, parse_document
from archive.segments import split_segments
from archive.store import ContentError, ContentStore, is_valid_slug, read_text_file
from archive.topics import unknown_tags

CHECKED_APART = ("segments", "teaching", "media")  # by their own checks (segment index, archive.lessons, _check_media)
POLICY_KEYS = ("access", "status", "embargo_until")  # reported by archive.access's fail-closed messages


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


class _FileCheck:
    """Collects the problems of one parsed file."""

    def __init__(self, path: Path, doc: Document, problems: list[Problem]):
        self.path, self.doc, self.problems = path, doc, problems

    def add(self, key_path: tuple, message: str) -> None:
        self.problems.append(Problem(self.path, self.doc.line_of(*key_path), message))

    def policy(self, meta: dict, path: tuple = ()) -> None:
        """The access values archive.access cannot read (and so treats as restricted)."""
        for key, message in policy_problems(meta):
            self.add(path + (key,), message)


def _check_media(check: _FileCheck, store: ContentStore, media: Any) -> None:
    """A `media:` list: each entry a file name, or a mapping of MEDIA_FIELDS whose file exists."""
    if media is None:
        return
    if not isinstance(media, list):
        check.add(("media",), "media 应为列表，每项含 file、caption 等")
        return
    for index, entry in enumerate(media):
        name = entry if isinstance(entry, str) else entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            check.add(("media", index), "media 的每一项都要有 file（media/ 下的文件名）")
            continue
        if store.media_path(name) is None:
            check.add(("media", index), f"引用的媒体文件不存在：media/{name}")
        if isinstance(entry, dict):
            _check_fields(check, MEDIA_FIELDS, entry, ("media", index), policy=True)
            _check_consent(check, entry.get("consent"), ("media", index, "consent"))


def _check_consent(check: _FileCheck, consent: Any, where: tuple) -> None:
    """A `consent:` mapping (its own type: by the caller's fields): each of CONSENT_FIELDS of its kind."""
    if isinstance(consent, dict):
        _check_fields(check, CONSENT_FIELDS, consent, where)


def _check_fields(check: _FileCheck, fields: tuple[Field, ...], meta: dict[str, Any], where: tuple = (),
                 policy: bool = False) -> None:
    """Required fields and the type of each declared field (archive.content_model); with `policy`,
    the access keys of `meta` are checked by archive.access (which reads unreadable values as restricted)."""
    for field in required(fields):
        if is_missing(meta.get(field.key)) and not (where and field.key == "file"):  # a media entry's file: above
            check.add(where, missing_message(field))
    for field in fields:
        value = meta.get(field.key)
        if value is None or field.key in CHECKED_APART or (policy and field.key in POLICY_KEYS):
            continue
        message = value_problem(field, value)
        if message:
            check.add((*where, field.key), message)
    if policy:
        check.policy({k: v for k, v in meta.items() if k in POLICY_KEYS}, where)


def check_story(check: _FileCheck, store: ContentStore, people: set[str]) -> None:
    """Problems of a story's front matter."""
    meta = check.doc.meta
    _check_fields(check, STORY_FIELDS, meta, policy=True)
    _check_consent(check, meta.get("consent"), ("consent",))
    if isinstance(meta.get("takedown"), dict) and not meta["takedown"].get("reason"):
        check.add(("takedown",), "撤下必须写明原因（takedown: reason:）")
    if _is_text_list(meta.get("people")):
        for index, slug in enumerate(meta["people"]):
            if slug not in people:
                check.add(("people", index), f"引用的人物未定义：people/{slug}.md 不存在")
    _check_media(check, store, meta.get("media"))
    _check_segment_index(check, meta.get("segments"))
    if _is_text_list(meta.get("tags")):
        for index, tag in unknown_tags(store.root, meta["tags"]):
            check.add(("tags", index), f"标签“{tag}”不在主题词表 vocabularies/topics.txt 中：请把它加到某个主题下（或写成同义词）")


def _check_segment_index(check: _FileCheck, index: Any) -> None:
    """`segments:` maps segment ids of this story to {synopsis, keywords} (the interview index)."""
    if index is None:
        return
    if not isinstance(index, dict):
        check.add(("segments",), "segments 应为映射：每个段落编号下写 synopsis（摘要）和 keywords（关键词列表）")
        return
    ids = {segment.id for segment in split_segments(check.doc.body)}
    for segment_id, entry in index.items():
        path = ("segments", segment_id)
        if str(segment_id) not in ids:
            check.add(path, f"segments 里的段落 {segment_id} 在正文中不存在")
        if not isinstance(entry, dict):
            check.add(path, f"段落 {segment_id} 的索引应为映射（synopsis、keywords）")
            continue
        _check_fields(check, SEGMENT_NOTE_FIELDS, entry, path)


def check_person(check: _FileCheck, store: ContentStore, people: set[str]) -> None:
    """Problems of a person profile's front matter."""
    meta = check.doc.meta
    _check_fields(check, tuple(f for f in PERSON_FIELDS if f.key != "service"), meta)
    portrait = meta.get("portrait")
    if isinstance(portrait, str) and store.media_path(portrait) is None:
        check.add(("portrait",), f"引用的媒体文件不存在：media/{portrait}")
    _check_media(check, store, meta.get("media"))
    service = meta.get("service")
    if service is None:
        return
    if not isinstance(service, dict):
        check.add(("service",), "service 应为映射（enlisted、units、rank、campaigns、honors …）")
        return
    _check_fields(check, SERVICE_FIELDS, service, ("service",))


def check_collection(check: _FileCheck, store: ContentStore, people: set[str]) -> None:
    """Problems of a collection (专题): COLLECTION_FIELDS, stories that exist, a cover that exists."""
    meta = check.doc.meta
    _check_fields(check, tuple(f for f in COLLECTION_FIELDS if f.key != "stories"), meta)
    stories = meta.get("stories")
    if not _is_text_list(stories):
        check.add(("stories",), "stories 应为故事编号（文件名）列表，按讲述顺序排列")
        return
    for index, slug in enumerate(stories):
        if not (is_valid_slug(slug) and store.story_path(slug).is_file()):
            check.add(("stories", index), f"专题引用的故事不存在：stories/{slug}.md")
    cover = meta.get("cover")
    if isinstance(cover, str) and store.media_path(cover) is None:
        check.add(("cover",), f"引用的媒体文件不存在：media/{cover}")


PLAN_STRUCTURE = ("items", "deliveries")  # what LecturePlan.from_meta checks beyond the declared types


def check_lecture(check: _FileCheck, store: ContentStore, people: set[str]) -> None:
    """Problems of a lecture plan file (the format of docs/lectures.md): PLAN_FIELDS, then what
    archive.lectures.plan finds in its items and deliveries."""
    from archive.lectures.plan import LecturePlan

    _check_fields(check, PLAN_FIELDS, check.doc.meta)
    for problem in LecturePlan.from_meta(check.path.stem, check.doc.meta).problems:
        if problem.path[:1] and problem.path[0] in PLAN_STRUCTURE:
            check.add(problem.path, problem.message)


def _check_folder(
    folder: Path, store: ContentStore, people: set[str],
    check_meta: Callable[[_FileCheck, ContentStore, set[str]], None], problems: list[Problem],
) -> int:
    if not folder.is_dir():
        return 0
    seen: dict[str, Path] = {}
    count = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() not in (".md", ".markdown"):
            continue
        count += 1
        key = unicodedata.normalize("NFKC", path.stem).casefold()
        if key in seen:
            problems.append(Problem(path, 1, f"编号重复：与 {seen[key].name} 的编号（文件名）相同"))
        seen[key] = path
        if path.suffix != ".md":
            problems.append(Problem(path, 1, "文件扩展名应为 .md"))
        if not is_valid_slug(path.stem):
            problems.append(Problem(path, 1, "文件名只能含字母、数字、汉字、'-' 和 '_'"))
        try:
            doc = parse_document(read_text_file(path))
        except ContentError as error:
            problems.append(Problem(path, error.line, error.message))
            continue
        except FrontMatterError as error:
            problems.append(Problem(path, error.line, error.message))
            continue
        check_meta(_FileCheck(path, doc, problems), store, people)
    return count


def check_archive(store: ContentStore) -> tuple[list[Problem], dict[str, int]]:
    """Validate every story and person file; return (sorted problems, counts)."""
    problems: list[Problem] = []
    people_dir = store.people_dir
    people = {p.stem for p in people_dir.glob("*.md")} if people_dir.is_dir() else set()
    counts = {
        "stories": _check_folder(store.stories_dir, store, people, check_story, problems),
        "people": _check_folder(people_dir, store, people, check_person, problems),
        "collections": _check_folder(store.root / "collections", store, people, check_collection, problems),
        "lectures": _check_folder(store.root / "lectures", store, people, check_lecture, problems),
    }
    return sorted(problems), counts
