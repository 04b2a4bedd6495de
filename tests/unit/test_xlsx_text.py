"""A text that starts with "=" is written as text, never as a formula (formula injection)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from zhijiao.xlsx_text import keep_text, literal_row

LINK = '=HYPERLINK("http://example.invalid","点此核对")'


def _reread(book: Workbook) -> list[tuple[object, str]]:
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
    return [(cell.value, cell.data_type) for row in sheet.iter_rows() for cell in row]


def test_an_ordinary_workbook_keeps_text_as_text():
    book = Workbook()
    book.active.append([LINK, "=重复付款", "收款账户有误", 12])
    assert _reread(keep_text(book)) == [(LINK, "s"), ("=重复付款", "s"), ("收款账户有误", "s"), (12, "n")]


def test_a_write_only_workbook_keeps_text_as_text():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(literal_row(sheet, [LINK, "瑞安市", 3]))
    assert _reread(book) == [(LINK, "s"), ("瑞安市", "s"), (3, "n")]
