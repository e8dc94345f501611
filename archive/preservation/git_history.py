"""History that replicates: when the archive root is a git work tree that opted in
(`git config archive.commits true`), every change made through the app becomes a git commit (with the `git` command), authored by the user, with a
message saying what changed.  Without git nothing happens here; the version store
(ROOT/.history/) keeps the history either way, and is committed with the change.
"""
from __future__ import annotations

import fcntl
import logging
import os
import shlex
import shutil
import subprocess
from pathlib import Path

from archive.preservation.content import relative_to_root
from archive.preservation.manifest import FOLDER as FIXITY_FOLDER

LOG = logging.getLogger(__name__)
PURGED_MESSAGE = "（此次修改涉及的内容因授权撤回已清除）"
COMMITTER = {"GIT_COMMITTER_NAME": "红色故事档案", "GIT_COMMITTER_EMAIL": "archive@localhost"}


def is_git_root(root: Path) -> bool:
    """Is the archive root the top of a git work tree?"""
    return (Path(root) / ".git").exists()


def _config(root: Path, key: str) -> str:
    try:
        return git(root, "config", "--get", key).stdout.strip()
    except (subprocess.CalledProcessError, OSError, subprocess.TimeoutExpired):
        return ""


def records_commits(root: Path) -> bool:
    """Does this root commit every change?  A git root that opted in with
    `git config archive.commits true` (so a code checkout holding sample stories never does)."""
    return is_git_root(root) and _config(root, "archive.commits").lower() in ("true", "yes", "1")


def is_replica(root: Path) -> bool:
    """Is this root a clone (a git root with an `origin` to pull from)?"""
    return is_git_root(root) and bool(_config(root, "remote.origin.url"))


def git(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `git -C root ARGS…` (no pager, no prompts); raise CalledProcessError on failure."""
    full_env = dict(os.environ, GIT_TERMINAL_PROMPT="0", **(env or {}))
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=full_env, timeout=120)


def author_of(who: str) -> str:
    """'archivist1 <archivist1@archive.invalid>' for git's --author."""
    name = who.replace("<", "").replace(">", "").strip() or "system"
    return f"{name} <{name.replace(' ', '_')}@archive.invalid>"


def _history_folders(relatives: list[str]) -> list[str]:
    """'.history/stories/x' for every 'stories/x.md' among the changed files."""
    found = []
    for relative in relatives:
        kind, _, name = relative.partition("/")
        if kind in ("stories", "people", "lectures") and name.endswith(".md") and "/" not in name:
            found.append(f".history/{kind}/{name[:-3]}")
    return found


class GitRecorder:
    """An Editor observer that commits each change to the archive's git repository."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def changed(self, paths: list[Path], who: str, action: str, message: str) -> None:
        """`git add` the changed files (and their history, and the fixity manifest) and commit them."""
        if not records_commits(self.root):
            return
        relatives = [r for r in (relative_to_root(self.root, p) for p in paths) if r]
        if not relatives:
            return
        pathspecs = [*relatives, *_history_folders(relatives), FIXITY_FOLDER + "/manifest-sha256.txt"]
        pathspecs = [p for p in pathspecs if (self.root / p).exists() or self._tracked(p)]
        subject = f"{action}：{'、'.join(relatives[:3])}{' 等' if len(relatives) > 3 else ''}"
        with open(self.root / ".git" / "archive-commit.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            git(self.root, "add", "--all", "--", *pathspecs)
            if self._nothing_staged():
                return
            body = f"{subject}\n\n{message}\n" if message else subject
            git(self.root, "commit", "--quiet", "--no-verify", f"--author={author_of(who)}", "-m", body,
                env=COMMITTER)

    def _nothing_staged(self) -> bool:
        try:
            git(self.root, "diff", "--cached", "--quiet")
        except subprocess.CalledProcessError:
            return False
        return True

    def _tracked(self, relative: str) -> bool:
        return bool(git(self.root, "ls-files", "--", relative).stdout.strip())


def rewrite_git_history(root: Path, paths: list[str]) -> int:
    """Remove `paths` from every commit of this repository (the explicit, separate step after a
    purge) and drop the old objects; return the number of commits now on the current branch.
    Existing clones keep their copy until they are re-cloned."""
    if not is_git_root(root):
        raise ValueError("档案根目录不是 git 仓库")
    quoted = " ".join(shlex.quote(p) for p in paths)
    patterns = " ".join(f"-e {shlex.quote(p)}" for p in paths)
    # a commit that names a purged file may carry the archivist's note about it: its message goes too
    messages = (f'msg=$(cat); if printf "%s" "$msg" | grep -qF {patterns}; then echo {shlex.quote(PURGED_MESSAGE)}; '
                'else printf "%s\n" "$msg"; fi')
    env = dict(COMMITTER, FILTER_BRANCH_SQUELCH_WARNING="1")
    git(root, "filter-branch", "--force", "--prune-empty", "--index-filter",
        f"git rm -r -q --cached --ignore-unmatch -- {quoted}", "--msg-filter", messages, "--", "--all", env=env)
    shutil.rmtree(Path(root) / ".git" / "refs" / "original", ignore_errors=True)
    git(root, "reflog", "expire", "--expire=now", "--all")
    git(root, "gc", "--quiet", "--prune=now")
    return int(git(root, "rev-list", "--count", "HEAD").stdout.strip())
