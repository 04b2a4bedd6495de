"""The records the plan's rules run over, with the input names of clauses.md."""

from __future__ import annotations

from zhijiao.engine.model import CostItem, Entity, Variable
from zhijiao.engine.units import Unit

# 12 county-level units (4 districts, 3 county-level cities, 5 counties), as clauses.md lists them.
COUNTIES = (
    "鹿城区",
    "龙湾区",
    "瓯海区",
    "洞头区",
    "瑞安市",
    "乐清市",
    "龙港市",
    "永嘉县",
    "平阳县",
    "苍南县",
    "文成县",
    "泰顺县",
)
CITY_RUN = "市直属"
SCHOOL_COUNTIES = (*COUNTIES, CITY_RUN)
# Their English names (Hanyu Pinyin, as the city's own English pages write them).
PLACE_LABELS = {
    "鹿城区": {"zh": "鹿城区", "en": "Lucheng District"},
    "龙湾区": {"zh": "龙湾区", "en": "Longwan District"},
    "瓯海区": {"zh": "瓯海区", "en": "Ouhai District"},
    "洞头区": {"zh": "洞头区", "en": "Dongtou District"},
    "瑞安市": {"zh": "瑞安市", "en": "Rui'an City"},
    "乐清市": {"zh": "乐清市", "en": "Yueqing City"},
    "龙港市": {"zh": "龙港市", "en": "Longgang City"},
    "永嘉县": {"zh": "永嘉县", "en": "Yongjia County"},
    "平阳县": {"zh": "平阳县", "en": "Pingyang County"},
    "苍南县": {"zh": "苍南县", "en": "Cangnan County"},
    "文成县": {"zh": "文成县", "en": "Wencheng County"},
    "泰顺县": {"zh": "泰顺县", "en": "Taishun County"},
    CITY_RUN: {"zh": "市直属", "en": "City-run"},
}
# The finance that pays a cost item: the city's, or the county's of the record ("当地财政", "同级财政").
PAYERS = {
    "city": {"zh": "温州市财政", "en": "Wenzhou municipal finance"},
    "county": {"zh": "{county}财政", "en": "{county} finance"},
}


CHOICE_LABELS = {
    "higher": {"zh": "高职院校", "en": "higher vocational college"},
    "secondary": {"zh": "中职学校", "en": "secondary vocational school"},
    "technical": {"zh": "技工院校", "en": "technical school"},
    "public": {"zh": "公办", "en": "public"},
    "private": {"zh": "民办", "en": "private"},
    "mixed": {"zh": "混合所有制", "en": "mixed ownership"},
    "city": {"zh": "市级", "en": "city"},
    "county": {"zh": "县级", "en": "county"},
    "none": {"zh": "无", "en": "none"},
    "provincial": {"zh": "省级", "en": "provincial"},
    "national": {"zh": "国家级", "en": "national"},
    "research": {"zh": "科研平台", "en": "research"},
    "training": {"zh": "实训平台", "en": "training"},
    **PLACE_LABELS,
}


def _v(name: str, unit: Unit, zh: str, en: str, **kwargs: object) -> Variable:
    choices = kwargs.get("choices") or ()
    labels = {c: CHOICE_LABELS[c] for c in choices if c in CHOICE_LABELS}  # type: ignore[attr-defined]
    return Variable(name, unit, {"zh": zh, "en": en}, choice_labels=labels, **kwargs)  # type: ignore[arg-type]


# Maxima sit far above any real school and low enough that every product of the rules stays an exact
# 64-bit integer of fen (e.g. 10⁶ students × 10⁷ yuan × 100 fen = 10¹⁵).
SCHOOL = Entity(
    name="school",
    plural="schools",
    label={"zh": "学校", "en": "school"},
    inputs=(
        _v("id", Unit.TEXT, "编号", "id", required=True),
        _v("name", Unit.TEXT, "名称", "name"),
        _v("county", Unit.CODE, "所在县（市、区）", "county", required=True, choices=SCHOOL_COUNTIES),
        _v(
            "school_type",
            Unit.CODE,
            "学校类型",
            "school type",
            required=True,
            choices=("higher", "secondary", "technical"),
        ),
        _v("ownership", Unit.CODE, "办学性质", "ownership", required=True, choices=("public", "private", "mixed")),
        _v("sponsor", Unit.CODE, "举办者（同级财政）", "sponsor", required=True, choices=("city", "county")),
        _v(
            "double_high",
            Unit.CODE,
            "“双高计划”建设单位",
            "double-high plan",
            choices=("none", "provincial", "national"),
            default="none",
        ),
        _v("students", Unit.COUNT, "在校生数", "students", maximum=1_000_000),
        _v(
            "double_high_group_students",
            Unit.COUNT,
            "“双高”专业群在校生数",
            "students of the double-high group",
            maximum=1_000_000,
        ),
        _v(
            "base_appropriation_per_student",
            Unit.YUAN,
            "生均财政拨款（上浮前）",
            "base per-student appropriation",
            maximum=10_000_000,
        ),
        _v("full_time_teachers", Unit.COUNT, "专任教师数", "full-time teachers", maximum=100_000),
        _v("part_time_teachers", Unit.COUNT, "兼职高技能人才数", "part-time teachers", maximum=100_000),
        _v(
            "part_time_teacher_fte",
            Unit.FTE,
            "兼职教师折合全职数",
            "part-time teachers in full-time equivalents",
            maximum=100_000,
        ),
        _v(
            "local_avg_teacher_salary",
            Unit.YUAN,
            "当地同类学校编制内教师平均工资",
            "average in-establishment salary",
            maximum=10_000_000,
        ),
        _v(
            "market_service_income",
            Unit.YUAN,
            "市场委托社会培训和企业服务收入",
            "market service income",
            maximum=100_000_000_000,
        ),
        _v(
            "capital_donations",
            Unit.YUAN,
            "社会捐赠资金资本性支出",
            "donations spent on capital",
            maximum=100_000_000_000,
        ),
    ),
)

ENTERPRISE = Entity(
    name="enterprise",
    plural="enterprises",
    label={"zh": "企业", "en": "enterprise"},
    inputs=(
        _v("id", Unit.TEXT, "编号", "id", required=True),
        _v("name", Unit.TEXT, "名称", "name"),
        _v("county", Unit.CODE, "所在县（市、区）", "county", required=True, choices=COUNTIES),
    ),
)

ENTERPRISE_CERTIFICATION = Entity(
    name="enterprise_certification",
    plural="enterprise_certifications",
    label={"zh": "产教融合型企业认定", "en": "certification"},
    parent="enterprise",
    link="enterprise_id",
    nested_key="certifications",
    order=("date", "level"),  # the award rules read an enterprise's certifications in this order
    inputs=(
        _v("id", Unit.TEXT, "编号", "id"),
        _v("enterprise_id", Unit.TEXT, "企业编号", "enterprise id", required=True),
        _v("level", Unit.CODE, "认定级别", "level", required=True, choices=("city", "provincial", "national")),
        _v("date", Unit.DATE, "认定日期", "date", required=True),
    ),
)

PLATFORM = Entity(
    name="platform",
    plural="platforms",
    label={"zh": "平台", "en": "platform"},
    inputs=(
        _v("id", Unit.TEXT, "编号", "id", required=True),
        _v("name", Unit.TEXT, "名称", "name"),
        _v("school_id", Unit.TEXT, "所属学校编号", "school id", required=True, references="school"),
        _v("kind", Unit.CODE, "平台类型", "kind", required=True, choices=("research", "training")),
    ),
)

PLATFORM_CERTIFICATION = Entity(
    name="platform_certification",
    plural="platform_certifications",
    label={"zh": "平台认定", "en": "certification"},
    parent="platform",
    link="platform_id",
    nested_key="certifications",
    order=("date", "level"),
    inputs=(
        _v("id", Unit.TEXT, "编号", "id"),
        _v("platform_id", Unit.TEXT, "平台编号", "platform id", required=True),
        _v("level", Unit.CODE, "认定级别", "level", required=True, choices=("provincial", "national")),
        _v("date", Unit.DATE, "认定日期", "date", required=True),
    ),
)

ENTITIES = (SCHOOL, ENTERPRISE, ENTERPRISE_CERTIFICATION, PLATFORM, PLATFORM_CERTIFICATION)

# C14: the public money of the plan. The school's own income (C6) is not fiscal cost.
COST_ITEMS = (
    CostItem("school", "appropriation_uplift_amount", "art20", payer="sponsor", county="county"),
    CostItem("school", "public_expenditure_uplift_amount", "art20", payer="sponsor", county="county"),
    CostItem("school", "part_time_teacher_funding", "art13", payer="sponsor", county="county"),
    CostItem("school", "donation_matching_min", "art20", payer="sponsor", county="county"),
    CostItem("enterprise", "integration_subsidy", "art07", payer="=county", county="county"),
    CostItem("platform", "platform_award", "art03", payer="=city", county="county"),
)
