"""Spot what looks like sensitive personal information in a transcript before it is
saved: resident ID-card numbers, phone numbers and home addresses (PIPL).

`find_sensitive(text) -> [Finding]` is pure; the editor warns and asks the
archivist to confirm.  Findings are shown masked, never repeated in full.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

ID_CARD = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                     r"(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
ADDRESS = re.compile(r"[\u4e00-\u9fff]{1,12}(?:路|街|大街|巷|弄|胡同|大道|村|小区|花园|新村)"
                     r"[0-9０-９一二三四五六七八九十百]+(?:号|弄)(?:院)?"
                     r"(?:[0-9０-９一二三四五六七八九十]+(?:号楼|栋|幢|单元|楼|室|号))*")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
KIND_NAMES = {"id_card": "身份证号", "phone": "电话号码", "address": "住址门牌"}


@dataclass(frozen=True)
class Finding:
    """One place that looks like personal data."""

    kind: str  # id_card, phone, address
    line: int  # 1-based line of the transcript; 0 = in the summary
    masked: str

    @property
    def label(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def where(self) -> str:
        """'第 3 行' or '摘要'."""
        return f"第 {self.line} 行" if self.line else "摘要"


def _id_checksum_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def _mask(text: str) -> str:
    if len(text) <= 4:
        return "*" * len(text)
    keep = max(2, len(text) // 4)
    return text[:keep] + "*" * (len(text) - 2 * keep) + text[-keep:]


def find_sensitive(text: str) -> list[Finding]:
    """Every ID-card number (checksum-valid), phone number and street address in `text`."""
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in ID_CARD.finditer(line):
            if _id_checksum_ok(match.group()):
                findings.append(Finding("id_card", number, _mask(match.group())))
        for pattern in (MOBILE, LANDLINE):
            findings += [Finding("phone", number, _mask(m.group())) for m in pattern.finditer(line)]
        findings += [Finding("address", number, _mask(m.group())) for m in ADDRESS.finditer(line)]
    return findings


def find_in_story(summary: str, body: str) -> list[Finding]:
    """Findings in a story's summary (line 0) and transcript (its own line numbers)."""
    return [replace(f, line=0) for f in find_sensitive(summary)] + find_sensitive(body)
