"""第二十条 加大经费保障 — C1–C5 and C11."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from zhijiao.engine.model import Note
from zhijiao.engine.rules import ExplainContext, RuleContext, rule
from zhijiao.engine.units import RATE_ONE, Unit, mul_rate
from zhijiao.policies.wenzhou_vet_2023.explain_notes import missing, not_public

ART = "art20"
UPLIFT = ("art20.appropriation_uplift.provincial", "art20.appropriation_uplift.national")

DOUBLE_HIGH_UPLIFT = {"zh": "第二十条“双高”生均拨款上浮", "en": "the Art. 20 double-high uplift"}
PUBLIC_EXPENDITURE_UPLIFT = {"zh": "第二十条生均公用经费上浮", "en": "the Art. 20 public-expenditure uplift"}
NOT_DOUBLE_HIGH = Note(
    "未进入全国或省级“双高计划”建设单位，生均财政拨款不上浮。",
    "Not a national or provincial double-high school: no uplift.",
    "入选省级“双高计划”上浮{art20.appropriation_uplift.provincial}，全国上浮{art20.appropriation_uplift.national}。",
    "Selection into the provincial plan uplifts by {art20.appropriation_uplift.provincial}, "
    "the national plan by {art20.appropriation_uplift.national}.",
)
NO_GROUP_STUDENTS = Note(
    "口径为“仅入选专业群”，但未填写专业群在校生数，按零计。",
    "Scope is 'group' but the group's students are not given: counted as zero.",
    "填写“双高”专业群在校生数。",
    "Enter the number of students of the double-high group.",
)
TECHNICAL_OUT_OF_SCOPE = Note(
    "技工院校：按当前口径（生均公用经费上浮适用范围：公办中职学校），仅公办中职学校适用。",
    "Technical school: under the option 'scope of the public-expenditure uplift: public secondary schools' only "
    "public secondary schools qualify.",
    "若口径改为“公办中职学校和技工院校”，技工院校也适用。",
    "Under the option 'public secondary and technical schools' technical schools qualify too.",
)
HIGHER_OUT_OF_SCOPE = Note(
    "高职院校：第二十条生均公用经费上浮仅适用于中等职业学校。",
    "Higher vocational college: the Art. 20 public-expenditure uplift is for secondary schools only.",
)
UPLIFT_INPUTS = {
    "students": {"zh": "在校生数", "en": "students"},
    "base_appropriation_per_student": {"zh": "生均财政拨款", "en": "base per-student appropriation"},
}
DONATIONS = {"capital_donations": {"zh": "社会捐赠资金资本性支出", "en": "donations spent on capital"}}


def _why_rate(row: Mapping[str, Any], _ctx: ExplainContext) -> list[Note]:
    if row["ownership"] != "public":
        return [not_public(row["ownership"], DOUBLE_HIGH_UPLIFT)]
    if row["double_high"] in (None, "none"):
        return [NOT_DOUBLE_HIGH]
    return []


@rule(
    entity="school",
    unit=Unit.RATE,
    article=ART,
    clauses=("C1",),
    parameters=UPLIFT,
    why=_why_rate,
    label={"zh": "生均财政拨款上浮比例", "en": "per-student appropriation uplift rate"},
    formula={
        "zh": "公办且全国“双高”→{art20.appropriation_uplift.national}；"
        "公办且省级“双高”→{art20.appropriation_uplift.provincial}；否则不上浮",
        "en": "public and national double-high → {art20.appropriation_uplift.national}; "
        "public and provincial → {art20.appropriation_uplift.provincial}; otherwise no uplift",
    },
)
def appropriation_uplift_rate(ownership: pl.Expr, double_high: pl.Expr, ctx: RuleContext) -> pl.Expr:
    public = ownership == "public"
    return (
        pl.when(public & (double_high == "national"))
        .then(ctx.param("art20.appropriation_uplift.national"))
        .when(public & (double_high == "provincial"))
        .then(ctx.param("art20.appropriation_uplift.provincial"))
        .otherwise(0)
    )


@rule(
    entity="school",
    unit=Unit.YUAN,
    article=ART,
    clauses=("C2",),
    label={"zh": "上浮后生均财政拨款", "en": "per-student appropriation after uplift"},
    formula={
        "zh": "生均财政拨款 + 生均财政拨款 × 上浮比例",
        "en": "base per-student appropriation + base per-student appropriation × uplift rate",
    },
)
def per_student_appropriation(
    base_appropriation_per_student: pl.Expr, appropriation_uplift_rate: pl.Expr, ctx: RuleContext
) -> pl.Expr:
    return mul_rate(base_appropriation_per_student.fill_null(0), appropriation_uplift_rate + RATE_ONE)


def _why_amount(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
    notes = _why_rate(row, ctx)
    if notes:
        return notes
    if ctx.options["double_high_scope"] == "group" and not row["double_high_group_students"]:
        return [NO_GROUP_STUDENTS]
    return missing(row, UPLIFT_INPUTS)


@rule(
    entity="school",
    unit=Unit.YUAN,
    article=ART,
    clauses=("C3",),
    options=("double_high_scope",),
    why=_why_amount,
    label={"zh": "生均财政拨款上浮新增支出", "en": "added cost of the appropriation uplift"},
    formula={
        "zh": "在校生数（或“双高”专业群在校生数）× 生均财政拨款 × 上浮比例",
        "en": "students (or the double-high group's students) × base per-student appropriation × uplift rate",
    },
)
def appropriation_uplift_amount(
    students: pl.Expr,
    double_high_group_students: pl.Expr,
    base_appropriation_per_student: pl.Expr,
    appropriation_uplift_rate: pl.Expr,
    ctx: RuleContext,
) -> pl.Expr:
    counted = double_high_group_students if ctx.option("double_high_scope") == "group" else students
    return mul_rate(counted.fill_null(0) * base_appropriation_per_student.fill_null(0), appropriation_uplift_rate)


def _scope_types(ctx: RuleContext) -> list[str]:
    return (
        ["secondary", "technical"]
        if ctx.option("public_expenditure_scope") == "secondary_and_technical"
        else ["secondary"]
    )


def _why_public_expenditure(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
    if row["ownership"] != "public":
        return [not_public(row["ownership"], PUBLIC_EXPENDITURE_UPLIFT)]
    scope = ctx.options["public_expenditure_scope"]
    if row["school_type"] == "technical" and scope == "secondary":
        return [TECHNICAL_OUT_OF_SCOPE]
    if row["school_type"] == "higher":
        return [HIGHER_OUT_OF_SCOPE]
    return []


@rule(
    entity="school",
    unit=Unit.BOOL,
    article=ART,
    clauses=("C4",),
    options=("public_expenditure_scope",),
    internal=True,
    why=_why_public_expenditure,
    label={"zh": "适用生均公用经费上浮", "en": "qualifies for the public-expenditure uplift"},
    formula={
        "zh": "公办，且为中职学校（口径含技工院校时亦可）",
        "en": "public, and a secondary school (or technical, by option)",
    },
)
def public_expenditure_eligible(ownership: pl.Expr, school_type: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return (ownership == "public") & school_type.is_in(_scope_types(ctx))


PUBLIC_EXPENDITURE = ("art20.public_expenditure_base", "art20.public_expenditure_uplift")


@rule(
    entity="school",
    unit=Unit.YUAN,
    article=ART,
    clauses=("C4",),
    parameters=PUBLIC_EXPENDITURE,
    why=_why_public_expenditure,
    label={"zh": "上浮后生均公用经费", "en": "per-student public expenditure after uplift"},
    formula={
        "zh": "省定基准 {art20.public_expenditure_base} 上浮 {art20.public_expenditure_uplift}，"
        "即 {art20.public_expenditure_base} × {1 + art20.public_expenditure_uplift}；不适用则为零",
        "en": "provincial base {art20.public_expenditure_base} raised by {art20.public_expenditure_uplift}, "
        "i.e. {art20.public_expenditure_base} × {1 + art20.public_expenditure_uplift}; zero if not eligible",
    },
)
def public_expenditure_per_student(public_expenditure_eligible: pl.Expr, ctx: RuleContext) -> pl.Expr:
    base = ctx.param("art20.public_expenditure_base")
    uplifted = mul_rate(base, ctx.param("art20.public_expenditure_uplift") + RATE_ONE)
    return pl.when(public_expenditure_eligible).then(uplifted).otherwise(0)


@rule(
    entity="school",
    unit=Unit.YUAN,
    article=ART,
    clauses=("C5",),
    parameters=PUBLIC_EXPENDITURE,
    why=_why_public_expenditure,
    label={"zh": "生均公用经费上浮新增支出", "en": "added cost of the public-expenditure uplift"},
    formula={"zh": "在校生数 × 省定基准 × 上浮比例", "en": "students × provincial base × uplift rate"},
)
def public_expenditure_uplift_amount(
    students: pl.Expr, public_expenditure_eligible: pl.Expr, ctx: RuleContext
) -> pl.Expr:
    added = mul_rate(
        students.fill_null(0) * ctx.param("art20.public_expenditure_base"), ctx.param("art20.public_expenditure_uplift")
    )
    return pl.when(public_expenditure_eligible).then(added).otherwise(0)


def _why_matching(row: Mapping[str, Any], _ctx: ExplainContext) -> list[Note]:
    return missing(row, DONATIONS)


@rule(
    entity="school",
    unit=Unit.YUAN,
    article=ART,
    clauses=("C11",),
    parameters=("art20.donation_matching_rate",),
    why=_why_matching,
    label={"zh": "社会捐赠配套资金（下限）", "en": "minimum donation matching"},
    formula={
        "zh": "社会捐赠资金资本性支出 × {art20.donation_matching_rate}（“不低于”，为下限）",
        "en": "donations spent on capital × {art20.donation_matching_rate} (a floor: 'not less than')",
    },
)
def donation_matching_min(capital_donations: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return mul_rate(capital_donations.fill_null(0), ctx.param("art20.donation_matching_rate"))
