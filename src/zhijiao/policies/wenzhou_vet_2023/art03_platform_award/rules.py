"""第三条 实施强基扩容“双百工程” — C13, one certification at a time, summed per platform."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from zhijiao.engine.model import Note
from zhijiao.engine.rules import Aggregate, ExplainContext, Lookup, RuleContext, rule
from zhijiao.engine.units import Unit
from zhijiao.policies.wenzhou_vet_2023 import certification_awards as awards

ART = "art03"
ENTITY = "platform_certification"
PREFIX = "art03.platform_award"
LEVELS = ("provincial", "national")


@rule(
    entity=ENTITY,
    unit=Unit.BOOL,
    article=ART,
    clauses=("C13",),
    options=("plan_window",),
    internal=True,
    why=awards.why_window,
    label={"zh": "认定日期在方案实施期内", "en": "certified inside the plan window"},
    formula={"zh": "方案实施期起 ≤ 认定日期 ≤ 方案实施期止", "en": "window start ≤ certification date ≤ window end"},
)
def in_plan_window(date: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return awards.in_window(date, ctx)


@rule(
    entity=ENTITY,
    unit=Unit.YUAN,
    article=ART,
    clauses=("C13",),
    internal=True,
    dated_by="date",
    parameters=tuple(f"{PREFIX}.{level}" for level in LEVELS),
    label={"zh": "该级别奖励标准", "en": "award amount of the level"},
    formula={
        "zh": "省级30万元、国家级50万元（按认定日有效的标准）",
        "en": "provincial 300,000, national 500,000 (as in force on the certification date)",
    },
)
def platform_award_amount(level: pl.Expr, date: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return awards.level_amount(level, date, ctx, PREFIX, LEVELS)


def _why_payable(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
    return awards.why_payable(row, ctx, "platform_award_amount", "platform_award_payable")


@rule(
    entity=ENTITY,
    unit=Unit.YUAN,
    article=ART,
    clauses=("C13",),
    options=("upgrade_payment",),
    internal=True,
    why=_why_payable,
    label={"zh": "该项认定应得一次性奖励", "en": "one-time award payable for this certification"},
    formula={
        "zh": "实施期内且该级别首次认定 → 标准（补差口径：减去已获奖励）",
        "en": "inside the window and first at this level → the amount (difference: less what was received)",
    },
)
def platform_award_payable(
    platform_award_amount: pl.Expr,
    in_plan_window: pl.Expr,
    level: pl.Expr,
    date: pl.Expr,
    platform_id: pl.Expr,
    ctx: RuleContext,
) -> pl.Expr:
    return awards.payable(platform_award_amount, in_plan_window, level, date, platform_id, ctx)


@rule(
    entity=ENTITY,
    unit=Unit.YUAN,
    article=ART,
    clauses=("C13",),
    why=awards.why_due,
    label={"zh": "本年度兑现的奖励", "en": "award due in the year"},
    formula={"zh": "认定日期在本年度 → 应得奖励，否则0", "en": "certified in the year → payable, else 0"},
)
def platform_award_due(platform_award_payable: pl.Expr, date: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return awards.due(platform_award_payable, date, ctx)


platform_award = Aggregate(
    entity="platform",
    output="platform_award",
    unit=Unit.YUAN,
    reads=("platform_award_due",),
    source_entity=ENTITY,
    article=ART,
    clauses=("C13",),
    label={"zh": "新创成平台奖励（市财政）", "en": "platform award (city finance)"},
    formula={"zh": "本年度各项认定应兑现奖励之和", "en": "sum of the awards due in the year over its certifications"},
    why=awards.why_nothing_due("platform_award", "平台奖励", "platform award"),
)

county = Lookup(
    entity="platform",
    output="county",
    unit=Unit.CODE,
    reads=("county",),
    target_entity="school",
    link="school_id",
    article=ART,
    internal=True,
    label={"zh": "所属学校所在县（市、区）", "en": "county of the platform's school"},
    formula={"zh": "所属学校的县（市、区）", "en": "the county of the school it belongs to"},
)
