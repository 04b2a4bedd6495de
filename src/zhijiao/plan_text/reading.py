"""The plan's text from what an official has: a pasted text, a .txt file (UTF-8, or GB18030/GBK as Chinese
offices save it) or a .docx, whose ``word/document.xml`` is read with expat under the same bounds as the
registry's xlsx reader (registry/xlsx_reader.py): sizes checked from the zip's directory before anything is
unpacked, no DTD, text taken in as it is parsed and refused once it passes the limit. A hostile file is refused
with the reason in both languages, before anything is stored.

python-docx is not a dependency, and a plan needs only its paragraphs' text: no tables, styles or images.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import PurePosixPath
from typing import Final
from xml.parsers.expat import ExpatError

from zhijiao.refusals import Invalid
from zhijiao.registry.xlsx_text_stream import End, chunks, parser

MAX_FILE_BYTES: Final = 5 * 1024 * 1024  # a 20-article plan is 30–60 KB of text, a .docx of it 30–300 KB
MAX_TEXT_CHARS: Final = 200_000  # about ten times a plan's length
MAX_DOCUMENT_BYTES: Final = 20 * 1024 * 1024  # word/document.xml unpacked: Word's markup is 10–50 times the text
MAX_RATIO: Final = 100  # deflated XML is 5–30 times smaller; more than this is a zip bomb's
SUFFIXES: Final = (".txt", ".docx")
_ZIP: Final = b"PK\x03\x04"
_SURROGATE: Final = re.compile("[\ud800-\udfff]")  # half a character: what no file decodes to, nor a form sends
_DOCUMENT: Final = "word/document.xml"
_BOMS: Final = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_STRICT: Final = "http://purl.oclc.org/ooxml/wordprocessingml/main}"


class TextRefused(Invalid):
    """A text or a file that cannot be the plan's text, with the reason in Chinese and English."""

    code = "text_refused"


def _too_long() -> TextRefused:
    return TextRefused(
        f"文本超过 {MAX_TEXT_CHARS:,} 个字符，不像一份实施方案，未读取。",
        f"The text is longer than {MAX_TEXT_CHARS:,} characters, far more than a plan; it was not read.",
    )


def checked_text(text: str) -> str:
    """Pasted or decoded text as it will be parsed: line ends made one, refused when empty, too long or holding
    a NUL (PostgreSQL stores none in text, and in a text it means the file was not text)."""
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long()
    if "\0" in text:
        raise TextRefused(
            "文本含有空字符（NUL），不是文本文件，未读取。",
            "The text holds a NUL character: not a text file; not read.",
        )
    if _SURROGATE.search(text):
        raise TextRefused("文本含有无效字符，未读取。", "The text holds invalid characters; it was not read.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise TextRefused("文本为空。", "The text is empty.")
    return text


def _decoded_txt(data: bytes) -> str:
    """A .txt's text: a BOM decides; without one UTF-8 if all of it decodes as UTF-8, else GB18030 (a superset of
    GBK and GB2312, as the registry's CSV reader reads them), else refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    else:
        for encoding in ("utf-8", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise TextRefused(
        "无法识别文件的字符编码（应为 UTF-8 或 GBK/GB18030）。",
        "The file's character encoding is not recognised (expected UTF-8 or GBK/GB18030).",
    )


class _Paragraphs:
    """The text of ``<w:t>`` runs, a tab for ``<w:tab/>``, a line break for ``<w:br/>`` and the end of each
    ``<w:p>``; everything else (properties, deleted runs' ``<w:delText>``, field codes) is no text."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self._in_text = False

    def _add(self, piece: str) -> None:
        self.length += len(piece)
        if self.length > MAX_TEXT_CHARS:
            raise _too_long()
        self.pieces.append(piece)

    def start(self, name: str, _attributes: dict[str, str]) -> None:
        local = name.removeprefix(_W).removeprefix(_W_STRICT)
        if local == "t":
            self._in_text = True
        elif local == "tab":
            self._add("\t")
        elif local in {"br", "cr"}:
            self._add("\n")

    def end(self, name: str) -> None:
        local = name.removeprefix(_W).removeprefix(_W_STRICT)
        if local == "t":
            self._in_text = False
        elif local == "p":
            self._add("\n")
        elif local == "body":
            raise End

    def data(self, piece: str) -> None:
        if self._in_text:
            self._add(piece)


def _no_dtd(*_: object) -> None:
    # Entities a DTD declares could multiply the text far beyond the unpacked size the checks bound; OPC
    # (ECMA-376 Part 2) allows no DTD in a package, so no office program writes one.
    raise TextRefused(
        "文档含有 DTD（<!DOCTYPE>），docx 不允许，未读取。", "The document has a DTD (<!DOCTYPE>), which docx forbids."
    )


def _not_docx() -> TextRefused:
    return TextRefused(
        "不是 Word 文档（.docx）：请用 Word 或 WPS 另存为 .docx 或 .txt 后再载入。",
        "Not a Word document (.docx): save it from Word or WPS as .docx or .txt and load that file.",
    )


def _docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _not_docx() from None
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members)
        document = next((m for m in members if m.filename.lower() == _DOCUMENT), None)
        if document is None:
            raise _not_docx()
        # zipfile stops each member at its declared size (a member holding more fails its CRC check), so what is
        # checked here bounds what is read.
        if document.file_size > MAX_DOCUMENT_BYTES or unpacked > MAX_DOCUMENT_BYTES * 2:
            limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
            raise TextRefused(
                f"文档解压后超过 {limit} MB，不像一份实施方案，未读取。",
                f"The document unpacks to more than {limit} MB, far more than a plan; it was not read.",
            )
        ratio = unpacked // max(packed, 1)
        if ratio > MAX_RATIO and unpacked > 1024 * 1024:
            raise TextRefused(
                f"文档解压后是压缩时的 {ratio} 倍（上限 {MAX_RATIO} 倍），不像 Word 保存的文档，未读取。",
                f"The document unpacks to {ratio} times its compressed size (at most {MAX_RATIO}): "
                "not a document an office program saved; it was not read.",
            )
        paragraphs = _Paragraphs()
        expat_parser = parser(paragraphs.start, paragraphs.end, paragraphs.data, _no_dtd)
        try:
            with archive.open(document) as stream:
                for ended in chunks(expat_parser, stream):
                    if ended:
                        break
        except ExpatError as error:
            raise TextRefused(
                f"文档内容已损坏（{error}），未读取。", f"The document is damaged ({error}); it was not read."
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError):
            raise _not_docx() from None
    return "".join(paragraphs.pieces)


def read_file(data: bytes, filename: str) -> str:
    """The text of an uploaded .txt or .docx, checked as ``checked_text`` checks a pasted one."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in SUFFIXES:
        raise TextRefused("仅支持 .txt 或 .docx 文件。", "Only .txt and .docx files can be loaded.")
    if not data:
        raise TextRefused("文件为空。", "The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise TextRefused(f"文件超过 {limit} MB。", f"The file is larger than {limit} MB.")
    if suffix == ".docx" or data.startswith(_ZIP):
        if not data.startswith(_ZIP):
            raise _not_docx()
        return checked_text(_docx_text(data))
    return checked_text(_decoded_txt(data))
