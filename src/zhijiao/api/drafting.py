"""The drafting API under /api/v1/drafting: plans, versions and their articles, diffs, units, rounds and their
replies, feedback items, dispositions, statistics and the generated explanation. Reading needs
``view_drafts`` (drafting staff, city administrators, auditors); each change needs its own permission, as on
the pages. A consulted unit's user has its own endpoints (``drafting_consult``) and reaches only the rounds
sent to its unit. Refusals are problem documents: 403 role or two-person rule, 404 not found or not the
unit's, 409 frozen version, past deadline or historical record, 422 input."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zhijiao.api import drafting_consult, drafting_costs, drafting_out, drafting_write
from zhijiao.api.drafting_schemas import (
    ChangeOut,
    DiffOut,
    DispositionName,
    ExplanationOut,
    ItemOut,
    PathId,
    PlanDetailOut,
    PlanOut,
    RoundDetailOut,
    SegmentOut,
    StatisticsOut,
    UnitOut,
    VersionOut,
)
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN
from zhijiao.authz import Permission, Principal
from zhijiao.drafting import consultation, queries, versions
from zhijiao.drafting.diff import compare
from zhijiao.drafting.errors import Invalid
from zhijiao.drafting.statistics import consultation_sentence, drafting_explanation, statistics
from zhijiao.http.deps import Db, require

router = APIRouter(prefix="/api/v1")
read = APIRouter(prefix="/drafting", tags=["drafting"], route_class=JsonRoute)


def _plan_summary(db: Db, plan_id: int) -> queries.PlanSummary:
    versions.plan(db, plan_id)  # 404 when there is none
    return next(s for s in queries.plans(db) if s.plan.id == plan_id)


@read.get("/plans", response_model=list[PlanOut], responses=SIGNED_IN, summary="Plans under drafting, and past records")
def plans(db: Db, _: Principal = require(Permission.view_drafts)) -> list[PlanOut]:
    return [drafting_out.plan(s) for s in queries.plans(db)]


@read.get("/plans/{plan_id}", response_model=PlanDetailOut, responses=SIGNED_IN,
          summary="A plan: its versions, meetings and consultation rounds")  # fmt: skip
def plan(db: Db, plan_id: PathId, _: Principal = require(Permission.view_drafts)) -> PlanDetailOut:
    summary = _plan_summary(db, plan_id)
    return PlanDetailOut(
        **drafting_out.plan(summary).model_dump(),
        all_versions=[drafting_out.version_ref(v) for v in queries.versions_of(db, plan_id)],
        meetings=[drafting_out.meeting(m) for m in queries.meetings_of(db, plan_id)],
        consultation_rounds=[drafting_out.round_out(r) for r in queries.rounds_of(db, plan_id)],
    )


@read.get("/plans/{plan_id}/statistics", response_model=StatisticsOut, responses=SIGNED_IN,
          summary="Counts by round, unit, unit type, article and disposition")  # fmt: skip
def plan_statistics(db: Db, plan_id: PathId, _: Principal = require(Permission.view_drafts)) -> StatisticsOut:
    versions.plan(db, plan_id)
    stats = statistics(db, plan_id)
    return StatisticsOut(plan_id=plan_id, rounds=stats.rounds, units_consulted=stats.units_consulted,
                         units_replied=stats.units_replied, items=stats.items, by_disposition=stats.by_disposition,
                         by_round={str(k): v for k, v in stats.by_round.items()}, by_unit=stats.by_unit,
                         by_unit_kind=stats.by_unit_kind, by_article=stats.by_article, meetings=stats.meetings,
                         sentence=consultation_sentence(stats) if stats.rounds else "")  # fmt: skip


@read.get("/plans/{plan_id}/explanation", response_model=ExplanationOut, responses=SIGNED_IN,
          summary="The generated drafting-explanation section (Chinese)")  # fmt: skip
def explanation(db: Db, plan_id: PathId, _: Principal = require(Permission.view_drafts)) -> ExplanationOut:
    versions.plan(db, plan_id)
    return ExplanationOut(plan_id=plan_id, text=drafting_explanation(db, plan_id))


@read.get("/plans/{plan_id}/items", response_model=list[ItemOut], responses=SIGNED_IN,
          summary="A plan's feedback items, each with its article then and in the latest version")  # fmt: skip
def plan_items(
    db: Db,
    plan_id: PathId,
    round_id: Annotated[int | None, Query(alias="round", ge=1, le=2**62)] = None,
    unit_id: Annotated[int | None, Query(alias="unit", ge=1, le=2**62)] = None,
    disposition: DispositionName | None = None,
    _: Principal = require(Permission.view_drafts),
) -> list[ItemOut]:
    versions.plan(db, plan_id)
    views = queries.items(db, plan_id=plan_id, round_id=round_id, unit_id=unit_id)
    return [drafting_out.item(v) for v in views if disposition is None or v.item.disposition == disposition]


@read.get("/versions/{version_id}", response_model=VersionOut, responses=SIGNED_IN,
          summary="A version with its parts and articles")  # fmt: skip
def version(db: Db, version_id: PathId, _: Principal = require(Permission.view_drafts)) -> VersionOut:
    return drafting_out.version(db, versions.version(db, version_id))


@read.get("/versions/{old_id}/diff/{new_id}", response_model=DiffOut, responses=SIGNED_IN,
          summary="What changed between two versions, article by article")  # fmt: skip
def diff(db: Db, old_id: PathId, new_id: PathId, _: Principal = require(Permission.view_drafts)) -> DiffOut:
    old, new = versions.version(db, old_id), versions.version(db, new_id)
    if old.plan_id != new.plan_id:
        raise Invalid("只能比较同一方案的两个版本。", "Only two versions of the same plan can be compared.")
    changes = [
        ChangeOut(
            kinds=list(c.kinds),
            key=c.key,
            old_number=c.old_number,
            new_number=c.new_number,
            title=c.title,
            segments=[SegmentOut(kind=s.kind, text=s.text) for s in c.segments],
            absorbed_numbers=list(c.absorbed_numbers),
        )
        for c in compare(db, old_id, new_id)
    ]
    return DiffOut(old_version=drafting_out.version_ref(old), new_version=drafting_out.version_ref(new),
                   changes=changes)  # fmt: skip


@read.get("/units", response_model=list[UnitOut], responses=SIGNED_IN, summary="The unit directory")
def units(db: Db, _: Principal = require(Permission.view_drafts)) -> list[UnitOut]:
    return [drafting_out.unit(u) for u in queries.units(db)]


@read.get("/rounds/{round_id}", response_model=RoundDetailOut, responses=SIGNED_IN,
          summary="A consultation round and each unit's reply (late and silent marked)")  # fmt: skip
def consultation_round(db: Db, round_id: PathId, _: Principal = require(Permission.view_drafts)) -> RoundDetailOut:
    summary = queries.round_summary(db, round_id)
    return RoundDetailOut(**drafting_out.round_out(summary).model_dump(),
                          replies=[drafting_out.reply(s) for s in consultation.replies(db, round_id)])  # fmt: skip


@read.get("/rounds/{round_id}/items", response_model=list[ItemOut], responses=SIGNED_IN,
          summary="A round's feedback items")  # fmt: skip
def round_items(db: Db, round_id: PathId, _: Principal = require(Permission.view_drafts)) -> list[ItemOut]:
    found = queries.consultation_round(db, round_id)
    return [drafting_out.item(v) for v in queries.items(db, plan_id=found.plan_id, round_id=round_id)]


# :int, so that /items/dispositions (POST only) is not also a GET of an item named "dispositions".
@read.get("/items/{item_id:int}", response_model=ItemOut, responses=SIGNED_IN, summary="One feedback item")
def item(db: Db, item_id: PathId, _: Principal = require(Permission.view_drafts)) -> ItemOut:
    return drafting_out.item(queries.item_view(db, item_id))


router.include_router(read)
router.include_router(drafting_write.router)
router.include_router(drafting_costs.router)
router.include_router(drafting_consult.router)
