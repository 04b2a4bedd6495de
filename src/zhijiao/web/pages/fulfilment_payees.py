"""Payees' accounts (收款账户, decision 0017): finance's list of the payees that receive money with their current
accounts, those still without one, and the changes waiting for a second person; each payee's page with its history
and the forms — propose a change (finance, the city administrator), confirm or refuse it (a second finance officer),
withdraw it (its proposer). Numbers are whole for finance and the city administrator, masked for everyone else."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, allows
from zhijiao.fulfilment import labels, payees
from zhijiao.fulfilment.entities import Payee
from zhijiao.fulfilment.models import PayeeAccount
from zhijiao.fulfilment.payee_views import listing, payee_view
from zhijiao.fulfilment.payees import FIELDS, KIND_LABELS, PROPOSERS, AccountStatus, Details
from zhijiao.fulfilment.queries import counties
from zhijiao.http.deps import Db, LangDep, require
from zhijiao.http.params import done_message
from zhijiao.language import Lang
from zhijiao.refusals import Invalid
from zhijiao.web.pages.fulfilment_awards import CSS
from zhijiao.web.templating import render

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=2**62)]
PayeeKind = Annotated[str, Path(max_length=20)]
Code = Annotated[str, Path(max_length=40)]
Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=2000)]
NumberText = Annotated[str, Form(max_length=60)]
FORM_FIELDS = ("kind", "account_name", "bank_name", "account_number", "budget_unit_code", "budget_unit_name", "reason")


def _common(user: Principal) -> dict[str, object]:
    return {
        "css": CSS,
        "user_id": user.user_id,
        "may_propose": user.role in PROPOSERS,
        "may_confirm": allows(user.role, Permission.release_payment),
        "full_numbers": payees.sees_full_numbers(user),
        "account_kinds": KIND_LABELS,
        "account_statuses": AccountStatus.label_table(),
        "entity_kinds": labels.ENTITY_KINDS,
        "fields": FIELDS,
    }


@router.get("/payees")
def payee_list(request: Request, db: Db, user: Principal = require(Permission.view_ledger)) -> Response:
    found = listing(db, user, display=True)
    context = _common(user) | {
        "payees": found,
        "waiting": [(view, account) for view in found for account in view.waiting],
        "missing": [view for view in found if view.missing],
        "counties": counties(db),
        "done": done_message(request),
    }
    return render(request, "fulfilment/payees.html", context)


def _payee_page(
    request: Request,
    db: Session,
    user: Principal,
    payee: Payee,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:
    view, history = payee_view(db, user, payee, display=True)
    kinds = ["bank", "budget"] if view.budget_possible else ["bank"]
    context = _common(user) | {
        "view": view,
        "payee": payee,
        "history": history,
        "kinds": kinds,
        "form": form or {"kind": kinds[0]},
        "error": error,
        "county": counties(db).get(payee.county_code, payee.county_code),
        "done": done_message(request),
    }
    return render(request, "fulfilment/payee.html", context, status_code=422 if error else 200)


@router.get("/payees/{payee_kind}/{code}")
def payee_page(
    request: Request, db: Db, payee_kind: PayeeKind, code: Code, user: Principal = require(Permission.view_awards)
) -> Response:
    return _payee_page(request, db, user, payees.reachable(db, user, payee_kind, code))


@router.post("/payees/{payee_kind}/{code}/accounts")
def propose_account(
    request: Request,
    db: Db,
    lang: LangDep,
    payee_kind: PayeeKind,
    code: Code,
    kind: Annotated[str, Form(max_length=10)] = "bank",
    account_name: Text = "",
    bank_name: Text = "",
    account_number: NumberText = "",
    budget_unit_code: NumberText = "",
    budget_unit_name: Text = "",
    reason: LongText = "",
    user: Principal = require(Permission.view_ledger),
) -> Response:
    """Proposes an account or a change of it; it is used once a second finance officer confirms it. Typed details
    that are refused come back in the form with what is wrong, nothing written."""
    payee = payees.reachable(db, user, payee_kind, code)
    details = Details(kind, account_name, bank_name, account_number, budget_unit_code, budget_unit_name)
    try:
        payees.propose(db, user, payee_kind, code, details, reason)
    except Invalid as refused:  # refused before anything was added to the session: the transaction holds nothing
        form = dict(zip(FORM_FIELDS, (kind, account_name, bank_name, account_number, budget_unit_code,
                                      budget_unit_name, reason), strict=True))  # fmt: skip
        return _payee_page(request, db, user, payee, form=form, error=refused.en if lang is Lang.en else refused.zh)
    return RedirectResponse(_page_of(payee, "proposed", "waiting"), status_code=303)


def _page_of(payee: Payee, done: str, anchor: str) -> str:
    return f"/payees/{payee.kind}/{quote(payee.code, safe='')}?done={done}#{anchor}"


def _back(db: Session, account: PayeeAccount, done: str) -> Response:
    """The payee's page, saying what was just done."""
    return RedirectResponse(_page_of(payees.payee_of_account(db, account), done, "accounts"), status_code=303)


@router.post("/payee-accounts/{account_id}/confirm")
def confirm_account(db: Db, account_id: Id, user: Principal = require(Permission.release_payment)) -> Response:
    """A second finance officer confirms: the account becomes current and the one before it is superseded."""
    return _back(db, payees.confirm(db, user, account_id), "confirmed")


@router.post("/payee-accounts/{account_id}/refuse")
def refuse_account(
    db: Db, account_id: Id, note: LongText = "", user: Principal = require(Permission.release_payment)
) -> Response:
    return _back(db, payees.refuse(db, user, account_id, note), "refused")


@router.post("/payee-accounts/{account_id}/withdraw")
def withdraw_account(db: Db, account_id: Id, user: Principal = require(Permission.view_ledger)) -> Response:
    return _back(db, payees.withdraw(db, user, account_id), "withdrawn")
