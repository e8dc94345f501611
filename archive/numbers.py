"""Numbers typed by users (?page=, per_page, a birth year, a talk's minutes): the one parser.

Accepted: ASCII digits, and full-width digits (１９３２), which NFKC folds to ASCII.
Everything else Python's `str.isdigit()` or `int()` would let through or choke on —
superscripts (¹⁹³²), circled digits, Arabic-Indic digits, 'nan', 'inf', '1e400',
4,300-digit strings — is a NumberError with a Chinese message, never a 500.
"""
from __future__ import annotations

import re
import unicodedata

FULL_WIDTH = re.compile(r"[０-９．－＋]")
WHOLE = re.compile(r"[+-]?[0-9]{1,15}", re.ASCII)
DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})", re.ASCII)


class NumberError(ValueError):
    """A value that is not a number the archive accepts; `message` says so in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _folded(text: str) -> str:
    """Full-width digits, point and signs as ASCII (only those: NFKC would also turn ¹ into 1)."""
    return FULL_WIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text.strip())


def parse_number(text: object, label: str = "数字", whole: bool = True,
                 minimum: float | None = None, maximum: float | None = None) -> int | float:
    """`text` as an int (or, with whole=False, a finite decimal) within [minimum, maximum];
    NumberError naming `label` otherwise."""
    folded = _folded(text) if isinstance(text, str) else ""
    pattern = WHOLE if whole else DECIMAL
    if not pattern.fullmatch(folded):
        kind = "整数" if whole else "数字"
        raise NumberError(f"{label}应为{kind}，请用阿拉伯数字填写")
    number: int | float = int(folded) if whole else float(folded)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise NumberError(f"{label}应在 {minimum:g} 到 {maximum:g} 之间" if minimum is not None and maximum is not None
                          else f"{label}超出范围")
    return number


def number_or(text: object, default: int, minimum: int, maximum: int) -> int:
    """A whole number from a link (?page=): the nearest allowed value when out of range,
    `default` when it is not a number at all (links are forgiving; forms say what is wrong)."""
    try:
        number = parse_number(text)
    except NumberError:
        return default
    return int(min(max(number, minimum), maximum))
