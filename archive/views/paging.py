"""Long lists in pages of a fixed size (all stories, a war's stories)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import urlencode

from flask import request

from archive.numbers import number_or

T = TypeVar("T")
PER_PAGE = 30


@dataclass
class Paged(Generic[T]):
    """One page of a list, with what the pager needs."""

    items: list[T]
    number: int
    pages: int
    total: int

    def url(self, number: int) -> str:
        """This address at another page."""
        args = request.args.to_dict(flat=False)
        args["page"] = [str(number)]
        return f"{request.script_root}{request.path}?{urlencode(args, doseq=True)}"


def paged(items: list[T], per_page: int | None = None) -> Paged[T]:
    """The page of `items` named by ?page= (out-of-range or bad numbers give the nearest page)."""
    per_page = per_page or PER_PAGE
    pages = max(1, -(-len(items) // per_page))
    number = number_or(request.args.get("page", "1"), 1, 1, pages)
    return Paged(items[(number - 1) * per_page: number * per_page], number, pages, len(items))
