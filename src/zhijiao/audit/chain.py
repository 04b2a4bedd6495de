"""The audit trail: every state change, approval, payment, reversal, import and parameter change, with
actor, time, before and after, chained by SHA-256 so that a changed, inserted or deleted record shows.

Every column of a record is in its hash: the payload carries the record's number, time, actor, action and
object, ``verify`` checks each column against it, and the payload and the previous hash make the hash. A
record's number is the head's plus one, so the numbers run without gaps and a renumbered record shows.
(Records written before the number joined the payload, in the first format, carry no ``id``; their other
columns are checked.)

Appending holds the chain for the rest of the transaction (an advisory lock on PostgreSQL, zhijiao.storage.locks;
SQLite serialises writers itself) before it reads the head, and ``prev_hash`` is unique, so two concurrent
appends can never fork the chain: the second waits and follows the first, or fails and its transaction rolls back
with the change it recorded.

The chain alone cannot show a cut-off tail or a chain rewritten from some record onward by someone with the
owner's rights: checkpoints signed outside the database can (zhijiao.audit.anchor).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Principal
from zhijiao.storage.base import aware
from zhijiao.storage.locks import serialize

GENESIS = "0" * 64
SYSTEM = "system"


def _plain(value: Any) -> Any:  # noqa: ANN401 -- any JSON-able value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(_plain(payload), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def _head(session: Session) -> tuple[int, str]:
    """The newest record's number and hash, with the chain held for this transaction; (0, GENESIS) before the
    first. Read after the lock, so a writer that waited sees the record the one before it appended."""
    serialize(session, AuditRecord.__tablename__)
    query = select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)
    head = session.execute(query).first()
    return (head.id, head.hash) if head is not None else (0, GENESIS)


@dataclass(frozen=True)
class Change:
    """One change to record: what was done to which object, with its state before and after."""

    action: str
    object_type: str
    object_id: object
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def _rows(head: tuple[int, str], actor: Principal | None, changes: Sequence[Change]) -> list[dict[str, Any]]:
    """The records of ``changes``, numbered and chained on from ``head``, every column in the payload."""
    at = dt.datetime.now(dt.UTC)
    number, prev = head
    rows = []
    for change in changes:
        number += 1
        columns = {
            "id": number,
            "at": at,
            "actor_id": actor.user_id if actor else None,
            "actor": actor.username if actor else SYSTEM,
            "action": change.action,
            "object_type": change.object_type,
            "object_id": str(change.object_id),
        }
        payload = canonical(columns | {"before": change.before, "after": change.after})
        digest = chain_hash(prev, payload)
        rows.append(columns | {"payload": payload, "prev_hash": prev, "hash": digest})
        prev = digest
    return rows


def record(
    session: Session,
    actor: Principal | None,
    action: str,
    object_type: str,
    object_id: object,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Appends one record in the caller's transaction: it commits with the change it describes, or not at all."""
    (row,) = _rows(_head(session), actor, [Change(action, object_type, object_id, before, after)])
    entry = AuditRecord(**row)
    session.add(entry)
    session.flush()
    return entry


def record_many(session: Session, actor: Principal | None, changes: Sequence[Change]) -> int:
    """Appends one record per change in one statement (a batch's payments, a year's proactive awards): the same
    records, chained in the same way, as ``record`` called for each, without a round trip apiece."""
    if not changes:
        return 0
    session.flush()  # records the session still holds come first in the chain
    rows = _rows(_head(session), actor, changes)
    session.execute(insert(AuditRecord), rows)
    return len(rows)


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    record_id: int
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class Verification:
    records: int
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


_COLUMNS = list(AuditRecord.__table__.columns)  # every column: each is checked against the hash


def _records(session: Session) -> Generator[Any]:
    """Every record in order as plain rows (an object per record was half the walk's time), streamed; the cursor
    is closed even when the walk stops at a break."""
    query = select(*_COLUMNS).order_by(AuditRecord.id).execution_options(yield_per=1000)
    records = session.execute(query)
    try:
        yield from records
    finally:
        records.close()


def _stored_at(entry: Any) -> str:  # noqa: ANN401 -- a record or its row
    return aware(entry.at).astimezone(dt.UTC).isoformat()


def _columns_match(entry: Any, payload: dict[str, Any]) -> bool:  # noqa: ANN401 -- a record or its row
    return (
        payload.get("id", entry.id) == entry.id  # the first format has no id: see the module docstring
        and payload.get("at") == _stored_at(entry)
        and payload.get("actor") == entry.actor
        and payload.get("actor_id") == entry.actor_id
        and payload.get("action") == entry.action
        and payload.get("object_type") == entry.object_type
        and payload.get("object_id") == entry.object_id
    )


def verify(session: Session) -> Verification:
    """Walks the chain from the start; reports the first record whose link or content does not hold."""
    walk = _records(session)
    try:
        return _walk(walk)
    finally:
        walk.close()


def _walk(walk: Iterator[Any]) -> Verification:
    expected_prev = GENESIS
    count = 0
    for entry in walk:
        count += 1
        if entry.prev_hash != expected_prev:
            return Verification(
                count,
                Break(
                    entry.id,
                    f"第{entry.id}条记录的前序哈希与上一条不符：其前的记录被删除、插入或改动。",
                    f"record {entry.id} does not follow the one before: a record before it was deleted, "
                    "inserted or changed",
                ),
            )
        if chain_hash(entry.prev_hash, entry.payload) != entry.hash:
            return Verification(
                count,
                Break(entry.id, f"第{entry.id}条记录的内容被改动。", f"record {entry.id} was changed"),
            )
        if not _columns_match(entry, json.loads(entry.payload)):
            return Verification(
                count,
                Break(
                    entry.id,
                    f"第{entry.id}条记录的字段与其签名内容不符。",
                    f"record {entry.id}'s columns differ from its chained content",
                ),
            )
        expected_prev = entry.hash
    return Verification(count, None)


def head_hash(session: Session) -> str:
    """The newest record's hash: note it elsewhere (a report, a minute) and a cut-off tail shows too."""
    return session.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)) or GENESIS
