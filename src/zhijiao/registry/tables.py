"""Every registry table as officials exchange it: ``zhijiao tables`` lists these."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.engine.units import RATE_ONE
from zhijiao.refusals import NotFound
from zhijiao.registry import models as m
from zhijiao.registry.choices import (
    BRAND_CATEGORIES,
    CERTIFICATION_LEVELS,
    DOUBLE_HIGH,
    MEMBER_KINDS,
    OWNERSHIP,
    PLATFORM_KINDS,
    PLATFORM_LEVELS,
    PROGRAMME_KINDS,
    PROJECT_KINDS,
    SCHOOL_TYPES,
    SPONSOR,
    ChoiceSet,
)
from zhijiao.registry.codes import NATIONAL_MAJOR, USCC
from zhijiao.registry.spec import Column, RowCheck, TableSpec
from zhijiao.storage.base import Base

MONEY_MAX = 100_000_000_000  # 1,000亿元: far above any single figure, keeps every sum an exact integer
COUNT_MAX = 10_000_000


def _money(name: str, zh: str, *, required: bool = False) -> Column:
    return Column(name, zh, "yuan", required=required, maximum=MONEY_MAX)


def _count(name: str, zh: str, *, required: bool = False) -> Column:
    return Column(name, zh, "int", required=required, maximum=COUNT_MAX)


def _in_order(first: str, then: str, zh: str, en: str) -> RowCheck:
    """``then`` may not come before ``first`` (a revocation before its certification, an end before a start)."""

    def check(values: dict[str, Any]) -> tuple[str, str, str] | None:
        start, end = values.get(first), values.get(then)
        if start is not None and end is not None and end < start:
            return then, f"{zh}（{end}）早于{start}", f"{en} ({end}) is before {start}"
        return None

    return check


def _shares_within_whole(session: Session) -> list[tuple[str, str, str, str]]:
    """A mixed-ownership school's shares add up to at most 100%, and only mixed schools have shareholders."""
    problems = []
    rows = session.execute(
        select(m.School.code, m.School.ownership, func.sum(m.SchoolShareholder.share_ppm))
        .join(m.SchoolShareholder, m.SchoolShareholder.school_id == m.School.id)
        .group_by(m.School.code, m.School.ownership)
    )
    for code, ownership, total in rows:
        if total > RATE_ONE:
            share = Decimal(total) / RATE_ONE
            problems.append(
                (code, "share", f"股东占股合计 {share:.2%} 超过100%", f"shares add up to {share:.2%}, over 100%")
            )
        if ownership != "mixed":
            problems.append(
                (code, "shareholder", "非混合所有制学校不登记股东", "only mixed-ownership schools have shareholders")
            )
    return problems


def _certifications(name: str, model: type[Base], label: dict[str, str], owner: Column, levels: ChoiceSet) -> TableSpec:
    """A certification at a level on a date, and its revocation: enterprises (Art. 7) and platforms (Art. 3)."""
    return TableSpec(
        name,
        model,
        label,
        (
            Column("code", "认定编号", "code", required=True),
            owner,
            Column("level", "认定级别", "text", required=True, options=levels),
            Column("certified_on", "认定日期", "date", required=True),
            Column("revoked_on", "撤销日期", "date"),
            Column("revocation_reason", "撤销原因", "text"),
        ),
        key=("code",),
        county_via=owner.name,
        row_checks=(_in_order("certified_on", "revoked_on", "撤销日期", "revocation date"),),
    )


SCHOOL_REF = Column("school_code", "学校编号", "code", required=True, ref="schools")
YEAR = Column("year", "年度", "year", required=True)


def _retired(names: tuple[str, ...], zh: str, en: str) -> dict[str, tuple[str, str]]:
    return dict.fromkeys(names, (zh, en))


_LOCAL_SALARY_MOVED = _retired(
    ("local_avg_teacher_salary", "当地同类学校编制内教师平均工资（元）"),
    "此列已停用：当地同类学校编制内教师平均工资是县（市、区）按年度和学校类型发布的标准，"
    "请在“当地教师平均工资标准”表（salary_standards）中填报，并删除此列",
    "this column is retired: the local average teacher salary is a county's standard by year and school type; "
    "enter it in the salary standards table (salary_standards) and remove this column",
)
_OWN_SALARY_DROPPED = _retired(
    ("avg_salary", "编制内教师平均工资（元）"),
    "此列已停用：第十三条按县（市、区）的当地同类学校编制内教师平均工资标准计算，不再填报学校自身的平均工资，请删除此列",
    "this column is retired: Art. 13 uses the county's standard (the salary standards table), not the school's own "
    "average salary; remove this column",
)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "schools",
        m.School,
        {"zh": "学校", "en": "schools"},
        (
            Column("code", "学校编号", "code", required=True),
            Column("name", "学校名称", "text", required=True),
            Column("county", "所在县（市、区）", "county", required=True),
            Column("school_type", "学校类型", "text", required=True, options=SCHOOL_TYPES),
            Column("ownership", "办学性质", "text", required=True, options=OWNERSHIP),
            Column("sponsor", "举办者", "text", required=True, options=SPONSOR),
        ),
        key=("code",),
        county_via="county",
    ),
    TableSpec(
        "school_shareholders",
        m.SchoolShareholder,
        {"zh": "混合所有制学校股东", "en": "school shareholders"},
        (
            SCHOOL_REF,
            Column("shareholder", "股东", "text", required=True),
            Column("share", "占股比例", "rate", required=True),
        ),
        key=("school_code", "shareholder"),
        county_via="school_code",
        table_checks=(_shares_within_whole,),
    ),
    TableSpec(
        "school_years",
        m.SchoolYear,
        {"zh": "学校年度数据", "en": "school years"},
        (
            SCHOOL_REF,
            YEAR,
            Column("double_high", "“双高计划”建设单位", "text", options=DOUBLE_HIGH),
            _count("double_high_group_students", "“双高”专业群在校生数"),
            _money("base_appropriation_per_student", "生均财政拨款（元）"),
            _money("market_service_income", "市场委托社会培训和企业服务收入（元）"),
            _count("social_training_person_times", "社会培训人次"),
            Column("meets_national_standard", "达到国家办学条件标准", "bool"),
        ),
        key=("school_code", "year"),
        county_via="school_code",
        retired=_LOCAL_SALARY_MOVED,
    ),
    TableSpec(
        "salary_standards",
        m.SalaryStandard,
        {"zh": "当地教师平均工资标准", "en": "salary standards"},
        (
            Column("county", "县（市、区）", "county", required=True),
            YEAR,
            Column("school_type", "学校类型", "text", required=True, options=SCHOOL_TYPES),
            _money("avg_teacher_salary", "当地同类学校编制内教师平均工资（元）", required=True),
            Column("source", "数据来源", "text", required=True),
            Column("published_on", "发布（录入）日期", "date", required=True),
        ),
        key=("county", "year", "school_type"),
        county_via="county",
    ),
    TableSpec(
        "teacher_stats",
        m.TeacherStats,
        {"zh": "教师情况", "en": "teacher statistics"},
        (
            SCHOOL_REF,
            YEAR,
            _count("full_time", "专任教师数", required=True),
            _count("part_time", "兼职高技能人才数", required=True),
            Column("part_time_fte", "兼职教师折合全职数", "fte", maximum=COUNT_MAX),
            _count("double_qualified", "“双师型”教师数"),
            _count("double_qualified_trained", "当年培训“双师型”教师数"),
        ),
        key=("school_code", "year"),
        county_via="school_code",
        retired=_OWN_SALARY_DROPPED,
    ),
    TableSpec(
        "student_stats",
        m.StudentStats,
        {"zh": "学生情况", "en": "student statistics"},
        (
            SCHOOL_REF,
            YEAR,
            _count("enrolled", "在校生数", required=True),
            _count("intake", "招生数"),
            _count("graduates", "毕业生数"),
            _count("graduates_local", "留温就业毕业生数"),
            _count("integrated_secondary_higher", "中高职一体化在校生数"),
            _count("integrated_secondary_undergraduate", "中本一体化在校生数"),
            _count("three_plus_two", "“3+2”在校生数"),
            _count("three_plus_four", "“3+4”在校生数"),
            _count("study_abroad_funded", "公费出国留学人数"),
            _count("aided", "受资助学生数"),
        ),
        key=("school_code", "year"),
        county_via="school_code",
    ),
    TableSpec(
        "majors",
        m.Major,
        {"zh": "专业", "en": "majors"},
        (
            SCHOOL_REF,
            YEAR,
            Column("name", "专业名称", "text", required=True),
            Column("national_code", "专业代码", "code", shape=NATIONAL_MAJOR),
            Column("professional_group", "专业群", "text"),
            Column("industry", "服务产业", "text"),
            _count("enrolment", "在校生数"),
            _count("graduates", "毕业生数"),
            Column("employment_rate", "就业率", "rate"),
            Column("local_retention", "留温就业率", "rate"),
        ),
        key=("school_code", "year", "name"),
        county_via="school_code",
    ),
    TableSpec(
        "enterprises",
        m.Enterprise,
        {"zh": "企业", "en": "enterprises"},
        (
            Column("code", "企业编号（统一社会信用代码）", "code", required=True, shape=USCC),
            Column("name", "企业名称", "text", required=True),
            Column("county", "所在县（市、区）", "county", required=True),
            Column("industry", "所属行业", "text"),
        ),
        key=("code",),
        county_via="county",
    ),
    _certifications(
        "enterprise_certifications",
        m.EnterpriseCertification,
        {"zh": "产教融合型企业认定", "en": "enterprise certifications"},
        Column("enterprise_code", "企业编号", "code", required=True, ref="enterprises", shape=USCC),
        CERTIFICATION_LEVELS,
    ),
    TableSpec(
        "platforms",
        m.Platform,
        {"zh": "科研、实训平台", "en": "platforms"},
        (
            Column("code", "平台编号", "code", required=True),
            Column("name", "平台名称", "text", required=True),
            SCHOOL_REF,
            Column("kind", "平台类型", "text", required=True, options=PLATFORM_KINDS),
        ),
        key=("code",),
        county_via="school_code",
    ),
    _certifications(
        "platform_certifications",
        m.PlatformCertification,
        {"zh": "平台认定", "en": "platform certifications"},
        Column("platform_code", "平台编号", "code", required=True, ref="platforms"),
        PLATFORM_LEVELS,
    ),
    TableSpec(
        "projects",
        m.Project,
        {"zh": "建设项目", "en": "construction projects"},
        (
            Column("code", "项目编号", "code", required=True),
            Column("name", "项目名称", "text", required=True),
            SCHOOL_REF,
            Column("kind", "建设类型", "text", required=True, options=PROJECT_KINDS),
            _money("planned_investment", "计划投资（元）", required=True),
            _money("actual_investment", "实际完成投资（元）"),
            Column("started_on", "开工日期", "date"),
            Column("completed_on", "竣工日期", "date"),
        ),
        key=("code",),
        county_via="school_code",
        row_checks=(_in_order("started_on", "completed_on", "竣工日期", "completion date"),),
    ),
    TableSpec(
        "donations",
        m.Donation,
        {"zh": "社会捐赠", "en": "donations"},
        (
            Column("code", "捐赠编号", "code", required=True),
            SCHOOL_REF,
            Column("donor", "捐赠方", "text", required=True),
            _money("amount", "金额（元）", required=True),
            Column("received_on", "到账日期", "date", required=True),
            Column("capital", "用于资本性支出", "bool", required=True),
        ),
        key=("code",),
        county_via="school_code",
    ),
    TableSpec(
        "communities",
        m.Community,
        {"zh": "产教融合共同体", "en": "integration communities"},
        (
            Column("code", "共同体编号", "code", required=True),
            Column("name", "共同体名称", "text", required=True),
            Column("industry", "行业", "text"),
            Column("founded_on", "成立日期", "date"),
        ),
        key=("code",),
    ),
    TableSpec(
        "community_members",
        m.CommunityMember,
        {"zh": "共同体成员", "en": "community members"},
        (
            Column("community_code", "共同体编号", "code", required=True, ref="communities"),
            Column(
                "member_kind",
                "成员类型",
                "text",
                required=True,
                options=MEMBER_KINDS,
            ),
            Column("member_name", "成员名称", "text", required=True),
            Column("member_code", "成员编号", "code"),
            Column("role", "角色", "text"),
        ),
        key=("community_code", "member_name"),
    ),
    TableSpec(
        "international_programmes",
        m.InternationalProgramme,
        {"zh": "国际合作项目与园区", "en": "international programmes"},
        (
            Column("code", "项目编号", "code", required=True),
            Column("name", "名称", "text", required=True),
            Column("kind", "类型", "text", required=True, options=PROGRAMME_KINDS),
            Column("partner_country", "合作国家", "text"),
            Column("school_code", "学校编号", "code", ref="schools"),
            Column("started_on", "启动日期", "date"),
        ),
        key=("code",),
    ),
    TableSpec(
        "national_brands",
        m.NationalBrand,
        {"zh": "“国字号”品牌", "en": "national brands"},
        (
            Column("code", "编号", "code", required=True),
            Column("name", "名称", "text", required=True),
            Column("category", "类别", "text", required=True, options=BRAND_CATEGORIES),
            Column("school_code", "学校编号", "code", ref="schools"),
            Column("awarded_on", "获评日期", "date", required=True),
        ),
        key=("code",),
    ),
)

BY_NAME = {t.name: t for t in TABLES}
REF_TABLES = {"schools", "enterprises", "platforms", "communities"}


def missing_reference(column: Column, code: object) -> tuple[str, str]:
    """Why a code of another record is refused (zh, en), naming the table to import first."""
    table = column.ref or ""
    label = BY_NAME[table].label if table in BY_NAME else {"zh": table, "en": table}
    return (
        f"“{code}”在{label['zh']}表中不存在：请先导入{label['zh']}表（{table}），或核对编号",
        f"no record of {label['en']} has the code {code!r}: import the {table} table first, or check the code",
    )


def table_named(name: str) -> TableSpec:
    """The registry table called ``name``; refused as not found otherwise."""
    spec = BY_NAME.get(name)
    if spec is None:
        raise NotFound("没有该登记表。", "There is no such registry table.")
    return spec
