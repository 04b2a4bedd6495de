"""第十三条 探索专业教师评聘制度改革 — C7–C10.

The cap is the largest whole P with P ÷ (F + P) ≤ r. Rearranged, P ≤ r·F ÷ (1 − r); with r held in
millionths this is an exact integer floor division, so F = 100 gives 42 and never 42.857… rounded.
Under full-time equivalents each part-time teacher counts as E ÷ P toward the share; the cap stays a
whole number of persons, and funding stays per person (C9).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import polars as pl

from zhijiao.engine.model import Note
from zhijiao.engine.rules import ExplainContext, RuleContext, rule
from zhijiao.engine.units import RATE_ONE, Unit
from zhijiao.policies.wenzhou_vet_2023.explain_notes import missing

ART = "art13"
CAP = "art13.part_time_share_cap"
FTE_ONE = Unit.FTE.scale


def _fte(part_time_teachers: pl.Expr, part_time_teacher_fte: pl.Expr) -> pl.Expr:
    """Part-time teachers in hundredths of a full-time equivalent; each counts as one when not given."""
    return part_time_teacher_fte.fill_null(part_time_teachers.fill_null(0) * FTE_ONE)


@rule(
    entity="school",
    unit=Unit.COUNT,
    article=ART,
    clauses=("C7",),
    parameters=(CAP,),
    options=("part_time_denominator",),
    label={"zh": "可聘兼职教师上限（人）", "en": "cap on part-time teachers (persons)"},
    formula={
        "zh": "满足 兼职 ÷（专任 + 兼职）≤ {art13.part_time_share_cap} 的最大整数，"
        "即 ⌊{art13.part_time_share_cap} × 专任 ÷ {1 - art13.part_time_share_cap}⌋",
        "en": "largest whole P with P ÷ (full-time + P) ≤ {art13.part_time_share_cap}, "
        "i.e. ⌊{art13.part_time_share_cap} × full-time ÷ {1 - art13.part_time_share_cap}⌋",
    },
)
def part_time_teacher_cap(
    full_time_teachers: pl.Expr, part_time_teachers: pl.Expr, part_time_teacher_fte: pl.Expr, ctx: RuleContext
) -> pl.Expr:
    rate = ctx.param(CAP)
    full_time = full_time_teachers.fill_null(0)
    by_headcount = (rate * full_time) // (RATE_ONE - rate)
    if ctx.option("part_time_denominator") == "headcount":
        return by_headcount
    persons = part_time_teachers.fill_null(0)
    fte = _fte(part_time_teachers, part_time_teacher_fte)
    # Each person counts E/P: P·(E/P) ≤ r·F/(1−r)  ⇔  P ≤ r·F·P·100 / ((1−r)·E).
    by_fte = (rate * full_time * persons * FTE_ONE) // ((RATE_ONE - rate) * fte)
    return pl.when(persons == 0).then(by_headcount).when(fte == 0).then(persons).otherwise(by_fte)


OVER_CAP = Note(
    "聘任兼职教师{hired}人，超过上限{cap}人，超出的{over}人不纳入经费保障。",
    "{hired} part-time teachers hired, over the cap of {cap}: the {over} over it are not funded.",
    "专任教师增加到{needed}人（再增{more}人），上限即可覆盖全部{hired}名兼职教师。",
    "With {needed} full-time teachers ({more} more) the cap covers all {hired}.",
)
PART_TIME = {"part_time_teachers": {"zh": "兼职教师数", "en": "part-time teachers"}}
SALARY = {"local_avg_teacher_salary": {"zh": "当地同类学校编制内教师平均工资", "en": "average salary"}}


def _why_funded(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
    hired, cap = row["part_time_teachers"] or 0, row["part_time_teacher_cap"]
    if hired > cap:
        rate = ctx.parameters[CAP].value_on(ctx.period.as_of)
        # The fewest full-time teachers F with ⌊r·F ÷ (1 − r)⌋ ≥ hired.
        needed = math.ceil(hired * (1 - rate) / rate) if rate else 0
        more = needed - (row["full_time_teachers"] or 0)
        note = OVER_CAP.filled(hired=hired, cap=cap, over=hired - cap, needed=needed, more=more)
        # Under a zero cap (or counted in full-time equivalents) more full-time teachers may not help.
        return [note if more > 0 else replace(note, change_zh="", change_en="")]
    return missing(row, PART_TIME)


@rule(
    entity="school",
    unit=Unit.COUNT,
    article=ART,
    clauses=("C8",),
    why=_why_funded,
    label={"zh": "纳入经费保障的兼职教师（人）", "en": "funded part-time teachers"},
    formula={"zh": "min（兼职教师数，上限）", "en": "min(part-time teachers, cap)"},
)
def funded_part_time_teachers(part_time_teachers: pl.Expr, part_time_teacher_cap: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return pl.min_horizontal(part_time_teachers.fill_null(0), part_time_teacher_cap)


def _why_funding(row: Mapping[str, Any], ctx: ExplainContext) -> list[Note]:
    notes = _why_funded(row, ctx)
    return notes + missing(row, SALARY)


@rule(
    entity="school",
    unit=Unit.YUAN,
    article=ART,
    clauses=("C9",),
    why=_why_funding,
    label={"zh": "兼职教师经费（同级财政）", "en": "part-time teacher funding (same-level finance)"},
    formula={
        "zh": "纳入保障的兼职教师 × 当地同类学校编制内教师平均工资",
        "en": "funded part-time teachers × average in-establishment salary",
    },
)
def part_time_teacher_funding(
    funded_part_time_teachers: pl.Expr, local_avg_teacher_salary: pl.Expr, ctx: RuleContext
) -> pl.Expr:
    # Per person at the salary standard, under either counting of the cap: part_time_denominator
    # decides only how teachers count toward the 30% share (clauses.md C9 and its option).
    return funded_part_time_teachers * local_avg_teacher_salary.fill_null(0)


@rule(
    entity="school",
    unit=Unit.COUNT,
    article=ART,
    clauses=("C10",),
    label={"zh": "超出上限的兼职教师（合规提示）", "en": "part-time teachers over the cap (compliance finding)"},
    formula={"zh": "兼职教师数 − 上限，未超出则为零", "en": "part-time teachers − cap, or zero when within it"},
)
def part_time_teachers_over_cap(
    part_time_teachers: pl.Expr, part_time_teacher_cap: pl.Expr, ctx: RuleContext
) -> pl.Expr:
    return pl.max_horizontal(part_time_teachers.fill_null(0) - part_time_teacher_cap, pl.lit(0, dtype=pl.Int64))
