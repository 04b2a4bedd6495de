"""第十一条 加强职业教育社会培训 — C6."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from zhijiao.engine.model import Note
from zhijiao.engine.rules import ExplainContext, RuleContext, rule
from zhijiao.engine.units import Unit, mul_rate
from zhijiao.policies.wenzhou_vet_2023.explain_notes import missing

INCOME = {"market_service_income": {"zh": "市场委托社会培训和企业服务收入", "en": "market service income"}}


def _why(row: Mapping[str, Any], _ctx: ExplainContext) -> list[Note]:
    return missing(row, INCOME)


@rule(
    entity="school",
    unit=Unit.YUAN,
    article="art11",
    clauses=("C6",),
    parameters=("art11.incentive_rate",),
    why=_why,
    label={"zh": "社会服务性激励绩效总额上限", "en": "cap of the social-service incentive pool"},
    formula={
        "zh": "核定比例 × 市场委托社会培训和企业服务收入（不受绩效工资总量限制）",
        "en": "rate × market service income (outside the performance-pay cap)",
    },
)
def social_service_incentive_cap(market_service_income: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return mul_rate(market_service_income.fill_null(0), ctx.param("art11.incentive_rate"))
