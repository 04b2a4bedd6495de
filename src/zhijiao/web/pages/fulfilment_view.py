"""One application as its page and the API show it: the figures it declares, its frozen decision with the
steps in plain language, its history from the audit trail, and what the user may do with it now."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from zhijiao.engine.model import Entitlement
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Aggregate
from zhijiao.engine.units import Unit
from zhijiao.fulfilment.assessment import Assessment, FigureLine, assess
from zhijiao.fulfilment.figures import entitlement_nodes
from zhijiao.fulfilment.models import Application, Decision, Review
from zhijiao.fulfilment.states import Status
from zhijiao.language import Lang
from zhijiao.web.pages import plan_format as fmt
from zhijiao.web.pages.calculator_result import StepView
from zhijiao.web.pages.calculator_result import _steps as step_views

# --- the frozen decision -------------------------------------------------------------------------------


def decision_steps(policy: Policy, entitlement: Entitlement, decision: Decision, lang: Lang) -> tuple[StepView, ...]:
    """The steps of the frozen explanation that lead to the entitlement, in the page's language."""
    return explanation_steps(policy, entitlement, decision.explanation[0] if decision.explanation else {}, lang)


def explanation_steps(
    policy: Policy, entitlement: Entitlement, explanation: Mapping[str, Any], lang: Lang
) -> tuple[StepView, ...]:
    """The steps of an explanation ({"zh": steps, "en": steps}) that lead to the entitlement."""
    raw = explanation.get(lang.value) or explanation.get("zh") or []
    wanted = {node.split(".", 1)[1] for node in entitlement_nodes(policy, entitlement) if node in policy.graph.formulas}
    entity = policy.entities[entitlement.entity]
    kept = [step for step in raw if step.get("output") in wanted]
    return step_views(policy, entity, kept, lang)


@dataclass(frozen=True)
class Shown:
    label: Mapping[str, str]
    value: str


def decision_inputs(policy: Policy, entitlement: Entitlement, decision: Decision, lang: Lang) -> list[Shown]:
    """The entity's own inputs as the decision froze them (label and value in the page's language)."""
    entity = policy.entities[entitlement.entity]
    records = decision.inputs.get(entity.plural) or []
    if not records:
        return []
    record = records[0]
    shown = []
    for variable in entity.inputs:
        if variable.name in record:
            value = variable.shown(record[variable.name], lang.value)
            shown.append(Shown(variable.label, fmt.value(value, variable.unit, lang)))
    for child in policy.children(entity.name):
        for number, row in enumerate(record.get(child.nested_key or child.plural) or [], start=1):
            parts = [
                f"{fmt.pick(v.label, lang)} {fmt.value(v.shown(row[v.name], lang.value), v.unit, lang)}"
                for v in child.inputs
                if row.get(v.name) is not None
            ]
            shown.append(Shown({k: f"{t} #{number}" for k, t in child.label.items()}, "；".join(parts)))
    return shown


def is_aggregate(policy: Policy, entitlement: Entitlement) -> bool:
    return isinstance(policy.graph.formulas.get(f"{entitlement.entity}.{entitlement.output}"), Aggregate)


# --- before a decision: what the next step fixes ------------------------------------------------------

# Where a person is about to fix an amount: the county's review and the city's approval.
DECIDING = frozenset({Status.submitted, Status.pending, Status.county_reviewed})


@dataclass(frozen=True)
class FigureRow:
    label: Mapping[str, str]
    claimed: str | None
    registry: str
    differs: bool
    claimable: bool = True


@dataclass(frozen=True)
class AssessmentView:
    found: Assessment
    rows: list[FigureRow]
    registry_steps: tuple[StepView, ...]
    claimed_steps: tuple[StepView, ...]
    review_steps: tuple[StepView, ...]


def _shown(value: Decimal | None, unit: Unit, lang: Lang) -> str:
    return "—" if value is None else fmt.value(value, unit, lang)


def _row(line: FigureLine, review: Review | None, lang: Lang) -> FigureRow:
    """A figure as the next approver decides on it: once reviewed, as the review froze it (the claim, and the
    registry's value before the review accepted it), else as the registry holds it now."""
    unit, name = line.variable.unit, line.variable.name
    if review is None:
        claimed, registry, differs = line.claimed, line.registry, line.differs
    else:
        frozen = review.claimed.get(name)
        claimed = None if frozen is None else Decimal(str(frozen))
        differs = name in review.registry_before
        before = review.registry_before.get(name)
        registry = (None if before is None else Decimal(str(before))) if differs else line.registry
    return FigureRow(
        line.variable.label, None if claimed is None else _shown(claimed, unit, lang), _shown(registry, unit, lang),
        differs, line.claimable,
    )  # fmt: skip


def assessment(db: Session, policy: Policy, application: Application, lang: Lang) -> AssessmentView | None:
    """The amounts, figures and steps an approver sees before acting; None where no one is about to decide."""
    if Status(application.status) not in DECIDING:
        return None
    found = assess(db, policy, application)
    entitlement = found.entitlement
    claimed = found.on_claimed
    review = found.review
    rows = [_row(line, review, lang) for line in found.lines]
    return AssessmentView(
        found,
        rows,
        explanation_steps(policy, entitlement, found.on_registry.explanation, lang),
        explanation_steps(policy, entitlement, claimed.explanation, lang) if claimed else (),
        explanation_steps(policy, entitlement, review.explanation[0], lang) if review and review.explanation else (),
    )
