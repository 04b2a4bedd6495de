"""``zhijiao export`` and templates: registry tables out as the xlsx/CSV files officials exchange."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.registry.models import County
from zhijiao.registry.references import ReferenceIndex
from zhijiao.registry.sheets import write_rows
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.values import shown
from zhijiao.xlsx_text import keep_text

KIND_TEXT = {
    "text": ("文本", "text"),
    "code": ("编号", "code"),
    "int": ("整数", "whole number"),
    "year": ("年度", "year"),
    "yuan": ("金额（元，最多两位小数）", "amount in yuan, at most 2 decimals"),
    "rate": ("比例（0–1，或 10%）", "rate (0–1, or 10%)"),
    "fte": ("折合数（最多两位小数）", "full-time equivalents (2 decimals)"),
    "date": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "bool": ("是/否", "yes/no"),
    "county": ("县（市、区）名称", "county name"),
}


def header(spec: TableSpec, lang: str) -> list[str]:
    return [c.zh if lang == "zh" else c.name for c in spec.columns]


def _codes_by_id(index: ReferenceIndex, spec: TableSpec) -> dict[str, dict[int, str]]:
    """Every referenced record's code by id; loading them also gives the index every record's county."""
    out: dict[str, dict[int, str]] = {}
    for column in (c for c in spec.columns if c.ref):
        table = column.ref or ""
        if table not in out:
            index.load_all(table)
            out[table] = index.codes_by_id(table)
    return out


def export_rows(session: Session, spec: TableSpec, *, county: str | None = None) -> Iterator[list[Any]]:
    """Rows of the table in key order, each as the file shows it; only ``county``'s rows if given."""
    names = dict(session.execute(select(County.code, County.name)).all())
    index = ReferenceIndex(session)
    codes = _codes_by_id(index, spec)
    model = spec.model
    order = [getattr(model, spec.column(n).target) for n in spec.key]
    for record in session.scalars(select(model).order_by(*order)).yield_per(2_000):
        if county is not None and index.county_of_record(spec, record) != county:
            continue
        yield [_cell(column, getattr(record, column.target), names, codes) for column in spec.columns]


def _cell(column: Column, value: object, names: dict[str, str], codes: dict[str, dict[int, str]]) -> object:
    if value is None:
        return None
    if column.ref:
        return codes[column.ref].get(int(str(value)))
    if column.kind == "county":
        return names.get(str(value), value)
    if column.kind == "bool":
        return "是" if value else "否"
    return shown(column, value)


def export_table(session: Session, spec: TableSpec, path: Path, *, county: str | None = None, lang: str = "zh") -> int:
    rows = export_rows(session, spec, county=county)
    return write_rows(path, header(spec, lang), rows, title=spec.label[lang])


def write_template(spec: TableSpec, path: Path, *, lang: str = "zh") -> None:
    """The header row, then one row per column saying what it takes (read by people, skipped by import)."""
    write_rows(path, header(spec, lang), [], title=spec.label[lang])
    if path.suffix.lower() == ".xlsx":
        _add_guide(spec, path, lang)


def _add_guide(spec: TableSpec, path: Path, lang: str) -> None:
    from openpyxl import load_workbook  # noqa: PLC0415 -- only templates need a second sheet

    workbook = load_workbook(path)
    guide = workbook.create_sheet("说明" if lang == "zh" else "guide")
    guide.append(
        ["列", "英文名", "类型", "必填", "可选值"]
        if lang == "zh"
        else ["column", "name", "type", "required", "choices"]
    )
    for column in spec.columns:
        kind = KIND_TEXT[column.kind][0 if lang == "zh" else 1]
        required = ("是" if column.required else "否") if lang == "zh" else ("yes" if column.required else "no")
        choices = " | ".join(column.choices) or (f"→ {column.ref}" if column.ref else "")
        guide.append([column.zh, column.name, kind, required, choices])
    keep_text(workbook).save(path)
