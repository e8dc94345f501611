"""Reading a transcript file an archivist uploads or imports: .md (with or without
front matter), .txt and .docx (Word headings become '##' headings).

`read_transcript(name, data) -> (meta, body)`; bad files raise TranscriptError
with a Chinese message and, where known, a line number.
"""
from __future__ import annotations

import io
import zipfile

from archive.frontmatter import FrontMatterError, parse_document

SUFFIXES = (".md", ".txt", ".docx")
MAX_BYTES = 10 * 1024 * 1024


class TranscriptError(ValueError):
    """A transcript file that cannot be read."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message, self.line = message, line


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise TranscriptError("这是二进制文件，不是文本")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # Word's "plain text" on Chinese Windows
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TranscriptError("无法识别文字编码，请另存为 UTF-8", line) from None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def docx_to_markdown(data: bytes) -> str:
    """The text of a Word document as Markdown: headings become '##', paragraphs are kept."""
    import docx  # python-docx; imported here so only uploads and imports pay for it

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise TranscriptError(f"不是有效的 Word (.docx) 文件（{error}）") from None
    blocks = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        if style.startswith(("heading", "标题")) or style == "title":
            blocks.append(f"## {text}")
        else:
            blocks.append(text)
    return "\n\n".join(blocks) + "\n"


def read_transcript(name: str, data: bytes) -> tuple[dict, str]:
    """(front matter, Markdown body) of an uploaded or imported transcript file."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SUFFIXES:
        raise TranscriptError("只支持 .md、.txt 和 .docx 格式的文字稿")
    if len(data) > MAX_BYTES:
        raise TranscriptError(f"文件过大（上限 {MAX_BYTES // 1024 // 1024} MB）")
    if not data.strip():
        raise TranscriptError("文件是空的")
    if suffix == ".docx":
        return {}, docx_to_markdown(data)
    text = _normalise_newlines(_decode(data))
    if suffix == ".md" and text.startswith("---"):
        try:
            document = parse_document(text)
        except FrontMatterError as error:
            raise TranscriptError(error.message, error.line) from None
        return document.meta, document.body.lstrip("\n")
    return {}, text
