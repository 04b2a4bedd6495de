"""One application as its page and the API show it: the figures it declares, its frozen decision with the
steps in plain language, its history from the audit trail, and what the user may do with it now."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from zhijiao.engine.model import Entitlement
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Aggregate
from zhijiao.fulfilment.figures import entitlement_nodes
from zhijiao.fulfilment.models import Decision
from zhijiao.language import Lang
from zhijiao.web.pages import plan_format as fmt
from zhijiao.web.pages.calculator_result import StepView
from zhijiao.web.pages.calculator_result import _steps as step_views

# --- the frozen decision -------------------------------------------------------------------------------


def decision_steps(policy: Policy, entitlement: Entitlement, decision: Decision, lang: Lang) -> tuple[StepView, ...]:
    """The steps of the frozen explanation that lead to the entitlement, in the page's language."""
    frozen = decision.explanation[0] if decision.explanation else {}
    raw = frozen.get(lang.value) or frozen.get("zh") or []
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
