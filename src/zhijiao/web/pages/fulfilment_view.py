"""One application as its page and the API show it: the figures it declares, its frozen decision with the
steps in plain language, its history from the audit trail, and what the user may do with it now."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.accounts.roles import Permission, allows
from zhijiao.accounts.service import Principal
from zhijiao.audit.models import AuditRecord
from zhijiao.engine.model import Entitlement, Variable
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Aggregate
from zhijiao.fulfilment.attachments import EDITABLE
from zhijiao.fulfilment.errors import Invalid
from zhijiao.fulfilment.models import Application, Decision
from zhijiao.fulfilment.states import TRANSITIONS, Status
from zhijiao.language import Lang
from zhijiao.web.pages import plan_format as fmt
from zhijiao.web.pages.calculator_result import StepView
from zhijiao.web.pages.calculator_result import _steps as step_views

FEN_PER_YUAN = 100
MAX_FEN = 10**15  # ten trillion yuan: above any budget, and well inside the 64-bit money columns


# --- what an entitlement is computed from --------------------------------------------------------------


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


def _nodes(policy: Policy, entitlement: Entitlement) -> list[str]:
    return list(_walk(policy, f"{entitlement.entity}.{entitlement.output}", set()))


def figure_variables(policy: Policy, entitlement: Entitlement) -> list[Variable]:
    """The entity's numeric inputs the entitlement is computed from: the figures an applicant declares."""
    entity = policy.entities[entitlement.entity]
    names = {node.split(".", 1)[1] for node in _nodes(policy, entitlement) if node.startswith(f"{entity.name}.")}
    return [v for v in entity.inputs if v.name in names and v.unit.numeric]


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


def yuan_to_fen(text: str, what: tuple[str, str]) -> int:
    """Yuan as typed (1,234.56) to integer fen, exactly: more than two decimals is refused, not rounded."""
    cleaned = text.strip().replace(",", "").replace("，", "").removeprefix("¥")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    fen = amount * FEN_PER_YUAN if amount.is_finite() else amount
    if not amount.is_finite() or amount < 0 or fen != fen.to_integral_value() or fen > MAX_FEN:
        zh, en = what
        raise Invalid(f"{zh}“{text}”不是以元为单位、最多两位小数的金额。", f"{en} {text!r} is not an amount in yuan.")
    return int(fen)


def fen_to_yuan(fen: int | None) -> str | None:
    """Integer fen as exact yuan text (123456 → "1234.56")."""
    if fen is None:
        return None
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"


# --- the frozen decision -------------------------------------------------------------------------------


def decision_steps(policy: Policy, entitlement: Entitlement, decision: Decision, lang: Lang) -> tuple[StepView, ...]:
    """The steps of the frozen explanation that lead to the entitlement, in the page's language."""
    frozen = decision.explanation[0] if decision.explanation else {}
    raw = frozen.get(lang.value) or frozen.get("zh") or []
    wanted = {node.split(".", 1)[1] for node in _nodes(policy, entitlement) if node in policy.graph.formulas}
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


# --- history from the audit trail ----------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    actor: str
    action: str
    before: str | None  # a status
    after: str | None
    reason: str | None
    details: dict[str, Any]


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC


def history(session: Session, application: Application) -> list[HistoryItem]:
    query = (
        select(AuditRecord)
        .where(AuditRecord.object_type == "application", AuditRecord.object_id == application.number)
        .order_by(AuditRecord.id)
    )
    items = []
    for record in session.scalars(query):
        payload = json.loads(record.payload)
        before, after = payload.get("before") or {}, payload.get("after") or {}
        extra = {k: v for k, v in after.items() if k not in {"number", "status", "claimed_fen", "needs_re_review"}}
        items.append(
            HistoryItem(
                at=_aware(record.at),
                actor=record.actor,
                action=record.action,
                before=before.get("status"),
                after=after.get("status"),
                reason=after.get("reason"),
                details={k: v for k, v in extra.items() if v is not None and k != "reason"},
            )
        )
    return items


# --- what the user may do now --------------------------------------------------------------------------


def _can(application: Application, transition: str) -> bool:
    return Status(application.status) in TRANSITIONS[transition][0]


def available_actions(user: Principal, application: Application) -> list[str]:
    """The forms to offer: the transitions the application's state, the user's role and the two-person rules
    allow (the services check all of it again; this only spares the user a refusal)."""
    role, me = user.role, user.user_id
    found = []
    if allows(role, Permission.apply):
        found += [t for t in ("submit", "withdraw") if _can(application, t)]
        if Status(application.status) in EDITABLE:
            found.append("attach")
    if allows(role, Permission.review) and application.submitted_by != me:
        found += [t for t in ("return_for_information", "county_approve", "county_reject") if _can(application, t)]
    not_proposer = me not in {application.submitted_by, application.reviewed_by}
    if allows(role, Permission.approve) and not_proposer:
        found += [t for t in ("city_approve", "city_reject") if _can(application, t)]
    if (
        allows(role, Permission.schedule_payment)
        and _can(application, "schedule_payment")
        and not application.needs_re_review
    ):
        found.append("schedule_payment")
    if allows(role, Permission.release_payment) and _can(application, "release"):
        found.append("release")
    return found
