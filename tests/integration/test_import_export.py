"""Registry files in and out, on SQLite and PostgreSQL: all or nothing, every problem named, idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError
from zhijiao.registry import importer
from zhijiao.registry.exporter import export_table, write_template
from zhijiao.registry.importer import import_table
from zhijiao.registry.models import Enterprise, EnterpriseCertification, School
from zhijiao.registry.seen_keys import SeenKeys
from zhijiao.registry.tables import BY_NAME

SHOES, VOLTS = "91330302MA07YPM15U", "91330382MA0FY3FT7R"  # well-formed credit codes (GB 32100-2015)
SCHOOL_HEADER = ["学校编号", "学校名称", "所在县（市、区）", "学校类型", "办学性质", "举办者"]
SCHOOLS = [
    ["SCH-001", "瑞安市职业中等专业学校", "瑞安市", "secondary", "public", "county"],
    ["SCH-002", "温州职业技术学院", "市直属", "higher", "public", "city"],
    ["SCH-003", "乐清市职业中等专业学校", "乐清市", "secondary", "public", "county"],
]


def xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run_import(engine: Engine, table: str, path: Path, **kwargs: object):
    with Session(engine) as session, session.begin():
        return import_table(session, BY_NAME[table], path, **kwargs)  # type: ignore[arg-type]


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def refused(engine: Engine, table: str, path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(InputError) as caught:
        run_import(engine, table, path, **kwargs)
    return caught.value.messages("zh") + caught.value.messages("en")


def test_a_good_file_imports_and_reimporting_changes_nothing(engine, tmp_path):
    path = xlsx(tmp_path / "schools.xlsx", SCHOOL_HEADER, SCHOOLS)
    report = run_import(engine, "schools", path)
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (3, 3, 0, 0)
    again = run_import(engine, "schools", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    changed = [[*SCHOOLS[0][:1], "瑞安市职业中专（更名）", *SCHOOLS[0][2:]], SCHOOLS[1]]
    update = run_import(engine, "schools", xlsx(tmp_path / "changed.xlsx", SCHOOL_HEADER, changed))
    assert (update.inserted, update.updated, update.unchanged) == (0, 1, 1)
    with Session(engine) as session:
        school = session.scalars(select(School).where(School.code == "SCH-001")).one()
        assert (school.name, school.county_code) == ("瑞安市职业中专（更名）", "330381")


def test_a_malformed_file_lists_every_problem_and_writes_nothing(engine, tmp_path):
    run_import(engine, "schools", xlsx(tmp_path / "seed.xlsx", SCHOOL_HEADER, SCHOOLS[:1]))
    rows = [
        ["SCH-010", "学校甲", "杭州市", "secondary", "public", "county"],  # unknown county
        ["SCH-011", "学校乙", "瑞安市", "college", "public", "county"],  # not a school type
        ["SCH-010", "学校丙", "瑞安市", "secondary", "public", "county"],  # duplicated code
        [None, None, None, None, None, None],  # empty row in the middle
        ["SCH-012", "学校丁", "瑞安市", "secondary", "public", None],  # required value missing
    ]
    messages = refused(engine, "schools", xlsx(tmp_path / "bad.xlsx", SCHOOL_HEADER, rows))
    assert "第2行 所在县（市、区）: “杭州市” 不是温州市的县（市、区）" in messages
    assert "第3行 学校类型: “college” 不是可选值（可填：高职院校、中职学校、技工院校）" in messages
    assert "第4行 学校编号: 编号重复（SCH-010）" in messages
    assert "第5行: 空行（数据中间不能有空行）" in messages
    assert "第6行 举办者: 必填项为空" in messages
    assert "row 2 所在县（市、区）: '杭州市' is not a county of Wenzhou" in messages
    assert count(engine, School) == 1  # only the seed: the good rows of a bad file are not written either


def test_text_in_a_number_column_and_bad_dates_are_named(engine, tmp_path):
    run_import(engine, "schools", xlsx(tmp_path / "s.xlsx", SCHOOL_HEADER, SCHOOLS))
    header = ["学校编号", "年度", "专任教师数", "兼职高技能人才数", "兼职教师折合全职数"]
    rows = [["SCH-001", 2024, "一百", 10, 4.5], ["SCH-001", 2025, 100, -3, "2.125"], ["SCH-404", 2024, 1, 1, 1]]
    messages = refused(engine, "teacher_stats", xlsx(tmp_path / "t.xlsx", header, rows))
    assert "第2行 专任教师数: 应为数字，实为“一百”" in messages
    assert "第3行 兼职高技能人才数: 不能为负数（-3）" in messages
    assert "第3行 兼职教师折合全职数: 2.125 的小数位超过 2 位" in messages
    assert "第4行 学校编号: “SCH-404”在学校表中不存在：请先导入学校表（schools），或核对编号" in messages


def test_a_wrong_header_is_refused_before_any_row(engine, tmp_path):
    header = ["学校编号", "学校名字", "所在县（市、区）", "学校类型", "办学性质", "举办者"]
    messages = refused(engine, "schools", xlsx(tmp_path / "h.xlsx", header, SCHOOLS))
    assert "文件 h.xlsx 表头 学校名字: 未知列" in messages
    assert count(engine, School) == 0
    keyless = ["学校名称", "所在县（市、区）", "学校类型", "办学性质", "举办者"]
    messages = refused(engine, "schools", xlsx(tmp_path / "k.xlsx", keyless, [row[1:] for row in SCHOOLS]))
    assert "文件 k.xlsx 表头 学校编号（code）: 缺少识别记录的列" in messages


def test_english_headers_csv_and_round_trip(engine, tmp_path):
    csv = tmp_path / "enterprises.csv"
    csv.write_text(
        f"code,name,county,industry\n{SHOES},温州某鞋业有限公司,鹿城区,鞋服\n{VOLTS},乐清某电气有限公司,乐清市,电气\n",
        encoding="utf-8",
    )
    run_import(engine, "enterprises", csv)
    certs = xlsx(
        tmp_path / "certs.xlsx",
        ["认定编号", "企业编号", "认定级别", "认定日期", "撤销日期", "撤销原因"],
        [["EC-1", SHOES, "city", dt.date(2023, 5, 1), None, None],
         ["EC-2", SHOES, "provincial", "2024/6/1", "2025-01-15", "不再符合认定条件"]],
    )  # fmt: skip
    run_import(engine, "enterprise_certifications", certs)
    with Session(engine) as session:
        revoked = session.scalars(select(EnterpriseCertification).where(EnterpriseCertification.code == "EC-2")).one()
        assert (revoked.certified_on, revoked.revoked_on) == (dt.date(2024, 6, 1), dt.date(2025, 1, 15))
    exported = tmp_path / "out.xlsx"
    with Session(engine) as session:
        assert export_table(session, BY_NAME["enterprise_certifications"], exported) == 2
    sheet = load_workbook(exported).worksheets[0]
    assert [c.value for c in sheet[1]] == ["认定编号", "企业编号", "认定级别", "认定日期", "撤销日期", "撤销原因"]
    assert [c.value for c in sheet[2]][:3] == ["EC-1", SHOES, "市级"]  # the label, read back as the code
    again = run_import(engine, "enterprise_certifications", exported)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


def test_money_and_rates_survive_the_round_trip_exactly(engine, tmp_path):
    run_import(engine, "schools", xlsx(tmp_path / "s.xlsx", SCHOOL_HEADER, SCHOOLS))
    header = ["学校编号", "年度", "生均财政拨款（元）", "市场委托社会培训和企业服务收入（元）", "达到国家办学条件标准"]
    run_import(
        engine, "school_years", xlsx(tmp_path / "y.xlsx", header, [["SCH-001", 2024, 12345.67, "2000000.05", "是"]])
    )
    exported = tmp_path / "years.csv"
    with Session(engine) as session:
        export_table(session, BY_NAME["school_years"], exported, lang="en")
    text = exported.read_text(encoding="utf-8-sig")
    assert "12345.67" in text
    assert "2000000.05" in text
    assert (run_import(engine, "school_years", exported).unchanged) == 1


def test_a_county_scoped_import_cannot_touch_another_county(engine, tmp_path):
    run_import(engine, "schools", xlsx(tmp_path / "s.xlsx", SCHOOL_HEADER, SCHOOLS))
    mine = xlsx(tmp_path / "mine.xlsx", SCHOOL_HEADER, [SCHOOLS[0]])
    assert run_import(engine, "schools", mine, county="瑞安市").unchanged == 1
    other = [[*SCHOOLS[2][:2], "瑞安市", *SCHOOLS[2][3:]]]  # a 乐清 school moved into 瑞安 by 瑞安's officer
    messages = refused(engine, "schools", xlsx(tmp_path / "other.xlsx", SCHOOL_HEADER, other), county="瑞安市")
    assert "第2行 学校编号: 该记录属于其他县（市、区），无权修改" in messages
    messages = refused(engine, "schools", xlsx(tmp_path / "new.xlsx", SCHOOL_HEADER, [SCHOOLS[2]]), county="瑞安市")
    assert "第2行 所在县（市、区）: 不属于本县（市、区），无权导入" in messages
    header = ["学校编号", "年度", "专任教师数", "兼职高技能人才数"]
    messages = refused(
        engine, "teacher_stats", xlsx(tmp_path / "t.xlsx", header, [["SCH-003", 2024, 10, 1]]), county="瑞安市"
    )
    assert "第2行 学校编号: 不属于本县（市、区），无权导入" in messages
    with Session(engine) as session:
        assert session.scalar(select(School.county_code).where(School.code == "SCH-003")) == "330382"


def test_templates_carry_the_headers_and_a_guide(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(BY_NAME["projects"], path)
    workbook = load_workbook(path)
    assert [c.value for c in workbook.worksheets[0][1]][:3] == ["项目编号", "项目名称", "学校编号"]
    guide = workbook["说明"]
    row = [c.value for c in guide[6]]
    assert row[:2] == ["计划投资（元）", "planned_investment"]
    assert row[3:5] == ["金额，单位：元，最多两位小数", "是"]


def test_enterprises_without_the_counties_table_are_refused(engine, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("code,name,county\nX1,某公司,市直属x\n", encoding="utf-8")
    messages = refused(engine, "enterprises", path)
    assert "row 2 所在县（市、区）: '市直属x' is not a county of Wenzhou" in messages
    assert count(engine, Enterprise) == 0


def test_checks_across_fields_and_rows(engine, tmp_path):
    mixed = [*SCHOOLS, ["SCH-009", "温州东方悦心职业学校", "市直属", "secondary", "mixed", "city"]]
    run_import(engine, "schools", xlsx(tmp_path / "s.xlsx", SCHOOL_HEADER, mixed))
    header = ["学校编号", "股东", "占股比例"]
    too_much = [
        ["SCH-009", "上海斯米克集团", 0.6],
        ["SCH-009", "温州市现代集团", "35%"],
        ["SCH-009", "温州东方学院", 0.1],
    ]
    messages = refused(engine, "school_shareholders", xlsx(tmp_path / "h.xlsx", header, too_much))
    assert "记录 SCH-009 share: 股东占股合计 105.00% 超过100%" in messages
    public = [["SCH-001", "某集团", 0.5]]
    messages = refused(engine, "school_shareholders", xlsx(tmp_path / "p.xlsx", header, public))
    assert "record SCH-001 shareholder: only mixed-ownership schools have shareholders" in messages
    good = [["SCH-009", "上海斯米克集团", 0.55], ["SCH-009", "温州市现代集团", "35%"], ["SCH-009", "温州东方学院", 0.1]]
    assert run_import(engine, "school_shareholders", xlsx(tmp_path / "g.xlsx", header, good)).inserted == 3

    header = ["项目编号", "项目名称", "学校编号", "建设类型", "计划投资（元）", "开工日期", "竣工日期"]
    backwards = [["J1", "迁建", "SCH-001", "relocated", 6e8, "2024-03-01", "2023-12-31"]]
    messages = refused(engine, "projects", xlsx(tmp_path / "j.xlsx", header, backwards))
    assert "第2行 竣工日期: 竣工日期（2023-12-31）早于2024-03-01" in messages


def test_a_key_repeated_in_a_later_chunk_is_named_and_problems_come_in_row_order(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 2)  # rows 2–3, 4–5, 6–7 … each a chunk of its own
    rows = [
        ["SCH-020", "学校甲", "瑞安市", "secondary", "public", "county"],
        ["SCH-021", "学校乙", "瑞安市", "secondary", "public", "county"],
        ["SCH-022", "学校丙", "杭州市", "secondary", "public", "county"],  # bad county, good key
        ["SCH-020", "学校丁", "瑞安市", "secondary", "public", "county"],  # row 2's key, two chunks later
        ["SCH-023", "学校戊", "瑞安市", "secondary", "public", "county"],
        ["SCH-022", "学校己", "瑞安市", "secondary", "public", "county"],  # row 4's key: its row failed, its key counts
        ["SCH-023", "学校庚", "瑞安市", "secondary", "public", "county"],  # row 6's key, in the same chunk
    ]
    with pytest.raises(InputError) as caught:
        run_import(engine, "schools", xlsx(tmp_path / "dup.xlsx", SCHOOL_HEADER, rows))
    assert caught.value.messages("zh") == [
        "第4行 所在县（市、区）: “杭州市” 不是温州市的县（市、区）",
        "第5行 学校编号: 编号重复（SCH-020）",
        "第7行 学校编号: 编号重复（SCH-022）",
        "第8行 学校编号: 编号重复（SCH-023）",
    ]
    assert "row 5 学校编号: duplicated key (SCH-020)" in caught.value.messages("en")
    assert count(engine, School) == 0


def test_imports_one_after_another_on_one_connection_and_in_one_transaction(engine, tmp_path):
    bad = [SCHOOLS[0], SCHOOLS[0]]
    for _ in range(2):  # the refused import leaves nothing behind that the next one trips over
        assert "第3行 学校编号: 编号重复（SCH-001）" in refused(
            engine, "schools", xlsx(tmp_path / "b.xlsx", SCHOOL_HEADER, bad)
        )
    schools = xlsx(tmp_path / "s.xlsx", SCHOOL_HEADER, SCHOOLS)
    header = ["学校编号", "年度", "专任教师数", "兼职高技能人才数"]
    teachers = xlsx(tmp_path / "t.xlsx", header, [["SCH-001", 2024, 10, 1], ["SCH-001", 2025, 10, 1]])
    with Session(engine) as session, session.begin():
        assert import_table(session, BY_NAME["schools"], schools).inserted == 3
        assert import_table(session, BY_NAME["teacher_stats"], teachers).inserted == 2
        assert import_table(session, BY_NAME["schools"], schools).unchanged == 3  # keys are per import
    assert count(engine, School) == 3


def test_rows_an_xlsx_file_does_not_store_keep_their_numbers(engine, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(SCHOOL_HEADER)
    sheet.append(SCHOOLS[0])
    for column, value in enumerate(["SCH-002", "学校", "瑞安市", "college", "public", "county"], start=1):
        sheet.cell(row=5, column=column, value=value)  # rows 3 and 4 are not in the file at all
    workbook.save(tmp_path / "gap.xlsx")
    messages = refused(engine, "schools", tmp_path / "gap.xlsx")
    assert "第3行: 空行（数据中间不能有空行）" in messages
    assert "第4行: 空行（数据中间不能有空行）" in messages
    assert "第5行 学校类型: “college” 不是可选值（可填：高职院校、中职学校、技工院校）" in messages


def test_seen_keys_across_chunks_short_and_long(engine):
    long_name = "温州" * 200  # kept as a digest: too long for a PostgreSQL index entry as text
    with Session(engine) as session, session.begin():
        seen = SeenKeys(session)
        assert seen.repeated([(2, ("SCH-1", long_name)), (3, ("SCH-1", 2024)), (4, ("SCH-1", long_name))]) == {4}
        assert seen.repeated([(5, ("SCH-1", 2024)), (6, ("SCH-1", long_name + "!")), (7, ("SCH-2", long_name))]) == {5}
        assert seen.repeated([(8, ("SCH-1", long_name + "!")), (9, ("SCH-1", 2025))]) == {8}
        seen.drop()
