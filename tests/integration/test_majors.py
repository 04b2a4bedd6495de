"""Art. 10's majors analytics on the registry: duplicated and old majors, the redistribution table, and the
thresholds the bureau changes without code (a parameter override or a reformed parameter set)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhijiao.cli.main import app as cli
from zhijiao.engine.parameters import Citation, DatedValue
from zhijiao.majors.service import MajorsReport, analyse
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry import models as m

POLICY = load()
RUIAN, LUCHENG = "330381", "330302"
PPM = 1_000_000
runner = CliRunner()
WIDE = {"COLUMNS": "400"}


def seed(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        a = m.School(code="A", name="瑞安甲校", county_code=RUIAN, school_type="secondary", ownership="public",
                     sponsor="county")  # fmt: skip
        b = m.School(code="B", name="瑞安乙校", county_code=RUIAN, school_type="secondary", ownership="public",
                     sponsor="county")  # fmt: skip
        c = m.School(code="C", name="鹿城丙校", county_code=LUCHENG, school_type="secondary", ownership="public",
                     sponsor="county")  # fmt: skip
        s.add_all([a, b, c])
        s.flush()

        def major(school: m.School, year: int, name: str, code: str | None, enrolment: int,
                  employed: float | None = None, retained: float | None = None) -> None:  # fmt: skip
            s.add(m.Major(school_id=school.id, year=year, name=name, national_code=code, enrolment=enrolment,
                          graduates=40 if employed is not None else None,
                          employment_rate_ppm=None if employed is None else int(employed * PPM),
                          local_retention_ppm=None if retained is None else int(retained * PPM)))  # fmt: skip

        for year, students in ((2022, 200), (2023, 180), (2024, 160)):
            major(a, year, "鞋类设计与工艺", "660701", students)
        major(a, 2025, "鞋类设计与工艺", "660701", 140, employed=0.95, retained=0.50)
        major(b, 2024, "鞋类设计与工艺", None, 95)  # no code at one school: the same major by its name
        major(b, 2025, "鞋类设计与工艺", None, 90)
        major(a, 2024, "数控技术应用", "660103", 300)
        major(a, 2025, "数控技术应用", "660103", 400, employed=0.85, retained=0.45)
        major(b, 2024, "电子商务", "730701", 100)
        major(b, 2025, "电子商务", "730701", 120, employed=0.97, retained=0.20)
        major(c, 2025, "鞋类设计与工艺", "660701", 50)  # another county: not Ruian's duplicate


def run(engine: Engine, **overrides: Decimal) -> MajorsReport:
    with Session(engine) as s:
        return analyse(s, POLICY.parameters, RUIAN, 2025, overrides)


def test_the_flags_of_a_county_and_year_with_their_explanations(engine: Engine) -> None:
    seed(engine)
    report = run(engine)
    [duplicate] = report.duplicated
    assert (duplicate.major, duplicate.national_code, duplicate.threshold) == ("鞋类设计与工艺", "660701",
                                                                               "art10.small_enrolment")  # fmt: skip
    assert duplicate.figures == {"schools_offering": 2, "small_schools": {"瑞安甲校": 140, "瑞安乙校": 90}}
    assert duplicate.explanation_zh == (
        "2所学校开设鞋类设计与工艺，其中2所在校生少于150人（art10.small_enrolment）：瑞安乙校（90人）、瑞安甲校（140人）"
    )
    assert "enrol fewer than 150" in duplicate.explanation_en
    old = {(f.kind, f.major, f.schools[0]): f for f in report.declining}
    assert set(old) == {
        ("declining", "鞋类设计与工艺", "瑞安甲校"),
        ("low_employment", "数控技术应用", "瑞安甲校"),
        ("low_retention", "电子商务", "瑞安乙校"),
    }
    falling = old["declining", "鞋类设计与工艺", "瑞安甲校"]
    assert falling.figures == {"enrolment": {2022: 200, 2023: 180, 2024: 160, 2025: 140}}
    assert falling.explanation_en.endswith("(art10.decline_years = 3): 2022–2025 200 → 180 → 160 → 140")
    assert old["low_employment", "数控技术应用", "瑞安甲校"].explanation_zh == (
        "瑞安甲校数控技术应用就业率85.0%，低于90.0%（art10.low_employment_rate）"
    )
    assert old["low_retention", "电子商务", "瑞安乙校"].value == Decimal("0.300000")


def test_the_redistribution_table_sets_shrinking_against_growing_majors(engine: Engine) -> None:
    seed(engine)
    report = run(engine)
    table = [(r.major, r.students_before, r.students_now, r.change, r.direction) for r in report.redistribution]
    assert table == [
        ("鞋类设计与工艺", 255, 230, -25, "shrinking"),
        ("电子商务", 100, 120, 20, "growing"),
        ("数控技术应用", 300, 400, 100, "growing"),
    ]
    assert "students are the measure" in report.measure_note["en"]


def test_changing_a_threshold_changes_the_flags(engine: Engine) -> None:
    seed(engine)
    assert [f.schools for f in run(engine, **{"art10.small_enrolment": Decimal(100)}).duplicated] == [["瑞安乙校"]]
    assert run(engine, **{"art10.small_enrolment": Decimal(80)}).duplicated == []
    kinds = {f.kind for f in run(engine, **{"art10.decline_years": Decimal(4), "art10.low_employment_rate":
                                            Decimal("0.80")}).declining}  # fmt: skip
    assert kinds == {"low_retention"}  # no 2021 figures to fall from; 85% employment is no longer low


def test_a_reformed_parameter_set_changes_the_flags(engine: Engine) -> None:
    seed(engine)
    retention = POLICY.parameters["art10.low_retention_rate"]
    cited = Citation(document="温州市教育局测算方案", article="第十条")
    reformed = POLICY.parameters.with_parameter(retention.overridden([DatedValue(dt.date(2025, 1, 1), 600_000, cited)]))
    with Session(engine) as s:
        report = analyse(s, reformed, RUIAN, 2025)
    low = sorted((f.major, f.figures["local_retention"]) for f in report.declining if f.kind == "low_retention")
    assert low == [("数控技术应用", "45.0%"), ("电子商务", "20.0%"), ("鞋类设计与工艺", "50.0%")]
    assert {t.id: t.citation for t in report.thresholds}["art10.low_retention_rate"] == "温州市教育局测算方案 第十条"


def test_the_demo_registry_flags_ruian_2025(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        report = analyse(s, POLICY.parameters, RUIAN, 2025)
        stricter = analyse(s, POLICY.parameters, RUIAN, 2025, {"art10.small_enrolment": Decimal(1000)})
    assert report.duplicated, "the demo has majors that Ruian's schools each run small"
    for flag in report.duplicated:
        assert len(flag.schools) >= 1
        assert all(n < 150 for n in flag.figures["small_schools"].values())
        assert flag.figures["schools_offering"] >= 2
    assert len(stricter.duplicated) > len(report.duplicated)
    assert report.redistribution
    assert sum(r.change for r in report.redistribution) == sum(r.students_now for r in report.redistribution) - sum(
        r.students_before for r in report.redistribution
    )


@pytest.fixture
def demo_url(sqlite_engine: Engine) -> str:
    return sqlite_engine.url.render_as_string(hide_password=False)


def test_the_command_prints_and_writes_the_workbook(demo_url: str, tmp_path: Path) -> None:
    target = tmp_path / "majors.xlsx"
    env = WIDE | {"DATABASE_URL": demo_url}
    shown = runner.invoke(cli, ["majors", "--county", "瑞安市", "--year", "2025"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "重复专业" in shown.output
    assert "art10.small_enrolment = 150" in shown.output
    assert "以在校生数变化衡量" in shown.output
    english = runner.invoke(cli, ["majors", "--county", "瑞安市", "--year", "2025", "--lang", "en", "--out",
                                  str(target)], env=env)  # fmt: skip
    assert english.exit_code == 0, english.output
    assert "Duplicated majors" in english.output
    book = load_workbook(target)
    assert book.sheetnames == ["duplicated", "old majors", "redistribution", "thresholds"]
    assert [c.value for c in book["redistribution"][1]][:3] == ["major", "code", "schools"]
    assert book["redistribution"].max_row > 1
    as_json = runner.invoke(cli, ["majors", "--county", "瑞安市", "--year", "2025", "--json"], env=env)
    assert as_json.exit_code == 0, as_json.output
    assert '"art10.small_enrolment"' in as_json.output


def test_an_unknown_county_is_refused(demo_url: str) -> None:
    result = runner.invoke(cli, ["majors", "--county", "火星", "--year", "2025", "--lang", "en"], env=WIDE | {
        "DATABASE_URL": demo_url})  # fmt: skip
    assert result.exit_code != 0
    assert "'火星' is not a county of Wenzhou" in result.output
