"""Fulfilment steps the tests share: the demo school's code, the engine's amount, an approved application."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.accounts.service import Principal
from zhijiao.fulfilment import applications
from zhijiao.fulfilment.compute import registry_result
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
    draft = applications.create(db, school, entitlement_id=PART_TIME, entity_code=school_code(db, school), year=YEAR)
    applications.submit(db, school, draft.id)
    applications.county_approve(db, persona("county"), draft.id)
    applications.city_approve(db, persona("admin"), policy, draft.id)
    db.commit()
    return draft.id
