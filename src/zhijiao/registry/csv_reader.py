"""A CSV or tab-separated text file as rows of str cells, whatever encoding and delimiter the bureau used.

Nobody is asked which encoding a file has: an official who clicks "另存为 CSV" does not know. Excel on Chinese
Windows writes "CSV (逗号分隔)" in the ANSI code page, GBK; its "Unicode 文本" is UTF-16 with a BOM and tabs;
"CSV UTF-8" has a BOM; WPS, LibreOffice and web systems write UTF-8 with or without one. A BOM decides; without
one, the file is UTF-8 only if all of it decodes as UTF-8, since a GBK file's first bytes can happen to be valid
UTF-8. GB18030 is read rather than GBK because it is a superset of GBK and GB2312: a GBK file reads the same, and
a file a system wrote in GB18030, with characters GBK lacks (rare characters of people's and places' names), reads
too.

The file is read as a stream, a few times at most: once to tell UTF-8 from GB18030, once to make sure GB18030 is
right, once for the rows; memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Final

_CHUNK: Final = 1 << 20
_BOMS: Final = (  # a UTF-32 LE BOM begins like UTF-16 LE's, but no office program writes UTF-32
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # Python's utf-16 reads the BOM to choose the byte order, then drops it
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WITHOUT_BOM: Final = ("utf-8", "gb18030")
_DELIMITERS: Final = (",", "\t", ";")  # in the order that wins a tie: comma when unclear
_SNIFFED_CHARACTERS: Final = 64 * 1024  # a header longer than this is not a header a person wrote
_UNKNOWN_ENCODING: Final = (
    "无法识别文件的字符编码（应为 UTF-8 或 GBK/GB18030）",
    "the file's character encoding is not recognised (expected UTF-8 or GBK/GB18030)",
)


class CsvError(ValueError):
    """A text file that cannot be read as a table, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes strictly, in chunks so that a 20 MB file costs 1 MB."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)  # a multi-byte character cut off at the end
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """The Python codec the file's text is in; CsvError if it is in none that Chinese office software writes."""
    with path.open("rb") as handle:
        head = handle.read(len(codecs.BOM_UTF8))
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    for encoding in _WITHOUT_BOM:
        if _decodes(path, encoding):
            return encoding
    raise CsvError(*_UNKNOWN_ENCODING)


def sniff_delimiter(line: str) -> str:
    """The delimiter the header line is split by: the one of comma, tab and semicolon it holds most of outside
    quotes. csv.Sniffer is not used: it guesses from letter frequencies and picks a Chinese character or a space
    as the delimiter of a one-column or a Chinese header."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for character in line:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in counts:
            counts[character] += 1
    return max(_DELIMITERS, key=lambda delimiter: counts[delimiter])  # max keeps the first of equal counts


def _checked(lines: Iterable[str]) -> Iterator[str]:
    """The lines as they are, refused at the first NUL: PostgreSQL cannot store one in text, and in a text file
    it means the file is not text (or is UTF-16 that lost its BOM)."""
    for number, line in enumerate(lines, start=1):
        if "\0" in line:
            raise CsvError(
                f"第{number}行含有空字符（NUL），这不是文本文件",
                f"line {number} holds a NUL character: not a text file",
            )
        yield line


def read_csv(path: Path) -> Iterator[list[object]]:
    """Row 1, 2, … of the file as lists of str (an empty cell is ""; a blank line is an empty list). Quoted
    fields, CRLF line ends and line breaks inside quotes are read as Excel writes them."""
    encoding = detect_encoding(path)
    line = 0  # the last line of the last row read: where a broken row starts
    try:
        with path.open(encoding=encoding, errors="strict", newline="") as handle:
            first = handle.readline(_SNIFFED_CHARACTERS)
            if not first:
                return  # csv.reader would make an empty file one empty row
            reader = csv.reader(_checked(chain([first], handle)), delimiter=sniff_delimiter(first))
            for row in reader:
                line = reader.line_num
                yield list[object](row)
    except UnicodeDecodeError:  # after a BOM, which promised an encoding the rest of the file does not keep
        raise CsvError(*_UNKNOWN_ENCODING) from None
    except csv.Error as error:
        if "field limit" in str(error):  # what a quote that is never closed ends in, with the default dialect
            limit = f"{csv.field_size_limit():,}"
            raise CsvError(
                f'从第{line + 1}行起的一个字段超过 {limit} 个字符：可能有引号（"）没有配对',
                f'a field from line {line + 1} on is longer than {limit} characters: perhaps a quote (") is not closed',
            ) from None
        raise CsvError(
            f"从第{line + 1}行起的内容不是有效的 CSV", f"malformed CSV from line {line + 1}: {error}"
        ) from None


__all__ = ["CsvError", "detect_encoding", "read_csv", "sniff_delimiter"]
