"""A policy package as data, the one description shared by ``zhijiao policy show --json`` and the API."""

from __future__ import annotations

from typing import Any

from zhijiao.engine.policy import Policy


def describe(policy: Policy) -> dict[str, Any]:
    """The policy as data: document facts, articles, parameters with dated cited values, options."""
    meta = policy.metadata
    return {
        "name": policy.name,
        "rule_set": policy.rule_set,
        "document": meta.get("document"),
        "parts": meta.get("parts"),
        "articles": meta.get("articles"),
        "breakthroughs": meta.get("breakthroughs"),
        "targets": meta.get("targets"),
        "clauses": meta.get("clauses"),
        "parameters": [p.as_dict() for p in policy.parameters],
        "options": [o.as_dict() for o in policy.options],
    }
