"""``zhijiao export`` and templates: registry tables out as the xlsx/CSV files officials exchange.

A file in Chinese writes choices, yes/no and counties as their Chinese labels, in English as the English ones; the
import reads either back as the same codes, so re-importing an export changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.registry.choices import YES_NO
from zhijiao.registry.counties import COUNTY_EN, named_counties
from zhijiao.registry.models import County
from zhijiao.registry.references import ReferenceIndex
from zhijiao.registry.sheets import WRITTEN, check_format, write_rows
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.values import shown
from zhijiao.registry.workbook_layout import write_workbook


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


def county_names(session: Session, lang: str) -> dict[str, str]:
    """code → the county's name in ``lang``."""
    names = dict(session.execute(select(County.code, County.name).order_by(County.code)).all())
    return names if lang == "zh" else {code: COUNTY_EN.get(code, name) for code, name in names.items()}


def export_rows(
    session: Session, spec: TableSpec, *, county: str | None = None, lang: str = "zh"
) -> Iterator[list[Any]]:
    """Rows of the table in key order, each as the file shows it in ``lang``; only ``county``'s rows if given."""
    names = county_names(session, lang)
    index = ReferenceIndex(session)
    codes = _codes_by_id(index, spec)
    model = spec.model
    order = [getattr(model, spec.column(n).target) for n in spec.key]
    for record in session.scalars(select(model).order_by(*order)).yield_per(2_000):
        if county is not None and index.county_of_record(spec, record) != county:
            continue
        yield [_cell(column, getattr(record, column.target), names, codes, lang) for column in spec.columns]


def _cell(column: Column, value: object, names: dict[str, str], codes: dict[str, dict[int, str]], lang: str) -> object:
    if value is None:
        return None
    if column.ref:
        return codes[column.ref].get(int(str(value)))
    if column.kind == "county":
        return names.get(str(value), value)
    if column.kind == "bool":
        return YES_NO.label("true" if value else "false", lang)
    if column.options is not None:
        return column.options.label(str(value), lang)
    return shown(column, value)


def export_table(session: Session, spec: TableSpec, path: Path, *, county: str | None = None, lang: str = "zh") -> int:
    check_format(path, WRITTEN)
    rows = export_rows(session, spec, county=county, lang=lang)
    if path.suffix.lower() == ".xlsx":
        counties = list(county_names(session, lang).values())
        return write_workbook(path, spec, header(spec, lang), rows, lang=lang, counties=counties)
    return write_rows(path, header(spec, lang), rows, title=spec.label[lang])


def write_template(spec: TableSpec, path: Path, *, lang: str = "zh") -> None:
    """The header row, formatted columns, drop-downs and the guide sheet; no rows. A CSV template is the header."""
    check_format(path, WRITTEN)
    if path.suffix.lower() != ".xlsx":
        write_rows(path, header(spec, lang), [], title=spec.label[lang])
        return
    write_workbook(path, spec, header(spec, lang), [], lang=lang, counties=named_counties(lang))
