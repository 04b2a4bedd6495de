"""A registry table as an xlsx workbook that an office program keeps intact: templates and exports alike.

Every code and text column is formatted as Text, so a code typed into it stays what was typed (``0105``, an
18-digit credit code) instead of becoming a number; date columns are dates; every choice column (and the county
and yes/no columns) has a drop-down list of its labels; the header row is frozen and the columns are wide enough to
read. The first sheet holds the data (the import reads only the first sheet); the guide sheet (说明) lists each
column's meaning, unit, whether it is required and the values it takes; a hidden sheet holds the drop-downs' lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from zhijiao.registry.column_guide import meaning
from zhijiao.registry.counties import COUNTY_EN
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.xlsx_text import literal_row

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
LAST_ROW = 1_048_576  # Excel's last row: the formats and lists cover every row a person may fill
# openpyxl's stubs leave out the write-only sheet's column_dimensions and data_validations, which it has at run time.
Sheet = Any
_WIDTHS = {"code": 16, "text": 18, "county": 14, "date": 12, "yuan": 18, "bool": 10, "year": 8}
_WIDEST = 60
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_FONT = Font(bold=True)

KIND_TEXT = {
    "text": ("文本", "text"),
    "code": ("编号（文本）", "code (text)"),
    "int": ("整数", "whole number"),
    "year": ("年度（四位数字）", "year (four digits)"),
    "yuan": ("金额，单位：元，最多两位小数", "amount in yuan, at most 2 decimals"),
    "rate": ("比例：0–1 的小数，或百分数如 10%", "rate: a fraction from 0 to 1, or a percentage such as 10%"),
    "fte": ("折合全职人数，最多两位小数", "full-time equivalents, at most 2 decimals"),
    "date": (
        "日期：日期单元格，或 2024-03-01、2024/3/1、2024.3.1、2024年3月1日、20240301",
        "date: a date cell, or 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301",
    ),
    "bool": ("是 / 否", "yes / no"),
    "county": ("县（市、区）名称", "county name"),
}
_GUIDE_HEADER = {
    "zh": ["列名", "英文列名", "含义", "类型和单位", "必填", "可填写的值或格式"],
    "en": ["column", "Chinese header", "meaning", "type and unit", "required", "values or format"],
}


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese character is two."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)  # noqa: PLR2004 -- where CJK scripts begin


def choice_labels(column: Column, lang: str, counties: Sequence[str]) -> tuple[str, ...]:
    """The values a drop-down offers for ``column``, or none for a column without a list."""
    if column.kind == "county":
        return tuple(counties)
    if column.kind == "bool":
        return ("是", "否") if lang == "zh" else ("yes", "no")
    if column.options is not None:
        return column.options.labels(lang)
    return ()


def county_labels(names_by_code: dict[str, str], lang: str) -> list[str]:
    """The counties as a file names them in ``lang``: Chinese names, or English ones."""
    if lang == "zh":
        return list(names_by_code.values())
    return [COUNTY_EN.get(code, name) for code, name in names_by_code.items()]


def _allowed(column: Column, lang: str, counties: Sequence[str]) -> str:
    labels = choice_labels(column, lang, counties)
    if labels:
        return ("、" if lang == "zh" else ", ").join(labels)
    if column.kind == "code":
        shape = column.code_shape
        text = shape.zh if lang == "zh" else shape.en
        if column.ref:
            text += f"；须为已导入的{column.ref}中的编号" if lang == "zh" else f"; a code already in {column.ref}"
        return text
    if column.maximum is not None:
        return f"0–{column.maximum:,}"
    return ""


def _format(column: Column) -> str | None:
    if column.kind in ("code", "text", "county", "bool"):
        return TEXT_FORMAT
    if column.kind == "date":
        return DATE_FORMAT
    if column.kind == "yuan":
        return MONEY_FORMAT
    return None


def _lay_out_columns(sheet: Sheet, spec: TableSpec, header: list[str]) -> None:
    for index, (column, title) in enumerate(zip(spec.columns, header, strict=True), start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        width = max(_WIDTHS.get(column.kind, 12), _display_width(title) + 2)
        if column.code_shape.digits and column.kind == "code":
            width = max(width, column.code_shape.digits + 4)
        dimension.width = min(width, _WIDEST)
        number_format = _format(column)
        if number_format:
            dimension.number_format = number_format


def _header_cells(sheet: Sheet, spec: TableSpec, header: list[str]) -> list[Cell]:
    cells = []
    for column, title in zip(spec.columns, header, strict=True):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = _REQUIRED_FONT if column.required else _FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _drop_downs(sheet: Sheet, lists_title: str, spec: TableSpec, lang: str, counties: Sequence[str]) -> list[list[str]]:
    """A drop-down on every choice column; the columns of the hidden sheet that lists their labels."""
    columns: list[list[str]] = []
    for index, column in enumerate(spec.columns, start=1):
        labels = choice_labels(column, lang, counties)
        if not labels:
            continue
        columns.append([column.zh if lang == "zh" else column.name, *labels])
        source = get_column_letter(len(columns))
        formula = f"{quote_sheetname(lists_title)}!${source}$2:${source}${len(labels) + 1}"
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
        validation.errorTitle = "无效的值" if lang == "zh" else "Not allowed"
        joined = ("、" if lang == "zh" else ", ").join(labels)
        validation.error = f"请从下拉列表中选择：{joined}" if lang == "zh" else f"Choose from the list: {joined}"
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.data_validations.append(validation)
    return columns


def _guide(workbook: Workbook, spec: TableSpec, lang: str, counties: Sequence[str]) -> None:
    guide = workbook.create_sheet("说明" if lang == "zh" else "guide")
    for letter, width in zip("ABCDEF", (26, 24, 60, 30, 8, 50), strict=True):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = "A2"
    guide.append([_bold(guide, title) for title in _GUIDE_HEADER[lang]])
    for column in spec.columns:
        kind = KIND_TEXT[column.kind][0 if lang == "zh" else 1]
        required = ("是" if column.required else "否") if lang == "zh" else ("yes" if column.required else "no")
        names = (column.zh, column.name) if lang == "zh" else (column.name, column.zh)
        row = [*names, meaning(spec.name, column.name, lang), kind, required, _allowed(column, lang, counties)]
        guide.append(literal_row(guide, row))
    guide.append([])
    for note in _NOTES[lang]:
        guide.append([note])


_NOTES = {
    "zh": [
        "填写说明：第一个工作表为数据表，第一行为列名，不要修改列名；数据从第二行开始，中间不要留空行。",
        (
            "编号列已设为“文本”格式：请直接输入编号（如 0105），不要改为“常规”或“数值”格式，"
            "否则开头的0和长编号的末几位会丢失。"
        ),
        (
            "只导入需要更新的列时，可以删除其他列：文件中没有的列保持原值不变；文件中有的列如果单元格为空，表示清空该值。"
            "识别记录的编号列必须保留。"
        ),
        "导入前系统会先列出将新增、修改、清空的值，确认后才写入；任何一行有误，整个文件都不导入。",
    ],
    "en": [
        "The first sheet holds the data: keep the header row as it is; data start on row 2, no empty rows between.",
        (
            "Code columns are formatted as Text: type codes as they are (e.g. 0105) and keep the format, or leading "
            "zeros "
            "and the last digits of long codes are lost."
        ),
        (
            "To update some columns only, delete the others: a column the file does not have is left as it is; an "
            "empty "
            "cell in a column the file has clears that value. The columns that identify a row must stay."
        ),
        (
            "Before anything is written the system lists the values to be added, changed and cleared, and imports only "
            "after you confirm; if any row is wrong, nothing of the file is imported."
        ),
    ],
}


def _bold(sheet: Sheet, value: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = _FONT
    cell.fill = _HEADER_FILL
    return cell


def write_workbook(
    path: Path,
    spec: TableSpec,
    header: list[str],
    rows: Iterable[list[object]],
    *,
    lang: str,
    counties: Sequence[str],
) -> int:
    """Writes the table's rows (as the file shows them) under ``header``; returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.label[lang][:31])
    lists_title = "选项" if lang == "zh" else "lists"
    _lay_out_columns(sheet, spec, header)
    sheet.freeze_panes = "A2"
    listed = _drop_downs(sheet, lists_title, spec, lang, counties)
    sheet.append(_header_cells(sheet, spec, header))
    count = 0
    for row in rows:
        sheet.append(literal_row(sheet, row))
        count += 1
    _guide(workbook, spec, lang, counties)
    lists = workbook.create_sheet(lists_title)
    lists.sheet_state = "hidden"
    for index in range(max((len(c) for c in listed), default=0)):
        lists.append([c[index] if index < len(c) else None for c in listed])
    workbook.save(path)
    return count


__all__ = ["KIND_TEXT", "choice_labels", "county_labels", "write_workbook"]
