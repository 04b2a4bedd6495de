"""The figures an entitlement is computed from: what an applicant declares, checked before it is stored."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation

from zhijiao.engine.model import Entitlement, Variable
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.claimed_figures import claimable
from zhijiao.refusals import Invalid


def _walk(policy: Policy, node: str, seen: set[str]) -> Iterator[str]:
    """Every node the given one depends on, itself included (inputs and outputs, each once)."""
    if node in seen:
        return
    seen.add(node)
    yield node
    formula = policy.graph.formulas.get(node)
    if formula is not None:
        for dependency in formula.dependencies():
            yield from _walk(policy, dependency, seen)


def entitlement_nodes(policy: Policy, entitlement: Entitlement) -> list[str]:
    return list(_walk(policy, f"{entitlement.entity}.{entitlement.output}", set()))


def figure_variables(policy: Policy, entitlement: Entitlement) -> list[Variable]:
    """The entity's numeric inputs the entitlement is computed from: the figures an applicant declares."""
    entity = policy.entities[entitlement.entity]
    names = {
        node.split(".", 1)[1] for node in entitlement_nodes(policy, entitlement) if node.startswith(f"{entity.name}.")
    }
    return [v for v in entity.inputs if v.name in names and v.unit.numeric]


def declarable_variables(policy: Policy, entitlement: Entitlement) -> list[Variable]:
    """The figures an applicant may claim: its own, which its county may accept into the registry (not the
    county's salary standard, not donations, which are records of their own)."""
    return [v for v in figure_variables(policy, entitlement) if claimable(entitlement.entity, v.name)]


def parse_figures(variables: list[Variable], given: Mapping[str, str]) -> dict[str, str]:
    """Declared figures as exact decimal text; a figure left blank is not declared, an unknown one refused."""
    unknown = sorted(set(given) - {v.name for v in variables})
    if unknown:
        listed = ", ".join(unknown)
        raise Invalid(f"该项目没有这些申报数据：{listed}", f"This entitlement takes no figures named {listed}.")
    figures: dict[str, str] = {}
    for variable in variables:
        text = (given.get(variable.name) or "").strip().replace(",", "")
        if not text:
            continue
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal(-1)
        too_large = variable.maximum is not None and number > variable.maximum
        if not number.is_finite() or number < 0 or too_large:
            raise Invalid(
                f"{variable.label['zh']}：“{text}”不是非负数。",
                f"{variable.label['en']}: {text!r} is not a number ≥ 0.",
            )
        figures[variable.name] = str(number)
    return figures


def check_level(policy: Policy, entitlement: Entitlement, level: str | None) -> None:
    """A one-time award names one of its certification's levels; any other entitlement names none."""
    if entitlement.detail_entity is None:
        return
    variable = policy.entities[entitlement.detail_entity].input("level")
    choices = variable.choices if variable else ()
    if level not in choices:
        listed = ", ".join(choices)
        raise Invalid(f"认定级别“{level or ''}”不是可选值（{listed}）。", f"Level {level!r} is not one of {listed}.")
