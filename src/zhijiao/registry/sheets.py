"""Reading and writing the sheets officials exchange: xlsx (first worksheet) and CSV (UTF-8, BOM for Excel)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import Workbook

from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.xlsx_reader import XlsxError, read_xlsx
from zhijiao.xlsx_text import literal_row

FORMATS = (".xlsx", ".csv")


def _where(path: Path) -> dict[str, str]:
    return {"zh": f"文件 {path.name}", "en": f"file {path.name}"}


def check_format(path: Path) -> None:
    if path.suffix.lower() not in FORMATS:
        raise InputError(
            [Problem(_where(path), "", "仅支持 .xlsx 或 .csv 文件", "only .xlsx and .csv files are supported")]
        )


def read_rows(path: Path) -> Iterator[list[object]]:
    """Every row of the file, header first, as cell values; streamed, so memory stays bounded. The n-th list is
    row n of the sheet (xlsx rows the file does not store are empty lists), as the importer numbers them."""
    check_format(path)
    try:
        if path.suffix.lower() == ".xlsx":
            yield from read_xlsx(path)
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                yield from (list[object](row) for row in csv.reader(handle))
    except XlsxError as error:
        raise InputError([Problem(_where(path), "", f"无法读取：{error.zh}", f"cannot be read: {error.en}")]) from None
    except (OSError, ValueError, csv.Error) as error:  # unreadable files, text that is not UTF-8
        raise InputError([Problem(_where(path), "", f"无法读取：{error}", f"cannot be read: {error}")]) from None


def write_rows(path: Path, header: list[str], rows: Iterable[list[object]], *, title: str = "data") -> int:
    check_format(path)
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
