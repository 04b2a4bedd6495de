"""The first worksheet of an xlsx file as rows of cell values, streamed with the standard library.

openpyxl's read-only mode was the import's largest memory cost after the duplicate check: it leaves every
parsed ``<row>`` attached to ``<sheetData>`` until the sheet ends, keeps the shared-string table as Python
strings, and parses a sheet without ``<dimension>`` (every file openpyxl writes, so every zhijiao export)
twice. Here each row leaves the XML tree as soon as it has been read, the sheet is parsed once and the file
is read no further than ``</sheetData>``.

A cell's value is what openpyxl's ``iter_rows(values_only=True)`` gives for it (int, float, str, bool,
datetime, time, timedelta or None), because the importer's parsing (registry/values.py) is written against
those types, with three deliberate differences: the East Asian built-in date formats are dates (Chinese Excel
and WPS use them); ``_xHHHH_`` escapes are decoded, as Excel does; and a date serial outside the calendar
stays a number, so the import can name it, instead of becoming ``#VALUE!``. Rows differ in shape only where
row numbers are at stake: the n-th list is always row n (openpyxl starts at, and stops at, what ``<dimension>``
claims), and a row ends at its last stored cell instead of being padded to the widest row.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError, iterparse

# Python's expat (≥ 2.4) refuses entity-expansion bombs and ElementTree never fetches external entities,
# which is what defusedxml would add here.

_OFFICE_DOCUMENT = "/officeDocument"  # relationship types end in these, in transitional and in strict OOXML
_WORKSHEET = "/worksheet"
_SHARED_STRINGS = "/sharedStrings"
_STYLES = "/styles"
_FALLBACK_WORKBOOK = "xl/workbook.xml"  # where every producer puts them; used when a relationship is missing
_FALLBACK_SHARED_STRINGS = "xl/sharedStrings.xml"
_FALLBACK_STYLES = "xl/styles.xml"

# Built-in number formats that show dates or times: 14–22 and 45–47 in every locale; 27–36 and 50–58 are the
# dates and times of Chinese, Japanese and Korean Excel (ECMA-376 Part 1, 18.8.30), which openpyxl does not know.
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_BUILTIN_ELAPSED_FORMATS = frozenset([46])  # [h]:mm:ss, a duration
# As openpyxl decides: only the first section counts; quoted text and [..] (colours, locales) are not date
# tokens, except the elapsed [h] [m] [s]; an escaped (\d) or spacing (_d) character is not a token either.
_NOT_TOKENS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_TOKEN = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)

_EPOCH_1900 = dt.datetime(1899, 12, 30)  # noqa: DTZ001 -- Excel dates carry no time zone
_EPOCH_1904 = dt.datetime(1904, 1, 1)  # noqa: DTZ001
_FICTITIOUS_LEAP_DAY = 60  # Excel's 1900 system counts a 29 February 1900 that never was
_MILLISECONDS_A_DAY = 86_400_000
_MAX_COLUMN_LETTERS = 3  # XFD, column 16,384, is the last Excel has
_MAX_ROW = 1_048_576  # Excel's last row: a larger number would make the reader yield empty rows for a long time
_LETTERS = 26
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATES = (0xD800, 0xDFFF)


class XlsxError(ValueError):
    """A file that is not a readable xlsx workbook, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


# ---------------------------------------------------------------------------------------------------------------
# The package: which parts hold the first worksheet, its strings and its styles
# ---------------------------------------------------------------------------------------------------------------


class _Package:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._names = {name.lower(): name for name in archive.namelist()}

    def name(self, part: str) -> str | None:
        """The archive member of a part; producers disagree on case, Excel does not care."""
        return self._names.get(part.lower())

    def open(self, part: str) -> IO[bytes]:
        name = self.name(part)
        if name is None:
            raise XlsxError(f"缺少 {part}", f"{part} is missing")
        return self.archive.open(name)

    def relationships(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, target part) of each internal relationship of ``part``."""
        folder, file = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", file + ".rels")
        if self.name(rels) is None:
            return []
        out = []
        with self.open(rels) as stream:
            for _, element in iterparse(stream):  # noqa: S314 -- see the note on expat above
                if _local(element.tag) == "Relationship" and element.get("TargetMode") != "External":
                    target = element.get("Target", "")
                    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                    out.append((element.get("Id", ""), element.get("Type", ""), posixpath.normpath(path)))
        return out


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(element: Element) -> str:
    """The element's "{namespace}": transitional and strict OOXML name the same elements in different ones."""
    return element.tag[: element.tag.index("}") + 1] if element.tag.startswith("{") else ""


def _of_type(relationships: list[tuple[str, str, str]], kind: str) -> str | None:
    return next((target for _, type_, target in relationships if type_.endswith(kind)), None)


def _workbook(package: _Package) -> tuple[str, str, bool]:
    """The first worksheet's part, the workbook's part and whether dates count from 1904."""
    workbook = _of_type(package.relationships(""), _OFFICE_DOCUMENT) or _FALLBACK_WORKBOOK
    rels = {ident: (type_, target) for ident, type_, target in package.relationships(workbook)}
    date1904 = False
    with package.open(workbook) as stream:
        for _, element in iterparse(stream):  # noqa: S314
            name = _local(element.tag)
            if name == "workbookPr":
                date1904 = element.get("date1904", "").lower() in {"1", "true"}
            elif name == "sheet":
                ident = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
                type_, target = rels.get(ident, ("", ""))
                if type_.endswith(_WORKSHEET):  # chart sheets have no cells
                    return target, workbook, date1904
    raise XlsxError("工作簿中没有工作表", "the workbook has no worksheet")


# ---------------------------------------------------------------------------------------------------------------
# Shared strings and styles
# ---------------------------------------------------------------------------------------------------------------


def _unescaped(match: re.Match[str]) -> str:
    code = int(match[1], 16)
    return match[0] if _SURROGATES[0] <= code <= _SURROGATES[1] else chr(code)  # half a character is not text


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot carry as _xHHHH_ (and a literal "_x" as _x005F_x)."""
    return _ESCAPE.sub(_unescaped, text) if "_x" in text else text


def _string(element: Element, t_tag: str, r_tag: str) -> str:
    """The text of an ``<si>`` or ``<is>``: plain, or rich-text runs joined; phonetic guides left out."""
    parts = []
    for child in element:
        if child.tag == t_tag:
            parts.append(child.text or "")
        elif child.tag == r_tag:
            parts.extend(t.text or "" for t in child.iter(t_tag))
    return _unescape("".join(parts))


class _SharedStrings:
    """The workbook's shared-string table, held whole for the whole read since any cell may point at any entry.

    It grows with the distinct strings of the file, not with its rows — but a registry file's names and codes are
    mostly distinct, so it is kept as UTF-8 in one buffer with an end offset per entry, each entry decoded when a
    cell asks for it: 7 MB per 10⁵ rows of two new strings each, where openpyxl's list of str took 26 MB.
    """

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("Q")

    def append(self, text: str) -> None:
        self._data += text.encode()
        self._ends.append(len(self._data))

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._ends):
            raise XlsxError(f"共享字符串 {index} 不存在", f"shared string {index} does not exist")
        start = self._ends[index - 1] if index else 0
        return self._data[start : self._ends[index]].decode()


def _shared_strings(package: _Package, part: str | None) -> _SharedStrings:
    strings = _SharedStrings()
    if part is None or package.name(part) is None:
        return strings
    with package.open(part) as stream:
        events = iterparse(stream, events=("start", "end"))  # noqa: S314
        _, table = next(events)
        namespace = _namespace(table)
        item, t_tag, r_tag = namespace + "si", namespace + "t", namespace + "r"
        for event, element in events:
            if event == "end" and element.tag == item:
                strings.append(_string(element, t_tag, r_tag))
                table.remove(element)  # detached, not just cleared: an emptied element still costs ~100 bytes
    return strings


def is_date_format(code: str) -> bool:
    return _DATE_TOKEN.search(_NOT_TOKENS.sub("", code.split(";", maxsplit=1)[0])) is not None


def _date_styles(package: _Package, part: str | None) -> dict[str, bool]:
    """Cell style index (as the ``s`` attribute spells it) → whether it shows a duration, for date styles only."""
    if part is None or package.name(part) is None:
        return {}
    custom: dict[int, str] = {}
    formats: list[int] = []
    within: str | None = None  # numFmt and xf elements count only in <numFmts> and <cellXfs>
    with package.open(part) as stream:
        for event, element in iterparse(stream, events=("start", "end")):  # noqa: S314
            name = _local(element.tag)
            if name in {"numFmts", "cellXfs", "cellStyleXfs", "dxfs"}:
                within = name if event == "start" else None
            elif event == "end" and name == "numFmt" and within == "numFmts":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and name == "xf" and within == "cellXfs":
                formats.append(int(element.get("numFmtId", "0")))
    out = {}
    for index, number in enumerate(formats):
        code = custom.get(number)
        if code is not None and is_date_format(code):
            out[str(index)] = _ELAPSED.search(code.split(";", maxsplit=1)[0]) is not None
        elif code is None and number in _BUILTIN_DATE_FORMATS:
            out[str(index)] = number in _BUILTIN_ELAPSED_FORMATS
    return out


# ---------------------------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------------------------


@cache
def _column_of_letters(letters: str) -> int:
    if not letters.isalpha() or not letters.isupper() or len(letters) > _MAX_COLUMN_LETTERS:
        raise XlsxError(f"单元格位置“{letters}”无效", f"invalid cell reference {letters!r}")
    number = 0
    for letter in letters:
        number = number * _LETTERS + ord(letter) - ord("A") + 1
    return number


def _number(text: str) -> int | float:
    """Integral text as int, anything else as float, as openpyxl reads them. float and not Decimal: values.py
    reads a cell through its text, and a float's text is the shortest that round-trips — so 1234.56 that Excel
    stored as 1234.5599999999999 reads as 1234.56, as the user sees it, not as a value with 13 decimals."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def from_serial(serial: float, epoch: dt.datetime, *, elapsed: bool = False) -> object:
    """An Excel date serial as openpyxl returns it: a duration, a time of day (under one day) or a datetime."""
    if elapsed:
        duration = dt.timedelta(days=serial)
        if duration.microseconds:  # Excel keeps milliseconds
            duration = dt.timedelta(
                seconds=duration.total_seconds() // 1, microseconds=round(duration.microseconds, -3)
            )
        return duration
    day, fraction = divmod(serial, 1)
    time = dt.timedelta(milliseconds=round(fraction * _MILLISECONDS_A_DAY))
    if 0 <= serial < 1 and time.days == 0:
        hours, rest = divmod(time.seconds, 3600)
        return dt.time(hours, rest // 60, rest % 60, time.microseconds)
    if 0 < serial < _FICTITIOUS_LEAP_DAY and epoch == _EPOCH_1900:
        day += 1
    return epoch + dt.timedelta(days=day) + time


def _iso(text: str) -> object:
    """A ``t="d"`` cell (strict OOXML): ISO 8601 date, time or both."""
    try:
        return dt.time.fromisoformat(text) if ":" in text and "-" not in text else dt.datetime.fromisoformat(text)
    except ValueError:
        return text


def _bool(text: str) -> bool:
    return text.strip() in {"1", "true"}


_TYPED: dict[str, Callable[[str], object]] = {"b": _bool, "str": _unescape, "d": _iso}  # str: a formula's text


class _Sheet:
    """What a cell needs to become a value, the tag names of the sheet's namespace included."""

    def __init__(self, namespace: str, strings: _SharedStrings, dates: dict[str, bool], epoch: dt.datetime) -> None:
        self.row_tag, self.cell_tag, self.value_tag = namespace + "row", namespace + "c", namespace + "v"
        self.inline_tag, self.t_tag, self.r_tag = namespace + "is", namespace + "t", namespace + "r"
        self.strings, self.dates, self.epoch = strings, dates, epoch

    def value(self, cell: Element) -> object:
        kind = cell.get("t")
        if kind == "inlineStr":
            inline = cell.find(self.inline_tag)
            return None if inline is None else _string(inline, self.t_tag, self.r_tag)
        text = cell.findtext(self.value_tag)
        if not text:
            return None  # a formula never calculated, or a cell with only a style
        if kind is None or kind == "n":
            return self.number(text, cell.get("s", ""))
        if kind == "s":
            return self.strings[int(text)]
        typed = _TYPED.get(kind)
        # no type left but "e": the error Excel shows (#N/A, #DIV/0!, …), which no number or date column accepts
        return text if typed is None else typed(text)

    def number(self, text: str, style: str) -> object:
        number = _number(text)
        elapsed = self.dates.get(style)
        if elapsed is None:
            return number
        try:
            return from_serial(number, self.epoch, elapsed=elapsed)
        except (OverflowError, ValueError):
            return number  # before year 1 or after 9999: the import names it as not a date

    def row(self, element: Element) -> list[object]:
        values: list[object] = []
        for cell in element:
            if cell.tag != self.cell_tag:
                continue
            ref = cell.get("r")
            column = _column_of_letters(ref.rstrip("0123456789")) if ref else len(values) + 1
            value = self.value(cell)
            if column > len(values):
                values.extend([None] * (column - 1 - len(values)))
                values.append(value)
            else:
                values[column - 1] = value
        return values


def _row_number(text: str | None, expected: int) -> int:
    if text is None:
        return expected
    number = int(float(text)) if "." in text else int(text)
    if number < expected:
        raise XlsxError(f"第{number}行出现在第{expected - 1}行之后", f"row {number} comes after row {expected - 1}")
    if number > _MAX_ROW:
        raise XlsxError(f"行号 {number} 超出 Excel 的范围", f"row number {number} is beyond Excel's last row")
    return number


def _rows(
    stream: IO[bytes], strings: _SharedStrings, dates: dict[str, bool], epoch: dt.datetime
) -> Iterator[list[object]]:
    events = iterparse(stream, events=("start", "end"))  # noqa: S314
    sheet_data = next((e for event, e in events if event == "start" and _local(e.tag) == "sheetData"), None)
    if sheet_data is None:
        return
    sheet = _Sheet(_namespace(sheet_data), strings, dates, epoch)
    row_tag, end_tag = sheet.row_tag, sheet_data.tag
    expected = 1
    for event, element in events:
        if event == "start":
            continue
        if element.tag == row_tag:
            number = _row_number(element.get("r"), expected)
            for _ in range(expected, number):
                yield []  # a row the file does not store is empty, and the next row keeps its number
            values = sheet.row(element)
            sheet_data.remove(element)  # detached, not just cleared: see the module docstring
            expected = number + 1
            yield values
        elif element.tag == end_tag:
            return  # nothing after </sheetData> holds cell values


def read_xlsx(path: Path) -> Iterator[list[object]]:
    """Row 1, 2, … of the first worksheet as lists of values (as long as the row's last stored cell); a row the
    file does not store is an empty list, so the n-th list is always row n."""
    try:
        with zipfile.ZipFile(path) as archive:
            package = _Package(archive)
            sheet, workbook, date1904 = _workbook(package)
            related = package.relationships(workbook)
            strings = _shared_strings(package, _of_type(related, _SHARED_STRINGS) or _FALLBACK_SHARED_STRINGS)
            dates = _date_styles(package, _of_type(related, _STYLES) or _FALLBACK_STYLES)
            with package.open(sheet) as stream:
                yield from _rows(stream, strings, dates, _EPOCH_1904 if date1904 else _EPOCH_1900)
    except zipfile.BadZipFile:
        raise XlsxError("不是 xlsx 文件（不是 zip 压缩包）", "not an xlsx file (not a zip archive)") from None
    except ParseError as error:
        raise XlsxError(f"XML 格式错误：{error}", f"malformed XML: {error}") from None
    except (zlib.error, EOFError, RuntimeError) as error:  # RuntimeError: zipfile's unknown compression, encryption
        raise XlsxError(f"文件已损坏：{error}", f"the file is damaged: {error}") from None
    except XlsxError:
        raise
    except ValueError as error:  # a cell or attribute whose text is not what its type says
        raise XlsxError(f"内容无效：{error}", f"invalid content: {error}") from None


__all__ = ["XlsxError", "from_serial", "is_date_format", "read_xlsx"]
