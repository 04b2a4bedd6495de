"""Text stays text in every workbook zhijiao writes.

openpyxl stores any string that starts with "=" as a formula. A school's name, a reversal's reason or a
unit's feedback typed as ``=HYPERLINK(…)`` would then run in the reader's Excel (formula injection), and
``=重复付款`` would show as ``#NAME?`` where the auditor expects the words. No zhijiao workbook writes a
formula on purpose, so every such cell is written as the text it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

TEXT, FORMULA = "s", "f"


def literal_row(sheet: WriteOnlyWorksheet, row: Iterable[object]) -> list[object]:
    """A row for a write-only sheet's ``append``, each string that would be a formula wrapped as text."""
    out: list[object] = []
    for value in row:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = TEXT
            out.append(cell)
        else:
            out.append(value)
    return out


def keep_text(workbook: Workbook) -> Workbook:
    """Every cell of an ordinary workbook that openpyxl took for a formula, turned back into text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == FORMULA:
                    cell.data_type = TEXT
    return workbook
