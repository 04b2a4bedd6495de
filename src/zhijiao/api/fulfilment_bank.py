"""The last mile in the API (decision 0017): a batch's payment instructions and its reconciliation, the files for
the bank and the budget system, the bank's result file imported whole or refused by row, and finance's answers to
a failed payment (instruct again, withdraw). Account numbers are whole for finance, masked for others."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.api.fulfilment_out import yuan_text
from zhijiao.api.fulfilment_schemas import (
    Id,
    InstructionOut,
    PayerReconciliationOut,
    ReasonIn,
    ReconciliationOut,
    SettledOut,
    StandingOut,
)
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.engine.errors import InputError
from zhijiao.fulfilment import bank_exchange, instructions, queries, reconciliation
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.batch_queries import visible_batch
from zhijiao.fulfilment.models import Application
from zhijiao.fulfilment.payees import shown_number
from zhijiao.http.deps import Db, PolicyDep, require
from zhijiao.http.errors import AppError
from zhijiao.http.params import download
from zhijiao.refusals import Invalid, OutOfScope
from zhijiao.registry.uploads import MAX_UPLOAD_BYTES

router = APIRouter(route_class=JsonRoute)
ACTS = SIGNED_IN | problem_responses(409)
MAX_ROUNDS = 1000


class ReturnsRefused(AppError):
    """The bank's result file has rows zhijiao cannot apply: each is named, and nothing of the file is applied."""

    status = 422
    code = "returns_refused"


def instructions_out(session: Session, user: Principal, found: Sequence[PaymentInstruction]) -> list[InstructionOut]:
    """The instructions as ``user`` may read them, in three queries whatever their number."""
    ids = {i.application_id for i in found}
    applications = {a.id: a for a in session.scalars(select(Application).where(Application.id.in_(ids)))} if ids else {}
    names = queries.entity_names(
        session, [(a.school_id, a.enterprise_id, a.platform_id) for a in applications.values()]
    )
    replaced = {i.replaces_id for i in found if i.replaces_id is not None}
    references = dict(
        session.execute(select(PaymentInstruction.id, PaymentInstruction.reference).where(
            PaymentInstruction.id.in_(replaced))).all()
    ) if replaced else {}  # fmt: skip
    out = []
    for i in found:
        application = applications[i.application_id]
        name = names.get((application.school_id, application.enterprise_id, application.platform_id))
        out.append(
            InstructionOut(
                id=i.id, reference=i.reference, application_id=i.application_id,
                application_number=application.number, batch_id=i.batch_id, round=i.sequence,
                replaces=references.get(i.replaces_id) if i.replaces_id else None, kind=i.kind,
                amount_fen=i.amount_fen, amount_yuan=yuan_text(i.amount_fen), payer=i.payer,
                payer_county_code=i.payer_county_code, article=i.article, purpose=i.purpose,
                payee_name=name.name if name else "", account_name=i.account_name, bank_name=i.bank_name,
                account_number=shown_number(user, i.account_number) if i.account_number else None,
                budget_unit_code=i.budget_unit_code, budget_unit_name=i.budget_unit_name, status=i.status,
                created_at=i.created_at, settled_at=i.settled_at, bank_date=i.bank_date, bank_reason=i.bank_reason,
            )
        )  # fmt: skip
    return out


def _standing(figure: reconciliation.Figure) -> StandingOut:
    return StandingOut(count=figure.count, total_fen=figure.total_fen, total_yuan=yuan_text(figure.total_fen))


@router.get(
    "/batches/{batch_id}/instructions",
    response_model=list[InstructionOut],
    responses=SIGNED_IN,
    summary="A released batch's payment instructions, every round, by reference",
)
def batch_instructions(db: Db, batch_id: Id, user: Principal = require(Permission.view_ledger)) -> list[InstructionOut]:
    visible_batch(db, user.scope, batch_id)
    query = select(PaymentInstruction).where(PaymentInstruction.batch_id == batch_id)
    return instructions_out(db, user, list(db.scalars(query.order_by(PaymentInstruction.reference))))


@router.get(
    "/batches/{batch_id}/instructions/file",
    responses=ACTS,
    response_class=Response,
    summary="Finance: one round's file for the bank (transfer) or the budget system (allocation); the same bytes "
    "each time",
)
def instruction_file(
    db: Db,
    batch_id: Id,
    kind: Annotated[str, Query(pattern=r"^(transfer|allocation)$")] = "transfer",
    round_: Annotated[int, Query(alias="round", ge=1, le=MAX_ROUNDS)] = 1,
    user: Principal = require(Permission.release_payment),
) -> Response:
    visible_batch(db, user.scope, batch_id)
    made = bank_exchange.batch_file(db, user, batch_id, kind, round_)
    return download(made.data, made.media_type, made.filename)


@router.get(
    "/batches/{batch_id}/reconciliation",
    response_model=ReconciliationOut,
    responses=SIGNED_IN,
    summary="A batch's payments instructed, confirmed, failed, withdrawn and with the bank: counts and exact totals",
)
def batch_reconciliation(db: Db, batch_id: Id, user: Principal = require(Permission.view_ledger)) -> ReconciliationOut:
    batch = visible_batch(db, user.scope, batch_id)
    found = reconciliation.of_batch(db, batch.id)
    standing = {s: _standing(f) for s, f in found.by_standing.items()}
    return ReconciliationOut(
        batch_id=batch.id, batch_number=batch.number, status=batch.status, instructed=_standing(found.instructed),
        settled=found.settled, **standing,
    )  # fmt: skip


@router.get(
    "/reconciliation",
    response_model=list[PayerReconciliationOut],
    responses=SIGNED_IN,
    summary="Every released batch within reach, by payer: instructed, confirmed, failed, withdrawn, with the bank",
)
def reconciliation_by_payer(db: Db, user: Principal = require(Permission.view_ledger)) -> list[PayerReconciliationOut]:
    out = []
    for (payer, county), found in reconciliation.by_payer(db, queries.batch_ids(db, user.scope)).items():
        standing = {s: _standing(f) for s, f in found.by_standing.items()}
        behind = {s: [i.reference for i in f.instructions] for s, f in found.by_standing.items()}
        out.append(PayerReconciliationOut(payer=payer, payer_county_code=county, instructed=_standing(found.instructed),
                                          references=behind, **standing))  # fmt: skip
    return out


@router.post(
    "/payments/returns",
    response_model=SettledOut,
    responses=ACTS | problem_responses(413),
    summary="Finance: the bank's result file, applied whole — or refused (returns_refused) naming every row",
)
def import_returns(
    db: Db,
    policy: PolicyDep,
    file: Annotated[UploadFile, File(description="银行回单 .xlsx, .xls or .csv (UTF-8 or GBK)")],
    payer: Annotated[str, Form(pattern=r"^(city|county)$", description="city | county")],
    county: Annotated[str | None, Form(max_length=6, description="县（市、区）代码 / a county payer's code")] = None,
    user: Principal = require(Permission.release_payment),
) -> SettledOut:
    if (payer == "county") != (county is not None) or (county is not None and county not in queries.counties(db)):
        raise Invalid(
            "付款方应为市财政，或县财政及其县（市、区）代码。", "The payer is the city, or a county with its code.",
            code="unknown_payer",
        )  # fmt: skip
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    try:
        with db.begin_nested():
            settled = bank_exchange.import_returns(db, user, policy, data, file.filename or "", payer, county)
    except InputError as refused:
        raise ReturnsRefused(
            "回单未导入，未处理任何一笔。", "The result file was not imported; nothing was applied.", refused.problems
        ) from None
    return SettledOut(
        confirmed=instructions_out(db, user, settled.confirmed),
        failed=instructions_out(db, user, settled.failed),
        closed_batches=settled.closed_batches,
    )


@router.post(
    "/awards/{application_id}/reinstruct",
    response_model=InstructionOut,
    status_code=201,
    responses=ACTS,
    summary="Finance: a failed payment instructed again into the payee's account as confirmed now",
)
def reinstruct(
    db: Db, policy: PolicyDep, application_id: Id, user: Principal = require(Permission.release_payment)
) -> InstructionOut:
    again = instructions.reinstruct(db, user, policy, application_id)
    return instructions_out(db, user, [again])[0]


@router.post(
    "/awards/{application_id}/withdraw-payment",
    response_model=InstructionOut,
    responses=ACTS,
    summary="Finance: a failed payment withdrawn with its reason; the award goes back to be paid in another batch",
)
def withdraw_payment(
    body: ReasonIn, db: Db, policy: PolicyDep, application_id: Id, user: Principal = require(Permission.release_payment)
) -> InstructionOut:
    instructions.withdraw(db, user, policy, application_id, body.reason)
    withdrawn = instructions.latest_instruction(db, application_id)
    if withdrawn is None:  # withdraw refuses an award without a failed instruction: this is for the type checker
        raise OutOfScope("支付指令", "payment instruction")
    return instructions_out(db, user, [withdrawn])[0]
