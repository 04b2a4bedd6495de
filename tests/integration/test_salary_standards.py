"""The local average teacher salary is a county's standard by year and school type, on SQLite and PostgreSQL:
imported like any table (all or nothing, every problem by row, column and reason), written only within a county
officer's county, and what Art. 13 funds a school's part-time teachers at — its county's standard for its type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from zhijiao.authz import Principal, Role, Scope
from zhijiao.engine.calculate import run
from zhijiao.engine.errors import InputError
from zhijiao.engine.rules import Period
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry import models as m
from zhijiao.registry.editing import Change, RowNotFound, save
from zhijiao.registry.importer import import_table
from zhijiao.registry.snapshot import frames_for_year
from zhijiao.registry.tables import BY_NAME

POLICY = load()
SPEC = BY_NAME["salary_standards"]
YEAR = 2024
RUIAN, LUCHENG = "330381", "330302"
HEADER = ["县（市、区）", "年度", "学校类型", "当地同类学校编制内教师平均工资（元）", "数据来源", "发布（录入）日期"]
BULLETIN = "瑞安市统计局《2024年度事业单位在岗职工工资统计》"
STANDARDS = [
    ["瑞安市", YEAR, "中职", "150,000", BULLETIN, dt.date(2024, 3, 15)],
    ["Lucheng District", YEAR, "secondary vocational school", 160000, "鹿城区统计公报", "2024/3/20"],
    ["330381", YEAR, "高职院校", 170000.5, BULLETIN, "2024年3月15日"],
]
DATE_FORMS = "2024-03-01、2024/3/1、2024.3.1、2024年3月1日、20240301"
MOVED = (
    "此列已停用：当地同类学校编制内教师平均工资是县（市、区）按年度和学校类型发布的标准，"
    "请在“当地教师平均工资标准”表（salary_standards）中填报，并删除此列"
)
COUNTY_OFFICER = Principal(1, "county", "瑞安市教育局经办人", Role.county_officer, Scope(county_code=RUIAN))


def xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run_import(engine: Engine, path: Path, table: str = "salary_standards", county: str | None = None):
    with Session(engine) as session, session.begin():
        return import_table(session, BY_NAME[table], path, county=county)


def refused(engine: Engine, path: Path, table: str = "salary_standards", county: str | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        run_import(engine, path, table, county)
    return caught.value.messages("zh")


def standards(engine: Engine) -> dict[tuple[str, int, str], tuple[int, str, dt.date]]:
    with Session(engine) as session:
        rows = session.scalars(select(m.SalaryStandard))
        return {
            (r.county_code, r.year, r.school_type): (r.avg_teacher_salary_fen, r.source, r.published_on) for r in rows
        }


def test_a_file_of_standards_imports_exactly_and_again_changes_nothing(engine, tmp_path):
    report = run_import(engine, xlsx(tmp_path / "standards.xlsx", STANDARDS))
    assert (report.rows, report.inserted, report.updated) == (3, 3, 0)
    assert [change.key for change in report.changes] == ["瑞安市/2024/secondary", "鹿城区/2024/secondary",
                                                         "瑞安市/2024/higher"]  # fmt: skip
    assert standards(engine) == {
        (RUIAN, YEAR, "secondary"): (15_000_000, BULLETIN, dt.date(2024, 3, 15)),
        (LUCHENG, YEAR, "secondary"): (16_000_000, "鹿城区统计公报", dt.date(2024, 3, 20)),
        (RUIAN, YEAR, "higher"): (17_000_050, BULLETIN, dt.date(2024, 3, 15)),
    }
    csv = tmp_path / "standards.csv"
    csv.write_text(",".join(HEADER) + "\n瑞安市,2024,中职学校,150000.00,瑞安市统计局（更正）,2024-03-15\n", "gbk")
    again = run_import(engine, csv)
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 0)
    assert [(c.column, c.before, c.after) for c in again.changes[0].cells] == [
        ("source", BULLETIN, "瑞安市统计局（更正）")
    ]
    assert standards(engine)[RUIAN, YEAR, "secondary"][:2] == (15_000_000, "瑞安市统计局（更正）")


def test_a_bad_file_names_every_problem_and_writes_nothing(engine, tmp_path):
    run_import(engine, xlsx(tmp_path / "seed.xlsx", STANDARDS[:1]))
    before = standards(engine)
    csv = tmp_path / "bad.csv"
    lines = [
        "瑞安市,2025,中职,152000,瑞安市统计局,2025-03-01",  # good, but the file is refused whole
        "杭州市,2025,中职,150000,某统计公报,2025-03-01",
        "鹿城区,2025,大学,150000,某统计公报,2025-03-01",
        "鹿城区,2025,高职,-1,某统计公报,2025-03-01",
        "鹿城区,2025,技工院校,150000,,2025-02-30",
        "Rui'an City,2025,secondary,152000,瑞安市统计局,2025-03-01",
        "鹿城区,2025,中职,150000.001,某统计公报,2025-03-01",
    ]
    csv.write_text("\n".join([",".join(HEADER), *lines]) + "\n", encoding="utf-8")
    messages = refused(engine, csv)
    assert messages == [
        "第3行 县（市、区）: “杭州市” 不是温州市的县（市、区）",
        "第4行 学校类型: “大学” 不是可选值（可填：高职院校、中职学校、技工院校）",
        "第5行 当地同类学校编制内教师平均工资（元）: 不能为负数（-1）",
        f"第6行 发布（录入）日期: “2025-02-30” 不是日历上的日期（可用写法：{DATE_FORMS}，或日期格式的单元格）",
        "第6行 数据来源: 必填项为空",
        "第7行 县（市、区）: 编号重复（瑞安市、2025、secondary）",
        "第8行 当地同类学校编制内教师平均工资（元）: 150000.001 的小数位超过 2 位",
    ]
    assert standards(engine) == before
    partial = xlsx(tmp_path / "partial.xlsx", [["瑞安市", 2026, "中职", 160000]], HEADER[:4])
    assert refused(engine, partial) == [
        "第2行 数据来源: 新记录必须填写此列，但文件中没有这一列",
        "第2行 发布（录入）日期: 新记录必须填写此列，但文件中没有这一列",
    ]
    long = xlsx(tmp_path / "long.xlsx", [["瑞安市", 2026, "中职", 160000, "统" * 201, "2026-03-01"]])
    assert refused(engine, long) == ["第2行 数据来源: 超过 200 个字符"]
    assert standards(engine) == before


def test_a_county_officer_writes_only_its_countys_standards(engine, tmp_path):
    run_import(engine, xlsx(tmp_path / "city.xlsx", STANDARDS))
    before = standards(engine)
    mixed = [
        ["瑞安市", YEAR, "中职", 151000, BULLETIN, "2024-03-15"],
        ["鹿城区", YEAR, "中职", 1, "改动", "2024-03-15"],
    ]
    assert refused(engine, xlsx(tmp_path / "mixed.xlsx", mixed), county="瑞安市") == [
        "第3行 县（市、区）: 不属于本县（市、区），无权导入"
    ]
    assert standards(engine) == before
    own = run_import(engine, xlsx(tmp_path / "own.xlsx", mixed[:1]), county="瑞安市")
    assert (own.updated, standards(engine)[RUIAN, YEAR, "secondary"][0]) == (1, 15_100_000)

    with Session(engine) as session, session.begin():
        values = {"county": "鹿城区", "year": 2025, "school_type": "secondary", "avg_teacher_salary": 1,
                  "source": "改动", "published_on": "2025-03-01"}  # fmt: skip
        with pytest.raises(InputError) as caught:
            save(session, COUNTY_OFFICER, [Change(SPEC, values)])
        assert caught.value.messages("zh") == [
            "当地教师平均工资标准 鹿城区/2025/secondary county: 不属于本县（市、区），无权修改"
        ]
        key = {"county": "鹿城区", "year": YEAR, "school_type": "secondary"}
        with pytest.raises(RowNotFound):  # another county's standard is not found, so not changed
            save(session, COUNTY_OFFICER, [Change(SPEC, values | key, key)])
    assert standards(engine)[LUCHENG, YEAR, "secondary"] == before[LUCHENG, YEAR, "secondary"]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(m.SalaryStandard)) == len(before)


def _seed_schools(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        schools = [
            m.School(code="S1", name="瑞安中职", county_code=RUIAN, school_type="secondary", ownership="public",
                     sponsor="county"),
            m.School(code="S2", name="鹿城中职", county_code=LUCHENG, school_type="secondary", ownership="public",
                     sponsor="county"),
            m.School(code="S3", name="瑞安高职", county_code=RUIAN, school_type="higher", ownership="public",
                     sponsor="county"),
        ]  # fmt: skip
        session.add_all(schools)
        session.flush()
        for school in schools:
            session.add(m.TeacherStats(school_id=school.id, year=YEAR, full_time=100, part_time=20))


def _funding(engine: Engine) -> dict[str, int]:
    """Art. 13's part-time teacher funding of each school in YEAR, in fen, as the engine computes it."""
    with Session(engine) as session:
        frames = frames_for_year(session, POLICY, Period(YEAR))
    school = run(POLICY, frames, Period(YEAR)).frames["school"]
    return dict(zip(school["id"].to_list(), school["part_time_teacher_funding"].to_list(), strict=True))


def test_a_schools_art13_funding_follows_its_countys_standard_for_its_type(engine, tmp_path):
    _seed_schools(engine)
    assert _funding(engine) == {"S1": 0, "S2": 0, "S3": 0}  # no standard yet
    run_import(engine, xlsx(tmp_path / "standards.xlsx", STANDARDS))
    assert _funding(engine) == {"S1": 20 * 15_000_000, "S2": 20 * 16_000_000, "S3": 20 * 17_000_050}

    ruian = [["瑞安市", YEAR, "中职", "155000.25", BULLETIN, "2024-03-15"]]
    run_import(engine, xlsx(tmp_path / "ruian.xlsx", ruian))
    assert _funding(engine) == {"S1": 20 * 15_500_025, "S2": 20 * 16_000_000, "S3": 20 * 17_000_050}

    lucheng = [["鹿城区", YEAR, "中职", 90000, "鹿城区统计公报", "2024-03-20"]]
    run_import(engine, xlsx(tmp_path / "lucheng.xlsx", lucheng))
    assert _funding(engine) == {"S1": 20 * 15_500_025, "S2": 20 * 9_000_000, "S3": 20 * 17_000_050}

    other_year = [["瑞安市", YEAR + 1, "中职", 200000, BULLETIN, "2025-03-15"]]
    run_import(engine, xlsx(tmp_path / "next.xlsx", other_year))
    assert _funding(engine)["S1"] == 20 * 15_500_025  # a year's funding reads that year's standard only


def test_a_file_made_from_an_older_template_is_refused_naming_the_retired_column(engine, tmp_path):
    _seed_schools(engine)
    header = ["学校编号", "年度", "当地同类学校编制内教师平均工资（元）", "生均财政拨款（元）"]
    path = xlsx(tmp_path / "old.xlsx", [["S1", YEAR, 150000, 12000], ["S9", YEAR, 150000, -1]], header)
    assert refused(engine, path, "school_years") == [
        f"文件 old.xlsx 表头 当地同类学校编制内教师平均工资（元）: {MOVED}",
        "第3行 生均财政拨款（元）: 不能为负数（-1）",  # the rest of the file is still checked
    ]
    teachers = xlsx(tmp_path / "teachers.xlsx", [["S1", YEAR, 160000]], ["school_code", "year", "avg_salary"])
    (message,) = refused(engine, teachers, "teacher_stats")
    assert message.startswith("文件 teachers.xlsx 表头 avg_salary: 此列已停用")
    with Session(engine) as session:
        assert session.scalars(select(m.SchoolYear)).all() == []
