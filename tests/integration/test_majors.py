"""Art. 10's majors analytics on the registry: duplicated and old majors, the majors serving the city's key and
emerging industries, the redistribution table, and the thresholds and industry list the bureau changes without code
(a parameter override, a reformed parameter set, an edited list)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhijiao.cli.main import app as cli
from zhijiao.engine.parameters import Citation, DatedValue
from zhijiao.majors.city import duplication_map, enrolment_trend
from zhijiao.majors.industries import IndustryList, industry_list, read_industries
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
        major(b, 2025, "会计事务", None, 60)  # serves none of the listed industries
        major(c, 2025, "鞋类设计与工艺", "660701", 50)  # another county: not Ruian's duplicate


def run(
    engine: Engine, overrides: dict[str, Decimal] | None = None, industries: IndustryList | None = None
) -> MajorsReport:
    with Session(engine) as s:
        return analyse(s, POLICY.parameters, RUIAN, 2025, overrides, industries)


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
    assert falling.figures == {"enrolment": {2023: 180, 2024: 160, 2025: 140}}  # the last 3 years, 2025 included
    assert falling.explanation_zh == (
        "瑞安甲校鞋类设计与工艺在校生近3年逐年下降（art10.decline_years = 3）：2023—2025年 180 → 160 → 140"
    )
    assert falling.explanation_en.endswith("(art10.decline_years = 3): 2023–2025 180 → 160 → 140")
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
        ("会计事务", 0, 60, 60, "growing"),
        ("数控技术应用", 300, 400, 100, "growing"),
    ]
    assert "students are the measure" in report.measure_note["en"]


def test_changing_a_threshold_changes_the_flags(engine: Engine) -> None:
    seed(engine)
    assert [f.schools for f in run(engine, {"art10.small_enrolment": Decimal(100)}).duplicated] == [["瑞安乙校"]]
    assert run(engine, {"art10.small_enrolment": Decimal(80)}).duplicated == []
    four = [f.figures for f in run(engine, {"art10.decline_years": Decimal(4)}).declining if f.kind == "declining"]
    assert four == [{"enrolment": {2022: 200, 2023: 180, 2024: 160, 2025: 140}}]
    kinds = {f.kind for f in run(engine, {"art10.decline_years": Decimal(5), "art10.low_employment_rate":
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


def test_the_majors_serving_the_listed_industries_and_the_countys_split(engine: Engine) -> None:
    seed(engine)
    listed = industry_list(POLICY, 2025)
    assert listed is not None
    report = run(engine, industries=listed)
    served = {(s.major, s.national_code, tuple(s.industries), s.students) for s in report.serving}
    assert served == {
        ("数控技术应用", "660103", ("smart_equipment",), 400),  # by its catalogue code
        ("电子商务", "730701", ("digital_economy",), 120),
        ("鞋类设计与工艺", "660701", ("footwear_clothing",), 230),  # by its name: the list carries no code for it
    }
    assert (report.students_serving, report.students_other) == (750, 60)  # 会计事务 serves none
    shown = report.as_dict()["industries"]
    assert shown["citation"]["document"] == "温政办〔2023〕32号"
    assert shown["effective_from"] == "2023-01-01"
    assert {i["id"]: i["kind"] for i in shown["list"]}["digital_economy"] == "emerging"
    assert report.industry_name("footwear_clothing", "en") == "footwear and clothing"


def test_changing_the_industry_list_changes_the_flags(engine: Engine) -> None:
    seed(engine)
    listed = industry_list(POLICY, 2025)
    assert listed is not None
    footwear = [i for i in listed.industries if i.id == "footwear_clothing"]
    only_footwear = run(engine, industries=listed.replaced(footwear))
    assert [s.major for s in only_footwear.serving] == ["鞋类设计与工艺"]
    assert (only_footwear.students_serving, only_footwear.students_other) == (230, 580)
    finance = dataclasses.replace(footwear[0], id="finance", name_zh="金融", name_en="finance", kind="emerging",
                                  names=frozenset({"会计事务"}))  # fmt: skip
    widened = run(engine, industries=listed.replaced([*listed.industries, finance]))
    assert {s.major: s.industries for s in widened.serving}["会计事务"] == ["finance"]
    assert (widened.students_serving, widened.students_other) == (810, 0)
    assert run(engine).serving == []  # no list, no industry flags


def test_the_industry_list_is_dated_and_checked(tmp_path: Path) -> None:
    assert industry_list(POLICY, 2022) is None  # the list is in force from 2023-01-01
    path = tmp_path / "industries.yaml"
    row = "{id: x, name: {zh: 甲, en: x}, kind: %s, codes: ['700206']}"
    path.write_text(
        "versions:\n"
        f"  - {{effective_from: 2025-01-01, citation: {{document: 新文件}}, industries: [{row % 'key'}]}}\n"
        f"  - {{effective_from: 2023-01-01, citation: {{document: 旧文件}}, industries: []}}\n",
        encoding="utf-8",
    )
    versions = read_industries(path)
    assert [(v.effective_from.year, v.citation.document) for v in versions] == [(2023, "旧文件"), (2025, "新文件")]
    assert versions[1].served_by("汽车运用与维修", "700206")[0].id == "x"
    path.write_text(f"versions:\n  - {{effective_from: 2023-01-01, industries: [{row % 'key'}]}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cites no document"):
        read_industries(path)
    cited = "citation: {document: 文件}"
    path.write_text(f"versions:\n  - {{effective_from: 2023-01-01, {cited}, industries: [{row % 'old'}]}}\n")
    with pytest.raises(ValueError, match="kind 'old'"):
        read_industries(path)


def test_the_trend_and_the_city_map_of_duplication(engine: Engine) -> None:
    seed(engine)
    counties = [("瑞安市", RUIAN), ("鹿城区", LUCHENG)]
    with Session(engine) as s:
        trend = enrolment_trend(s, RUIAN, 2025)
        found = duplication_map(s, POLICY.parameters, 2025, counties)
        stricter = duplication_map(s, POLICY.parameters, 2025, counties, {"art10.small_enrolment": Decimal(100)})
    assert trend.years == [2022, 2023, 2024, 2025]
    assert trend.majors == ["数控技术应用", "鞋类设计与工艺", "电子商务", "会计事务"]  # by 2025's students
    assert trend.students["鞋类设计与工艺"] == {2022: 200, 2023: 180, 2024: 255, 2025: 230}  # uncoded 乙校 joins
    assert (found.small, found.majors) == (150, ["鞋类设计与工艺"])
    assert found.duplicated("瑞安市", "鞋类设计与工艺") == 2
    assert found.duplicated("鹿城区", "鞋类设计与工艺") == 0  # one school there, small but not duplicated
    assert stricter.duplicated("瑞安市", "鞋类设计与工艺") == 1


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
    assert {r.direction for r in report.redistribution} >= {"shrinking", "growing"}


def test_the_demo_has_majors_losing_students_over_three_years(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        report = analyse(s, POLICY.parameters, RUIAN, 2025)
        four = analyse(s, POLICY.parameters, RUIAN, 2025, {"art10.decline_years": Decimal(4)})
        stricter = analyse(s, POLICY.parameters, RUIAN, 2025, {"art10.decline_years": Decimal(2)})
        majors = s.execute(select(m.Major.school_id, m.Major.year, func.sum(m.Major.enrolment))
                           .group_by(m.Major.school_id, m.Major.year)).all()  # fmt: skip
        stats = s.execute(select(m.StudentStats.school_id, m.StudentStats.year, m.StudentStats.enrolled)).all()
    enrolled = {(school, year): n for school, year, n in stats}
    falling = [f for f in report.declining if f.kind == "declining"]
    assert falling, "some of Ruian's schools lose students in a fading major year after year"
    for flag in falling:
        counts = list(flag.figures["enrolment"].values())
        assert list(flag.figures["enrolment"]) == [2023, 2024, 2025]
        assert counts[0] > counts[1] > counts[2]
        assert flag.major in {"会计事务", "物流服务与管理", "计算机应用", "中餐烹饪", "机械制造技术"}
    assert [f for f in four.declining if f.kind == "declining"] == []  # the demo holds no 2022 figures
    assert {f.schools[0] for f in stricter.declining if f.kind == "declining"} >= {f.schools[0] for f in falling}
    assert all(total == enrolled[school, year] for school, year, total in majors)  # school totals untouched


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
    assert re.search(r"^Rui'an City 2025: majors \(Art\. 10\)$", english.output, re.MULTILINE)
    assert "Majors serving key and emerging industries" in english.output
    assert "Industry list: 温政办〔2023〕32号 第十条 (from 2023-01-01" in english.output
    assert "enrolment fell year on year over the last 3 years" in english.output
    book = load_workbook(target)
    assert book.sheetnames == ["duplicated", "old majors", "redistribution", "industry majors", "thresholds"]
    assert [c.value for c in book["redistribution"][1]][:3] == ["major", "code", "schools"]
    assert book["redistribution"].max_row > 1
    industry_rows = list(book["industry majors"].iter_rows(min_row=2, values_only=True))
    assert ("数控技术应用", "660103", "smart equipment") in {row[:3] for row in industry_rows}
    as_json = runner.invoke(cli, ["majors", "--county", "瑞安市", "--year", "2025", "--json"], env=env)
    assert as_json.exit_code == 0, as_json.output
    assert '"art10.small_enrolment"' in as_json.output
    found = json.loads(as_json.stdout)
    assert found["industries"]["students_serving"] == sum(x["students"] for x in found["industries"]["serving"])
    assert found["industries"]["students_other"] > 0


def test_an_unknown_county_is_refused(demo_url: str) -> None:
    result = runner.invoke(cli, ["majors", "--county", "火星", "--year", "2025", "--lang", "en"], env=WIDE | {
        "DATABASE_URL": demo_url})  # fmt: skip
    assert result.exit_code != 0
    assert "'火星' is not a county of Wenzhou" in result.output
