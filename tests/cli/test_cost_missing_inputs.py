"""``zhijiao cost`` on the demo registry (SQLite and PostgreSQL) says when a figure it counted as zero was blank:
on stderr after the table, in the chosen language, and in a sheet of the xlsx it writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, delete, select
from typer.testing import CliRunner

from zhijiao.cli.main import app
from zhijiao.registry import models as m
from zhijiao.storage.database import unit_of_work

runner = CliRunner()
YEAR = 2025


@pytest.fixture
def registry(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    # The command runs on the test's engine: one of its own (from DATABASE_URL) would keep a pooled connection
    # past the test, and PostgreSQL refuses to drop a database still in use.
    monkeypatch.setattr("zhijiao.cli.cost.ensure_schema", lambda: demo_engine)
    return demo_engine


def _blank_teachers(engine: Engine) -> tuple[str, str, str]:
    """Takes the teacher figures of the first school with part-time teachers off the registry: its code, name and
    county."""
    with unit_of_work(engine) as session:
        found = session.execute(
            select(m.School, m.County.name)
            .join(m.County, m.School.county_code == m.County.code)
            .join(m.TeacherStats, m.TeacherStats.school_id == m.School.id)
            .where(m.TeacherStats.year == YEAR, m.TeacherStats.part_time > 0)
            .order_by(m.School.code)
        ).first()
        assert found is not None
        school, county = found
        session.execute(
            delete(m.TeacherStats).where(m.TeacherStats.school_id == school.id, m.TeacherStats.year == YEAR)
        )
        return school.code, school.name, county


@pytest.mark.usefixtures("registry")
def test_a_complete_year_prints_no_warning_and_an_empty_sheet(tmp_path: Path):
    out = tmp_path / "cost.xlsx"
    result = runner.invoke(app, ["cost", "--year", str(YEAR), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "缺失数据" not in result.stderr
    sheet = load_workbook(out)["缺失数据"]
    assert list(sheet.iter_rows(values_only=True))[1] == ("无：成本未使用任何空白数据。",) + (None,) * 6


def test_blank_figures_are_named_after_the_table_and_in_the_workbook(registry: Engine, tmp_path: Path):
    code, name, county = _blank_teachers(registry)
    out = tmp_path / "cost.xlsx"
    result = runner.invoke(app, ["cost", "--year", str(YEAR), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "财政成本" in result.stdout  # the table, on stdout as before
    warning = result.stderr
    assert "注意：财政成本使用了缺失数据（空白按零计算），相关金额可能偏低；涉及学校、企业或平台 1 个" in warning
    assert "第十三条 兼职教师经费：1 个" in warning
    assert f"学校 {code}（{name}，{county}）：兼职高技能人才数（part_time_teachers）→ 第十三条 兼职教师经费" in warning
    assert f"学校 {code}（{name}，{county}）：专任教师数（full_time_teachers）→ 第十三条 兼职教师经费" in warning
    assert warning.count("  • ") == 2

    rows = list(load_workbook(out)["缺失数据"].iter_rows(values_only=True))
    assert rows[0] == ("类型", "编号", "名称", "县（市、区）", "空白字段", "字段", "影响条款")
    assert rows[1:] == [
        ("学校", code, name, county, "专任教师数", "full_time_teachers", "第十三条 兼职教师经费"),
        ("学校", code, name, county, "兼职高技能人才数", "part_time_teachers", "第十三条 兼职教师经费"),
    ]


def test_the_warning_and_the_sheet_in_english(registry: Engine, tmp_path: Path):
    code, name, county = _blank_teachers(registry)
    out = tmp_path / "cost.xlsx"
    result = runner.invoke(app, ["cost", "--year", str(YEAR), "--by", "county", "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Warning: the fiscal cost was computed with missing inputs" in result.stderr
    assert "Schools, enterprises or platforms concerned: 1." in result.stderr
    assert "Art. 13 part-time teachers: 1" in result.stderr
    assert f"school {code} ({name}, {county}): part-time teachers (part_time_teachers) → Art. 13" in result.stderr
    rows = list(load_workbook(out)["missing inputs"].iter_rows(values_only=True))
    assert rows[0][4:6] == ("blank field", "field")
    assert {row[5] for row in rows[1:]} == {"full_time_teachers", "part_time_teachers"}
