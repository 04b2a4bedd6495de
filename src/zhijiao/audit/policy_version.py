"""Parameter and option changes, as the audit trail sees them: the policy package is code, reviewed and
versioned, so a change reaches the platform as a new rule-set version. The first time the platform runs
a new version it records which parameter values and option defaults changed, from what to what."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.audit.chain import record
from zhijiao.audit.models import AuditRecord
from zhijiao.engine.policy import Policy

ACTION = "policy.version"


def _values(policy: Policy) -> dict[str, Any]:
    parameters = {
        p.id: [[str(v["effective_from"]), str(v["value"])] for v in p.as_dict()["values"]] for p in policy.parameters
    }
    options = {o.name: str(o.default) for o in policy.options}
    return {"rule_set": policy.rule_set, "parameters": parameters, "options": options}


def _last(session: Session, name: str) -> dict[str, Any] | None:
    """The last version recorded of the policy called ``name`` (plans in force in turn are each recorded)."""
    query = (
        select(AuditRecord.payload)
        .where(AuditRecord.action == ACTION, AuditRecord.object_id == name)
        .order_by(AuditRecord.id.desc())
        .limit(1)
    )
    payload = session.scalar(query)
    return None if payload is None else dict(json.loads(payload)["after"])


def _changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    keys = set(before) | set(after)
    return {k: {"before": before.get(k), "after": after.get(k)} for k in sorted(keys) if before.get(k) != after.get(k)}


def record_policy_version(session: Session, policy: Policy) -> AuditRecord | None:
    """Records the policy in force if its rule-set version is new to this database; None if already recorded."""
    now = _values(policy)
    last = _last(session, policy.name)
    if last is not None and last.get("rule_set") == now["rule_set"]:
        return None
    before = None
    if last is not None:
        before = {
            "rule_set": last.get("rule_set"),
            "parameters": _changed(last.get("parameters", {}), now["parameters"]),
            "options": _changed(last.get("options", {}), now["options"]),
        }
    return record(session, None, ACTION, "policy", policy.name, before=before, after=now)
