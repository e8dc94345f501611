"""A story as a Dublin Core record: one mapping shared by OAI-PMH (`oai_dc`), the JSON API and
the citation <meta> tags of the story page."""
from __future__ import annotations

from archive.access import effective_level
from archive.models import Story

PUBLISHER = "红色故事 · 老兵口述历史档案"
RIGHTS = {"public": "公开：可阅读、引用，请注明出处", "internal": "内部：仅限登录的宣讲团成员与工作人员",
          "restricted": "受限：仅限档案工作人员"}
ELEMENTS = ("title", "creator", "contributor", "subject", "description", "date", "type", "format",
            "identifier", "language", "coverage", "publisher", "rights")


def dublin_core(story: Story, url: str) -> dict[str, list[str]]:
    """{element: [values]} for the fifteen-element set (empty elements left out); `url` is the stable address."""
    subjects = [*story.strings("conflicts"), *story.strings("honors"), *story.strings("tags")]
    place = story.meta.get("place")
    record = {
        "title": [story.title],
        "creator": story.narrators,
        "contributor": story.interviewers,
        "subject": list(dict.fromkeys(subjects)),
        "description": [story.summary] if story.summary else [],
        "date": [story.interviewed] if story.interviewed else [],
        "type": ["口述历史访谈", "Text"],
        "format": ["text/markdown"],
        "identifier": [url],
        "language": ["zh-CN"],
        "coverage": [place] if isinstance(place, str) and place.strip() else [],
        "publisher": [PUBLISHER],
        "rights": [RIGHTS[effective_level(story.meta)]],
    }
    return {key: [str(v) for v in values if str(v).strip()] for key, values in record.items() if values}


def citation_meta(story: Story, url: str) -> list[tuple[str, str]]:
    """(name, content) pairs for <meta> tags that Zotero and similar tools read: DC.* and citation_*."""
    record = dublin_core(story, url)
    tags = [(f"DC.{element}", value) for element in ELEMENTS for value in record.get(element, [])]
    tags += [("citation_title", story.title), *(("citation_author", n) for n in story.narrators),
             ("citation_publisher", PUBLISHER), ("citation_public_url", url), ("citation_language", "zh")]
    if story.interviewed:
        tags.append(("citation_date", story.interviewed.replace("-", "/")))
    return tags
