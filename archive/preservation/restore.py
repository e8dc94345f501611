"""Restore: validate a bag in full, refuse it (naming the files) if it fails, and unpack it into
a new archive root whose fixity manifest is the bag's own SHA-256 manifest, checked again after
the copy."""
from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import bagit

from archive.preservation.bag import AUDIT_IN_BAG, HISTORY_IN_BAG
from archive.preservation.content import is_content
from archive.preservation.fixity import FixityReport, check_fixity
from archive.preservation.manifest import Manifest


class RestoreError(Exception):
    """A bag that may not be restored, or a target that may not be written (Chinese message)."""

    def __init__(self, message: str, files: list[str] | None = None):
        super().__init__(message)
        self.message, self.files = message, files or []


def validate_bag(bag_dir: Path) -> bagit.Bag:
    """The bag, fully validated; RestoreError naming every file that failed."""
    try:
        bag = bagit.Bag(str(bag_dir))
        bag.validate(processes=1)
    except bagit.BagValidationError as error:
        files = sorted({_problem_path(detail) for detail in error.details} - {""})
        raise RestoreError(f"数据包未通过校验（{len(error.details) or 1} 处问题），拒绝恢复", files) from None
    except bagit.BagError as error:
        raise RestoreError(f"不是有效的 BagIt 数据包：{error}") from None
    return bag


def _problem_path(detail) -> str:
    path = getattr(detail, "path", "") or ""
    return str(path)


def _target_of(inside: str) -> str:
    """Where a payload path goes in the new root ('history/…' back to '.history/…')."""
    if inside.startswith(HISTORY_IN_BAG + "/"):
        return ".history/" + inside[len(HISTORY_IN_BAG) + 1:]
    return inside


def restore_bag(bag_dir: Path, new_root: Path) -> FixityReport:
    """Unpack a validated bag into `new_root` (new or empty); return the fixity check of the result."""
    new_root = Path(new_root)
    if new_root.exists() and (not new_root.is_dir() or any(new_root.iterdir())):
        raise RestoreError(f"{new_root} 已存在且不是空目录；请恢复到一个新的目录")
    bag = validate_bag(bag_dir)
    payload = Path(bag_dir) / "data"
    new_root.mkdir(parents=True, exist_ok=True)
    checksums = {}
    for inside, hashes in bag.entries.items():
        if not inside.startswith("data/"):
            continue
        relative = unicodedata.normalize("NFC", inside[len("data/"):])
        target = new_root / _target_of(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(payload / inside[len("data/"):], target)
        if is_content(relative) and relative != AUDIT_IN_BAG:
            checksums[relative] = hashes["sha256"]
    Manifest(new_root).write(checksums)
    return check_fixity(new_root)
