"""Payment batches, the ledger, obligations and statements. The city prepares a batch declaring its count
and total; finance releases it (an instruction to the bank for all rows, or none; fulfilment_bank: the bank's
side); corrections (fulfilment_corrections) are reversals confirmed by a second person. Obligations by payer,
article and county, as JSON or the xlsx finance reconciles against."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from zhijiao.api import fulfilment_bank
from zhijiao.api.fulfilment_bank import instructions_out
from zhijiao.api.fulfilment_out import batch_out, ledger_out, yuan_text
from zhijiao.api.fulfilment_schemas import (
    BatchIn,
    BatchOut,
    Id,
    LedgerList,
    ObligationLineOut,
    ObligationsOut,
    ReleaseIn,
    ReleaseOut,
    StatementOut,
)
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import batch_queries, payments, queries
from zhijiao.fulfilment.ledger_workbook import ledger_workbook
from zhijiao.fulfilment.models import PaymentBatch
from zhijiao.fulfilment.obligations import Line, obligations, statement, totals
from zhijiao.fulfilment.obligations_xlsx import write_obligations
from zhijiao.fulfilment.statements import obligations_year, reachable_payee
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.http.params import XLSX, download

router = APIRouter(tags=["fulfilment"], route_class=JsonRoute)
router.include_router(fulfilment_bank.router)  # instructions, reconciliation, the bank's files and returns
ACTS = SIGNED_IN | problem_responses(409)
Year = Annotated[int | None, Query(ge=2000, le=2100)]


def ledger_query(
    year: Year = None,
    article: Annotated[str | None, Query(pattern=r"^art\d{2}$")] = None,
    county: Annotated[str | None, Query(max_length=6)] = None,
    payer: Annotated[str | None, Query(pattern=r"^(city|county)$")] = None,
    kind: Annotated[str | None, Query(pattern=r"^(payment|reversal|clawback)$")] = None,
    batch: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> queries.LedgerFilter:
    """The ledger's filters, as the list and its xlsx take them."""
    return queries.LedgerFilter(year, article, county, payer, kind, batch)


LedgerQuery = Annotated[queries.LedgerFilter, Depends(ledger_query)]


def _batch(db: Db, user: Principal, batch_id: int) -> PaymentBatch:
    return batch_queries.visible_batch(db, user.scope, batch_id)


@router.get(
    "/batches",
    response_model=list[BatchOut],
    responses=SIGNED_IN,
    summary="Payment batches within the caller's reach, newest first",
)
def list_batches(db: Db, user: Principal = require(Permission.view_ledger)) -> list[BatchOut]:
    return [batch_out(db, b) for b in queries.batches(db, user.scope)]


@router.get("/batches/{batch_id}", response_model=BatchOut, responses=SIGNED_IN, summary="One payment batch")
def get_batch(db: Db, batch_id: Id, user: Principal = require(Permission.view_ledger)) -> BatchOut:
    return batch_out(db, _batch(db, user, batch_id))


@router.post(
    "/batches",
    response_model=BatchOut,
    status_code=201,
    responses=ACTS,
    summary="City: a batch of approved awards of one payer, refused whole unless it adds up to the declaration",
)
def prepare_batch(
    body: BatchIn, db: Db, policy: PolicyDep, user: Principal = require(Permission.schedule_payment)
) -> BatchOut:
    batch = payments.prepare_batch(
        db,
        user,
        policy,
        body.application_ids,
        declared_count=body.declared_count,
        declared_total_fen=body.declared_total_fen,
    )
    return batch_out(db, batch)


@router.post(
    "/batches/{batch_id}/release",
    response_model=ReleaseOut,
    responses=ACTS,
    summary="Finance: a payment instruction for every row, or none; approvals on changed data go back for re-review"
    " (the ledger's payments follow the bank's confirmations: POST /payments/returns)",
)
def release_batch(
    db: Db,
    policy: PolicyDep,
    batch_id: Id,
    body: ReleaseIn | None = None,
    user: Principal = require(Permission.release_payment),
) -> ReleaseOut:
    shown = body.shown_total_fen if body else None
    result = payments.release_batch(db, user, policy, batch_id, shown_total_fen=shown)
    return ReleaseOut(
        batch=batch_out(db, result.batch),
        released=result.released,
        instructions=instructions_out(db, user, result.instructions),
        stale=result.stale,
    )


@router.get(
    "/ledger",
    response_model=LedgerList,
    responses=SIGNED_IN,
    summary="Ledger rows (payments, reversals, claw-backs) within the caller's reach, newest first",
)
def ledger(
    db: Db,
    filtered: LedgerQuery,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    user: Principal = require(Permission.view_ledger),
) -> LedgerList:
    chosen = dataclasses.replace(filtered, page=page)
    found = queries.ledger(db, user.scope, chosen, per_page)
    net = queries.ledger_sum(db, user.scope, chosen)
    return LedgerList(
        total=found.total,
        page=found.page,
        pages=found.pages,
        net_fen=net,
        net_yuan=yuan_text(net),
        items=ledger_out(db, found.rows),
    )


def _line(line: Line) -> ObligationLineOut:
    amounts = line.amounts
    return ObligationLineOut(
        payer=line.payer,
        article=line.article,
        county=line.county,
        year=line.year,
        due_fen=amounts["due"],
        due_yuan=yuan_text(amounts["due"]),
        approved_fen=amounts["approved"],
        approved_yuan=yuan_text(amounts["approved"]),
        instructed_fen=amounts["instructed"],
        instructed_yuan=yuan_text(amounts["instructed"]),
        paid_fen=amounts["paid"],
        paid_yuan=yuan_text(amounts["paid"]),
        reversed_fen=amounts["reversed"],
        reversed_yuan=yuan_text(amounts["reversed"]),
        outstanding_fen=line.outstanding,
        outstanding_yuan=yuan_text(line.outstanding),
    )


def _lines(db: Db, policy: Policy, user: Principal, year: int | None) -> tuple[int, list[Line]]:
    chosen = obligations_year(db, policy, year)
    if chosen is None:
        raise NotFound("登记册还没有任何年度的数据。", "The registry holds no year's data yet.")
    return chosen, obligations(db, policy, chosen, county_code=user.scope.county_code)


@router.get(
    "/obligations",
    response_model=ObligationsOut,
    responses=SIGNED_IN,
    summary="Due, approved, paid and reversed by payer, article and county for a year (a county officer: its county)",
)
def get_obligations(
    db: Db, policy: PolicyDep, year: Year = None, user: Principal = require(Permission.view_ledger)
) -> ObligationsOut:
    chosen, lines = _lines(db, policy, user, year)
    total = Line("", "", "", chosen)
    total.amounts.update(totals(lines))
    return ObligationsOut(
        year=chosen, county_code=user.scope.county_code, lines=[_line(x) for x in lines], totals=_line(total)
    )


@router.get(
    "/obligations.xlsx",
    responses=SIGNED_IN,
    response_class=Response,
    summary="The obligations of a year as the xlsx finance reconciles against (exact yuan)",
)
def obligations_xlsx(
    db: Db, policy: PolicyDep, lang: LangDep, year: Year = None, user: Principal = require(Permission.view_ledger)
) -> Response:
    chosen, lines = _lines(db, policy, user, year)
    with tempfile.TemporaryDirectory() as folder:
        path = FilePath(folder) / "obligations.xlsx"
        write_obligations(lines, path, lang)
        body = path.read_bytes()
    return download(body, XLSX, f"obligations-{chosen}.xlsx")


@router.get(
    "/ledger.xlsx",
    responses=SIGNED_IN,
    response_class=Response,
    summary="Every ledger row the filter selects (oldest first) with the net, as xlsx in exact yuan",
)
def ledger_xlsx(
    db: Db, policy: PolicyDep, lang: LangDep, filtered: LedgerQuery, user: Principal = require(Permission.view_ledger)
) -> Response:
    body = ledger_workbook(db, policy, queries.ledger_all(db, user.scope, filtered), lang, ("拨付台账", "ledger"))
    return download(body, XLSX, "ledger.xlsx")


@router.get(
    "/statements/{kind}/{code}/export.xlsx",
    responses=SIGNED_IN,
    response_class=Response,
    summary="One school's, enterprise's or platform's statement as xlsx, with the running balance",
)
def statement_xlsx(
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    kind: Annotated[str, Path(pattern=r"^(school|enterprise|platform)$")],
    code: Annotated[str, Path(min_length=1, max_length=40)],
    user: Principal = require(Permission.view_ledger),
) -> Response:
    payee_kind, payee_id, _name = reachable_payee(db, user, kind, code)
    entries = statement(db, payee_kind, payee_id)
    body = ledger_workbook(db, policy, entries, lang, ("对账单", "statement"), running=True)
    return download(body, XLSX, f"statement-{code}.xlsx")


@router.get(
    "/statements/{kind}/{code}",
    response_model=StatementOut,
    responses=SIGNED_IN,
    summary="One school's, enterprise's or platform's ledger rows, oldest first, with the balance",
)
def get_statement(
    db: Db,
    kind: Annotated[str, Path(pattern=r"^(school|enterprise|platform)$")],
    code: Annotated[str, Path(min_length=1, max_length=40)],
    user: Principal = require(Permission.view_ledger),
) -> StatementOut:
    payee_kind, payee_id, name = reachable_payee(db, user, kind, code)
    entries = statement(db, payee_kind, payee_id)
    balance = sum(e.amount_fen for e in entries)
    return StatementOut(
        entity_kind=payee_kind,
        entity_code=code,
        entity_name=name,
        entries=ledger_out(db, entries),
        balance_fen=balance,
        balance_yuan=yuan_text(balance),
    )
