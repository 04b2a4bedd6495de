"""A draft version's cost against the plan in force, through the API: what each article changes in the parameters
and options of the plan in force (set with ``PUT …/articles/{key}/changes`` while the version is editable, by the
drafting staff), and the version's cost by year, payer, article and county, with each changing article's own
effect — the figures of the version's page, from the same service. Money in yuan, exact to the fen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from pydantic import Field

from zhijiao.api.drafting_out import version_ref
from zhijiao.api.drafting_schemas import Answer, Body, PathId, PathKey, VersionRef
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.api.schemas import DatedValueIn, Number, OptionValueIn
from zhijiao.authz import Permission, Principal
from zhijiao.drafting import changes, costs, versions
from zhijiao.drafting.cost_explanation import paragraph
from zhijiao.engine.policy import Policy
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.language import Lang
from zhijiao.money import yuan
from zhijiao.simulation.cost import DIMENSIONS, label

router = APIRouter(prefix="/drafting", tags=["drafting"], route_class=JsonRoute)
WRITING = problem_responses(400, 401, 403, 404, 409, 422)


def _yuan(fen: int) -> Number:
    value: Decimal = yuan(fen)
    return int(value) if value == value.to_integral_value() else float(value)


class CostRowOut(Answer):
    key: str
    label: str
    baseline: Number = Field(description="现行政策，元 / the plan in force, yuan")
    version: Number = Field(description="本稿，元 / this version, yuan")
    difference: Number = Field(description="差额，元 / the difference, yuan")


class YearCostOut(Answer):
    year: int
    total: CostRowOut
    by: dict[str, list[CostRowOut]] = Field(description="payer | article | county → rows")


class ChangeOut(Answer):
    article_key: str
    article_number: int | None
    article_title: str
    kind: str = Field(description="parameter | option")
    name: str = Field(description="参数编号或口径名称 / the parameter id or option name")
    label: str
    value: Any = Field(description="如改革方案所写 / as a reform document writes it")
    in_force: str = Field(description="现行取值 / the value of the plan in force, as words")
    changed_to: str = Field(description="本稿取值 / this version's value, as words")
    set_by: int | None
    set_at: dt.datetime


class ArticleEffectOut(Answer):
    article_key: str
    article_number: int | None
    article_title: str
    difference: Number = Field(description="本稿与去掉该条调整相比，实施期合计，元 / with against without its changes")
    by_year: dict[str, Number]


class VersionCostOut(Answer):
    version: VersionRef
    basis: str = Field(description="基准：现行政策文号 / the plan in force it is compared with")
    years: list[YearCostOut] = Field(description="实施期内有登记数据的年度 / the period's years the registry holds")
    without_data: list[int] = Field(description="实施期内尚无登记数据、未测算的年度 / years not estimated")
    total: CostRowOut
    changes: list[ChangeOut]
    article_effects: list[ArticleEffectOut]


class ChangesIn(Body):
    parameters: dict[str, Number | list[DatedValueIn]] = Field(
        default_factory=dict, description="参数编号 → 取值或带日期的取值 / parameter id → a value, or dated values"
    )
    options: dict[str, OptionValueIn] = Field(default_factory=dict, description="口径 → 选择 / option → choice")


class CostEstimateOut(Answer):
    plan_id: int
    text: dict[str, str] = Field(description="起草说明的经费测算段落 / the explanation's cost paragraph: zh, en")


def _row(key: str, shown: str, baseline: int, version: int) -> CostRowOut:
    return CostRowOut(key=key, label=shown, baseline=_yuan(baseline), version=_yuan(version),
                      difference=_yuan(version - baseline))  # fmt: skip


def _change(policy: Policy, change: changes.Change, on: dt.date, lang: Lang) -> ChangeOut:
    what, was, now = changes.describe(policy, change, on, lang)
    return ChangeOut(article_key=change.article_key, article_number=change.article_number,
                     article_title=change.article_title, kind=change.kind, name=change.name, label=what,
                     value=change.value, in_force=was, changed_to=now, set_by=change.set_by,
                     set_at=change.set_at)  # fmt: skip


def _out(db: Db, policy: Policy, version_id: int, lang: Lang) -> VersionCostOut:
    cost = costs.version_cost(db, policy, version_id)
    on = dt.date(cost.years[0].year, 1, 1) if cost.years else versions.wenzhou_today()
    years = [
        YearCostOut(
            year=y.year,
            total=_row("total", "合计" if lang is Lang.zh else "total", y.baseline, y.version),
            by={d: [_row(r.key, label(d, r.key, lang.value), r.baseline, r.version) for r in y.rows(d)]
                for d in DIMENSIONS},
        )
        for y in cost.years
    ]  # fmt: skip
    titles = {c.article_key: (c.article_number, c.article_title) for c in cost.changes}
    effects = [
        ArticleEffectOut(article_key=key, article_number=titles[key][0], article_title=titles[key][1],
                         difference=_yuan(sum(by_year)),
                         by_year={str(y.year): _yuan(d) for y, d in zip(cost.years, by_year, strict=True)})
        for key, by_year in cost.article_effects.items()
    ]  # fmt: skip
    return VersionCostOut(
        version=version_ref(cost.version),
        basis=str(policy.metadata["document"]["number"]),
        years=years,
        without_data=cost.without_data,
        total=_row("total", "合计" if lang is Lang.zh else "total", cost.baseline, cost.total),
        changes=[_change(policy, c, on, lang) for c in cost.changes],
        article_effects=effects,
    )


@router.get("/versions/{version_id}/cost", response_model=VersionCostOut, responses=SIGNED_IN,
            summary="A version's cost against the plan in force, by year, payer, article and county")  # fmt: skip
def version_cost(
    db: Db, policy: PolicyDep, lang: LangDep, version_id: PathId, _: Principal = require(Permission.view_drafts)
) -> VersionCostOut:
    return _out(db, policy, version_id, lang)


@router.put("/versions/{version_id}/articles/{key}/changes", response_model=VersionCostOut, responses=WRITING,
            summary="Set what an article changes in the parameters and options of the plan in force")  # fmt: skip
def set_changes(
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    version_id: PathId,
    key: PathKey,
    body: ChangesIn,
    user: Principal = require(Permission.edit_drafts),
) -> VersionCostOut:
    parameters = {
        name: [v.model_dump() for v in value] if isinstance(value, list) else value
        for name, value in body.parameters.items()
    }
    options = {
        name: value if isinstance(value, str) else value.model_dump(by_alias=True)
        for name, value in body.options.items()
    }
    changes.set_changes(db, user, policy, version_id, key, parameters=parameters, options=options)
    return _out(db, policy, version_id, lang)


@router.get("/plans/{plan_id}/cost-estimate", response_model=CostEstimateOut, responses=SIGNED_IN,
            summary="The drafting explanation's 经费测算 paragraph, in Chinese and English")  # fmt: skip
def cost_estimate(
    db: Db, policy: PolicyDep, plan_id: PathId, _: Principal = require(Permission.view_drafts)
) -> CostEstimateOut:
    versions.plan(db, plan_id)
    return CostEstimateOut(plan_id=plan_id, text={lang.value: paragraph(db, policy, plan_id, lang) for lang in Lang})
