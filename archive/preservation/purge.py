"""Purge on withdrawn consent: a story (or a person with their stories) is removed from the
files, the version store, the photo files and their derivatives, the search index (rebuilt, so
no old segment keeps the text), collections and lecture plans (which keep a note that material
was withdrawn); the audit log keeps a tombstone (slug, date, reason, who) and nothing else.

Bags already exported and existing git clones are out of reach; the git history of this root
is rewritten only by the separate, explicit step in `rewrite_git_history`.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from archive.access import can_read
from archive.media import SIZES, derivative_path
from archive.models import Story
from archive.safe_write import atomic_delete, atomic_write_text


class PurgeError(ValueError):
    """Nothing to purge, or a reason missing (Chinese message)."""


@dataclass
class PurgePlan:
    """What a purge will remove, shown before it is confirmed."""

    kind: str  # "stories" or "people"
    slug: str
    title: str
    stories: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # media/ names used by nothing else
    lectures: list[str] = field(default_factory=list)  # plan ids that cite the material
    collections: list[str] = field(default_factory=list)


def plan_purge(context, kind: str, slug: str) -> PurgePlan:
    """What purging stories/<slug> or people/<slug> would remove; PurgeError if there is none."""
    store = context.store
    if kind == "people":
        person = store.get_person(slug)
        if person is None:
            raise PurgeError(f"没有人物 {slug}")
        stories = [s for s in store.list_stories() if slug in s.people]
        plan = PurgePlan(kind, slug, person.name, [s.slug for s in stories], [slug])
        records = [*stories, person]
    else:
        story = store.get_story(slug)
        if story is None:
            raise PurgeError(f"没有故事 {slug}")
        plan, records = PurgePlan(kind, slug, story.title, [slug]), [story]
    plan.media = _unshared_media(store, records)
    plan.lectures = [p.id for p in context.lectures.list_plans()
                     if any(i.story in plan.stories or (i.photo and i.photo in plan.media) for i in p.items)]
    plan.collections = [path.stem for path in context.catalog.collection_files()
                        if any(_lists(path, s) for s in plan.stories) or any(_covers(path, m) for m in plan.media)]
    return plan


def describe(plan: PurgePlan) -> list[str]:
    """The lines that say what a purge will remove (shown before it is confirmed)."""
    lines = [f"将永久清除：{'人物' if plan.kind == 'people' else '故事'} {plan.slug}（{plan.title}）",
             f"  故事文件及其全部修改历史：{len(plan.stories)} 篇 {'、'.join(plan.stories)}"]
    if plan.people:
        lines.append(f"  人物资料：{'、'.join(plan.people)}")
    lines.append(f"  照片与录音文件（及其缩略图）：{len(plan.media)} 个")
    if plan.collections:
        lines.append(f"  从专题中移除：{'、'.join(plan.collections)}")
    if plan.lectures:
        lines.append(f"  从讲稿中移除所引材料（讲稿留下撤回说明）：{'、'.join(plan.lectures)}")
    lines.append("  搜索索引将重建；审计日志只留下编号、日期、原因和操作人。")
    return lines


def _unshared_media(store, records: list) -> list[str]:
    """media/ files of `records` that no other story or person uses."""
    mine = {item.file for r in records for item in r.media}
    mine.update(r.portrait for r in records if not isinstance(r, Story) and r.portrait)
    gone = {(type(r), r.slug) for r in records}
    others = [r for r in [*store.list_stories(), *store.list_people()] if (type(r), r.slug) not in gone]
    shared = {item.file for r in others for item in r.media}
    shared.update(r.portrait for r in others if not isinstance(r, Story) and r.portrait)
    return sorted(name for name in mine - shared if store.media_path(name) is not None)


def _line_of(slug: str) -> re.Pattern:
    return re.compile(rf"^[ \t]*-[ \t]*['\"]?{re.escape(slug)}['\"]?[ \t]*(\n|$)", re.MULTILINE)


def _cover_line(name: str) -> re.Pattern:
    return re.compile(rf"^cover:[ \t]*['\"]?{re.escape(name)}['\"]?[ \t]*(\n|$)", re.MULTILINE)


def _covers(path: Path, name: str) -> bool:
    return bool(_cover_line(name).search(path.read_text(encoding="utf-8", errors="replace")))


def _lists(path: Path, slug: str) -> bool:
    return bool(_line_of(slug).search(path.read_text(encoding="utf-8", errors="replace")))


def purge(context, plan: PurgePlan, who: str, reason: str) -> list[Path]:
    """Carry out `plan`; return the paths removed or rewritten (observers are told of them all)."""
    reason = reason.strip()
    if not reason:
        raise PurgeError("请写明清除原因（例如：讲述人家属撤回授权）；原因中不要写个人信息")
    context.editor.check_writable()
    public = {slug for slug in plan.stories  # harvesters (OAI-PMH) may hold these: they are told of the deletion
              if (story := context.store.get_story(slug)) is not None and can_read(story.meta, None)}
    changed = _remove_derivatives(context, plan.media)
    changed += _remove_files(context, plan)
    changed += _rewrite_collections(context, plan)
    changed += _rewrite_lectures(context, plan, who)  # the plan itself is saved through the editor
    _rebuild_index(context)
    for kind, slugs in (("stories", plan.stories), ("people", plan.people)):
        for slug in slugs:
            context.audit.record(who, "purge", f"{kind}/{slug}", reason=reason, date=dt.date.today().isoformat(),
                                 files=[_relative(context, p) for p in changed if not p.exists()],
                                 **({"public": True} if slug in public else {}))
    context.editor.notify(changed, who, "purge", f"撤回授权，已清除：{reason}")
    return changed


def _relative(context, path: Path) -> str:
    return path.relative_to(context.paths.root).as_posix()


def _remove_derivatives(context, media: list[str]) -> list[Path]:
    """Thumbnails and web sizes of the photos, found by the name the cache gives them."""
    for name in media:
        source = context.store.media_path(name)
        for size in SIZES:
            target = derivative_path(context.paths.cache_dir, source, size)
            target.unlink(missing_ok=True)
    return []


def _remove_files(context, plan: PurgePlan) -> list[Path]:
    store, removed = context.store, []
    for kind, slugs, delete in (("stories", plan.stories, store.delete_story),
                                ("people", plan.people, store.delete_person)):
        for slug in slugs:
            removed.append(store.root / kind / f"{slug}.md")
            delete(slug)
            removed.append(context.history.dir / kind / slug)
            shutil.rmtree(removed[-1], ignore_errors=True)
    for name in plan.media:
        path = store.media_dir / name
        atomic_delete(path)
        removed.append(path)
    return removed


def _rewrite_collections(context, plan: PurgePlan) -> list[Path]:
    rewritten = []
    for stem in plan.collections:
        path = context.catalog.collections_dir / f"{stem}.md"
        text = path.read_text(encoding="utf-8")
        for slug in plan.stories:
            text = _line_of(slug).sub("", text)
        for name in plan.media:
            text = _cover_line(name).sub("", text)
        atomic_write_text(path, text)
        rewritten.append(path)
    return rewritten


def _rewrite_lectures(context, plan: PurgePlan, who: str) -> list[Path]:
    """Plans lose the items that cite the material and gain a note; their old versions that
    cited it leave the version store (the log keeps the entry, without the text)."""
    note = f"【材料已撤回】{dt.date.today().isoformat()}：讲稿引用的一份材料因授权撤回已从档案中清除。"
    for plan_id in plan.lectures:
        lecture = context.lectures.get(plan_id)
        if lecture is None:
            continue
        lecture.items = [i for i in lecture.items
                         if i.story not in plan.stories and not (i.photo and i.photo in plan.media)]
        lecture.notes = f"{lecture.notes.rstrip()}\n\n{note}".strip()
        context.lectures.save(lecture, who, "讲稿引用的材料因授权撤回已清除")
    return [blob for plan_id in plan.lectures for blob in _scrub_history(context, plan_id, plan)]


def _scrub_history(context, plan_id: str, plan: PurgePlan) -> list[Path]:
    """Remove the kept versions of a lecture plan that name a purged story or photo."""
    folder = context.history.dir / "lectures" / plan_id
    names = [*plan.stories, *plan.media]
    removed = []
    for blob in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if any(name in blob.read_text(encoding="utf-8", errors="replace") for name in names):
            atomic_delete(blob)
            removed.append(blob)
    return removed


def _rebuild_index(context) -> None:
    """A rebuilt index holds no deleted document (Whoosh keeps deleted text until segments merge)."""
    search = context.search
    engine = getattr(search, "engine", search)
    engine.rebuild()


def purged_paths(audit) -> list[str]:
    """Every path a purge removed, from the tombstones in the audit log."""
    return sorted({name for entry in audit.entries() if entry.get("action") == "purge"
                   for name in entry.get("files") or [] if isinstance(name, str)})
