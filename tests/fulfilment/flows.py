"""Fulfilment steps the tests share: the demo school's code, the engine's amount, an approved application."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import applications, corrections, payments, proactive
from zhijiao.fulfilment.compute import registry_result
from zhijiao.fulfilment.models import Application, Decision, LedgerEntry
from zhijiao.registry.models import School

YEAR = 2024
PART_TIME = "art13.part_time_teacher_funding"


def school_code(db: Session, principal: Principal) -> str:
    code = db.scalar(select(School.code).where(School.id == principal.scope.school_id))
    assert code is not None
    return code


def engine_amount(db: Session, policy, code: str, output: str = "part_time_teacher_funding") -> int:
    """What the engine computes for the school from the registry: the figure approvals must match."""
    frame = registry_result(db, policy, YEAR).frames["school"]
    return int(frame.filter(frame["id"] == code)[output][0])


def approved_application(db: Session, persona, policy) -> int:
    """The demo school's Art. 13 application, submitted, reviewed by its county and approved by the city."""
    school = persona("school")
    draft = applications.create(
        db, school, policy, entitlement_id=PART_TIME, entity_code=school_code(db, school), year=YEAR
    )
    applications.submit(db, school, policy, draft.id)
    applications.county_approve(db, persona("county"), policy, draft.id)
    applications.city_approve(db, persona("admin"), policy, draft.id)
    db.commit()
    return draft.id


def approved_proactive(db: Session, persona: Callable[[str], Principal], policy: Policy) -> list[int]:
    """The demo county's proactive Art. 7 awards of the year, reviewed by the county and approved by the city:
    one payer (the county's finance), so they can go into one batch."""
    proactive.run(db, persona("admin"), policy, YEAR)
    county = persona("county")
    query = select(Application.id).where(
        Application.county_code == county.scope.county_code, Application.entitlement == "art07.integration_subsidy"
    )
    ids = list(db.scalars(query.order_by(Application.id)))
    for application_id in ids:
        applications.county_approve(db, county, policy, application_id)
        applications.city_approve(db, persona("admin"), policy, application_id)
    db.commit()
    return ids


def batch_of(db: Session, persona: Callable[[str], Principal], policy: Policy, ids: list[int]) -> int:
    """A batch of approved applications, declared as they add up."""
    total = 0
    for application_id in ids:
        decision = applications.latest_decision(db, application_id)
        assert decision is not None
        total += decision.amount_fen
    batch = payments.prepare_batch(db, persona("admin"), policy, ids, declared_count=len(ids), declared_total_fen=total)
    db.commit()
    return batch.id


def payment_row(application: Application, decision: Decision, released_by: int) -> dict[str, object]:
    """A ledger payment written straight to the table, as no service would: for the database's guards."""
    return {
        "kind": "payment", "award_key": application.award_key, "amount_fen": decision.amount_fen, "payer": "county",
        "article": application.article, "entitlement": application.entitlement, "school_id": application.school_id,
        "county_code": application.county_code, "year": application.year, "application_id": application.id,
        "decision_id": decision.id, "approved_by": decision.approved_by, "released_by": released_by,
        "recorded_at": decision.approved_at,
    }  # fmt: skip


def corrected(
    db: Session,
    persona: Callable[[str], Principal],
    policy: Policy,
    payment_id: int,
    reason: str,
    kind: str = "reversal",
) -> LedgerEntry:
    """A correction as finance makes it: ``finance`` proposes, ``finance2`` confirms."""
    proposal = corrections.propose(db, persona("finance"), payment_id, reason, kind=kind)
    return corrections.confirm(db, persona("finance2"), policy, proposal.id)


def tamper(db: Session, statement: str, params: dict[str, object] | list[dict[str, object]]) -> None:
    """What only someone with the database owner's rights could do: switch the guard off, change rows."""
    if db.bind is not None and db.bind.dialect.name == "postgresql":
        db.execute(text("SET session_replication_role = replica"))  # triggers do not fire
        db.execute(text(statement), params)
        db.execute(text("SET session_replication_role = origin"))
    else:
        db.execute(text("DROP TRIGGER IF EXISTS audit_records_no_update"))
        db.execute(text("DROP TRIGGER IF EXISTS audit_records_no_delete"))
        db.execute(text(statement), params)
    db.commit()
