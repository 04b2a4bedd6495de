"""The first worksheet of an xlsx file as rows of cell values, streamed with the standard library.

openpyxl's read-only mode was the import's largest memory cost after the duplicate check: it leaves every
parsed ``<row>`` attached to ``<sheetData>`` until the sheet ends, keeps the shared-string table as Python
strings, and parses a sheet without ``<dimension>`` (every file openpyxl writes, so every zhijiao export)
twice. Here the sheet is parsed once, with expat's handlers and no tree at all, each row handed on at its
``</row>``, and the file is read no further than ``</sheetData>``. The shared strings and the sheet are parsed
that way, not with iterparse, because ElementTree holds all of an element's text before it shows it: a hostile
file's one string of 150 MB cost that much before any check ran. Here a string is refused once it passes the
cell-length limit (xlsx_text_stream), and text that becomes no value (formulas, padding) is never kept.

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
from typing import IO, NamedTuple
from xml.etree.ElementTree import ParseError, iterparse
from xml.parsers import expat
from xml.parsers.expat import ExpatError

from zhijiao.registry.xlsx_text_stream import End, Text, TooLong, chunks, parser

# Python's expat (≥ 2.4) refuses entity-expansion bombs and neither it nor ElementTree fetches external entities,
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
MAX_CELL_CHARS = 10_000  # the default of the setting that read_rows passes in (sheets.Limits)
_ITEM = 2  # an <si>'s depth in the shared-string table
_ROW, _CELL = 1, 2  # depths under <sheetData>


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


def _namespace(name: str) -> str:
    """The "namespace}" of an element's name as expat gives it ("namespace}local"): transitional and strict OOXML
    name the same elements in different ones."""
    return name[: name.index("}") + 1] if "}" in name else ""


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
# Parsing: the string and sheet parts are parsed with expat's handlers, which see text as it is read
# ---------------------------------------------------------------------------------------------------------------


class _Limit(NamedTuple):
    chars: int  # of one string: a shared string, an inline string, a <v>
    setting: str  # what changes it, named in the refusal ("" if nothing does)

    def refusal(self, zh: str, en: str) -> XlsxError:
        if not self.setting:
            return XlsxError(f"{zh}超过 {self.chars:,} 个字符", f"{en} is longer than {self.chars:,} characters")
        return XlsxError(
            f"{zh}超过 {self.chars:,} 个字符（{self.setting}）",
            f"{en} is longer than {self.chars:,} characters ({self.setting})",
        )


def _parser(part: str, reader: _StringsReader | _SheetReader) -> expat.XMLParserType:
    def no_dtd(*_: object) -> None:
        # Entities a DTD declares could multiply a part's text far beyond its unpacked size, which is what the
        # size limit bounds; OPC (ECMA-376 Part 2) allows no DTD in a package, so no office program writes one.
        raise XlsxError(
            f"{part} 含有 DTD（<!DOCTYPE>），xlsx 不允许", f"{part} has a DTD (<!DOCTYPE>), which xlsx forbids"
        )

    return parser(reader.start, reader.end, reader.data, no_dtd)


# ---------------------------------------------------------------------------------------------------------------
# Shared strings and styles
# ---------------------------------------------------------------------------------------------------------------


class _SharedStrings:
    """The workbook's shared-string table, held whole for the whole read since any cell may point at any entry.

    It grows with the distinct strings of the file, not with its rows — but a registry file's names and codes are
    mostly distinct, so it is kept as UTF-8 in one buffer with an end offset per entry, each entry decoded when a
    cell asks for it: 7 MB per 10⁵ rows of two new strings each, where openpyxl's list of str took 26 MB.
    """

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("Q")

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, text: str) -> None:
        self._data += text.encode()
        self._ends.append(len(self._data))

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._ends):
            raise XlsxError(f"共享字符串 {index} 不存在", f"shared string {index} does not exist")
        start = self._ends[index - 1] if index else 0
        return self._data[start : self._ends[index]].decode()


class _StringsReader:
    """Expat's handlers for the shared-string table: an <si>'s text is its <t> and its rich-text runs' <t> joined
    (phonetic guides left out), decoded and stored at its </si>."""

    def __init__(self, strings: _SharedStrings, limit: _Limit) -> None:
        self.strings, self.limit = strings, limit
        self.depth = 0
        self.item = self.t_tag = self.r_tag = ""
        self.text: Text | None = None  # the <si> being read
        self.run = False  # within a rich-text run, whose <t> at any depth are text
        self.collecting = False  # in a <t>'s own text: before its first child, as ElementTree's .text is

    def start(self, name: str, _: dict[str, str]) -> None:
        self.depth += 1
        self.collecting = False
        if self.depth == 1:
            namespace = _namespace(name)
            self.item, self.t_tag, self.r_tag = namespace + "si", namespace + "t", namespace + "r"
        elif self.depth == _ITEM:
            self.text = Text(self.limit.chars, escaped=True) if name == self.item else None
        elif self.text is not None:
            if self.depth == _ITEM + 1:
                self.run = name == self.r_tag
            self.collecting = name == self.t_tag and (self.depth == _ITEM + 1 or self.run)

    def end(self, _: str) -> None:
        self.collecting = False
        if self.depth == _ITEM and self.text is not None:
            try:
                self.strings.append(self.text.value())
            except TooLong:
                raise self.too_long() from None
            self.text = None
        self.depth -= 1

    def data(self, data: str) -> None:
        if self.collecting and self.text is not None:
            try:
                self.text.add(data)
            except TooLong:
                raise self.too_long() from None

    def too_long(self) -> XlsxError:
        index = len(self.strings)  # as a cell refers to it
        return self.limit.refusal(f"共享字符串 {index} ", f"shared string {index}")


def _shared_strings(package: _Package, part: str | None, limit: _Limit) -> _SharedStrings:
    strings = _SharedStrings()
    if part is None or package.name(part) is None:
        return strings
    with package.open(part) as stream:
        for _ in chunks(_parser(part, _StringsReader(strings, limit)), stream):
            pass  # a shared string too long is refused as it is read; the table is kept whole (see _SharedStrings)
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


_TYPED: dict[str, Callable[[str], object]] = {"b": _bool, "d": _iso}


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, _LETTERS)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Cell:
    __slots__ = ("inline", "kind", "position", "ref", "style", "value")

    def __init__(self, attributes: dict[str, str], position: int) -> None:
        self.kind, self.ref, self.style = attributes.get("t"), attributes.get("r"), attributes.get("s", "")
        self.position = position  # its column if it has no reference
        self.value: Text | None = None  # its first <v>'s text
        self.inline: Text | None = None  # its first <is>'s text, for an inline string


class _SheetReader:
    """Expat's handlers for a worksheet: each row's values, complete at its </row>, wait in ``rows`` to be handed on.

    Levels count from <sheetData>: 1 <row>, 2 <c>, 3 <v> or <is>, 4 and deeper an inline string's <t> and runs.
    Only the text that becomes a value is kept: a formula's, or the padding of a hostile file, never is.
    """

    def __init__(self, strings: _SharedStrings, dates: dict[str, bool], epoch: dt.datetime, limit: _Limit) -> None:
        self.strings, self.dates, self.epoch, self.limit = strings, dates, epoch, limit
        self.rows: list[list[object]] = []
        self.depth = 0
        self.data_depth = 0  # <sheetData>'s, once it has begun
        self.row_tag = self.cell_tag = self.value_tag = self.inline_tag = self.t_tag = self.r_tag = ""
        self.expected = 1  # the number of a row that does not say its own
        self.row = 0
        self.values: list[object] | None = None  # the row being read
        self.cell: _Cell | None = None
        self.text: Text | None = None  # where a <t>'s or <v>'s text goes
        self.inline = False  # within the cell's first <is>
        self.run = False  # within a rich-text run of it
        self.collecting = False  # in a <t>'s or <v>'s own text, as ElementTree's .text is

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        self.collecting = False
        if not self.data_depth:
            self.find_data(name)
            return
        level = self.depth - self.data_depth
        if level == _ROW:
            if name == self.row_tag:
                self.start_row(attributes.get("r"))
        elif level == _CELL:
            if self.values is not None and name == self.cell_tag:
                self.cell = _Cell(attributes, len(self.values) + 1)
        elif self.cell is None:
            return
        elif level == _CELL + 1:
            self.cell_child(self.cell, name)
        elif self.inline:
            if level == _CELL + 2:
                self.run = name == self.r_tag
            self.collecting = name == self.t_tag and (level == _CELL + 2 or self.run)

    def find_data(self, name: str) -> None:
        if _local(name) == "sheetData":
            namespace = _namespace(name)
            self.row_tag, self.cell_tag, self.value_tag = namespace + "row", namespace + "c", namespace + "v"
            self.inline_tag, self.t_tag, self.r_tag = namespace + "is", namespace + "t", namespace + "r"
            self.data_depth = self.depth

    def start_row(self, number: str | None) -> None:
        self.row = _row_number(number, self.expected)
        self.rows.extend([] for _ in range(self.expected, self.row))  # rows the file does not store are empty
        self.expected = self.row + 1
        self.values = []

    def cell_child(self, cell: _Cell, name: str) -> None:
        if cell.kind == "inlineStr":
            if name == self.inline_tag and cell.inline is None:
                cell.inline = self.text = Text(self.limit.chars, escaped=True)
                self.inline = True
        elif name == self.value_tag and cell.value is None:
            cell.value = self.text = Text(self.limit.chars, escaped=cell.kind == "str")  # str: a formula's text
            self.collecting = True

    def end(self, _: str) -> None:
        self.collecting = False
        level = self.depth - self.data_depth
        self.depth -= 1
        if not self.data_depth or level > _CELL + 1:
            return
        if level == _CELL + 1:
            self.inline = False
        elif level == _CELL:
            if self.cell is not None:
                self.end_cell(self.cell)
                self.cell = None
        elif level == _ROW:
            if self.values is not None:
                self.rows.append(self.values)
                self.values = None
        else:
            raise End

    def end_cell(self, cell: _Cell) -> None:
        values = self.values
        assert values is not None  # noqa: S101 -- a cell is read only within a row
        column = _column_of_letters(cell.ref.rstrip("0123456789")) if cell.ref else len(values) + 1
        try:
            value = self.value(cell)
        except TooLong:
            raise self.too_long(cell) from None
        if column > len(values):
            values.extend([None] * (column - 1 - len(values)))
            values.append(value)
        else:
            values[column - 1] = value

    def data(self, data: str) -> None:
        if self.collecting and self.text is not None:
            try:
                self.text.add(data)
            except TooLong:
                assert self.cell is not None  # noqa: S101 -- text is kept only within a cell
                raise self.too_long(self.cell) from None

    def too_long(self, cell: _Cell) -> XlsxError:
        letters = cell.ref.rstrip("0123456789") if cell.ref else _letters(cell.position)
        _column_of_letters(letters)  # a reference that is no cell is refused as such
        return self.limit.refusal(
            f"第{self.row}行 {letters} 列的单元格", f"the cell in row {self.row} column {letters}"
        )

    def value(self, cell: _Cell) -> object:
        kind = cell.kind
        if kind == "inlineStr":
            return None if cell.inline is None else cell.inline.value()
        text = None if cell.value is None else cell.value.value()
        if not text:
            return None  # a formula never calculated, or a cell with only a style
        if kind is None or kind == "n":
            return self.number(text, cell.style)
        if kind == "s":
            return self.strings[int(text)]
        if kind == "str":
            return text  # its escapes decoded as it was read
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


def _row_number(text: str | None, expected: int) -> int:
    if text is None:
        return expected
    number = int(float(text)) if "." in text else int(text)
    if number < expected:
        raise XlsxError(f"第{number}行出现在第{expected - 1}行之后", f"row {number} comes after row {expected - 1}")
    if number > _MAX_ROW:
        raise XlsxError(f"行号 {number} 超出 Excel 的范围", f"row number {number} is beyond Excel's last row")
    return number


def _rows(stream: IO[bytes], part: str, reader: _SheetReader) -> Iterator[list[object]]:
    parse = chunks(_parser(part, reader), stream)
    while True:
        error: ExpatError | ValueError | None = None
        try:
            ended = next(parse)
        except (ExpatError, ValueError) as caught:
            ended, error = True, caught
        # The rows read before a refusal are handed on before it, as ElementTree handed them: the row limit, which
        # the caller checks, may come first.
        rows, reader.rows = reader.rows, []
        yield from rows
        if error is not None:
            raise error
        if ended:
            return


def read_xlsx(path: Path, *, max_cell_chars: int = MAX_CELL_CHARS, setting: str = "") -> Iterator[list[object]]:
    """Row 1, 2, … of the first worksheet as lists of values (as long as the row's last stored cell); a row the
    file does not store is an empty list, so the n-th list is always row n. A string (shared, inline or a <v>)
    longer than ``max_cell_chars`` is refused as soon as it is, naming ``setting`` as what changes the limit."""
    limit = _Limit(max_cell_chars, setting)
    try:
        with zipfile.ZipFile(path) as archive:
            package = _Package(archive)
            sheet, workbook, date1904 = _workbook(package)
            related = package.relationships(workbook)
            shared = _of_type(related, _SHARED_STRINGS) or _FALLBACK_SHARED_STRINGS
            strings = _shared_strings(package, shared, limit)
            dates = _date_styles(package, _of_type(related, _STYLES) or _FALLBACK_STYLES)
            reader = _SheetReader(strings, dates, _EPOCH_1904 if date1904 else _EPOCH_1900, limit)
            with package.open(sheet) as stream:
                yield from _rows(stream, sheet, reader)
    except zipfile.BadZipFile:
        raise XlsxError("不是 xlsx 文件（不是 zip 压缩包）", "not an xlsx file (not a zip archive)") from None
    except (ParseError, ExpatError) as error:
        raise XlsxError(f"XML 格式错误：{error}", f"malformed XML: {error}") from None
    except (zlib.error, EOFError, RuntimeError) as error:  # RuntimeError: zipfile's unknown compression, encryption
        raise XlsxError(f"文件已损坏：{error}", f"the file is damaged: {error}") from None
    except XlsxError:
        raise
    except ValueError as error:  # a cell or attribute whose text is not what its type says
        raise XlsxError(f"内容无效：{error}", f"invalid content: {error}") from None


__all__ = ["MAX_CELL_CHARS", "XlsxError", "from_serial", "is_date_format", "read_xlsx"]
