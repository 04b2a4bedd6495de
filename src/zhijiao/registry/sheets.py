"""Reading the sheets officials send — xlsx, xls (first worksheet) and CSV in whatever encoding their software
wrote — and writing xlsx and CSV (UTF-8, BOM for Excel)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final, Literal

from openpyxl import Workbook

from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.csv_reader import CsvError, read_csv
from zhijiao.registry.xls_reader import XlsError, read_xls
from zhijiao.registry.xlsx_reader import XlsxError, read_xlsx
from zhijiao.xlsx_text import literal_row

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


def read_rows(path: Path) -> Iterator[list[object]]:
    """Every row of the file, header first, as cell values; streamed (an .xls is read whole, at most 65,536
    rows), so memory stays bounded. The n-th list is row n of the sheet (rows an xlsx does not store are empty
    lists), as the importer numbers them. The content decides the reader, not the name: an xlsx saved as .xls
    is read as xlsx. An empty file has no rows."""
    check_format(path)
    try:
        kind = _kind(path)
        if kind == "xlsx":
            yield from read_xlsx(path)
        elif kind == "xls":
            yield from read_xls(path)
        elif kind == "csv":
            yield from read_csv(path)
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
            writer.writerow(["" if v is None else v for v in row])
            count += 1
    return count
