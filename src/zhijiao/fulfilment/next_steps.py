"""An application's history, read from the audit trail, and who may act on it next: the steps its state, the
user's role and the two-person rules allow (the services check all of it again when the step is taken)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Permission, Principal, allows
from zhijiao.fulfilment.attachments import EDITABLE
from zhijiao.fulfilment.models import Application
from zhijiao.fulfilment.states import TRANSITIONS, Status
from zhijiao.storage.base import aware


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    actor: str
    action: str
    before: str | None  # a status
    after: str | None
    reason: str | None
    details: dict[str, Any]


# What an audit record keeps for machines, not for the page's history: the row's own fields, the figures as
# data (their words are the record's reason) and the basis (its words are the action's).
PLUMBING = frozenset({"number", "status", "claimed_fen", "needs_re_review", "figures", "registry", "figures_basis"})
# Kept in the audit trail for auditors, not told in an award's history: row ids and a file's digest (the
# attachments table beside the history shows the digest with the file).
NOT_TOLD = frozenset({"batch_id", "attachment", "sha256"})


def history(session: Session, application: Application) -> list[HistoryItem]:
    query = (
        select(AuditRecord)
        .where(AuditRecord.object_type == "application", AuditRecord.object_id == application.number)
        .order_by(AuditRecord.id)
    )
    items = []
    for record in session.scalars(query):
        payload = json.loads(record.payload)
        before, after = payload.get("before") or {}, payload.get("after") or {}
        extra = {k: v for k, v in after.items() if k not in PLUMBING and k not in NOT_TOLD}
        items.append(
            HistoryItem(
                at=aware(record.at),
                actor=record.actor,
                action=record.action,
                before=before.get("status"),
                after=after.get("status"),
                reason=after.get("reason"),
                details={k: v for k, v in extra.items() if v is not None and k != "reason"},
            )
        )
    return items


def _can(application: Application, transition: str) -> bool:
    return Status(application.status) in TRANSITIONS[transition][0]


def available_actions(user: Principal, application: Application) -> list[str]:
    """The forms to offer: the transitions the application's state, the user's role and the two-person rules
    allow (the services check all of it again; this only spares the user a refusal)."""
    role, me = user.role, user.user_id
    found = []
    if allows(role, Permission.apply):
        found += [t for t in ("submit", "withdraw") if _can(application, t)]
        if Status(application.status) in EDITABLE:
            found.append("attach")
    if allows(role, Permission.review) and application.submitted_by != me:
        found += [t for t in ("return_for_information", "county_approve", "county_reject") if _can(application, t)]
    not_proposer = me not in {application.submitted_by, application.reviewed_by}
    if allows(role, Permission.approve) and not_proposer:
        found += [t for t in ("city_approve", "return_to_county", "city_reject") if _can(application, t)]
    if (
        allows(role, Permission.schedule_payment)
        and _can(application, "schedule_payment")
        and not application.needs_re_review
    ):
        found.append("schedule_payment")
    if allows(role, Permission.release_payment) and _can(application, "release"):
        found.append("release")
    return found
