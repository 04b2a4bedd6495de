"""Every table's template, as an office program opens it: code and text columns formatted as Text, date columns
as dates, a drop-down of the labels on every choice column, the header frozen, columns wide enough, and a guide
sheet with each column's meaning, unit and allowed values — in Chinese and in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zhijiao.registry.column_guide import meaning
from zhijiao.registry.counties import named_counties
from zhijiao.registry.exporter import header, write_template
from zhijiao.registry.spec import Column
from zhijiao.registry.tables import TABLES


def _list(workbook_sheets: dict[str, Worksheet], formula: str) -> list[str]:
    """The values a drop-down's formula (e.g. '选项'!$A$2:$A$4) points at."""
    sheet_name, cells = formula.split("!")
    sheet = workbook_sheets[sheet_name.strip("'")]
    first, last = (part.replace("$", "") for part in cells.split(":"))
    return [str(row[0].value) for row in sheet[f"{first}:{last}"]]


def _expected_labels(column: Column, lang: str) -> list[str]:
    if column.kind == "county":
        return named_counties(lang)
    if column.kind == "bool":
        return ["是", "否"] if lang == "zh" else ["yes", "no"]
    return list(column.options.labels(lang)) if column.options else []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.name)
def test_a_template_keeps_what_is_typed_and_says_what_each_column_takes(tmp_path: Path, spec, lang):
    path = tmp_path / f"{spec.name}.xlsx"
    write_template(spec, path, lang=lang)
    workbook = load_workbook(path)
    data = workbook.worksheets[0]
    sheets = {sheet.title: sheet for sheet in workbook.worksheets}
    assert [c.value for c in data[1]] == header(spec, lang)
    assert data.freeze_panes == "A2"
    validations = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation}
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        dimension = data.column_dimensions[letter]
        assert dimension.width >= 8, column.name
        if column.kind in ("code", "text", "county", "bool"):
            assert dimension.number_format == "@", column.name
        if column.kind == "date":
            assert dimension.number_format == "yyyy-mm-dd", column.name
        labels = _expected_labels(column, lang)
        if labels:
            validation = validations[f"{letter}2"]
            assert validation.type == "list"
            assert str(validation.sqref) == f"{letter}2:{letter}1048576"
            assert _list(sheets, validation.formula1) == labels
        else:
            assert f"{letter}2" not in validations, column.name
    lists = workbook.worksheets[-1]
    assert lists.sheet_state == "hidden"

    guide = workbook["说明" if lang == "zh" else "guide"]
    rows = {row[0].value: [c.value for c in row] for row in guide.iter_rows(min_row=2) if row[0].value}
    for column in spec.columns:
        name = column.zh if lang == "zh" else column.name
        row = rows[name]
        assert row[2] == meaning(spec.name, column.name, lang)
        assert row[4] == (("是" if column.required else "否") if lang == "zh" else ("yes" if column.required else "no"))
        labels = _expected_labels(column, lang)
        if labels:
            assert row[5] == ("、" if lang == "zh" else ", ").join(labels)
        if column.kind == "code":
            assert row[5].startswith(column.code_shape.zh if lang == "zh" else column.code_shape.en)


def test_the_guide_names_the_unit_and_the_rule_for_partial_files(tmp_path: Path):
    path = tmp_path / "school_years.xlsx"
    write_template(next(t for t in TABLES if t.name == "school_years"), path)
    guide = load_workbook(path)["说明"]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "金额，单位：元，最多两位小数" in text
    assert "文件中没有的列保持原值不变；文件中有的列如果单元格为空，表示清空该值" in text
    assert "编号列已设为“文本”格式" in text
