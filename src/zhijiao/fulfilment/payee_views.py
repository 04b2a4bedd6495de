"""Payees' accounts as a user may read them (the pages and the API): the number whole for finance and the city
administrator, masked for everyone else (zhijiao.fulfilment.payees); who proposed and decided by name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.fulfilment import payees
from zhijiao.fulfilment.entities import Payee
from zhijiao.fulfilment.models import PayeeAccount
from zhijiao.fulfilment.payees import AccountStatus
from zhijiao.fulfilment.queries import usernames
from zhijiao.registry.models import Enterprise, EnterpriseCertification, School
from zhijiao.storage.base import aware


@dataclass(frozen=True)
class AccountView:
    id: int
    payee_kind: str
    payee_code: str
    kind: str
    status: str
    account_name: str | None
    bank_name: str | None
    account_number: str | None  # as the reader may see it: grouped, or masked
    masked: bool
    budget_unit_code: str | None
    budget_unit_name: str | None
    reason: str
    note: str | None
    proposed_by: int
    proposer: str  # the user name (the API) or the display name (the pages)
    proposed_at: dt.datetime
    decided_by: int | None
    decider: str | None
    decided_at: dt.datetime | None
    supersedes_id: int | None


@dataclass
class PayeeView:
    payee: Payee
    current: dict[str, AccountView] = field(default_factory=dict)  # kind → the confirmed account
    waiting: list[AccountView] = field(default_factory=list)
    budget_possible: bool = False  # a public school: it may have a budget unit

    @property
    def missing(self) -> list[str]:
        """The kinds of account it needs and has none confirmed of."""
        kinds = ["bank", "budget"] if self.budget_possible else ["bank"]
        return [k for k in kinds if k not in self.current]


def views(session: Session, user: Principal, accounts: list[PayeeAccount], *, display: bool) -> list[AccountView]:
    """``accounts`` as ``user`` may read them."""
    names = usernames(session, [u for a in accounts for u in (a.proposed_by, a.decided_by)], display=display)
    codes = _codes(session, accounts)
    hidden = not payees.sees_full_numbers(user)
    return [
        AccountView(
            id=a.id,
            payee_kind="school" if a.school_id is not None else "enterprise",
            payee_code=codes[(a.school_id, a.enterprise_id)],
            kind=a.kind,
            status=a.status,
            account_name=a.account_name,
            bank_name=a.bank_name,
            account_number=payees.shown_number(user, a.account_number) if a.account_number else None,
            masked=hidden,
            budget_unit_code=a.budget_unit_code,
            budget_unit_name=a.budget_unit_name,
            reason=a.reason,
            note=a.note,
            proposed_by=a.proposed_by,
            proposer=names.get(a.proposed_by, ""),
            proposed_at=aware(a.proposed_at),
            decided_by=a.decided_by,
            decider=names.get(a.decided_by) if a.decided_by is not None else None,
            decided_at=aware(a.decided_at) if a.decided_at is not None else None,
            supersedes_id=a.supersedes_id,
        )
        for a in accounts
    ]


def _codes(session: Session, accounts: list[PayeeAccount]) -> dict[tuple[int | None, int | None], str]:
    schools = {a.school_id for a in accounts if a.school_id is not None}
    firms = {a.enterprise_id for a in accounts if a.enterprise_id is not None}
    out: dict[tuple[int | None, int | None], str] = {}
    if schools:
        out |= {(i, None): c for i, c in session.execute(select(School.id, School.code).where(School.id.in_(schools)))}
    if firms:
        query = select(Enterprise.id, Enterprise.code).where(Enterprise.id.in_(firms))
        out |= {(None, i): c for i, c in session.execute(query)}
    return out


def _public(session: Session, payee: Payee) -> bool:
    if payee.kind != "school":
        return False
    return session.scalar(select(School.ownership).where(School.id == payee.id)) == "public"


def payee_view(
    session: Session, user: Principal, payee: Payee, *, display: bool
) -> tuple[PayeeView, list[AccountView]]:
    """One payee: its current accounts and waiting proposals, and its whole history newest first."""
    history = views(session, user, payees.accounts_of(session, payee), display=display)
    view = PayeeView(payee, budget_possible=_public(session, payee))
    for account in history:
        if account.status == AccountStatus.confirmed:
            view.current[account.kind] = account
        elif account.status == AccountStatus.proposed:
            view.waiting.append(account)
    return view, history


def listing(session: Session, user: Principal, *, display: bool) -> list[PayeeView]:
    """Every payee that receives money within the user's reach — each school, each enterprise with a certification
    (Art. 7) or an account — with its current accounts and waiting proposals, schools first, by code."""
    scope = user.scope
    school_query = select(School.id, School.code, School.name, School.county_code, School.sponsor, School.ownership)
    firm_query = (
        select(Enterprise.id, Enterprise.code, Enterprise.name, Enterprise.county_code)
        .where(
            or_(
                Enterprise.id.in_(select(EnterpriseCertification.enterprise_id)),
                Enterprise.id.in_(select(PayeeAccount.enterprise_id).where(PayeeAccount.enterprise_id.is_not(None))),
            )
        )
        .order_by(Enterprise.code)
    )
    if scope.county_code is not None:
        school_query = school_query.where(School.county_code == scope.county_code)
        firm_query = firm_query.where(Enterprise.county_code == scope.county_code)
    found: list[PayeeView] = []
    for ident, code, name, county, sponsor, ownership in session.execute(school_query.order_by(School.code)):
        payee = Payee("school", ident, code, name, county, sponsor)
        if payees.may_see(user, payee):
            found.append(PayeeView(payee, budget_possible=ownership == "public"))
    for ident, code, name, county in session.execute(firm_query):
        payee = Payee("enterprise", ident, code, name, county, None)
        if payees.may_see(user, payee):
            found.append(PayeeView(payee))
    by_key = {(v.payee.kind, v.payee.id): v for v in found}
    live = select(PayeeAccount).where(PayeeAccount.status.in_([AccountStatus.confirmed, AccountStatus.proposed]))
    accounts = [a for a in session.scalars(live.order_by(PayeeAccount.id)) if _key(a) in by_key]
    for row, account in zip(accounts, views(session, user, accounts, display=display), strict=True):
        view = by_key[_key(row)]
        if account.status == AccountStatus.confirmed:
            view.current[account.kind] = account
        else:
            view.waiting.append(account)
    return found


def _key(account: PayeeAccount) -> tuple[str, int]:
    if account.school_id is not None:
        return ("school", account.school_id)
    return ("enterprise", int(account.enterprise_id or 0))
