"""Reconciliation (对账, decision 0017): per batch and per payer, what was instructed, what the bank confirmed,
what failed and waits for finance, what was withdrawn and what is still with the bank — each a count and an exact
total in fen, with the payments behind it. A payment is counted by its latest instruction: one instructed again
after a failure counts once, by how its new instruction stands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.models import PaymentBatch

# how a payment stands, by its latest instruction's status
STANDINGS = ("confirmed", "failed", "withdrawn", "outstanding")


@dataclass
class Figure:
    count: int = 0
    total_fen: int = 0
    instructions: list[PaymentInstruction] = field(default_factory=list)

    def add(self, instruction: PaymentInstruction) -> None:
        self.count += 1
        self.total_fen += instruction.amount_fen
        self.instructions.append(instruction)


@dataclass
class Reconciled:
    """One batch's, or one payer's, payments by how they stand."""

    instructed: Figure = field(default_factory=Figure)
    by_standing: dict[str, Figure] = field(default_factory=lambda: {s: Figure() for s in STANDINGS})

    def add(self, instruction: PaymentInstruction) -> None:
        self.instructed.add(instruction)
        self.by_standing[instruction.status].add(instruction)

    @property
    def settled(self) -> bool:
        """Every payment confirmed or withdrawn: nothing with the bank, nothing waiting for finance."""
        return not self.by_standing["outstanding"].count and not self.by_standing["failed"].count


def latest(session: Session, batch_ids: Sequence[int]) -> list[PaymentInstruction]:
    """Each payment's latest instruction in the batches, by reference."""
    newest = (
        select(func.max(PaymentInstruction.id))
        .where(PaymentInstruction.batch_id.in_(batch_ids))
        .group_by(PaymentInstruction.application_id, PaymentInstruction.batch_id)
    )
    query = select(PaymentInstruction).where(PaymentInstruction.id.in_(newest))
    return list(session.scalars(query.order_by(PaymentInstruction.reference)))


def of_batch(session: Session, batch_id: int) -> Reconciled:
    found = Reconciled()
    for instruction in latest(session, [batch_id]):
        found.add(instruction)
    return found


def by_payer(session: Session, batch_ids: Sequence[int]) -> dict[tuple[str, str | None], Reconciled]:
    """The released batches among ``batch_ids`` (those a user may see), their payments by payer: the city, or a
    county by its code."""
    query = select(PaymentBatch.id).where(PaymentBatch.released_at.is_not(None), PaymentBatch.id.in_(batch_ids))
    ids = list(session.scalars(query)) if batch_ids else []
    out: dict[tuple[str, str | None], Reconciled] = defaultdict(Reconciled)
    for instruction in latest(session, ids) if ids else []:
        out[instruction.payer, instruction.payer_county_code].add(instruction)
    return dict(sorted(out.items(), key=lambda item: (item[0][0], item[0][1] or "")))
