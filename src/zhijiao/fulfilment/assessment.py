"""What an approval will fix, before anyone clicks: the amount on the registry's figures, the amount on the
applicant's claimed figures, each figure side by side with every difference marked, and — once the county
has reviewed — the review it froze, which is exactly what the city approves.

The same engine computes every amount (``compute.compute``, on the entity's situation): the claimed amount
is the registry's situation with the declared figures put in its place, nothing else changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.engine.explain import shown
from zhijiao.engine.model import Entitlement, Variable
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.claimed_figures import claimable
from zhijiao.fulfilment.compute import Computed, compute, current_situation
from zhijiao.fulfilment.entities import payee_of
from zhijiao.fulfilment.figures import figure_variables
from zhijiao.fulfilment.models import Application, Review
from zhijiao.fulfilment.states import Status
from zhijiao.refusals import Invalid

REGISTRY, CLAIMED = "registry", "claimed"  # which figures stand: the two bases of a county review
# Where a county review stands (sent back to the county, an application is assessed afresh).
REVIEWED = frozenset(
    {Status.county_reviewed, Status.city_approved, Status.payment_scheduled, Status.instructed,
     Status.payment_failed, Status.paid}
)  # fmt: skip


@dataclass(frozen=True)
class FigureLine:
    """One figure the amount is computed from: as claimed (None: not declared) and as registered (None: the
    registry has no value)."""

    variable: Variable
    claimed: Decimal | None
    registry: Decimal | None
    claimable: bool = True  # a school's own figure; not the county's salary standard or donation records

    @property
    def differs(self) -> bool:
        return self.claimed is not None and self.claimed != self.registry


@dataclass(frozen=True)
class Assessment:
    application: Application
    entitlement: Entitlement
    payee_code: str
    lines: list[FigureLine]
    on_registry: Computed  # the amount on the registry's figures as they stand now
    on_claimed: Computed | None  # the amount on the applicant's figures, when any differs
    review: Review | None  # the county's frozen review, once reviewed

    @property
    def differs(self) -> bool:
        return any(line.differs for line in self.lines)

    @property
    def differences(self) -> list[FigureLine]:
        return [line for line in self.lines if line.differs]

    @property
    def reviewed_amount_fen(self) -> int | None:
        return self.review.amount_fen if self.review is not None else None

    @property
    def at_stake_fen(self) -> int | None:
        """The amount the next step fixes: the review's, once reviewed; before, the registry's when nothing
        differs (None while the county must still choose which figures stand)."""
        if self.review is not None:
            return self.review.amount_fen
        if self.differs:
            return None
        return self.on_registry.amount_fen

    @property
    def changed_since_review(self) -> bool:
        """Whether the registry, or the rules, are no longer what the county reviewed: the city cannot approve
        what the county did not see."""
        if self.review is None:
            return False
        now = self.on_registry
        return (now.inputs_digest, now.rule_set) != (self.review.inputs_digest, self.review.rule_set)


def _number(value: object) -> Decimal | None:
    return None if value is None or isinstance(value, bool) else Decimal(str(value))


def _entity_row(policy: Policy, entitlement: Entitlement, situation: dict[str, Any]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = situation[policy.entities[entitlement.entity].plural]
    return rows[0]


def with_claimed(
    policy: Policy, entitlement: Entitlement, situation: dict[str, Any], claimed: dict[str, Decimal]
) -> dict[str, Any]:
    """The registry's situation with the claimed figures in place of the registered ones."""
    changed = copy.deepcopy(situation)
    row = _entity_row(policy, entitlement, changed)
    for name, value in claimed.items():
        row[name] = shown(value)
    return changed


def claimed_figures(application: Application, variables: list[Variable]) -> dict[str, Decimal]:
    """The application's declared figures that the amount depends on, as exact numbers."""
    known = {v.name for v in variables}
    out = {}
    for name, text in (application.figures or {}).items():
        if name in known and text not in (None, ""):
            out[name] = Decimal(str(text))
    return out


def latest_review(session: Session, application_id: int) -> Review | None:
    query = select(Review).where(Review.application_id == application_id).order_by(Review.id.desc()).limit(1)
    return session.scalar(query)


def assess(session: Session, policy: Policy, application: Application) -> Assessment:
    """The amounts and figures an approver of ``application`` decides on, computed now."""
    entitlement = policy.entitlements_by_id[application.entitlement]
    payee = payee_of(session, application.school_id, application.enterprise_id, application.platform_id)
    try:
        situation = current_situation(session, policy, entitlement, payee.code, application.year)
    except LookupError as missing:
        raise Invalid(
            f"登记库中没有{payee.code}的记录，无法测算金额。", f"The registry has no record of {payee.code}."
        ) from missing
    variables = figure_variables(policy, entitlement)
    registered = _entity_row(policy, entitlement, situation)
    claimed = claimed_figures(application, variables)
    lines = [
        FigureLine(v, claimed.get(v.name), _number(registered.get(v.name)), claimable(entitlement.entity, v.name))
        for v in variables
    ]
    on_registry = compute(policy, situation, entitlement, payee.code, application.level)
    differing = {line.variable.name: line.claimed for line in lines if line.differs and line.claimed is not None}
    on_claimed = None
    if differing:
        claimed_situation = with_claimed(policy, entitlement, situation, differing)
        on_claimed = compute(policy, claimed_situation, entitlement, payee.code, application.level)
    reviewed = Status(application.status) in REVIEWED
    review = latest_review(session, application.id) if reviewed else None
    return Assessment(application, entitlement, payee.code, lines, on_registry, on_claimed, review)
