"""The consent gate: what is missing before a story may be published (pure rules on front matter).

A narrator's signed form (`consent.form_on_file: true`) and a consent for every photo listed
under `media:`; publishing without them takes an explicit confirmation with a reason, which
goes into the audit log (archive.editing.Editor.publish)."""
from __future__ import annotations

from typing import Any

from archive.models import as_list

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff")


def _on_file(consent: Any) -> bool:
    return isinstance(consent, dict) and consent.get("form_on_file") is True


def consent_problems(meta: dict[str, Any]) -> list[str]:
    """What consent a story lacks, one Chinese sentence each (empty: nothing missing)."""
    problems = [] if _on_file(meta.get("consent")) else ["讲述人的知情同意书没有登记为已存档"]
    for entry in as_list(meta.get("media")):
        name = str(entry.get("file") or "") if isinstance(entry, dict) else str(entry)
        if name.lower().endswith(PHOTO_SUFFIXES) and not (isinstance(entry, dict) and _on_file(entry.get("consent"))):
            problems.append(f"照片 {name} 没有登记知情同意")
    return problems
