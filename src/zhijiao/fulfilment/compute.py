"""What the engine says each entity is entitled to, from the registry; and the frozen record of it.

A decision keeps the *situation* of the one entity it pays (the ``zhijiao calc`` contract: the entity's
inputs, its certifications, a platform's school), so the same amount can be recomputed and explained
years later from the decision alone, whatever the registry or the policy became.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zhijiao.audit.chain import canonical
from zhijiao.engine.calculate import Result, run
from zhijiao.engine.inputs import frames_from_situation
from zhijiao.engine.model import Entitlement
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Period
from zhijiao.fulfilment.situations import situation_for
from zhijiao.registry.snapshot import frames_for_entity, frames_for_year


@dataclass(frozen=True)
class Entitled:
    """One entitlement of one entity in a year, as the engine computes it from the registry."""

    entitlement: Entitlement
    entity_code: str
    year: int
    level: str | None
    amount_fen: int


def award_key(entitlement: Entitlement, entity_code: str, year: int, level: str | None) -> str:
    """What may be paid only once: a one-time award per entity and level, anything else per entity and year."""
    scope = level if entitlement.one_time else str(year)
    return f"{entitlement.id}:{entitlement.entity}:{entity_code}:{scope}"


def _detail(entitlement: Entitlement) -> tuple[str, str]:
    if entitlement.detail_entity is None or entitlement.detail_output is None:
        raise ValueError(f"{entitlement.id} is not a one-time award")
    return entitlement.detail_entity, entitlement.detail_output


def entitlements_of(result: Result) -> list[Entitled]:
    """Every non-zero entitlement in the result (one-time awards per certification level that falls due)."""
    year = result.period.year
    found: list[Entitled] = []
    for entitlement in result.policy.entitlements:
        if entitlement.one_time:
            detail_name, due = _detail(entitlement)
            link = result.policy.entities[detail_name].link or ""
            frame = result.frames[detail_name].filter(pl.col(due) > 0).select(link, "level", due)
            found.extend(Entitled(entitlement, str(o), year, str(lv), int(a)) for o, lv, a in frame.iter_rows())
        else:
            entity = result.policy.entities[entitlement.entity]
            frame = result.frames[entitlement.entity].filter(pl.col(entitlement.output) > 0)
            for code, amount in frame.select(entity.key, entitlement.output).iter_rows():
                found.append(Entitled(entitlement, str(code), year, None, int(amount)))
    return found


def registry_result(session: Session, policy: Policy, year: int, options: Mapping[str, object] | None = None) -> Result:
    return run(policy, frames_for_year(session, policy, Period(year)), Period(year), options)


# --- the situation of one entity ---------------------------------------------------------------------


def digest(situation: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(dict(situation)).encode()).hexdigest()


@dataclass(frozen=True)
class Computed:
    """An entitlement computed from a situation: what a decision freezes."""

    amount_fen: int
    situation: dict[str, Any]
    inputs_digest: str
    explanation: dict[str, Any]  # {"zh": steps, "en": steps}
    rule_set: str
    options: dict[str, str]


def compute(
    policy: Policy, situation: Mapping[str, Any], entitlement: Entitlement, code: str, level: str | None
) -> Computed:
    """The amount of ``entitlement`` for entity ``code`` from its situation alone, with its explanation."""
    year = int(situation["year"])
    frames = frames_from_situation(policy.entities, situation)
    result = run(policy, frames, Period(year), situation.get("options"))
    if entitlement.one_time:
        detail_name, due = _detail(entitlement)
        mine = result.frames[detail_name].filter(pl.col("level").cast(pl.String) == level)
        amount = int(mine[due].sum())
    else:
        entity = policy.entities[entitlement.entity]
        mine = result.frames[entitlement.entity].filter(pl.col(entity.key).cast(pl.String) == code)
        amount = int(mine[entitlement.output].sum())
    explanation = {lang: result.explain(entitlement.entity, [code], lang).get(code, []) for lang in ("zh", "en")}
    return Computed(
        amount,
        dict(situation),
        digest(situation),
        explanation,
        result.rule_set,
        {k: str(v) for k, v in result.options.items()},
    )


def current_situation(session: Session, policy: Policy, entitlement: Entitlement, code: str, year: int,
                      options: Mapping[str, object] | None = None) -> dict[str, Any]:  # fmt: skip
    """The entity's situation as the registry holds it now (only its own records are read)."""
    frames = frames_for_entity(session, policy, Period(year), entitlement.entity, code)
    return situation_for(policy, frames, entitlement.entity, code, year, policy.options.resolve(options))
