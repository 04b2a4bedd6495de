"""Records of fulfilment as the API answers them: names resolved, money as fen and as exact yuan text,
labels in the request's language."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from zhijiao.api.fulfilment_schemas import (
    ApplicationDetail,
    ApplicationOut,
    AttachmentOut,
    BatchOut,
    DecisionOut,
    HistoryOut,
    LedgerEntryOut,
)
from zhijiao.authz import Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import applications, attachments, batch_queries, labels, next_steps, queries
from zhijiao.fulfilment.models import Application, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.queries import AwardRow, EntityName
from zhijiao.fulfilment.states import BatchStatus, Status
from zhijiao.language import Lang
from zhijiao.money import fen_to_yuan

NO_ENTITY = EntityName("", "", "")


def yuan(fen: int | None) -> str | None:
    return fen_to_yuan(fen)


def yuan_text(fen: int) -> str:
    return fen_to_yuan(fen) or "0.00"


def application_out(policy: Policy, row: AwardRow, lang: Lang) -> ApplicationOut:
    return ApplicationOut(
        id=row.id,
        number=row.number,
        entitlement=row.entitlement,
        entitlement_label=labels.entitlement_label(policy, row.entitlement)[lang.value],
        article=row.article,
        entity_kind=row.entity.kind,
        entity_code=row.entity.code,
        entity_name=row.entity.name,
        county_code=row.county_code,
        county=row.county,
        year=row.year,
        level=row.level,
        origin=row.origin,
        status=row.status,
        status_label=Status(row.status).label(lang),
        claimed_fen=row.claimed_fen,
        claimed_yuan=yuan(row.claimed_fen),
        decided_fen=row.decided_fen,
        decided_yuan=yuan(row.decided_fen),
        needs_re_review=row.needs_re_review,
        batch_id=row.batch_id,
        created_at=row.created_at,
    )


def award_row(session: Session, application: Application) -> AwardRow:
    decision = applications.latest_decision(session, application.id)
    names = queries.entity_names(session, [(application.school_id, application.enterprise_id, application.platform_id)])
    return AwardRow(
        id=application.id,
        number=application.number,
        entitlement=application.entitlement,
        article=application.article,
        entity=names.get((application.school_id, application.enterprise_id, application.platform_id), NO_ENTITY),
        county_code=application.county_code,
        county=queries.counties(session).get(application.county_code, application.county_code),
        year=application.year,
        level=application.level,
        origin=application.origin,
        status=application.status,
        claimed_fen=application.claimed_fen,
        decided_fen=decision.amount_fen if decision else None,
        needs_re_review=application.needs_re_review,
        batch_id=application.batch_id,
        created_at=application.created_at,
    )


def ledger_out(session: Session, entries: Sequence[LedgerEntry]) -> list[LedgerEntryOut]:
    names = queries.entity_names(session, [(e.school_id, e.enterprise_id, e.platform_id) for e in entries])
    numbers = queries.application_numbers(session, [e.application_id for e in entries])
    corrected = queries.corrected(session, [e.id for e in entries])
    users = queries.usernames(session, [u for e in entries for u in (e.proposed_by, e.recorded_by)])
    out = []
    for e in entries:
        entity = names.get((e.school_id, e.enterprise_id, e.platform_id), NO_ENTITY)
        out.append(
            LedgerEntryOut(
                id=e.id,
                kind=e.kind,
                award_key=e.award_key,
                amount_fen=e.amount_fen,
                amount_yuan=yuan_text(e.amount_fen),
                payer=e.payer,
                payer_county_code=e.payer_county_code,
                article=e.article,
                entitlement=e.entitlement,
                entity_kind=entity.kind,
                entity_code=entity.code,
                entity_name=entity.name,
                county_code=e.county_code,
                year=e.year,
                level=e.level,
                application_id=e.application_id,
                application_number=numbers.get(e.application_id) if e.application_id else None,
                decision_id=e.decision_id,
                batch_id=e.batch_id,
                payment_number=e.payment_number,
                reverses_id=e.reverses_id,
                corrected_by=corrected.get(e.id),
                reason=e.reason,
                proposed_by=users.get(e.proposed_by) if e.proposed_by else None,
                recorded_by=users.get(e.recorded_by) if e.recorded_by else None,
                recorded_at=e.recorded_at,
            )
        )
    return out


def application_detail(
    session: Session, policy: Policy, user: Principal, application: Application, lang: Lang
) -> ApplicationDetail:
    base = application_out(policy, award_row(session, application), lang)
    decision = applications.latest_decision(session, application.id)
    files = attachments.of(session, user, application.id)
    entries = batch_queries.application_payments(session, application.id)
    decision_out = None
    if decision is not None:
        frozen = decision.explanation[0] if decision.explanation else {}
        decision_out = DecisionOut(
            id=decision.id,
            amount_fen=decision.amount_fen,
            amount_yuan=yuan_text(decision.amount_fen),
            rule_set=decision.rule_set,
            options={k: str(v) for k, v in decision.options.items()},
            inputs=decision.inputs,
            inputs_digest=decision.inputs_digest,
            explanation=frozen.get(lang.value) or frozen.get("zh") or [],
            approved_at=decision.approved_at,
        )
    return ApplicationDetail(
        **base.model_dump(),
        figures={str(k): str(v) for k, v in (application.figures or {}).items()},
        note=application.note,
        review_note=application.review_note,
        submitted_at=application.submitted_at,
        reviewed_at=application.reviewed_at,
        attachments=[
            AttachmentOut(
                id=f.id,
                filename=f.filename,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                uploaded_at=f.uploaded_at,
                url=f"/api/v1/applications/{application.id}/attachments/{f.id}",
            )
            for f in files
        ],
        decision=decision_out,
        history=[
            HistoryOut(
                at=h.at,
                actor=h.actor,
                action=h.action,
                action_label=labels.action_label(h.action)[lang.value],
                status_before=h.before,
                status_after=h.after,
                reason=h.reason,
                details=h.details,
            )
            for h in next_steps.history(session, application)
        ],
        payments=ledger_out(session, entries),
        actions=next_steps.available_actions(user, application),
    )


def batch_out(session: Session, batch: PaymentBatch) -> BatchOut:
    count, total = queries.batch_totals(session, [batch.id]).get(batch.id, (0, 0))
    if batch.status == BatchStatus.released:
        count, total = queries.paid_totals(session, batch.id)
    return BatchOut(
        id=batch.id,
        number=batch.number,
        payer=batch.payer,
        payer_county_code=batch.payer_county_code,
        declared_count=batch.declared_count,
        declared_total_fen=batch.declared_total_fen,
        declared_total_yuan=yuan_text(batch.declared_total_fen),
        status=batch.status,
        rows_count=count,
        rows_total_fen=total,
        rows_total_yuan=yuan_text(total),
        prepared_by=batch.prepared_by,
        prepared_at=batch.prepared_at,
        released_by=batch.released_by,
        released_at=batch.released_at,
    )
