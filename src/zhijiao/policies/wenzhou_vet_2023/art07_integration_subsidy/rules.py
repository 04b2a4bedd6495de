"""第七条 协同推进产教深度融合 — C12, one certification at a time, summed per enterprise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from zhijiao.engine.model import Note
from zhijiao.engine.rules import Aggregate, ExplainContext, RuleContext, rule
from zhijiao.engine.units import Unit
from zhijiao.policies.wenzhou_vet_2023 import certification_awards as awards

ART = "art07"
ENTITY = "enterprise_certification"
PREFIX = "art07.integration_subsidy"
LEVELS = ("city", "provincial", "national")


@rule(
    entity=ENTITY,
    unit=Unit.BOOL,
    article=ART,
    clauses=("C12",),
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
    clauses=("C12",),
    internal=True,
    dated_by="date",
    parameters=tuple(f"{PREFIX}.{level}" for level in LEVELS),
    label={"zh": "该级别补助标准", "en": "subsidy amount of the level"},
    formula={
        "zh": "市级5万元、省级20万元、国家级50万元（按认定日有效的标准）",
        "en": "city 50,000, provincial 200,000, national 500,000 (as in force on the certification date)",
    },
)
def integration_subsidy_amount(level: pl.Expr, date: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return awards.level_amount(level, date, ctx, PREFIX, LEVELS)


def _why_payable(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
    return awards.why_payable(row, ctx, "integration_subsidy_amount", "integration_subsidy_payable")


@rule(
    entity=ENTITY,
    unit=Unit.YUAN,
    article=ART,
    clauses=("C12",),
    options=("upgrade_payment",),
    internal=True,
    why=_why_payable,
    label={"zh": "该项认定应得一次性补助", "en": "one-time subsidy payable for this certification"},
    formula={
        "zh": "实施期内且该级别首次认定 → 标准（补差口径：减去已获补助）",
        "en": "inside the window and first at this level → the amount (difference: less what was received)",
    },
)
def integration_subsidy_payable(
    integration_subsidy_amount: pl.Expr,
    in_plan_window: pl.Expr,
    level: pl.Expr,
    date: pl.Expr,
    enterprise_id: pl.Expr,
    ctx: RuleContext,
) -> pl.Expr:
    return awards.payable(integration_subsidy_amount, in_plan_window, level, date, enterprise_id, ctx)


@rule(
    entity=ENTITY,
    unit=Unit.YUAN,
    article=ART,
    clauses=("C12",),
    why=awards.why_due,
    label={"zh": "本年度兑现的补助", "en": "subsidy due in the year"},
    formula={"zh": "认定日期在本年度 → 应得补助，否则0", "en": "certified in the year → payable, else 0"},
)
def integration_subsidy_due(integration_subsidy_payable: pl.Expr, date: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return awards.due(integration_subsidy_payable, date, ctx)


integration_subsidy = Aggregate(
    entity="enterprise",
    output="integration_subsidy",
    unit=Unit.YUAN,
    reads=("integration_subsidy_due",),
    source_entity=ENTITY,
    article=ART,
    clauses=("C12",),
    label={"zh": "产教融合型企业一次性补助（当地财政）", "en": "integration-enterprise subsidy (county finance)"},
    formula={
        "zh": "本年度各项认定应兑现补助之和",
        "en": "sum of the subsidies due in the year over its certifications",
    },
    why=awards.why_nothing_due("integration_subsidy", "产教融合型企业补助", "integration subsidy"),
)
