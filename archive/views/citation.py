"""Citation <meta> tags (Dublin Core and citation_*) for the <head> of a story page, so that
Zotero and similar tools pick up title, narrator, interviewer, date, publisher, URL and rights."""
from __future__ import annotations

from flask import Flask

from archive.exchange.dublin_core import citation_meta
from archive.models import Story
from archive.views.links import external_url


def citation_tags(story: Story) -> list[tuple[str, str]]:
    """(name, content) of every citation <meta> tag of this story's page."""
    return citation_meta(story, external_url("stories.show", slug=story.slug))


def init_app(app: Flask) -> None:
    """Make `citation_tags(story)` available to templates."""
    app.add_template_global(citation_tags)
