"""Writing the index: full rebuild into a new generation, and incremental update
by set difference against the manifest.

An incremental update re-analyses exactly the stories whose analysis could
have changed: the files that changed, the stories naming a person whose file
changed, and the stories containing a word that entered or left the
vocabulary.  So an updated index answers exactly as a rebuilt one does.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from archive.models import Person
from archive.search import index
from archive.search.analysis import CJK_RUN, Vocabulary, bigram_tokens, normalize_text
from archive.search.index import IndexFolder, Manifest, file_hash, file_state
from archive.search.phrase import ExactPhrase
from archive.search.schema import ArchiveCodec, head_text, story_to_document, strip_markup
from archive.search.vocabulary import SYNONYMS_FILE, load_synonyms, person_words, story_words
from archive.search.whoosh_private import segment_sizes, start_writers, stop_writers
from archive.store import ContentStore, is_valid_slug

Progress = Callable[[int, int], None]
PARALLEL_MIN = 200  # below this many stories a single process is quicker than starting others
MAX_SEGMENTS = 8  # segments are merged once there are more than this many (off the save path after a save)
JOURNAL_LINES = 200  # a merge after a save also folds the manifest's journal in once it is this long
SMALL_INDEX = 50  # up to this many stories an update also merges segments (cheap there; keeps the folder tidy)
# Segments stay as separate files (compound=False): Whoosh opens a compound segment by copying it
# whole into memory, which doubled the memory of every searcher.  The codec skips length statistics.
WRITER_OPTIONS = {"compound": False, "codec": ArchiveCodec()}


def drop_emptied_segments(writer, segments: list) -> list:
    """Whoosh merge policy (the `mergetype` of `commit`) that merges nothing and drops the segments
    whose every document this commit (or an earlier one) deleted: saving one story again and again
    empties the segment its last save wrote, and such segments would otherwise pile up until a merge,
    each one more for every query to walk."""
    return [segment for segment in segments if segment.doc_count() > 0]


@lru_cache(maxsize=8)
def _vocabulary(words: frozenset[str]) -> Vocabulary:
    """Vocabularies are rebuilt only when their words change (building the matcher costs)."""
    return Vocabulary(words)


def scan_files(root: Path) -> dict[str, tuple[int, int]]:
    """Every story, person and synonym file under root: relative name -> (size, mtime_ns)."""
    states: dict[str, tuple[int, int]] = {}
    for folder in ("stories", "people"):
        try:
            entries = os.scandir(root / folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:  # os.scandir: a tenth of the time of Path.glob + Path.stat at 10,000 files
                name = entry.name
                if name.endswith(".md") and not name.startswith(".") and is_valid_slug(name[:-3]):
                    try:
                        if entry.is_file():
                            stat = entry.stat()
                            states[f"{folder}/{name}"] = (stat.st_size, stat.st_mtime_ns)
                    except FileNotFoundError:  # deleted while we looked
                        continue
    synonyms = root / SYNONYMS_FILE
    if synonyms.is_file():
        states[str(SYNONYMS_FILE)] = file_state(synonyms)
    return states


class Indexer:
    """Builds and updates the index of one archive."""

    def __init__(self, folder: IndexFolder, store: ContentStore, timeout: float | None = None,
                 procs: int | None = None):
        self.folder = folder
        self.procs = procs or min(2, os.cpu_count() or 1)
        self.store = store
        self.root = Path(store.root)
        self.timeout = timeout if timeout is not None else index.WRITER_TIMEOUT

    # -- what the files say ----------------------------------------------
    def _record(self, manifest: Manifest, name: str, state: tuple[int, int]) -> None:
        """Put a file's state, hash and words into the manifest."""
        path = self.root / name
        kind, _, filename = name.partition("/")
        slug = filename[:-3]
        words: list[str] = []
        if kind == "stories":
            story = self.store.get_story(slug)
            if story is not None:
                words = sorted(story_words(story))
                manifest.put("people", slug, story.people)
            else:
                manifest.put("people", slug, None)
        elif kind == "people":
            person = self.store.get_person(slug)
            words = sorted(person_words(person)) if person is not None else []
        else:
            words = sorted(load_synonyms(self.root).all_terms())
        manifest.put("files", name, [state[0], state[1], file_hash(path)])
        manifest.put("words", name, words)

    def _people(self) -> dict[str, Person]:
        return {person.slug: person for person in self.store.list_people()}

    @staticmethod
    def vocabulary(manifest: Manifest, root: Path) -> Vocabulary:
        """The segmenter vocabulary the manifest describes (defaults when there is no synonym file)."""
        words = manifest.vocabulary_words()
        if str(SYNONYMS_FILE) not in manifest.files:
            words |= load_synonyms(root).all_terms()
        return _vocabulary(words)

    # -- rebuild ----------------------------------------------------------
    def rebuild(self, progress: Progress | None = None) -> int:
        """Index every story into a new generation and swap it in; return the number indexed."""
        with self.folder.writer_lock(self.timeout):
            return self._rebuild(progress)

    def _rebuild(self, progress: Progress | None) -> int:
        files = scan_files(self.root)
        temp, ix = self.folder.new_generation()
        procs = self.procs if sum(n.startswith("stories/") for n in files) >= PARALLEL_MIN else 1
        # With procs > 1 this process analyses while `procs` others write one segment each (both cores
        # busy).  The writers are forked first, while this process is still small, so they do not
        # inherit (and count in their memory) every story parsed below.
        writer = ix.writer(procs=procs, multisegment=True, batchsize=50, limitmb=32, **WRITER_OPTIONS) if procs > 1 \
            else ix.writer(limitmb=64, **WRITER_OPTIONS)
        if procs > 1:
            start_writers(writer, procs)
        manifest = Manifest()
        try:
            for name, state in sorted(files.items()):
                self._record(manifest, name, state)
            vocab = self.vocabulary(manifest, self.root)
            stories = self.store.list_stories()
            people = self._people()
            for done, story in enumerate(stories, start=1):
                writer.add_document(**story_to_document(story, vocab, people))
                if progress:
                    progress(done, len(stories))
            writer.commit()
        except BaseException:
            if procs > 1:
                stop_writers(writer)
            writer.cancel()
            ix.close()
            raise
        ix.close()
        self.folder.publish(temp, manifest)
        return len(stories)

    def replace(self, damaged: Path | None) -> int | None:
        """Rebuild after the generation `damaged` (None: the one on disk) could not be read, unless
        another writer has replaced it by a readable one meanwhile; the number indexed, or None."""
        with self.folder.writer_lock(self.timeout):
            current = self.folder.current_generation()
            if current is not None and current != damaged:
                try:
                    ix, _manifest = self.folder.open(deep=True)
                    ix.close()
                    return None
                except ValueError:
                    pass
            return self._rebuild(None)

    # -- one story --------------------------------------------------------
    def index_stories(self, slugs: set[str], timeout: float | None = None) -> dict[str, int]:
        """Bring the documents of these stories in step with their files (added, replaced, or removed
        when the file is gone), after a save: no other story file is read, except those holding a word
        that enters or leaves the vocabulary (found through the index, then confirmed).  `timeout`:
        seconds to wait for the writer lock (default: the indexer's)."""
        with self.folder.writer_lock(self.timeout if timeout is None else timeout):
            try:
                ix, manifest = self.folder.open()
            except ValueError:
                count = self._rebuild(None)
                return {"added": count, "changed": 0, "deleted": 0, "rebuilt": 1}
            try:
                return self._index_stories(ix, manifest, slugs)
            finally:
                ix.close()

    def _index_stories(self, ix, manifest: Manifest, slugs: set[str]) -> dict[str, int]:
        old_vocab = self.vocabulary(manifest, self.root)
        before = {f"stories/{slug}.md": manifest.words.get(f"stories/{slug}.md") for slug in slugs}
        present, gone, added = set(), set(), 0
        for slug in sorted(slugs):
            name = f"stories/{slug}.md"
            try:
                state = file_state(self.root / name)
            except (FileNotFoundError, NotADirectoryError):
                gone.add(slug)
                manifest.forget(name)
                continue
            added += name not in manifest.files
            self._record(manifest, name, state)
            present.add(slug)
        same_words = all((manifest.words.get(name) or []) == (words or []) for name, words in before.items())
        vocab = old_vocab if same_words else self.vocabulary(manifest, self.root)  # 10-40 ms at 10,000
        redo = set(present)
        if vocab != old_vocab:
            redo |= self._stories_holding(ix, old_vocab.words ^ vocab.words, manifest, redo)
        stories = [self.store.get_story(slug) for slug in sorted(redo)]
        segments = self._write(ix, redo, gone, vocab, self._people_named(stories), merge=False)
        self.folder.save_manifest(manifest, journal=True)
        return {"added": added, "changed": len(redo), "deleted": len(gone), "rebuilt": 0,
                "merge": self._merge_due(segments)}

    def _merge_due(self, segments: int) -> int:
        """0: nothing for `merge` to do; 1: due (once saves pause); 2: overdue (queries slow down)."""
        if segments > 4 * MAX_SEGMENTS:
            return 2
        return int(segments > MAX_SEGMENTS or self.folder.journal_lines() >= JOURNAL_LINES)

    def merge(self, timeout: float | None = None) -> None:
        """What a save leaves for later, done under the writer lock: merge small segments once there are
        more than MAX_SEGMENTS, and fold the manifest's journal into the manifest."""
        with self.folder.writer_lock(self.timeout if timeout is None else timeout):
            try:
                ix, manifest = self.folder.open()
            except ValueError:
                return  # the next save or the start-up check rebuilds it
            try:
                if len(segment_sizes(ix)) > MAX_SEGMENTS:
                    ix.writer(timeout=self.timeout, **WRITER_OPTIONS).commit(merge=True)
                self.folder.save_manifest(manifest)
            finally:
                ix.close()

    def _stories_holding(self, ix, words: set[str], manifest: Manifest, already: set[str]) -> set[str]:
        """`_stories_containing`, reading only the stories the index says hold the words' characters
        (every story for a word without two CJK characters in a row)."""
        runs = [max(CJK_RUN.findall(word), key=len, default="") for word in words]
        if any(len(run) < 2 for run in runs):
            return self._stories_containing(words, manifest, already)
        among: set[str] = set()
        with ix.searcher() as searcher:
            for run in set(runs):
                grams = bigram_tokens(run)
                for leaf, _offset in searcher.leaf_searchers():
                    for fieldname in ("body2", "head2"):
                        ids, _freqs = ExactPhrase(fieldname, grams).found(leaf)
                        among |= {leaf.stored_fields(doc)["slug"] for doc in ids.tolist()}
        return self._stories_containing(words, manifest, already, among & set(manifest.people))

    # -- update -----------------------------------------------------------
    def update(self, deep: bool = False) -> dict[str, int]:
        """Bring the index in step with the files; rebuild when it is missing or unreadable
        (`deep`: check every segment too, as at start-up)."""
        with self.folder.writer_lock(self.timeout):
            try:
                ix, manifest = self.folder.open(deep)
            except ValueError:
                count = self._rebuild(None)
                return {"added": count, "changed": 0, "deleted": 0, "rebuilt": 1}
            try:
                return self._update(ix, manifest)
            finally:
                ix.close()

    def _changed_files(self, manifest: Manifest) -> tuple[list[str], list[str], dict[str, tuple[int, int]]]:
        """(changed or added names, deleted names, current states); unchanged hashes only refresh states."""
        current = scan_files(self.root)
        changed = []
        for name, state in current.items():
            known = manifest.files.get(name)
            if known and (known[0], known[1]) == state:
                continue
            if known and known[2] == file_hash(self.root / name):
                manifest.put("files", name, [state[0], state[1], known[2]])
                continue
            changed.append(name)
        deleted = [name for name in manifest.files if name not in current]
        return changed, deleted, current

    def _update(self, ix, manifest: Manifest) -> dict[str, int]:
        old_vocab = self.vocabulary(manifest, self.root)
        changed, deleted, current = self._changed_files(manifest)
        added = sum(1 for n in changed if n.startswith("stories/") and n not in manifest.files)
        touched_people = {n[7:-3] for n in changed + deleted if n.startswith("people/")}
        for name in deleted:
            manifest.forget(name)
        for name in changed:
            self._record(manifest, name, current[name])
        vocab = self.vocabulary(manifest, self.root)
        redo = {n[8:-3] for n in changed if n.startswith("stories/")}
        redo |= {slug for slug, names in manifest.people.items() if touched_people & set(names)}
        if vocab != old_vocab:
            redo |= self._stories_containing(old_vocab.words ^ vocab.words, manifest, redo)
        gone = {n[8:-3] for n in deleted if n.startswith("stories/")}
        self._write(ix, redo, gone, vocab)
        self.folder.save_manifest(manifest)
        return {"added": added, "changed": len(redo), "deleted": len(gone), "rebuilt": 0}

    def _stories_containing(self, words: set[str], manifest: Manifest, already: set[str],
                            among: set[str] | None = None) -> set[str]:
        """Slugs of stories (of `among`, else all) whose analysed text contains any of `words`: their
        segmentation may change when the words enter or leave the vocabulary."""
        people = self._people() if among is None else None
        found = set()
        for slug in sorted(manifest.people if among is None else among):
            if slug in already:
                continue
            story = self.store.get_story(slug)
            if story is None:
                continue
            named = people if people is not None else self._people_named([story])
            text = normalize_text(strip_markup(story.body)) + "\n" + normalize_text(head_text(story, named))
            if any(word in text for word in words):
                found.add(slug)
        return found

    def _people_named(self, stories) -> dict[str, Person]:
        """The people the stories name (only their files are read)."""
        named = {slug for story in stories if story is not None for slug in story.people}
        found = {slug: self.store.get_person(slug) for slug in sorted(named)}
        return {slug: person for slug, person in found.items() if person is not None}

    def _write(self, ix, redo: set[str], gone: set[str], vocab: Vocabulary,
               people: dict[str, Person] | None = None, merge: bool = True) -> int:
        """Replace the documents of `redo` (from their files) and remove those of `gone`, in one commit;
        `people`: those the stories name (default: every person file); `merge=False` leaves merging
        segments to `merge()` except in a small index.  Returns the number of segments."""
        if not redo and not gone:
            return len(segment_sizes(ix))
        stories = {slug: self.store.get_story(slug) for slug in sorted(redo)}
        if people is None:
            people = self._people()
        writer = ix.writer(timeout=self.timeout, **WRITER_OPTIONS)
        try:
            for slug in sorted(gone | redo):
                writer.delete_by_term("slug", slug)
            for story in stories.values():
                if story is not None:
                    writer.add_document(**story_to_document(story, vocab, people))
            sizes = segment_sizes(ix)
            if sum(sizes) <= SMALL_INDEX:
                writer.commit(optimize=True)
            elif merge and len(sizes) > MAX_SEGMENTS:
                writer.commit(merge=True)
            else:  # deciding whether to merge opens every segment; do it only once small segments pile up
                writer.commit(mergetype=drop_emptied_segments)
        except BaseException:
            writer.cancel()
            raise
        return len(segment_sizes(ix))
