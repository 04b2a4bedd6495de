"""A year's fiscal cost from the registry (``zhijiao cost``), and a reform beside it (``zhijiao cost --reform``).

The figures are ``zhijiao.simulation.cost``'s, labelled and scoped as the dashboard does: a county officer
gets its own county's money only (the engine's cost items of that county), a city-wide user the city's or,
with ``?county=``, one county's. Money is in yuan, exact to the fen. ``missing_inputs`` lists the blank figures
the cost counted as zero (``zhijiao.simulation.missing_inputs``), in the same scope.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query

from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN
from zhijiao.api.schemas import CostOut, CostRow, MissingInputOut, Number, SimulateIn, dumped, simulate_in
from zhijiao.api.scope import figures_county
from zhijiao.authz import Permission, Principal
from zhijiao.engine.calculate import Comparison
from zhijiao.engine.errors import InputError, PolicyError, Problem
from zhijiao.engine.explain import shown
from zhijiao.engine.inputs import decode
from zhijiao.engine.policy import Policy
from zhijiao.engine.reform import Reform, parse_reform
from zhijiao.engine.situation import check_reform_bounds
from zhijiao.engine.units import Unit
from zhijiao.http.deps import Db, LangDep, require
from zhijiao.http.errors import InvalidInput, NotFound
from zhijiao.language import Lang
from zhijiao.refusals import InputRefused
from zhijiao.registry.queries import years_with_data
from zhijiao.simulation.cost import DIMENSIONS, cost_for_year
from zhijiao.simulation.cost_view import CostView, chosen_year, cost_view
from zhijiao.simulation.missing_inputs import MissingInputs, missing_in_cost


class Dimension(StrEnum):
    payer = "payer"
    article = "article"
    county = "county"


YearQuery = Annotated[
    int | None,
    Query(
        ge=1900, le=2100, description="年度，默认方案期内有数据的最新年度 / year; default the plan's latest with data"
    ),
]
CountyQuery = Annotated[str | None, Query(max_length=40, description="县（市、区）名称或代码 / county name or code")]


def _yuan(fen: int | None) -> Number | None:
    if fen is None:
        return None
    value = shown(decode(fen, Unit.YUAN))
    assert isinstance(value, int | float)  # noqa: S101 -- yuan decode to a Decimal, shown as a number
    return value


def _row(key: str, label: str, baseline: int, reform: int | None) -> CostRow:
    difference = None if reform is None else reform - baseline
    return CostRow(key=key, label=label, baseline=_yuan(baseline) or 0, reform=_yuan(reform),
                   difference=_yuan(difference))  # fmt: skip


def _rows(view: CostView) -> list[CostRow]:
    return [_row(r.key, r.label, r.baseline, r.reform) for r in view.rows]


class YearWithoutData(NotFound):
    """A year the registry holds no data for: there is no such year's cost or progress to answer with."""

    code = "year_without_data"


def data_year(db: Db, policy: Policy, year: int | None) -> int:
    """The year asked for, or the plan's latest with data (as the dashboard); a year without data answers 404
    naming the years there are."""
    years = years_with_data(db)
    if not years:
        raise YearWithoutData("登记册还没有任何年度的数据。", "The registry holds no year's data yet.")
    try:
        return chosen_year(policy, year, years)
    except InputRefused as refused:
        raise YearWithoutData(refused.zh, refused.en) from None


def _missing(missing: MissingInputs, lang: Lang) -> list[MissingInputOut]:
    return [
        MissingInputOut(
            entity=row.entity,
            entity_label=row.entity_label.get(lang.value, row.entity),
            code=row.code,
            name=row.name,
            county=row.county,
            field=row.field,
            label=row.label.get(lang.value, row.field),
            articles=list(row.articles),
            outputs=list(row.outputs),
        )
        for row in missing
    ]


def _answer(comparison: Comparison, county: str | None, dimensions: list[str], lang: Lang) -> CostOut:
    views = {d: cost_view(comparison, d, lang.value, county) for d in dimensions}
    total = next(iter(views.values())).total
    spec = comparison.reform_spec
    return CostOut(
        year=comparison.baseline.period.year,
        rule_set=comparison.baseline.rule_set,
        county=county,
        options={k: str(v) for k, v in comparison.baseline.options.items()},
        reform_id=None if spec is None else f"{spec.name}@{spec.id}",
        total=_row("total", "合计" if lang is Lang.zh else "total", total.baseline, total.reform),
        by={d: _rows(view) for d, view in views.items()},
        missing_inputs=_missing(missing_in_cost(comparison).within_county(county), lang),
    )


def _reform(policy: Policy, body: SimulateIn) -> tuple[dict[str, object], Reform]:
    options = dumped(body.options)
    try:
        policy.options.resolve(options)
    except PolicyError as error:
        raise _refused("options", error) from None
    try:
        reform = parse_reform(body.reform.model_dump(by_alias=True, exclude_unset=True), policy)
    except PolicyError as error:
        raise _refused("reform", error) from None
    try:
        check_reform_bounds(reform, policy)
    except InputError as error:
        raise InvalidInput("改革方案有误，未进行测算。", "The reform is refused; nothing was calculated.",
                           error.problems) from None  # fmt: skip
    return options, reform


def _refused(field: str, error: PolicyError) -> InvalidInput:
    problem = Problem({"zh": "请求", "en": "request"}, field, error.message("zh"), error.message("en"))
    return InvalidInput("改革方案有误，未进行测算。", "The reform is refused; nothing was calculated.", [problem])


def router_for(policy: Policy) -> APIRouter:
    """The cost of ``policy``: a reform's body is described with that policy's parameters and options."""
    router = APIRouter(tags=["cost"], route_class=JsonRoute)

    @router.get(
        "/cost",
        response_model=CostOut,
        responses=SIGNED_IN,
        summary="A year's fiscal cost by payer, article and county (a county officer: its county only)",
    )
    def cost(
        db: Db,
        lang: LangDep,
        year: YearQuery = None,
        by: Annotated[Dimension | None, Query(description="只要一个分组 / one grouping only")] = None,
        county: CountyQuery = None,
        user: Principal = require(Permission.view_cost),
    ) -> CostOut:
        chosen_county = figures_county(db, user, county)
        comparison = cost_for_year(db, policy, data_year(db, policy, year))
        return _answer(comparison, chosen_county, [by.value] if by else list(DIMENSIONS), lang)

    def simulate(body: SimulateIn, db: Db, lang: LangDep, user: Principal = require(Permission.simulate)) -> CostOut:
        chosen_county = figures_county(db, user, None)
        options, reform = _reform(policy, body)
        comparison = cost_for_year(db, policy, data_year(db, policy, body.year), options=options, reform=reform)
        return _answer(comparison, chosen_county, list(DIMENSIONS), lang)

    # FastAPI describes the body from its annotation: the policy's own model, which names its options and parameters.
    simulate.__annotations__["body"] = simulate_in(policy)
    router.post(
        "/cost/simulate",
        response_model=CostOut,
        responses=SIGNED_IN,
        summary="A reform's fiscal cost beside the baseline, by payer, article and county",
        description=(
            "`options` apply to both runs; `reform.parameters` replace parameters (a value for every date, or a "
            "list of `{effective_from, value}`) and `reform.options` change options for the reform only, as "
            "`zhijiao cost --reform FILE` does."
        ),
    )(simulate)
    return router
