"""Obligations by payer, article, county and year: what falls due (the engine, from the registry), what was
approved (decisions), instructed to the bank and not yet confirmed (instructions), paid and reversed (the ledger);
and one entity's statement. Integer fen throughout."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.compute import Entitled, entitlements_of, registry_result
from zhijiao.fulfilment.entities import Payee, find_payees, payees_of, payer_of
from zhijiao.fulfilment.models import Application, Decision, LedgerEntry
from zhijiao.fulfilment.states import CLOSED
from zhijiao.registry.models import County

# "instructed": with the bank and not yet confirmed (decision 0017); "paid": confirmed, in the ledger.
MEASURES = ("due", "approved", "instructed", "paid", "reversed")


@dataclass
class Line:
    payer: str  # city | county
    article: str
    county: str  # county name
    year: int
    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    clawed_back: int = 0  # the claw-backs within "reversed" (negative fen)

    @property
    def outstanding(self) -> int:
        """Approved and not yet paid, net of reversals. A reversed payment is owed again; a clawed-back one
        is not (its certification was revoked), so claw-backs are not added back."""
        return self.amounts["approved"] - self.amounts["paid"] - (self.amounts["reversed"] - self.clawed_back)


def _county_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(County.code, County.name)).all())


def _payees_by_code(session: Session, items: list[Entitled]) -> dict[str, dict[str, Payee]]:
    """The payee of every entitlement, by kind and code: one query per kind, not one per entitlement (tens of
    thousands a year at scale)."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for item in items:
        wanted[item.entitlement.entity].append(item.entity_code)
    return {kind: find_payees(session, kind, codes) for kind, codes in wanted.items()}


def _approved(year: int, county_code: str | None) -> list[ColumnElement[bool]]:
    """Each open application's latest decision of ``year`` (in one county's, if named): what is approved."""
    latest = select(func.max(Decision.id)).group_by(Decision.application_id).scalar_subquery()
    where = [Decision.id.in_(latest), Application.year == year, Application.status.not_in([s.value for s in CLOSED])]
    return [*where, Application.county_code == county_code] if county_code else where


def obligations(session: Session, policy: Policy, year: int, *, county_code: str | None = None) -> list[Line]:
    """One line per (payer, article, county) of ``year``; ``county_code`` limits to one county's entities."""
    names = _county_names(session)
    lines: dict[tuple[str, str, str], Line] = {}

    def line(payer: str, article: str, code: str) -> Line:
        key = (payer, article, names.get(code, code))
        if key not in lines:
            lines[key] = Line(payer, article, names.get(code, code), year)
        return lines[key]

    items = entitlements_of(registry_result(session, policy, year))
    payees_by_code = _payees_by_code(session, items)
    for item in items:
        payee = payees_by_code[item.entitlement.entity][item.entity_code]
        if county_code and payee.county_code != county_code:
            continue
        payer, _ = payer_of(policy, payee, item.entitlement)
        line(payer, item.entitlement.article, payee.county_code).amounts["due"] += item.amount_fen

    approved = (
        select(Application, Decision.amount_fen)
        .join(Decision, Decision.application_id == Application.id)
        .where(*_approved(year, county_code))
    )
    rows = session.execute(approved).all()
    payees = payees_of(session, [(a.school_id, a.enterprise_id, a.platform_id) for a, _amount in rows])
    for application, amount in rows:
        payee = payees[application.school_id, application.enterprise_id, application.platform_id]
        payer, _ = payer_of(policy, payee, policy.entitlements_by_id[application.entitlement])
        line(payer, application.article, application.county_code).amounts["approved"] += amount

    _add_ledger(session, year, county_code, line)
    _add_instructed(session, year, county_code, line)
    return sorted(lines.values(), key=lambda x: (x.payer, x.article, x.county))


LineOf = Callable[[str, str, str], Line]  # (payer, article, county code) → its line


def _add_ledger(session: Session, year: int, county_code: str | None, line: LineOf) -> None:
    """Paid and reversed, from the ledger."""
    ledger = select(LedgerEntry.payer, LedgerEntry.article, LedgerEntry.county_code, LedgerEntry.kind,
                    func.sum(LedgerEntry.amount_fen)).where(LedgerEntry.year == year)  # fmt: skip
    if county_code:
        ledger = ledger.where(LedgerEntry.county_code == county_code)
    grouped = ledger.group_by(LedgerEntry.payer, LedgerEntry.article, LedgerEntry.county_code, LedgerEntry.kind)
    for payer, article, code, kind, amount in session.execute(grouped):
        measure = "paid" if kind == "payment" else "reversed"
        found = line(payer, article, code)
        found.amounts[measure] += int(amount or 0)
        if kind == "clawback":
            found.clawed_back += int(amount or 0)


def _add_instructed(session: Session, year: int, county_code: str | None, line: LineOf) -> None:
    """With the bank and not yet confirmed: the outstanding instructions."""
    waiting = (
        select(PaymentInstruction.payer, PaymentInstruction.article, Application.county_code,
               func.sum(PaymentInstruction.amount_fen))
        .join(Application, Application.id == PaymentInstruction.application_id)
        .where(Application.year == year, PaymentInstruction.status == "outstanding")
    )  # fmt: skip
    if county_code:
        waiting = waiting.where(Application.county_code == county_code)
    grouped = waiting.group_by(PaymentInstruction.payer, PaymentInstruction.article, Application.county_code)
    for payer, article, code, amount in session.execute(grouped):
        line(payer, article, code).amounts["instructed"] += int(amount or 0)


def money_path(session: Session, year: int, county_code: str | None = None) -> dict[str, int]:
    """The year's money from decision to account, without what falls due (which needs the engine): approved,
    with the bank (instructed, not yet confirmed), paid and reversed, in fen. Three grouped queries."""
    lines: dict[tuple[str, str, str], Line] = {}

    def line(payer: str, article: str, code: str) -> Line:
        return lines.setdefault((payer, article, code), Line(payer, article, code, year))

    approved = (
        select(func.sum(Decision.amount_fen))
        .join(Application, Application.id == Decision.application_id)
        .where(*_approved(year, county_code))
    )
    _add_ledger(session, year, county_code, line)
    _add_instructed(session, year, county_code, line)
    out = totals(list(lines.values()))
    return {"approved": int(session.scalar(approved) or 0), "instructed": out.get("instructed", 0),
            "paid": out.get("paid", 0), "reversed": out.get("reversed", 0)}  # fmt: skip


def statement(session: Session, payee_kind: str, payee_id: int) -> list[LedgerEntry]:
    """An entity's ledger rows, oldest first: payments, reversals and claw-backs. The caller checks scope."""
    column = {
        "school": LedgerEntry.school_id,
        "enterprise": LedgerEntry.enterprise_id,
        "platform": LedgerEntry.platform_id,
    }[payee_kind]
    return list(session.scalars(select(LedgerEntry).where(column == payee_id).order_by(LedgerEntry.id)))


def totals(lines: list[Line]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for item in lines:
        for measure, amount in item.amounts.items():
            out[measure] += amount
    return dict(out)
