"""The first worksheet of an Excel 97–2003 workbook (.xls) as rows of cell values, through xlrd.

Many bureaus' systems still export .xls, and officials keep templates from before 2007. A cell's value has the
type the xlsx reader gives for the same cell (int, float, str, bool, datetime, time or None), so the importer
reads both alike: a number is an int when it is integral and a float holds it exactly, a date cell is a datetime
(a time of day under one day), an error cell is the text Excel shows (#N/A, #DIV/0!…) so that the importer can
name it. The n-th list is row n of the sheet; a row ends at its last non-empty cell.

xlrd parses the whole sheet at once, so memory grows with it; that is bounded, since an .xls holds at most
65,536 rows of 256 columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import xlrd

from zhijiao.registry.xlsx_reader import from_serial

_EPOCHS: Final = (dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1))  # noqa: DTZ001 -- Excel dates have no zone
_EXACT_INTEGERS: Final = 2**53  # beyond this a float no longer holds every integer: such a "code" is already lost
_ENCRYPTED_OOXML: Final = "EncryptedPackage".encode("utf-16-le")  # how a password-protected xlsx is stored
_EMPTY: Final = frozenset([xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK])


class XlsError(ValueError):
    """A file that is not a readable .xls workbook, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


_ENCRYPTED: Final = (
    "工作簿设置了打开密码（已加密）：请在 Excel 或 WPS 中去掉密码后再导入",
    "the workbook is protected by a password (encrypted): remove the password in Excel or WPS and import it again",
)


class _Discard:
    """Where xlrd's warnings go: it prints them to standard output, where a server's log does not want them."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _refusal(path: Path, error: Exception) -> XlsError:
    text = str(error)
    if "encrypted" in text.lower():
        return XlsError(*_ENCRYPTED)
    if "Can't find workbook" in text:  # an OLE2 file, but with no Workbook stream
        if _ENCRYPTED_OOXML in path.read_bytes():
            return XlsError(*_ENCRYPTED)
        return XlsError(
            "这是 Office 文件，但不是 Excel 工作簿（可能是 Word 或其他文档）",
            "an Office file, but not an Excel workbook (perhaps a Word or other document)",
        )
    return XlsError(
        "文件已损坏，或不是 Excel 97–2003 工作簿（.xls）",
        f"the file is damaged or is not an Excel 97-2003 workbook (.xls): {text or type(error).__name__}",
    )


def _sheet(path: Path) -> tuple[xlrd.sheet.Sheet, dt.datetime]:
    """The first worksheet, parsed, and the epoch its dates count from."""
    try:
        book = xlrd.open_workbook(path, logfile=_Discard(), on_demand=True, ragged_rows=True)
        try:
            sheet = book.sheet_by_index(0) if book.nsheets else None  # xlrd lists worksheets only, not charts
            epoch = _EPOCHS[book.datemode]
        finally:
            book.release_resources()  # the parsed sheet keeps its cells; the file's bytes are no longer needed
    except OSError:
        raise
    except Exception as error:  # noqa: BLE001 -- a damaged file makes xlrd fail in any of a dozen ways
        raise _refusal(path, error) from None
    if sheet is None:
        raise XlsError("工作簿中没有工作表", "the workbook has no worksheet")
    return sheet, epoch


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < _EXACT_INTEGERS else value


def _date(value: float, epoch: dt.datetime) -> object:
    try:
        return from_serial(value, epoch)
    except (OverflowError, ValueError):
        return _number(value)  # before year 1 or after 9999: the import names it as not a date


def _value(kind: int, value: object, epoch: dt.datetime) -> object:
    if kind == xlrd.XL_CELL_TEXT:
        return value
    if kind == xlrd.XL_CELL_NUMBER and isinstance(value, float):
        return _number(value)
    if kind == xlrd.XL_CELL_DATE and isinstance(value, float):
        return _date(value, epoch)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR and isinstance(value, int):
        return xlrd.error_text_from_code.get(value, f"#ERROR{value}")
    return None


def read_xls(path: Path) -> Iterator[list[object]]:
    """Row 1, 2, … of the first worksheet as lists of values, each as long as its last non-empty cell."""
    sheet, epoch = _sheet(path)
    for number in range(sheet.nrows):
        kinds, values = sheet.row_types(number), sheet.row_values(number)
        end = len(kinds)
        while end and kinds[end - 1] in _EMPTY:
            end -= 1
        yield [_value(kinds[i], values[i], epoch) for i in range(end)]


__all__ = ["XlsError", "read_xls"]
