"""The ledger (台账) and what is owed: payments, reversals and claw-backs as recorded, never edited; the
obligations of a year by payer, article and county (due, approved, paid, reversed) with their xlsx; one
entity's statement. Finance corrects a payment by a reversal, and runs the claw-back of revoked awards,
each proposed by one finance officer and confirmed (or refused) by another before the ledger records it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, allows
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import clawback, corrections, labels, queries
from zhijiao.fulfilment.clawback import clawback_choice
from zhijiao.fulfilment.correction_queries import correction_rows, waiting_by_payment
from zhijiao.fulfilment.ledger_workbook import ledger_workbook
from zhijiao.fulfilment.obligations import MEASURES, Line, obligations, statement, totals
from zhijiao.fulfilment.obligations_xlsx import write_obligations
from zhijiao.fulfilment.statements import obligations_year, reachable_payee
from zhijiao.fulfilment.states import CorrectionStatus
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.http.params import (
    ID_DIGITS,
    XLSX,
    QueryString,
    done_message,
    download,
    one_of,
    page_of,
    whole_number,
    year_of,
)
from zhijiao.language import Lang, say
from zhijiao.registry.queries import years_with_data
from zhijiao.registry.snapshot import cached
from zhijiao.web.pages.fulfilment_awards import CSS
from zhijiao.web.templating import render

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=2**62)]


def ledger_filter(db: Session, policy: Policy, user: Principal, request: Request) -> queries.LedgerFilter:
    params = request.query_params
    return queries.LedgerFilter(
        year=year_of(params.get("year")),
        article=one_of(params.get("article"), labels.article_labels(policy), ("条款", "Article")),
        county=one_of(params.get("county"), queries.counties(db), ("县（市、区）", "County"))
        if user.scope.citywide
        else None,
        payer=one_of(params.get("payer"), labels.PAYERS, ("付款方", "Payer")),
        kind=one_of(params.get("kind"), labels.LEDGER_KINDS, ("类型", "Kind")),
        batch=whole_number(params.get("batch"), ID_DIGITS),
        page=page_of(params.get("page")),
    )


def _obligations(db: Session, policy: Policy, year: int, county_code: str | None) -> list[Line]:
    """The year's obligations, kept per version of the data: they run the engine over the whole registry and
    look up each entitlement's payee, far more than one page view should pay each time."""
    key = ("obligations", year, county_code)
    return cached(db, key, policy, lambda: obligations(db, policy, year, county_code=county_code))


@router.get("/ledger")
def ledger(request: Request, db: Db, policy: PolicyDep, user: Principal = require(Permission.view_ledger)) -> Response:
    chosen = ledger_filter(db, policy, user, request)
    found = queries.ledger(db, user.scope, chosen)
    year = obligations_year(db, policy, chosen.year)
    lines = _obligations(db, policy, year, user.scope.county_code) if year else []
    rows = found.rows
    pending = correction_rows(db, user.scope)
    option = policy.options.options[clawback.OPTION]
    context = {
        "css": CSS,
        "found": found,
        "chosen": chosen,
        "net": queries.ledger_sum(db, user.scope, chosen),
        "query": QueryString(
            {
                "year": chosen.year,
                "article": chosen.article,
                "county": chosen.county,
                "payer": chosen.payer,
                "kind": chosen.kind,
                "batch": chosen.batch,
            }
        ),
        "names": queries.entity_names(db, [(r.school_id, r.enterprise_id, r.platform_id) for r in rows]),
        "numbers": queries.application_numbers(db, [r.application_id for r in rows]),
        "corrected": queries.corrected(db, [r.id for r in rows]),
        "waiting": waiting_by_payment(db, [r.id for r in rows]),
        "people": queries.usernames(db, [u for r in rows for u in (r.proposed_by, r.recorded_by)], display=True),
        "corrections": pending,
        "shown_corrections": {c.correction.id for c in pending},
        "correction_names": queries.entity_names(
            db, [(c.payment.school_id, c.payment.enterprise_id, c.payment.platform_id) for c in pending]
        ),
        "user_id": user.user_id,
        "counties": queries.counties(db),
        "county_choices": queries.counties(db) if user.scope.citywide else {},
        "years": years_with_data(db),
        "articles": labels.article_labels(policy),
        "payers": labels.PAYERS,
        "kinds": labels.LEDGER_KINDS,
        "correction_statuses": CorrectionStatus.label_table(),
        "obligations_year": year,
        "lines": lines,
        "line_totals": totals(lines),
        "measures": MEASURES,
        "may_reverse": allows(user.role, Permission.release_payment),
        "clawback_option": option,
        "today": dt.datetime.now(dt.UTC).date(),
        "done": done_message(request),
        "clawed": request.query_params.get("clawed"),
    }
    return render(request, "fulfilment/ledger.html", context)


@router.get("/ledger/export.xlsx")
def ledger_xlsx(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, user: Principal = require(Permission.view_ledger)
) -> Response:
    """Every row the page's filter selects (all pages, oldest first) with the net, as finance reconciles."""
    entries = queries.ledger_all(db, user.scope, ledger_filter(db, policy, user, request))
    body = ledger_workbook(db, policy, entries, lang, ("拨付台账", "ledger"))
    return download(body, XLSX, say(lang, "拨付台账.xlsx", "ledger.xlsx"))


@router.get("/ledger/obligations.xlsx")
def obligations_xlsx(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, user: Principal = require(Permission.view_ledger)
) -> Response:
    year = obligations_year(db, policy, year_of(request.query_params.get("year")))
    if year is None:
        raise NotFound("登记册还没有任何年度的数据。", "The registry holds no year's data yet.")
    lines = obligations(db, policy, year, county_code=user.scope.county_code)
    with tempfile.TemporaryDirectory() as folder:
        path = FilePath(folder) / "obligations.xlsx"
        write_obligations(lines, path, lang)
        body = path.read_bytes()
    name = f"{year}年奖补兑现情况.xlsx" if lang is Lang.zh else f"obligations-{year}.xlsx"
    return download(body, XLSX, name)


@router.get("/ledger/statements/{kind}/{code}")
def entity_statement(
    request: Request,
    db: Db,
    policy: PolicyDep,
    kind: Annotated[str, Path(max_length=20)],
    code: Annotated[str, Path(max_length=40)],
    user: Principal = require(Permission.view_ledger),
) -> Response:
    """One entity's payments, reversals and claw-backs, oldest first, with the running balance."""
    payee_kind, payee_id, name = reachable_payee(db, user, kind, code)
    entries = statement(db, payee_kind, payee_id)
    balance, running = 0, []
    for entry in entries:
        balance += entry.amount_fen
        running.append(balance)
    context = {
        "css": CSS,
        "kind": payee_kind,
        "code": code,
        "name": name,
        "rows": list(zip(entries, running, strict=True)),
        "balance": balance,
        "numbers": queries.application_numbers(db, [e.application_id for e in entries]),
        "people": queries.usernames(db, [u for e in entries for u in (e.proposed_by, e.recorded_by)], display=True),
        "kinds": labels.LEDGER_KINDS,
        "entity_kinds": labels.ENTITY_KINDS,
        "payers": labels.PAYERS,
        "articles": labels.article_labels(policy),
    }
    return render(request, "fulfilment/statement.html", context)


@router.get("/ledger/statements/{kind}/{code}/export.xlsx")
def entity_statement_xlsx(
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    kind: Annotated[str, Path(max_length=20)],
    code: Annotated[str, Path(max_length=40)],
    user: Principal = require(Permission.view_ledger),
) -> Response:
    """The statement (对账单) as xlsx, with the running balance."""
    payee_kind, payee_id, name = reachable_payee(db, user, kind, code)
    entries = statement(db, payee_kind, payee_id)
    body = ledger_workbook(db, policy, entries, lang, ("对账单", "statement"), running=True)
    return download(body, XLSX, say(lang, f"{name}对账单.xlsx", f"statement-{code}.xlsx"))


@router.post("/ledger/{entry_id}/reverse")
def propose_reversal(
    db: Db,
    entry_id: Id,
    reason: Annotated[str, Form(max_length=2000)] = "",
    user: Principal = require(Permission.release_payment),
) -> Response:
    """Proposes a reversal; the ledger records it when another finance officer confirms."""
    corrections.propose(db, user, entry_id, reason)
    return RedirectResponse("/ledger?done=proposed#corrections", status_code=303)


@router.post("/ledger/corrections/{correction_id}/confirm")
def confirm_correction(
    db: Db, policy: PolicyDep, correction_id: Id, user: Principal = require(Permission.release_payment)
) -> Response:
    """A second finance officer confirms: a new row of the opposite amount naming the payment; nothing is edited."""
    entry = corrections.confirm(db, user, policy, correction_id)
    return RedirectResponse(f"/ledger?done=confirmed_{entry.kind}#corrections", status_code=303)


@router.post("/ledger/corrections/{correction_id}/refuse")
def refuse_correction(
    db: Db,
    correction_id: Id,
    note: Annotated[str, Form(max_length=2000)] = "",
    user: Principal = require(Permission.release_payment),
) -> Response:
    corrections.refuse(db, user, correction_id, note)
    return RedirectResponse("/ledger?done=correction_refused#corrections", status_code=303)


@router.post("/ledger/corrections/{correction_id}/withdraw")
def withdraw_correction(db: Db, correction_id: Id, user: Principal = require(Permission.release_payment)) -> Response:
    corrections.withdraw(db, user, correction_id)
    return RedirectResponse("/ledger?done=correction_withdrawn#corrections", status_code=303)


@router.post("/ledger/clawbacks")
def run_clawbacks(
    db: Db,
    policy: PolicyDep,
    as_of: Annotated[dt.date, Form()],
    option: Annotated[str, Form(max_length=10)] = "",
    user: Principal = require(Permission.release_payment),
) -> Response:
    """Proposes the claw-back of paid one-time awards whose certification was revoked by ``as_of``, under the
    option chosen; each waits for a second finance officer."""
    result = clawback.clawback_revoked(db, user, policy, as_of, clawback_choice(option, policy))
    return RedirectResponse(
        f"/ledger?done=clawback&clawed={len(result.proposals)}&option={result.option}#corrections", status_code=303
    )
