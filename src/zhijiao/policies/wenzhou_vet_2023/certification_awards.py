"""One-time awards for certifications (Art. 3 platforms, Art. 7 enterprises): one logic, two articles.

A certification pays once, in the year of its date, if its date lies in the plan window. Each level
pays once per entity. Under ``upgrade_payment = difference`` a higher level pays only what exceeds
the largest amount the entity already received under the plan; certifications are ordered by date,
and by level on the same date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from zhijiao.engine.model import Label, Note
from zhijiao.engine.options import DateRange
from zhijiao.engine.prepare import PARENT_ROW
from zhijiao.engine.rules import Aggregate, ExplainContext, Formula, RuleContext, rule
from zhijiao.engine.units import Unit

LEVELS: Mapping[str, Label] = {
    "city": {"zh": "市级", "en": "city"},
    "provincial": {"zh": "省级", "en": "provincial"},
    "national": {"zh": "国家级", "en": "national"},
}


def window(ctx: RuleContext | ExplainContext) -> DateRange:
    value = ctx.option("plan_window") if isinstance(ctx, RuleContext) else ctx.options["plan_window"]
    assert isinstance(value, DateRange)  # noqa: S101 -- plan_window is a date-range option by declaration
    return value


def in_window(date: pl.Expr, ctx: RuleContext) -> pl.Expr:
    span = window(ctx)
    return date.is_between(pl.lit(span.start), pl.lit(span.end))


def level_amount(level: pl.Expr, date: pl.Expr, ctx: RuleContext, prefix: str, levels: Sequence[str]) -> pl.Expr:
    amount: pl.Expr = pl.lit(None, dtype=pl.Int64)
    for name in levels:
        amount = pl.when(level == name).then(ctx.param_on(f"{prefix}.{name}", date)).otherwise(amount)
    return amount.fill_null(0)


def payable(amount: pl.Expr, qualifies: pl.Expr, level: pl.Expr, owner_row: pl.Expr, ctx: RuleContext) -> pl.Expr:
    """What one certification pays. The engine hands an owner's certifications over sorted by date, then
    level (the entity's ``order``), so "earlier" is "above" within the owner's run of rows."""
    counted = pl.when(qualifies).then(amount).otherwise(0)
    if ctx.option("upgrade_payment") == "difference":
        received = counted.cum_max().shift(1).over(owner_row).fill_null(0)
        return pl.max_horizontal(counted - received, pl.lit(0, dtype=pl.Int64))
    # Full: the first qualifying certification of each level within the owner pays.
    first = ctx.first_in_parent(pl.when(qualifies).then(level))
    return pl.when(qualifies & first).then(amount).otherwise(0)


def due(payable_amount: pl.Expr, date: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return pl.when(ctx.period.contains(date)).then(payable_amount).otherwise(0)


# --- why not ---------------------------------------------------------------------------------------


BEFORE_WINDOW = Note(
    "认定日期 {day} 早于方案实施期（{start} 至 {end}），不予奖补。",
    "Certified {day}, before the plan window ({start} … {end}): no award.",
    "口径 plan_window 可调整适用的认定日期范围。",
    "The option plan_window sets which certification dates qualify.",
)
AFTER_WINDOW = Note(
    "认定日期 {day} 晚于方案实施期（{start} 至 {end}），不予奖补。",
    "Certified {day}, after the plan window ({start} … {end}): no award.",
    "后续政策另行规定；口径 plan_window 可调整适用的认定日期范围。",
    "A later policy would decide; the option plan_window sets which dates qualify.",
)
ALREADY_PAID = Note(
    "该主体已获{level}认定奖补，一次性奖补不重复兑现。",
    "The {level} award was already paid to this entity: a one-time award is paid once.",
)
DIFFERENCE_ONLY = Note(
    "口径 upgrade_payment = difference：{level}标准 {amount} 元，扣除已获奖补后补差 {paid} 元。",
    "upgrade_payment = difference: the {level} amount {amount} less what was already received leaves {paid}.",
    "口径改为 full 时各级全额给予。",
    "With upgrade_payment = full each level pays in full.",
)
DUE_IN_ITS_YEAR = Note(
    "一次性奖补在认定当年（{year}年）兑现，不计入{period}年。",
    "A one-time award counts in the year of its date ({year}), not in {period}.",
)
NOTHING_DUE = Note(
    "{period}年无应兑现的{what}；各项认定的原因见明细。",
    "No {what} falls due in {period}; each certification's reason is in the details.",
    "在方案实施期内新获认定，于认定当年兑现。",
    "A new certification inside the plan window pays in the year of its date.",
)


def why_window(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
    span = window(ctx)
    day = row["date"]
    if day < span.start:
        return [BEFORE_WINDOW.filled(day=day, start=span.start, end=span.end)]
    if day > span.end:
        return [AFTER_WINDOW.filled(day=day, start=span.start, end=span.end)]
    return []


def why_payable(row: Mapping[str, Any], ctx: ExplainContext, amount_output: str, payable_output: str) -> list[Note]:
    notes = why_window(row, ctx)
    if notes:
        return notes
    amount: Decimal = row[amount_output]
    paid: Decimal = row[payable_output]
    level = LEVELS.get(row["level"], {"zh": row["level"], "en": row["level"]})
    if paid == 0:
        return [ALREADY_PAID.filled(level=level)]
    if paid < amount:
        return [DIFFERENCE_ONLY.filled(level=level, amount=amount, paid=paid)]
    return []


def why_due(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
    year = row["date"].year
    if year != ctx.period.year:
        return [DUE_IN_ITS_YEAR.filled(year=year, period=ctx.period.year)]
    return []


def why_nothing_due(output: str, what: Label) -> Any:  # noqa: ANN401 -- a WhyNot callable
    def why(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
        return [] if row[output] else [NOTHING_DUE.filled(period=ctx.period.year, what=what)]

    return why


# --- the family of rules of one article ------------------------------------------------------------


@dataclass(frozen=True)
class AwardText:
    """How an article names its award, for labels and explanations."""

    award: Label  # 补助 / subsidy, 奖励 / award
    total: Label  # the entity's output: the award and who pays it
    what: Label  # the award in a "nothing due" note


def _amounts(prefix: str, levels: Sequence[str], lang: str, between: str) -> str:
    """The amount of each level as a placeholder of its parameter: 市级{art07.integration_subsidy.city}、…"""
    joiner = "" if lang == "zh" else " "
    return between.join(f"{LEVELS[level][lang]}{joiner}{{{prefix}.{level}}}" for level in levels)


def one_time_award(
    *,
    article: str,
    clause: str,
    entity: str,
    parent: str,
    prefix: str,
    levels: tuple[str, ...],
    output: str,
    text: AwardText,
) -> list[Formula]:
    """The rules of a one-time certification award: in the window → amount → payable once → due in the year,
    then the sum per ``parent``. Outputs: ``in_plan_window``, ``<output>_amount``, ``<output>_payable``,
    ``<output>_due`` on ``entity``, and ``<output>`` on ``parent``."""
    common: dict[str, Any] = {"entity": entity, "article": article, "clauses": (clause,)}
    zh, en = text.award["zh"], text.award["en"]

    @rule(
        **common,
        unit=Unit.BOOL,
        options=("plan_window",),
        internal=True,
        why=why_window,
        label={"zh": "认定日期在方案实施期内", "en": "certified inside the plan window"},
        formula={
            "zh": "方案实施期起 ≤ 认定日期 ≤ 方案实施期止",
            "en": "window start ≤ certification date ≤ window end",
        },
        output="in_plan_window",
    )
    def window_rule(date: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return in_window(date, ctx)

    @rule(
        **common,
        unit=Unit.YUAN,
        internal=True,
        dated_by="date",
        parameters=tuple(f"{prefix}.{level}" for level in levels),
        label={"zh": f"该级别{zh}标准", "en": f"{en} amount of the level"},
        formula={
            "zh": _amounts(prefix, levels, "zh", "、") + "（按认定日有效的标准）",
            "en": _amounts(prefix, levels, "en", ", ") + " (as in force on the certification date)",
        },
        output=f"{output}_amount",
    )
    def amount_rule(level: pl.Expr, date: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return level_amount(level, date, ctx, prefix, levels)

    def why_payable_here(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
        return why_payable(row, ctx, f"{output}_amount", f"{output}_payable")

    @rule(
        **common,
        unit=Unit.YUAN,
        options=("upgrade_payment",),
        internal=True,
        why=why_payable_here,
        label={"zh": f"该项认定应得一次性{zh}", "en": f"one-time {en} payable for this certification"},
        formula={
            "zh": f"实施期内且该级别首次认定 → 标准（补差口径：减去已获{zh}）",
            "en": "inside the window and first at this level → the amount (difference: less what was received)",
        },
        output=f"{output}_payable",
        reads=(f"{output}_amount", "in_plan_window", "level", PARENT_ROW),
    )
    def payable_rule(amount: pl.Expr, qualifies: pl.Expr, level: pl.Expr, owner: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return payable(amount, qualifies, level, owner, ctx)

    @rule(
        **common,
        unit=Unit.YUAN,
        why=why_due,
        label={"zh": f"本年度兑现的{zh}", "en": f"{en} due in the year"},
        formula={"zh": f"认定日期在本年度 → 应得{zh}，否则为零", "en": "certified in the year → payable, else zero"},
        output=f"{output}_due",
        reads=(f"{output}_payable", "date"),
    )
    def due_rule(payable_amount: pl.Expr, date: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return due(payable_amount, date, ctx)

    total = Aggregate(
        entity=parent,
        output=output,
        unit=Unit.YUAN,
        reads=(f"{output}_due",),
        source_entity=entity,
        article=article,
        clauses=(clause,),
        label=dict(text.total),
        formula={
            "zh": f"本年度各项认定应兑现{zh}之和",
            "en": f"sum over its certifications of the {en} due in the year",
        },
        why=why_nothing_due(output, text.what),
    )
    return [window_rule, amount_rule, payable_rule, due_rule, total]
