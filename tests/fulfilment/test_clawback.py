"""Claw-back on revocation: only where the option says so, once per payment, named and reasoned, and
recorded only when a second finance officer confirms it."""

from __future__ import annotations

import datetime as dt

from flows import approved_proactive, batch_of
from sqlalchemy import select, update

import bank
from zhijiao.fulfilment import corrections
from zhijiao.fulfilment.clawback import clawback_revoked
from zhijiao.fulfilment.models import Application, LedgerEntry
from zhijiao.fulfilment.obligations import obligations
from zhijiao.registry.models import EnterpriseCertification

AS_OF = dt.date(2025, 6, 30)


def _paid_award(db, persona, policy) -> LedgerEntry:
    ids = approved_proactive(db, persona, policy)
    (entry,) = bank.paid(db, persona("finance"), policy, batch_of(db, persona, policy, ids[:1]))
    db.commit()
    return entry


def _revoke(db, entry: LedgerEntry) -> None:
    db.execute(
        update(EnterpriseCertification)
        .where(
            EnterpriseCertification.enterprise_id == entry.enterprise_id, EnterpriseCertification.level == entry.level
        )
        .values(revoked_on=dt.date(2025, 5, 1), revocation_reason="弄虚作假")
    )
    db.commit()


def test_a_revoked_certification_is_clawed_back_only_when_the_option_is_on(db, persona, policy):
    payment = _paid_award(db, persona, policy)
    (before,) = [x for x in obligations(db, policy, payment.year) if x.amounts["paid"]]
    outstanding_before = before.outstanding
    _revoke(db, payment)
    finance = persona("finance")
    off = clawback_revoked(db, finance, policy, AS_OF)  # the package's default
    assert (off.option, off.proposals) == ("off", [])
    on = clawback_revoked(db, finance, policy, AS_OF, {"clawback_on_revocation": "on"})
    db.commit()
    (proposal,) = on.proposals
    assert (proposal.kind, proposal.payment_id, proposal.status) == ("clawback", payment.id, "proposed")
    assert db.scalar(select(LedgerEntry.id).where(LedgerEntry.kind == "clawback")) is None  # not yet: one person
    waiting = clawback_revoked(db, finance, policy, AS_OF, {"clawback_on_revocation": "on"})
    assert waiting.proposals == []  # one proposal per payment
    clawback = corrections.confirm(db, persona("finance2"), policy, proposal.id)
    db.commit()
    assert (clawback.kind, clawback.amount_fen, clawback.reverses_id) == ("clawback", -payment.amount_fen, payment.id)
    assert (clawback.proposed_by, clawback.recorded_by) == (finance.user_id, persona("finance2").user_id)
    assert "弄虚作假" in (clawback.reason or "")
    again = clawback_revoked(db, finance, policy, AS_OF, {"clawback_on_revocation": "on"})
    assert again.proposals == []  # once per payment
    assert db.get(Application, payment.application_id).status == "paid"
    (line,) = [x for x in obligations(db, policy, payment.year) if x.amounts["reversed"]]
    assert (line.amounts["reversed"], line.clawed_back) == (-payment.amount_fen,) * 2
    assert line.outstanding == outstanding_before  # recovered, not owed again


def test_nothing_is_clawed_back_for_a_certification_still_in_force(db, persona, policy):
    _paid_award(db, persona, policy)
    result = clawback_revoked(db, persona("finance"), policy, AS_OF, {"clawback_on_revocation": "on"})
    assert result.proposals == []
    assert db.scalar(select(LedgerEntry.id).where(LedgerEntry.kind == "clawback")) is None


def test_a_claw_back_the_second_person_refused_is_not_proposed_again(db, persona, policy):
    payment = _paid_award(db, persona, policy)
    _revoke(db, payment)
    on = {"clawback_on_revocation": "on"}
    (proposal,) = clawback_revoked(db, persona("finance"), policy, AS_OF, on).proposals
    corrections.refuse(db, persona("finance2"), proposal.id, "撤销决定已被复议撤销，不予追回")
    db.commit()
    assert clawback_revoked(db, persona("finance"), policy, AS_OF, on).proposals == []  # decided: the money stays
    assert db.scalar(select(LedgerEntry.id).where(LedgerEntry.kind == "clawback")) is None
