"""Corrections as the ledger page and the API list them: each proposal with the payment it would correct,
who proposed it and who decided it, within the user's reach of the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from zhijiao.accounts.models import User
from zhijiao.authz import Scope
from zhijiao.fulfilment.models import LedgerCorrection, LedgerEntry
from zhijiao.fulfilment.scope import ledger_scope
from zhijiao.fulfilment.states import CorrectionStatus


@dataclass(frozen=True)
class CorrectionRow:
    correction: LedgerCorrection
    payment: LedgerEntry
    proposer: str  # user names, as the API gives them
    decider: str | None
    proposer_name: str  # the display name, as the page shows it


def correction_rows(
    session: Session,
    scope: Scope,
    status: CorrectionStatus | None = CorrectionStatus.proposed,
    limit: int = 200,
    ids: Sequence[int] | None = None,
) -> list[CorrectionRow]:
    """Newest first; ``status`` None for every status; ``ids`` for just those."""
    proposer, decider = aliased(User), aliased(User)
    query = (
        select(LedgerCorrection, LedgerEntry, proposer.username, decider.username, proposer.display_name)
        .join(LedgerEntry, LedgerEntry.id == LedgerCorrection.payment_id)
        .join(proposer, proposer.id == LedgerCorrection.proposed_by)
        .outerjoin(decider, decider.id == LedgerCorrection.decided_by)
        .where(ledger_scope(scope))
        .order_by(LedgerCorrection.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(LedgerCorrection.status == status.value)
    if ids is not None:
        query = query.where(LedgerCorrection.id.in_(ids))
    return [CorrectionRow(c, p, who, by, name) for c, p, who, by, name in session.execute(query)]


def waiting_by_payment(session: Session, payment_ids: Sequence[int]) -> dict[int, int]:
    """Payment id → the id of the correction waiting for a second person on it."""
    if not payment_ids:
        return {}
    query = select(LedgerCorrection.payment_id, LedgerCorrection.id).where(
        LedgerCorrection.payment_id.in_(payment_ids), LedgerCorrection.status == CorrectionStatus.proposed.value
    )
    return {int(p): int(c) for p, c in session.execute(query)}
