"""On the demo registry, SQLite and PostgreSQL: every table exported in Chinese and in English, as xlsx and CSV,
imports back with nothing changed; a file with some columns changes only those, and its dry run lists exactly what
it would change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from zhijiao.demo.registry import generate
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.exporter import export_table
from zhijiao.registry.importer import import_table
from zhijiao.registry.models import School, SchoolYear
from zhijiao.registry.tables import BY_NAME, TABLES
from zhijiao.simulation.cost import cost_for_year

POLICY = load()
YEAR = 2024


@pytest.fixture
def demo(engine: Engine) -> Engine:
    with Session(engine) as session, session.begin():
        generate(session)
    return engine


def rows_of(engine: Engine, table: str) -> list[tuple[Any, ...]]:
    """Every stored row of a table, ids and all: two of these compare exactly what an import changed."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]  # noqa: S608


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_export_imports_back_unchanged(demo, tmp_path, lang):
    for spec in TABLES:
        for suffix in (".xlsx", ".csv"):
            path = tmp_path / f"{spec.name}-{lang}{suffix}"
            with Session(demo) as session:
                exported = export_table(session, spec, path, lang=lang)
            before = rows_of(demo, spec.model.__tablename__)
            with Session(demo) as session, session.begin():
                report = import_table(session, spec, path)
            assert exported > 0, f"the demo holds no rows of {spec.name}: its round trip would prove nothing"
            assert (report.rows, report.inserted, report.updated) == (exported, 0, 0), (spec.name, suffix)
            assert rows_of(demo, spec.model.__tablename__) == before


def test_exports_write_the_labels_of_their_language(demo, tmp_path):
    labels = {}
    for lang in ("zh", "en"):
        path = tmp_path / f"schools-{lang}.xlsx"
        with Session(demo) as session:
            export_table(session, BY_NAME["schools"], path, lang=lang)
        sheet = load_workbook(path).worksheets[0]
        labels[lang] = {tuple(c.value for c in row[2:6]) for row in sheet.iter_rows(min_row=2)}
    assert ("瑞安市", "中职学校", "公办", "县属") in labels["zh"]
    assert ("Rui'an City", "secondary vocational school", "public", "county") in labels["en"]
    assert all(value.isascii() for row in labels["en"] for value in row)


def _school_years_file(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_file_with_three_columns_changes_only_what_it_holds(demo, tmp_path):
    with Session(demo) as session:
        cost_before = cost_for_year(session, POLICY, YEAR).baseline.totals.as_dict()
        years = session.execute(
            select(School.code, SchoolYear.double_high)
            .join(SchoolYear, SchoolYear.school_id == School.id)
            .where(SchoolYear.year == YEAR)
            .order_by(School.code)
        ).all()
    label = {"none": "无", "provincial": "省级", "national": "国家级"}
    header = ["学校编号", "年度", "“双高计划”建设单位"]
    same = _school_years_file(tmp_path / "same.xlsx", header, [[c, YEAR, label[d]] for c, d in years])
    stored = rows_of(demo, "school_years")

    with Session(demo) as session, session.begin():
        report = import_table(session, BY_NAME["school_years"], same)
    assert (report.updated, report.unchanged, report.changes) == (0, len(years), [])
    assert report.untouched == [c.name for c in BY_NAME["school_years"].columns[3:]]
    assert rows_of(demo, "school_years") == stored
    with Session(demo) as session:
        assert cost_for_year(session, POLICY, YEAR).baseline.totals.as_dict() == cost_before

    code, level = next((c, d) for c, d in years if d == "none")
    changed = [[c, YEAR, "国家级" if c == code else label[d]] for c, d in years]
    path = _school_years_file(tmp_path / "one.xlsx", header, changed)
    with Session(demo) as session:  # the dry run: the import in a transaction that is rolled back
        preview = import_table(session, BY_NAME["school_years"], path)
        session.rollback()
    assert rows_of(demo, "school_years") == stored
    assert [(c.number, c.key, c.action) for c in preview.changes] == [
        (changed.index([code, YEAR, "国家级"]) + 2, f"{code}/{YEAR}", "update")
    ]
    assert [(c.column, c.before, c.after) for c in preview.changes[0].cells] == [("double_high", level, "national")]
    counts = preview.counts["double_high"]
    assert (counts.added, counts.changed, counts.cleared, counts.unchanged) == (0, 1, 0, len(years) - 1)

    with Session(demo) as session, session.begin():
        done = import_table(session, BY_NAME["school_years"], path)
    assert done.fingerprint == preview.fingerprint
    after = rows_of(demo, "school_years")
    differences = [(old, new) for old, new in zip(stored, after, strict=True) if old != new]
    assert len(differences) == 1
    ((old, new),) = differences
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [
        list(SchoolYear.__table__.columns.keys()).index("double_high")
    ]


def test_an_empty_cell_clears_and_the_preview_says_so(demo, tmp_path):
    with Session(demo) as session:
        code, income = session.execute(
            select(School.code, SchoolYear.market_service_income_fen)
            .join(SchoolYear, SchoolYear.school_id == School.id)
            .where(SchoolYear.year == YEAR, SchoolYear.market_service_income_fen > 0)
            .order_by(School.code)
            .limit(1)
        ).one()
    header = ["学校编号", "年度", "市场委托社会培训和企业服务收入（元）"]
    path = _school_years_file(tmp_path / "clear.xlsx", header, [[code, YEAR, None]])
    with Session(demo) as session, session.begin():
        report = import_table(session, BY_NAME["school_years"], path)
    counts = report.counts["market_service_income"]
    assert (counts.cleared, counts.changed, counts.unchanged) == (1, 0, 0)
    ((cell,),) = [change.cells for change in report.changes]
    assert (cell.column, cell.after) == ("market_service_income", None)
    assert cell.before * 100 == income
    with Session(demo) as session:
        kept = session.scalar(
            select(SchoolYear.market_service_income_fen)
            .join(School, SchoolYear.school_id == School.id)
            .where(School.code == code, SchoolYear.year == YEAR)
        )
    assert kept is None
