"""What an approval fixes, before it is given: ``GET /api/v1/applications/{id}/assessment`` answers the amount
on the registry's figures and on the applicant's claimed ones, each figure side by side, and the county's frozen
review once there is one; the city's ``return_to_county`` sends a review back to be done again."""

from __future__ import annotations

from fastapi import APIRouter

from zhijiao.api.fulfilment_out import application_detail, yuan_text
from zhijiao.api.fulfilment_schemas import (
    AmountOut,
    ApplicationDetail,
    AssessmentOut,
    FigureOut,
    Id,
    ReasonIn,
    ReviewOut,
)
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal, allows
from zhijiao.fulfilment import applications
from zhijiao.fulfilment.assessment import Assessment, assess
from zhijiao.fulfilment.compute import Computed
from zhijiao.fulfilment.queries import visible_application
from zhijiao.http.deps import Db, LangDep, PolicyDep, public, require
from zhijiao.http.errors import Forbidden
from zhijiao.http.params import signed_in
from zhijiao.language import Lang

router = APIRouter(tags=["fulfilment"], route_class=JsonRoute)


def _amount(computed: Computed, lang: Lang) -> AmountOut:
    return AmountOut(
        amount_fen=computed.amount_fen,
        amount_yuan=yuan_text(computed.amount_fen),
        rule_set=computed.rule_set,
        inputs_digest=computed.inputs_digest,
        explanation=computed.explanation.get(lang.value) or [],
    )


def assessment_out(found: Assessment, lang: Lang) -> AssessmentOut:
    review = found.review
    return AssessmentOut(
        application_id=found.application.id,
        figures=[
            FigureOut(
                name=line.variable.name,
                label=line.variable.label[lang.value],
                claimed=None if line.claimed is None else str(line.claimed),
                registry=None if line.registry is None else str(line.registry),
                differs=line.differs,
            )
            for line in found.lines
        ],
        differs=found.differs,
        on_registry=_amount(found.on_registry, lang),
        on_claimed=_amount(found.on_claimed, lang) if found.on_claimed is not None else None,
        review=None
        if review is None
        else ReviewOut(
            id=review.id,
            amount_fen=review.amount_fen,
            amount_yuan=yuan_text(review.amount_fen),
            figures_basis=review.figures_basis,
            claimed=review.claimed,
            registry_before=review.registry_before,
            note=review.note,
            rule_set=review.rule_set,
            inputs_digest=review.inputs_digest,
            reviewed_at=review.reviewed_at,
        ),
        changed_since_review=found.changed_since_review,
        amount_at_stake_fen=found.at_stake_fen,
    )


@router.get(
    "/applications/{application_id}/assessment",
    response_model=AssessmentOut,
    responses=SIGNED_IN | problem_responses(422),
    summary="The amount the next review or approval fixes, on the registry's and on the claimed figures",
)
def assessment(
    db: Db, policy: PolicyDep, lang: LangDep, application_id: Id, user: Principal | None = public()
) -> AssessmentOut:
    """For whoever reviews or approves (a county officer, the city): the applicant does not assess itself."""
    me = signed_in(user)
    if not (allows(me.role, Permission.review) or allows(me.role, Permission.approve)):
        raise Forbidden
    user = me
    return assessment_out(assess(db, policy, visible_application(db, user, application_id)), lang)


@router.post(
    "/applications/{application_id}/return_to_county",
    response_model=ApplicationDetail,
    responses=SIGNED_IN | problem_responses(409),
    summary="City: a reviewed application sent back to its county for a new review, with the reason",
)
def return_to_county(
    body: ReasonIn,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    application_id: Id,
    user: Principal = require(Permission.approve),
) -> ApplicationDetail:
    done = applications.return_to_county(db, user, policy, application_id, body.reason)
    return application_detail(db, policy, user, done, lang)
