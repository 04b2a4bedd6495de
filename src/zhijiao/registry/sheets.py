"""Reading the sheets officials send — xlsx, xls (first worksheet) and CSV in whatever encoding their software
wrote — and writing xlsx and CSV (UTF-8, BOM for Excel)."""

from __future__ import annotations

import csv
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from openpyxl import Workbook

from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.csv_reader import CsvError, read_csv
from zhijiao.registry.xls_reader import XlsError, read_xls
from zhijiao.registry.xlsx_reader import XlsxError, read_xlsx
from zhijiao.xlsx_text import csv_row, csv_text, literal_row

FORMATS = (".xlsx", ".xls", ".csv", ".txt")  # .txt: what Excel's "Unicode text" (UTF-16, tabs) saves
WRITTEN = (".xlsx", ".csv")
MEDIA_TYPES = {  # of the files written
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}

# What a file is, from its first bytes: people rename files, and systems name what they export as they please.
_ZIP: Final = b"PK\x03\x04"  # an xlsx is a zip package
_OLE2: Final = bytes.fromhex("D0CF11E0A1B11AE1")  # an xls is an OLE2 compound file
_HEAD: Final = 512
_TEXT_BOMS: Final = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# An HTML table or Excel's "XML Spreadsheet 2003" that a system named .xls: a tag, a declaration or a comment.
_MARKUP: Final = re.compile(r"\s*<[A-Za-z?!]")

# Limits on what one file may cost, so that a hostile or mistaken file is refused before it takes the server's
# memory or time (issue 14): a 4 MB xlsx can unpack to 4 GiB of XML, and a sheet can hold a million rows.
ROWS_SETTING: Final = "ZHIJIAO_MAX_IMPORT_ROWS"
UNPACKED_SETTING: Final = "ZHIJIAO_MAX_UNPACKED_MB"
CELL_SETTING: Final = "ZHIJIAO_MAX_CELL_CHARS"
_DEFAULTS: Final = {ROWS_SETTING: 100_000, UNPACKED_SETTING: 200, CELL_SETTING: 10_000}
# An xlsx's XML deflates 5–30 times; a ratio above this with more than _RATIO_FROM unpacked is a zip bomb's.
MAX_RATIO: Final = 100
_RATIO_FROM: Final = 16 * 1024 * 1024
_MB: Final = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    rows: int  # data rows, the header aside
    unpacked_mb: int  # an xlsx package's members, uncompressed, together
    cell_chars: int  # one cell's text

    @classmethod
    def from_environment(cls) -> Limits:
        """The limits in force: the settings' environment variables, read at each import so that a test or an
        operator can change them, or their defaults (also for a value that is not a positive integer)."""
        values = {}
        for name, default in _DEFAULTS.items():
            text = os.environ.get(name, "").strip()
            values[name] = int(text) if text.isdigit() and int(text) > 0 else default
        return cls(values[ROWS_SETTING], values[UNPACKED_SETTING], values[CELL_SETTING])


def _where(path: Path) -> dict[str, str]:
    return {"zh": f"文件 {path.name}", "en": f"file {path.name}"}


def check_format(path: Path, formats: tuple[str, ...] = FORMATS) -> None:
    if path.suffix.lower() not in formats:
        *first, last = formats
        zh, en = "、".join(first) + f" 或 {last}", ", ".join(first) + f" and {last}"
        raise InputError([Problem(_where(path), "", f"仅支持 {zh} 文件", f"only {en} files are supported")])


def _looks_like_markup(head: bytes) -> bool:
    encoding = "latin-1"  # only ASCII matters here, and latin-1 decodes any byte
    for bom, bom_encoding in _TEXT_BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom) :], bom_encoding
            break
    return _MARKUP.match(head.decode(encoding, errors="replace")) is not None  # a cut-off last character is no matter


def _unreadable(path: Path, zh: str, en: str) -> InputError:
    return InputError([Problem(_where(path), "", f"无法读取：{zh}", f"cannot be read: {en}")])


def _kind(path: Path) -> Literal["xlsx", "xls", "csv", "empty"]:
    """Which reader the file's content asks for; refused when no reader can take it as it is."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if not head:
        return "empty"
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE2):
        return "xls"
    if _looks_like_markup(head):
        raise _unreadable(
            path,
            "这是网页（HTML）或 XML 格式的表格，不是 Excel 工作簿：请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入",
            "this is a web page (HTML) or XML table, not an Excel workbook: open it in Excel or WPS, "
            "save it as .xlsx and import that file",
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":  # the words of the xlsx reader, which said this before .xls was read
        raise _unreadable(path, "不是 xlsx 文件（不是 zip 压缩包）", "not an xlsx file (not a zip archive)")
    if suffix == ".xls":
        raise _unreadable(
            path,
            "不是 Excel 工作簿：请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入",
            "not an Excel workbook: open it in Excel or WPS, save it as .xlsx and import that file",
        )
    return "csv"


def _too_large(path: Path, zh: str, en: str) -> InputError:
    return InputError([Problem(_where(path), "", zh, en)])


def _check_package(path: Path, limits: Limits) -> None:
    """Refuses an xlsx whose members would unpack to more than the limit, or unpack suspiciously far, before any
    of it is parsed. The sizes are those the zip's directory declares; reading cannot go past them, since
    zipfile stops each member at its declared size (and a member that holds more then fails its CRC check as
    damaged), so what is checked here bounds what is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        return  # the xlsx reader says it is not a zip archive, in its own words
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    limit = limits.unpacked_mb
    if unpacked > limit * _MB:
        raise _too_large(
            path,
            f"解压后超过 {limit} MB（{UNPACKED_SETTING}），未读取：请检查文件，或分成几个文件导入",
            f"unpacks to more than {limit} MB ({UNPACKED_SETTING}) and was not read: check the file or split it",
        )
    if unpacked > _RATIO_FROM and unpacked > MAX_RATIO * max(packed, 1):
        raise _too_large(
            path,
            f"解压后是压缩时的 {unpacked // max(packed, 1)} 倍（上限 {MAX_RATIO} 倍），不像 Excel 保存的工作簿，未读取",
            f"unpacks to {unpacked // max(packed, 1)} times its compressed size (at most {MAX_RATIO}): "
            "not a workbook an office program saved; it was not read",
        )


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _bounded(path: Path, rows: Iterator[list[object]], limits: Limits, *, csv_fields: bool) -> Iterator[list[object]]:
    """The rows as read, refused at the first cell longer than the limit and at the first data row beyond the
    limit: reading stops there, so a file costs no more than the limits whatever it holds. Blank rows do not
    count (a sheet formatted far below its data is not a large file). A CSV field loses the quote that the
    platform's own CSV export put before formula-looking text (``xlsx_text.csv_cell``)."""
    data = 0
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row, start=1):
            if isinstance(cell, str) and len(cell) > limits.cell_chars:
                letter = _column_letter(index)
                raise InputError(
                    [
                        Problem(
                            {
                                "zh": f"文件 {path.name} 第{number}行 {letter} 列",
                                "en": f"file {path.name} row {number} column {letter}",
                            },
                            "",
                            f"单元格超过 {limits.cell_chars:,} 个字符（{CELL_SETTING}）",
                            f"the cell is longer than {limits.cell_chars:,} characters ({CELL_SETTING})",
                        )
                    ]
                )
        if number > 1 and not all(_blank(cell) for cell in row):
            data += 1
            if data > limits.rows:
                raise _too_large(
                    path,
                    f"超过 {limits.rows:,} 行（{ROWS_SETTING}）：请分成几个文件导入",
                    f"more than {limits.rows:,} rows ({ROWS_SETTING}): split it into several files",
                )
        yield [csv_text(cell) if isinstance(cell, str) else cell for cell in row] if csv_fields else row


def read_rows(path: Path) -> Iterator[list[object]]:
    """Every row of the file, header first, as cell values; streamed (an .xls is parsed whole by xlrd, but the
    format holds at most 65,536 rows of 256 columns), so memory stays bounded. The n-th list is row n of the
    sheet (rows an xlsx does not store are empty lists), as the importer numbers them. The content decides the
    reader, not the name: an xlsx saved as .xls is read as xlsx. An empty file has no rows. A file beyond the
    limits (``Limits``) is refused naming the limit and its setting."""
    check_format(path)
    limits = Limits.from_environment()
    try:
        kind = _kind(path)
        if kind == "xlsx":
            _check_package(path, limits)
            cells = read_xlsx(path, max_cell_chars=limits.cell_chars, setting=CELL_SETTING)  # refused as it is read
            yield from _bounded(path, cells, limits, csv_fields=False)
        elif kind == "xls":
            yield from _bounded(path, read_xls(path), limits, csv_fields=False)
        elif kind == "csv":
            yield from _bounded(path, read_csv(path), limits, csv_fields=True)
    except (XlsxError, XlsError, CsvError) as error:
        raise _unreadable(path, error.zh, error.en) from None
    except OSError as error:  # a file that went away or cannot be opened
        raise _unreadable(path, str(error), str(error)) from None


def write_rows(path: Path, header: list[str], rows: Iterable[list[object]], *, title: str = "data") -> int:
    check_format(path, WRITTEN)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if path.suffix.lower() == ".xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append(literal_row(sheet, row))
            count += 1
        workbook.save(path)
        return count
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(csv_row(row))  # formula-looking text as text: see xlsx_text.csv_cell
            count += 1
    return count
