"""Proactive awards (免申即享): the engine runs over the registry for a year, and every entitlement that
needs no application becomes a pending award, with a notice to the entity. Running it again creates
nothing new: an award key with an open application or a payment is skipped.

A year holds thousands of awards, so the run is set-based: the keys already claimed or paid and the payees are
read with one query each (per 5,000), and the awards, their audit records and their notices are written with one
statement each; each award is the row, record and notice ``applications.create`` and ``notices.tell`` write."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text, union
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.applications import SYSTEM_ORIGIN, now
from zhijiao.fulfilment.bulk_notices import Told, tell_all
from zhijiao.fulfilment.compute import Entitled, award_key, entitlements_of, registry_result
from zhijiao.fulfilment.entities import chunks, find_payees
from zhijiao.fulfilment.figures import declarable_variables, parse_figures
from zhijiao.fulfilment.models import Application, LedgerEntry
from zhijiao.fulfilment.states import CLOSED, Status

# What applications.snapshot keeps of an application in the audit trail; a new award's batch_id is None.
SNAPSHOT = ("number", "status", "claimed_fen", "batch_id", "needs_re_review")


@dataclass(frozen=True)
class ProactiveRun:
    year: int
    found: int  # entitlements needing no application, in the year
    created: list[str]  # application numbers created by this run
    skipped: int  # already claimed or paid


def _taken(session: Session, keys: Sequence[str]) -> set[str]:
    """The keys with an open application or a payment in the ledger."""
    taken: set[str] = set()
    for part in chunks(keys):
        claimed = select(Application.award_key).where(
            Application.award_key.in_(part), Application.status.not_in([s.value for s in CLOSED])
        )
        paid = select(LedgerEntry.award_key).where(LedgerEntry.award_key.in_(part), LedgerEntry.kind == "payment")
        taken.update(session.scalars(union(claimed, paid)))
    return taken


def _new_ids(session: Session, count: int) -> list[int]:
    """Ids for ``count`` new applications, taken before the INSERT so that each row is written with its number. On
    PostgreSQL from the table's sequence, as the INSERT would take them; on SQLite, which gives a new row the
    largest id plus one, the same: its one writer at a time keeps another from taking them meanwhile (a writer that
    did would make this INSERT fail on the primary key, never share an id)."""
    if session.get_bind().dialect.name == "postgresql":
        sequence = text("SELECT nextval(pg_get_serial_sequence('applications', 'id')) FROM generate_series(1, :n)")
        return [int(i) for i in session.scalars(sequence, {"n": count})]
    last = session.scalar(select(func.max(Application.id))) or 0
    return list(range(last + 1, last + 1 + count))


def run(session: Session, actor: Principal | None, policy: Policy, year: int) -> ProactiveRun:
    """Creates a pending award for every proactive entitlement of ``year`` not yet claimed or paid."""
    if actor is not None:
        require(actor, Permission.approve)
    found = [e for e in entitlements_of(registry_result(session, policy, year)) if e.entitlement.proactive]
    keys = [award_key(e.entitlement, e.entity_code, e.year, e.level) for e in found]
    taken = _taken(session, keys)
    new: list[tuple[Entitled, str]] = []
    for item, key in zip(found, keys, strict=True):
        if key not in taken:
            taken.add(key)  # a second entitlement under one key: its award is the first one's, as in create
            new.append((item, key))
    return ProactiveRun(year, len(found), _create(session, policy, year, new), len(found) - len(new))


def _create(session: Session, policy: Policy, year: int, new: list[tuple[Entitled, str]]) -> list[str]:
    """``applications.create(session, None, policy, …, origin="proactive")`` and ``notices.tell(…, "proactive", …)``
    for every new award: the rows, numbered from their ids, their audit records and their notices."""
    if not new:
        return []
    codes: dict[str, list[str]] = defaultdict(list)
    for item, _key in new:
        codes[item.entitlement.entity].append(item.entity_code)
    payees = {kind: find_payees(session, kind, found) for kind, found in codes.items()}
    entitlements = {item.entitlement.id: item.entitlement for item, _key in new}
    figures = {i: parse_figures(declarable_variables(policy, e), {}) for i, e in entitlements.items()}
    moment = now()
    rows: list[dict[str, Any]] = []
    for item, key in new:
        entitlement = item.entitlement
        payee = payees[entitlement.entity][item.entity_code]
        rows.append(
            {
                "entitlement": entitlement.id,
                "article": entitlement.article,
                "county_code": payee.county_code,
                "year": year,
                "level": item.level,
                "award_key": key,
                "origin": SYSTEM_ORIGIN,
                "status": Status.pending.value,
                "claimed_fen": item.amount_fen,
                "figures": figures[entitlement.id],
                "note": None,
                "created_by": None,
                "created_at": moment,
                "needs_re_review": False,
                **payee.columns,
            }
        )
    for row, application_id in zip(rows, _new_ids(session, len(rows)), strict=True):
        # create numbers an award from its id in a second flush, which bumps the version: the same row, written once
        row |= {"id": application_id, "number": f"MS{year}-{application_id:06d}", "version": 2}
    # Core, not the ORM's bulk INSERT, which would set the version column to its first value
    session.connection().execute(insert(cast("Table", Application.__table__)), rows)
    created = [
        audit.Change("application.create", "application", r["number"], after={k: r.get(k) for k in SNAPSHOT})
        for r in rows
    ]
    audit.record_many(session, None, created)
    told = [
        Told(r["id"], r["number"], r["entitlement"], r["school_id"], r["enterprise_id"], r["platform_id"],
             {"amount_fen": item.amount_fen})
        for r, (item, _key) in zip(rows, new, strict=True)
    ]  # fmt: skip
    tell_all(session, policy, "proactive", told)
    return [r["number"] for r in rows]
