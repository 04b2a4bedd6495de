"""Files as officials make them, on SQLite and PostgreSQL: what a person typed is what the registry keeps, or the
file is refused saying why and how to fix it — never a code stored different from what was typed.

The files come from real office software: ``../shared/fixtures/office`` (LibreOffice filling the templates of an
earlier version, whose code columns were in the General format; a CSV as Excel on Chinese Windows saves it) and
``tests/fixtures/office`` (LibreOffice typing into this version's templates, .xlsx and .xls).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError
from zhijiao.registry.importer import import_table
from zhijiao.registry.models import Enterprise, School, SchoolYear, StudentStats
from zhijiao.registry.sheets import read_rows
from zhijiao.registry.tables import BY_NAME
from zhijiao.registry.values import convert, is_blank

SHARED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "office"
OURS = Path(__file__).resolve().parents[1] / "fixtures" / "office"
TURNED = "该编号已被办公软件转成数字"
FIX = "请将该列设置为“文本”格式后重新输入编号，或使用本系统下载的导入模板"
SALARY = "当地同类学校编制内教师平均工资（元）"  # a column of school_years until migration 0008
RETIRED = BY_NAME["school_years"].retired[SALARY][0]
FILE_NAMES = ("school_code", "year", "double_high", "double_high_group_students", "base_appropriation_per_student",
              "", "market_service_income", "social_training_person_times", "meets_national_standard")  # fmt: skip


@pytest.fixture(scope="module")
def shared() -> Path:
    """CI lays shared/ beside the clone; a clone elsewhere (the fresh-clone check) may not have it."""
    if not SHARED.is_dir():
        pytest.skip("no ../shared/fixtures/office beside this checkout")
    return SHARED


def typed(shared: Path, table: str) -> list[list[str]]:
    rows: list[list[str]] = json.loads((shared / f"{table}-typed.json").read_text(encoding="utf-8"))
    return rows


def run_import(engine: Engine, table: str, path: Path):
    with Session(engine) as session, session.begin():
        return import_table(session, BY_NAME[table], path)


def refused(engine: Engine, table: str, path: Path) -> tuple[list[str], list[str]]:
    with pytest.raises(InputError) as caught:
        run_import(engine, table, path)
    assert caught.value.headline == {"zh": "文件未导入", "en": "File not imported"}
    return caught.value.messages("zh"), caught.value.messages("en")


def school_codes(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(School.code).order_by(School.code)))


def test_codes_an_office_program_made_numbers_are_refused_not_changed(engine, shared):
    zh, en = refused(engine, "schools", shared / "schools-libreoffice.xlsx")
    for row, number in ((2, 105), (3, 212), (4, 3301), (5, 3302)):
        assert f"第{row}行 学校编号: {TURNED} {number}，无法确定原来的写法（如开头的0）：{FIX}" in zh
    assert any(
        line.startswith("row 2 学校编号: the office program turned this code into the number 105") for line in en
    )
    assert school_codes(engine) == []  # 0105 is never stored as 105

    zh, _en = refused(engine, "school_years", shared / "school_years-libreoffice.xlsx")
    assert f"第2行 学校编号: {TURNED} 105，无法确定原来的写法（如开头的0）：{FIX}" in zh
    assert zh[0] == f"文件 school_years-libreoffice.xlsx 表头 {SALARY}: {RETIRED}"  # an older template's column


def test_credit_codes_that_lost_digits_or_are_malformed_are_refused(engine, shared):
    zh, _en = refused(engine, "enterprises", shared / "enterprises-libreoffice.xlsx")
    lost = "企业编号（统一社会信用代码）: 该编号已被办公软件转成数字 9.13303027245679e+17，末几位已丢失，无法还原"
    assert f"第2行 {lost}：{FIX}" in zh
    assert (
        "第3行 企业编号（统一社会信用代码）: 统一社会信用代码不含字符 Z（只用数字和除 I、O、S、V、Z 以外的大写字母）"
        in zh
    )
    assert any(line.startswith("第4行 企业编号（统一社会信用代码）: 该编号已被办公软件转成数字") for line in zh)
    with Session(engine) as session:
        assert session.scalars(select(Enterprise)).all() == []
    # The same codes typed into this version's template stay text; their check characters are still wrong.
    zh, _en = refused(engine, "enterprises", OURS / "enterprises-template-typed.xlsx")
    wrong = "统一社会信用代码校验位不符：按 GB 32100-2015 第18位应为 H，实为 1（请核对是否录错）"
    assert f"第2行 企业编号（统一社会信用代码）: {wrong}" in zh


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_what_was_typed_into_the_templates_is_what_is_kept(engine, shared, suffix):
    schools = run_import(engine, "schools", OURS / f"schools-template-typed{suffix}")
    assert schools.inserted == 4
    assert school_codes(engine) == ["0105", "0212", "3301", "3302"]
    with Session(engine) as session:
        kept = {s.code: (s.name, s.school_type, s.ownership, s.sponsor) for s in session.scalars(select(School))}
    for code, name, _county, *_labels in typed(shared, "schools"):
        assert kept[code][0] == name
    assert kept["0105"][1:] == ("secondary", "public", "county")  # 中职 / 公办 / 县属
    assert kept["3301"][1:] == ("technical", "public", "city")  # 技工院校 / 公办 / 市属
    assert kept["3302"][1:] == ("higher", "mixed", "city")  # 高职 / 混合所有制 / 市属

    # These files were typed into the template of an earlier version, which had the local average salary column
    # that is now the county's salary standards table: the file is refused naming only that column (every other
    # cell passes), and what was typed into the other columns is read exactly.
    path = OURS / f"school_years-template-typed{suffix}"
    zh, _en = refused(engine, "school_years", path)
    assert zh == [f"文件 {path.name} 表头 {SALARY}: {RETIRED}"]
    with Session(engine) as session:
        assert session.scalars(select(SchoolYear)).all() == []
    spec = BY_NAME["school_years"]
    header, *cells = list(read_rows(path))
    read = [{name: convert(spec.column(name), cell, {}) for name, cell in zip(FILE_NAMES, row, strict=True)
             if name and not is_blank(cell)} for row in cells]  # fmt: skip
    assert [spec.headers()[str(h)].name if str(h) != SALARY else "" for h in header] == list(FILE_NAMES)
    for row, (code, year, level, group, base, _salary, income, trained, standard) in zip(
        read, typed(shared, "school_years"), strict=True
    ):
        assert row["school_code"] == code
        assert row["year"] == int(year)
        assert row["double_high"] == {"省级": "provincial", "无": "none", "国家级": "national"}[level]
        assert row.get("double_high_group_students") == (None if group == "" else int(group))
        assert row["base_appropriation_per_student"] == int(Decimal(base.replace(",", "")) * 100)
        assert row["market_service_income"] == int(Decimal(income.replace(",", "")) * 100)
        assert row["social_training_person_times"] == int(trained)
        assert row["meets_national_standard"] is (standard == "是")


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_well_formed_credit_codes_typed_into_the_template_are_kept(engine, suffix):
    report = run_import(engine, "enterprises", OURS / f"enterprises-valid-template-typed{suffix}")
    assert report.inserted == 3
    expected = json.loads((OURS / "enterprises-valid-typed.json").read_text(encoding="utf-8"))
    with Session(engine) as session:
        kept = {e.code: e.name for e in session.scalars(select(Enterprise))}
    assert kept == {code: name for code, name, _county, _industry in expected}


def test_a_csv_saved_by_excel_on_chinese_windows_imports(engine, shared):
    run_import(engine, "schools", OURS / "schools-template-typed.xlsx")
    report = run_import(engine, "student_stats", shared / "student_stats-excel-gbk.csv")
    assert (report.rows, report.inserted) == (2, 2)
    with Session(engine) as session:
        rows = dict(
            session.execute(
                select(School.code, StudentStats.enrolled).join(StudentStats, StudentStats.school_id == School.id)
            ).all()
        )
    text = (shared / "student_stats-excel-gbk.csv").read_bytes().decode("gbk").splitlines()
    expected = {line.split(",")[0]: int(line.split(",")[2]) for line in text[1:]}
    assert rows == expected == {"0105": 1860, "0212": 920}


def test_a_gbk_csv_whose_schools_are_missing_names_the_table_to_import_first(engine, shared):
    zh, en = refused(engine, "student_stats", shared / "student_stats-excel-gbk.csv")
    assert zh == [
        "第2行 学校编号: “0105”在学校表中不存在：请先导入学校表（schools），或核对编号",
        "第3行 学校编号: “0212”在学校表中不存在：请先导入学校表（schools），或核对编号",
    ]
    assert (
        en[0]
        == "row 2 学校编号: no record of schools has the code '0105': import the schools table first, or check the code"
    )
