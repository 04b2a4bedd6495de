"""Text stays text in every workbook and CSV file zhijiao writes.

openpyxl stores any string that starts with "=" as a formula. A school's name, a reversal's reason or a
unit's feedback typed as ``=HYPERLINK(…)`` would then run in the reader's Excel (formula injection), and
``=重复付款`` would show as ``#NAME?`` where the auditor expects the words. No zhijiao workbook writes a
formula on purpose, so every such cell is written as the text it is. A CSV field has no type to set: there,
formula-looking text is written after a single quote (``csv_cell``), which the registry's import takes off again
(``csv_text``), so an exported CSV imports back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl (and the numpy it loads) only when a workbook is written: a CSV needs neither
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

TEXT, FORMULA = "s", "f"


def literal_row(sheet: WriteOnlyWorksheet, row: Iterable[object]) -> list[object]:
    """A row for a write-only sheet's ``append``, each string that would be a formula wrapped as text."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 -- see the imports

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


# CSV has no cell types: Excel and WPS run any field that starts with one of these as a formula (OWASP "CSV
# injection"), a tab or carriage return included because Excel skips them before looking for "=". A number in a
# numeric column (-5, -0.50, +3) is left as it is: it is a number to every spreadsheet, not a formula.
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_NUMBER = r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?"  # also for polars' regex: the same syntax there
CSV_TRIGGER = r"[=+\-@\t\r]"
_CSV_NUMBER = re.compile(CSV_NUMBER)
CSV_QUOTE = "'"  # OWASP's choice: a spreadsheet shows the text after it


def _csv_formula(text: str) -> bool:
    """Text a spreadsheet would run, or such text after quotes (a name that really starts with ``'=``): the
    second is quoted too, so that taking one quote off on the way back gives exactly what was written."""
    if text.startswith(CSV_QUOTE):
        return _csv_formula(text.lstrip(CSV_QUOTE))
    return text.startswith(_CSV_TRIGGERS) and _CSV_NUMBER.fullmatch(text) is None


def csv_cell(value: object) -> object:
    """A CSV field that no spreadsheet runs: text it would take for a formula gets a leading single quote."""
    if isinstance(value, str) and _csv_formula(value):
        return CSV_QUOTE + value
    return value


def csv_row(row: Iterable[object]) -> list[object]:
    """A row for ``csv.writer.writerow``: None as an empty field, formula-looking text quoted (``csv_cell``)."""
    return ["" if value is None else csv_cell(value) for value in row]


def csv_text(text: str) -> str:
    """The inverse of ``csv_cell`` for a field read back: the quote goes only where ``csv_cell`` put it, before
    formula-looking text, so a name that really starts with a quote keeps it."""
    if text.startswith(CSV_QUOTE) and _csv_formula(text[1:]):
        return text[1:]
    return text
