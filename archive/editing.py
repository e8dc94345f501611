"""The editing service: every change to a story or person goes through here.

One save = keep the new text in the history, append an audit line (who, what,
when, before/after version), write the file atomically (refusing a stale edit),
then update the search index.  History and audit come first, so a crash never
leaves a changed file that nobody is recorded as changing; an index left behind
by a crash is brought in step by the start-up check.

Storage that refuses the save (read-only, full) raises a StorageError: checked
before anything is logged, so no history or audit line claims a save that did
not happen; a disk that fills in between gets a `.failed` audit line.
"""
from __future__ import annotations

import copy
import datetime as dt
import logging
from contextlib import suppress
from pathlib import Path
from typing import Any, Protocol

from archive.access import policy_problems
from archive.audit import AuditLog
from archive.consent import consent_problems
from archive.content_model import STORY_FIELDS, meta_problems, missing_problems, slug_problem, slug_taken
from archive.frontmatter import FrontMatterError
from archive.merging import StoryMerge, merge_story
from archive.models import Person, Record, Story, content_version
from archive.read_only import ReadOnlyMode
from archive.safe_write import StorageError, probe_writable, storage_errors
from archive.segment_pins import KeptIds, pin_cited_ids
from archive.sensitive import Finding, find_in_story
from archive.slugs import slug_from_title
from archive.store import NEW_FILE_VERSION, ContentStore, StaleEditError, is_valid_slug
from archive.versions import History

KINDS = {Story: "stories", Person: "people"}  # other record kinds (lecture plans) name their folder as KIND


def record_kind(record: Record) -> str:
    """The folder a record lives in: 'stories', 'people', 'lectures' …"""
    return KINDS.get(type(record)) or type(record).KIND  # type: ignore[attr-defined]


class EditError(ValueError):
    """Input that cannot be saved, with a Chinese message per form field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(errors.values()))
        self.errors = errors


class MissingBaseError(EditError):
    """A write that does not say which version it was based on: refused, never waved through."""

    def __init__(self) -> None:
        super().__init__({"base_version": "缺少所依据的版本号，无法判断是否会覆盖他人的修改，未保存；请重新打开后再改"})


class SegmentCitations(Protocol):
    """Records that cite story segments by id (lecture plans): asked before a story is saved."""

    def cited_segments(self, story: str) -> set[str]:
        """The segment ids of `story` this kind of record cites."""

    def move_segment_refs(self, story: str, moved: dict[str, str], who: str) -> None:
        """Point references to the old names in `moved` at the segments' ids (saved through the editor)."""


class ConsentNeeded(EditError):
    """Publishing a story whose consent is missing: needs an explicit confirmation with a reason."""

    def __init__(self, problems: list[str]):
        super().__init__({"consent": "；".join(problems)})
        self.problems = problems


class SensitiveDataFound(EditError):
    """A story whose summary or transcript looks like it holds personal data (archive.sensitive):
    saved only when the caller confirms (`confirm_sensitive=True`) after showing `findings` (masked)."""

    def __init__(self, findings: list[Finding]):
        super().__init__({"body": "文字稿中可能含有个人敏感信息（"
                          + "、".join(f"{f.where}：{f.label} {f.masked}" for f in findings) + "），请核对后确认再保存"})
        self.findings = findings


def refuse_sensitive(story: Record, confirmed: bool) -> None:
    """SensitiveDataFound when the story's summary or transcript holds personal data, unless confirmed."""
    if confirmed:
        return
    findings = find_in_story(str(story.meta.get("summary") or ""), story.body)
    if findings:
        raise SensitiveDataFound(findings)


def _refuse_unreadable_text(record: Record, text: str) -> None:
    """EditError when the file this save would write could not be read back (an empty key, a
    number too long for the reader, …): nothing is written, logged or indexed."""
    try:
        type(record).from_text(record.slug, text)
    except FrontMatterError as error:
        raise EditError({"meta": f"元数据无法保存：{error.message}"}) from None


def refuse_wrong_fields(story: Story) -> None:
    """EditError when a required field is missing or blank, or a front-matter field this save sets
    or changes is not of its declared kind (archive.content_model): the form, the API and a library
    caller get the same check.  A field left as it was on disk is not held against the save
    (`archive check` reports it); a new story has nothing on disk, so every field counts."""
    before, absent = story.original_meta, object()
    changed = None if before is None else {key for key in story.meta.keys() | before.keys()
                                           if story.meta.get(key, absent) != before.get(key, absent)}
    problems = missing_problems(STORY_FIELDS, story.meta, changed) | meta_problems(STORY_FIELDS, story.meta, changed)
    if problems:
        raise EditError(problems)


class WriteObserver(Protocol):
    """Something that must follow every change made through the editor (registered in archive.context)."""

    def changed(self, paths: list[Path], who: str, action: str, message: str) -> None:
        """`paths` (absolute, under the archive root) were just written or deleted by `who`."""


def target_path(kind: str, slug: str) -> str:
    """The file of a record, relative to the archive root: 'stories/<slug>.md'."""
    return f"{kind}/{slug}.md"


def _refuse_unreadable_access(record: Record) -> None:
    """EditError for an access value (access, status, embargo_until) this save would write and the
    policy cannot read; values already on disk are left for `archive check` to report."""
    before = record.original_meta or {}
    problems = {key: message for key, message in policy_problems(record.meta)
                if key not in before or before[key] != record.meta[key]}
    if problems:
        raise EditError(problems)


def _today() -> str:
    return dt.date.today().isoformat()


class Editor:
    """Creates, edits, publishes, takes down and restores records, keeping history and audit."""

    def __init__(self, store: ContentStore, history: History, audit: AuditLog, search_of=lambda: None):
        self.store, self.history, self.audit = store, history, audit
        self._search_of = search_of  # called late: the search engine may be set up after us
        self.read_only: ReadOnlyMode | None = None  # set at start-up when the storage may not be written
        self.observers: list[WriteObserver] = []  # told of every file this editor writes or deletes
        self.citations: list[SegmentCitations] = []  # who cites segments (lecture plans)

    # -- the one write path ------------------------------------------------
    def _folder(self, kind: str) -> Path:
        return {"stories": self.store.stories_dir, "people": self.store.people_dir}.get(kind, self.store.root / kind)

    def _current_bytes(self, kind: str, slug: str) -> bytes | None:
        path = self._folder(kind) / f"{slug}.md"
        return path.read_bytes() if path.is_file() else None

    def check_writable(self) -> None:
        """StorageError at once if the site runs read-only (before an upload writes any file)."""
        if self.read_only is not None:
            raise self.read_only.refusal()

    def commit(self, record: Record, base_version: str | None, who: str, action: str,
               message: str = "", **details: Any) -> Record:
        """Save `record`: history and audit first (write-ahead), then the file, then the index.

        `base_version` is the version the change was made on (NEW_FILE_VERSION for a new file);
        MissingBaseError without one, StaleEditError if the file moved on since; StorageError if
        the storage refuses.  Logging before writing means a crash never leaves a changed file that nobody
        is recorded as changing; a crash before the file is replaced leaves a logged version
        that is not current (its text is in the history, so nothing typed is lost).
        """
        kind, slug = record_kind(record), record.slug
        target = f"{kind}/{slug}"
        if not base_version:
            raise MissingBaseError()
        if type(record) in KINDS:  # stories and people carry access rules; plans have their own statuses
            _refuse_unreadable_access(record)
        self.check_writable()
        before = self._current_bytes(kind, slug)
        before_version = content_version(before) if before is not None else None
        if content_version(before or b"") != base_version:
            raise StaleEditError(self._current_record(kind, slug, type(record)))
        text = record.to_text()
        _refuse_unreadable_text(record, text)
        after = content_version(text.encode("utf-8"))
        self._check_room(kind, len(text.encode("utf-8")))
        with storage_errors():
            if before is not None:
                self._keep_unrecorded(kind, slug, before)
            self.history.record(kind, slug, text, who, action, message)
            self.audit.record(who, f"{kind}.{action}", target, before=before_version, after=after,
                              message=message or None, **details)
        try:
            with storage_errors():
                saved = self.store.save_record(self._folder(kind), record, base_version, type(record))
        except StaleEditError:  # someone saved in the instant between the check above and the write
            self.audit.record(who, f"{kind}.{action}.refused", target, before=before_version, after=after,
                              message="保存时文件已被他人修改，未写入")
            raise
        except StorageError as error:  # the disk filled (or went read-only) since _check_room
            with suppress(OSError):
                self.audit.record(who, f"{kind}.{action}.failed", target, before=before_version, after=after,
                                  message=f"{error.message}，未写入")
            raise
        if isinstance(saved, Story):
            self._index(saved)
        else:  # a profile's name, units and campaigns are indexed with the stories that list it
            for story in self.store.stories_of_person(saved.slug):
                self._index(story)
        media = [self.store.media_dir / name for name in details.get("files") or ()]
        self.notify([self.store.root / target_path(kind, slug), *media], who, f"{kind}.{action}", message)
        return saved

    def notify(self, paths: list[Path], who: str, action: str, message: str = "") -> None:
        """Tell every observer (fixity manifest, git replica, …) that these files were written or
        deleted by `who`; the change is on disk already, so an observer that fails is only logged."""
        for observer in self.observers:
            try:
                observer.changed(paths, who, action, message)
            except Exception:  # the save stands; the observer catches up later (fixity --accept, git add)
                logging.getLogger(__name__).exception("写入后的登记失败：%s", observer)

    def _check_room(self, kind: str, size: int) -> None:
        """StorageError now, before anything is logged, if the file, its history or the audit log
        could not be written (a read-only folder, or no room for `size` bytes)."""
        for place, needed in ((self._folder(kind), size), (self.history.dir, size), (self.audit.path.parent, 4096)):
            probe_writable(place, needed)

    def _current_record(self, kind: str, slug: str, cls: type[Record] | None = None) -> Record | None:
        cls = cls or (Story if kind == "stories" else Person)
        return self.store.get_record(self._folder(kind), slug, cls)

    def delete(self, record: Record, who: str, message: str = "") -> bool:
        """Delete a record's file (False if there was none): the deletion goes to the history (an
        empty version after the last one, so the text can be restored) and the audit log first."""
        kind, slug = record_kind(record), record.slug
        self.check_writable()
        before = self._current_bytes(kind, slug)
        if before is None:
            return False
        with storage_errors():
            self._keep_unrecorded(kind, slug, before)
            self.history.record(kind, slug, "", who, "delete", message or "删除")
            self.audit.record(who, f"{kind}.delete", f"{kind}/{slug}", before=content_version(before),
                              after=None, message=message or None)
            deleted = self.store.delete_record(self._folder(kind), slug)
        self.notify([self.store.root / target_path(kind, slug)], who, f"{kind}.delete", message)
        return deleted

    def _keep_unrecorded(self, kind: str, slug: str, data: bytes) -> None:
        """A file changed outside the app (or older than the history) is kept before it is replaced."""
        version = content_version(data)
        if not any(kept.version == version for kept in self.history.versions(kind, slug)):
            self.history.record(kind, slug, data.decode("utf-8", "replace"), "（文件）", "external",
                                "保存前磁盘上的版本")

    def _index(self, story: Story) -> None:
        """Update the index; the file is saved already, so an index that cannot be written is only
        logged (it is a cache, brought in step by the next start-up check)."""
        search = self._search_of()
        if search is None:
            return
        try:
            with storage_errors():
                search.index_story(story)
        except StorageError as error:
            logging.getLogger(__name__).warning("搜索索引未更新（%s）：%s", error.message, story.slug)
        except Exception:  # whatever the engine raises, the save stands: the index is a cache
            logging.getLogger(__name__).exception("搜索索引未更新（文件已保存）：%s", story.slug)

    def searchable_notice(self, slug: str) -> str | None:
        """When a just-saved story will be found by search, if the engine says it is not yet
        (its optional `pending_notice(slug)`: e.g. queued behind a rebuild); None when it is."""
        notice = getattr(self._search_of(), "pending_notice", None)
        try:
            return notice(slug) if callable(notice) else None
        except Exception:  # a question about a cache must not turn a save into an error
            logging.getLogger(__name__).exception("无法查询索引状态：%s", slug)
            return None

    # -- stories -------------------------------------------------------------
    def create_story(self, slug: str, meta: dict[str, Any], body: str, who: str,
                     message: str = "", action: str = "create", confirm_sensitive: bool = False) -> Story:
        """A new story, always saved as a draft; a blank slug is made from the title's pinyin;
        EditError if the slug is bad or taken, SensitiveDataFound unless `confirm_sensitive`."""
        meta = dict(meta, status="draft")
        meta.pop("takedown", None)
        refuse_wrong_fields(Story.new(slug, meta, body))  # before a slug is made from a title that may be missing
        slug = slug or slug_from_title(str(meta["title"]), lambda s: self.store.story_path(s).exists())
        if not is_valid_slug(slug):
            raise EditError({"slug": slug_problem()})
        story = Story.new(slug, meta, body)
        refuse_sensitive(story, confirm_sensitive)
        try:
            return self.commit(story, NEW_FILE_VERSION, who, action, message or "新建草稿")
        except StaleEditError:
            raise EditError({"slug": slug_taken(slug)}) from None

    def save_story(self, story: Story, base_version: str | None, who: str, message: str = "",
                   action: str = "edit", confirm_sensitive: bool = False) -> Story:
        """Save an edited story; StaleEditError when someone else saved it since `base_version`,
        SensitiveDataFound when it holds personal data and the caller did not confirm.
        A cited segment whose id the edit would change gets its old id pinned on its heading;
        EditError when it leaves out a required field or a field it changes is not of its declared kind."""
        refuse_wrong_fields(story)
        refuse_sensitive(story, confirm_sensitive)
        kept = self._keep_cited_ids(story)
        if kept is not None and kept.pinned:
            story = copy.copy(story)
            story.body = kept.body
        details = {key: value for key, value in (("pinned", kept.pinned), ("moved", kept.moved),
                                                 ("unkept", kept.lost)) if value} if kept else {}
        saved = self.commit(story, base_version, who, action, message, **details)
        for citations in self.citations if kept is not None and kept.moved else ():
            citations.move_segment_refs(story.slug, kept.moved, who)
        return saved  # type: ignore[return-value]

    def _keep_cited_ids(self, story: Story) -> KeptIds | None:
        """What keeping the ids that talks cite takes (see archive.segment_pins); None: nothing cited."""
        cited = set().union(*(c.cited_segments(story.slug) for c in self.citations)) if self.citations else set()
        current = self.store.get_story(story.slug) if cited else None
        return pin_cited_ids(current.body, story.body, cited) if current is not None else None

    def open_merge(self, current: Story, opened_version: str, mine: Story) -> StoryMerge:
        """Three-way merge of `mine` (made on `opened_version`) with the `current` file; the opened
        version is read from the history (unknown: every difference becomes a choice)."""
        if opened_version and opened_version == current.version:  # nobody saved in between
            base_text: str | None = current.source
        else:
            base_text = self.history.text("stories", current.slug, opened_version) if opened_version else None
        try:
            base = Story.from_text(current.slug, base_text) if base_text is not None else None
        except FrontMatterError:
            base = None
        return merge_story((base.meta, base.body) if base else None, (current.meta, current.body),
                           (mine.meta, mine.body))

    def save_merge(self, current: Story, merge: StoryMerge, choices: dict[str, str], mine_text: str,
                   who: str, message: str = "") -> Story:
        """Save a merge the archivist confirmed: the submitted text is kept in the history as it
        was typed, then the merged story is saved on top of `current` (KeyError: a choice missing)."""
        meta, body = merge.resolve(choices)
        self.check_writable()
        with storage_errors():
            self.history.record("stories", current.slug, mine_text, who, "conflict", "保存冲突时提交的版本（原样保留）")
        merged = copy.copy(current)
        merged.meta, merged.body = meta, body
        # both sides were saved (or submitted) through the form's check already: the merge adds no text of its own
        return self.save_story(merged, current.version, who, message or "合并冲突", "merge", confirm_sensitive=True)

    def _change_meta(self, slug: str, who: str, action: str, message: str, change, **details: Any) -> Story:
        """Apply `change` to the newest front matter; a save that lands in between is re-read, not lost."""
        attempts = 3
        while True:
            story = self.store.get_story(slug)
            if story is None:
                raise KeyError(slug)
            edited = copy.copy(story)
            edited.meta = copy.deepcopy(story.meta)
            change(edited.meta)
            try:
                return self.commit(edited, story.version, who, action, message, **details)  # type: ignore
            except StaleEditError:
                attempts -= 1
                if not attempts:
                    raise

    def publish(self, slug: str, who: str, reason: str = "") -> Story:
        """draft -> published (a taken-down story stays hidden until reinstated).  ConsentNeeded when
        consent is missing (archive.consent) unless `reason` says why it is published anyway (audited)."""
        story = self.store.get_story(slug)
        problems = consent_problems(story.meta) if story is not None else []
        reason = reason.strip()
        if problems and not reason:
            raise ConsentNeeded(problems)
        details = {"consent_missing": problems, "reason": reason} if problems else {}
        message = f"草稿发布（缺少授权，确认原因：{reason}）" if problems else "草稿发布"
        return self._change_meta(slug, who, "publish", message, lambda meta: meta.update(status="published"), **details)

    def unpublish(self, slug: str, who: str) -> Story:
        """published -> draft."""
        return self._change_meta(slug, who, "unpublish", "撤回为草稿", lambda meta: meta.update(status="draft"))

    def takedown(self, slug: str, who: str, reason: str) -> Story:
        """Hide a story at once, pending review; the reason goes to the file and the audit log."""
        reason = reason.strip()
        if not reason:
            raise EditError({"reason": "请写明下架原因"})

        def change(meta):
            meta["takedown"] = {"date": _today(), "by": who, "reason": reason}
        return self._change_meta(slug, who, "takedown", f"下架：{reason}", change, reason=reason)

    def reinstate(self, slug: str, who: str, note: str = "") -> Story:
        """End a takedown after review."""
        return self._change_meta(slug, who, "reinstate", note or "复核后恢复上架",
                                 lambda meta: meta.pop("takedown", None), note=note or None)

    def restore(self, kind: str, slug: str, version: str, who: str) -> Record:
        """Make an old version the current one (a new save; nothing is lost)."""
        text = self.history.text(kind, slug, version)
        if text is None:
            raise KeyError(version)
        current = self._current_record(kind, slug)
        cls = Story if kind == "stories" else Person
        restored = cls.from_text(slug, text)  # keeps `text` as its source: the file gets exactly these bytes
        base = current.version if current is not None else NEW_FILE_VERSION
        return self.commit(restored, base, who, "restore", f"恢复到 {version[:8]} 版本", version=version)

    # -- people ---------------------------------------------------------------
    def create_person(self, slug: str, meta: dict[str, Any], body: str, who: str, message: str = "") -> Person:
        """A new person profile; EditError if the slug is bad or taken."""
        if not is_valid_slug(slug):
            raise EditError({"person_slug": slug_problem("人物编号")})
        try:
            return self.commit(Person.new(slug, meta, body), NEW_FILE_VERSION, who, "create",  # type: ignore
                               message or "新建人物")
        except StaleEditError:
            raise EditError({"person_slug": f"人物编号 {slug} 已存在"}) from None

    def save_person(self, person: Person, base_version: str | None, who: str, message: str = "") -> Person:
        """Save an edited person profile; StaleEditError on a stale copy."""
        return self.commit(person, base_version, who, "edit", message)  # type: ignore[return-value]

