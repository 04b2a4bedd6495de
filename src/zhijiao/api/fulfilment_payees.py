"""Payees' accounts through the API (decision 0017): the payees and their current accounts, one payee's history,
and the two-person steps — a finance officer or the city administrator proposes, a second finance officer confirms
or refuses, the proposer may withdraw. Account numbers are whole for finance and the city administrator, masked
for everyone else. Refusals are problem documents with stable codes (``invalid_payee_account``,
``payee_account_pending``, ``payee_account_unchanged``, ``payee_account_decided``, ``not_allowed``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import Field

from zhijiao.api.fulfilment_schemas import Answer, Id, Request
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.fulfilment import payees
from zhijiao.fulfilment.payee_views import AccountView, PayeeView, listing, payee_view, views
from zhijiao.fulfilment.payees import Details
from zhijiao.http.deps import Db, require

router = APIRouter(prefix="/api/v1", tags=["payees"], route_class=JsonRoute)
ACTS = SIGNED_IN | problem_responses(409)
PayeeKind = Annotated[str, Path(max_length=20, description="school | enterprise")]
Code = Annotated[str, Path(max_length=40, description="学校或企业代码 / the payee's code")]


class AccountIn(Request):
    kind: Literal["bank", "budget"] = Field(description="bank 银行账户 | budget 预算单位（仅公办学校）/ public schools")
    account_name: str = Field(default="", max_length=200, description="户名 / account name (bank)")
    bank_name: str = Field(default="", max_length=200, description="开户银行 / bank (bank)")
    account_number: str = Field(default="", max_length=60, description="账号，8—30 位数字，可含空格 / 8–30 digits")
    budget_unit_code: str = Field(default="", max_length=60, description="预算单位编码 / budget unit code (budget)")
    budget_unit_name: str = Field(default="", max_length=200, description="预算单位名称 / budget unit name (budget)")
    reason: str = Field(max_length=2000, description="变更理由（必填）/ why the account is proposed or changed")


class NoteIn(Request):
    note: str = Field(max_length=2000, description="退回理由（必填）/ why it is refused")


class AccountOut(Answer):
    id: int
    payee_kind: str = Field(description="school | enterprise")
    payee_code: str
    kind: str = Field(description="bank | budget")
    status: str = Field(description="proposed | confirmed | refused | withdrawn | superseded")
    account_name: str | None
    bank_name: str | None
    account_number: str | None = Field(
        description="财政人员与市级管理员可见全号，其他人可见掩码 / masked but for finance"
    )
    account_number_masked: bool
    budget_unit_code: str | None
    budget_unit_name: str | None
    reason: str
    note: str | None = Field(description="退回理由 / why it was refused")
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None = Field(description="复核、退回或撤回的人 / who confirmed, refused or withdrew it")
    decided_at: dt.datetime | None
    supersedes_id: int | None = Field(description="所替换的账户 / the account it replaces")


class PayeeOut(Answer):
    payee_kind: str
    code: str
    name: str
    county_code: str
    bank: AccountOut | None = Field(description="现行银行账户 / the current bank account")
    budget: AccountOut | None = Field(description="现行预算单位（公办学校）/ the current budget unit")
    missing: list[str] = Field(description="尚无现行账户的类型 / kinds of account still missing")
    waiting: list[AccountOut] = Field(description="待复核的变更 / changes awaiting a second person")


class PayeeDetailOut(PayeeOut):
    history: list[AccountOut] = Field(description="全部账户记录，新的在前 / every account, newest first")


def _out(view: AccountView) -> AccountOut:
    return AccountOut(
        id=view.id,
        payee_kind=view.payee_kind,
        payee_code=view.payee_code,
        kind=view.kind,
        status=view.status,
        account_name=view.account_name,
        bank_name=view.bank_name,
        account_number=view.account_number.replace(" ", "") if view.account_number and not view.masked else
        view.account_number,
        account_number_masked=view.masked,
        budget_unit_code=view.budget_unit_code,
        budget_unit_name=view.budget_unit_name,
        reason=view.reason,
        note=view.note,
        proposed_by=view.proposer,
        proposed_at=view.proposed_at,
        decided_by=view.decider,
        decided_at=view.decided_at,
        supersedes_id=view.supersedes_id,
    )  # fmt: skip


def _payee_out(view: PayeeView) -> PayeeOut:
    current = {kind: _out(account) for kind, account in view.current.items()}
    return PayeeOut(
        payee_kind=view.payee.kind,
        code=view.payee.code,
        name=view.payee.name,
        county_code=view.payee.county_code,
        bank=current.get("bank"),
        budget=current.get("budget"),
        missing=view.missing,
        waiting=[_out(a) for a in view.waiting],
    )


def _one(db: Db, user: Principal, account_id: int) -> AccountOut:
    db.flush()
    account = payees.visible_account(db, user, account_id)
    (view,) = views(db, user, [account], display=False)
    return _out(view)


@router.get("/payees", response_model=list[PayeeOut], responses=SIGNED_IN,
            summary="Payees that receive money: their current accounts, the changes awaiting confirmation")  # fmt: skip
def list_payees(db: Db, user: Principal = require(Permission.view_ledger)) -> list[PayeeOut]:
    return [_payee_out(view) for view in listing(db, user, display=False)]


@router.get("/payees/{payee_kind}/{code}", response_model=PayeeDetailOut, responses=SIGNED_IN,
            summary="One payee: its current accounts, the changes awaiting confirmation and its history")  # fmt: skip
def one_payee(
    db: Db, payee_kind: PayeeKind, code: Code, user: Principal = require(Permission.view_awards)
) -> PayeeDetailOut:
    payee = payees.reachable(db, user, payee_kind, code)
    view, history = payee_view(db, user, payee, display=False)
    return PayeeDetailOut(**dict(_payee_out(view)), history=[_out(a) for a in history])


@router.post("/payees/{payee_kind}/{code}/accounts", response_model=AccountOut, status_code=201, responses=ACTS,
             summary="Finance or the city administrator: propose a payee's account or a change of it; a second "
             "finance officer confirms it before it is used")  # fmt: skip
def propose(
    body: AccountIn, db: Db, payee_kind: PayeeKind, code: Code, user: Principal = require(Permission.view_ledger)
) -> AccountOut:
    details = Details(body.kind, body.account_name, body.bank_name, body.account_number, body.budget_unit_code,
                      body.budget_unit_name)  # fmt: skip
    account = payees.propose(db, user, payee_kind, code, details, body.reason)
    return _one(db, user, account.id)


@router.post("/payee-accounts/{account_id}/confirm", response_model=AccountOut, responses=ACTS,
             summary="Finance, a second person: confirm an account; it supersedes the payee's current one")  # fmt: skip
def confirm(db: Db, account_id: Id, user: Principal = require(Permission.release_payment)) -> AccountOut:
    return _one(db, user, payees.confirm(db, user, account_id).id)


@router.post("/payee-accounts/{account_id}/refuse", response_model=AccountOut, responses=ACTS,
             summary="Finance, a second person: refuse an account change, saying why")  # fmt: skip
def refuse(body: NoteIn, db: Db, account_id: Id, user: Principal = require(Permission.release_payment)) -> AccountOut:
    return _one(db, user, payees.refuse(db, user, account_id, body.note).id)


@router.post("/payee-accounts/{account_id}/withdraw", response_model=AccountOut, responses=ACTS,
             summary="The proposer: withdraw an account change still awaiting confirmation")  # fmt: skip
def withdraw(db: Db, account_id: Id, user: Principal = require(Permission.view_ledger)) -> AccountOut:
    return _one(db, user, payees.withdraw(db, user, account_id).id)
