"""Adopting a draft version: what it changes in the plan in force, as the successor's ``adopted.yaml``
(``engine.succession.Adopted``; decision 0019).

The platform writes the file; people review and commit it, and the next deployment applies the successor from its
start: a change of the law reaches the calculations through version control, as every rule does. The file is
checked by building the successor from it before it is written, so a value the rules cannot take is refused here,
named by parameter, not at the next start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from zhijiao.drafting import changes, versions
from zhijiao.engine.explain_text import chinese_number
from zhijiao.engine.policy import Policy
from zhijiao.engine.succession import Adopted, successor


@dataclass(frozen=True)
class Decision:
    """What the adopting authority decides beside the text: the successor's name, number, title and period."""

    name: str  # the package name, e.g. wenzhou_vet_2026
    number: str  # e.g. 温政办〔2026〕N号
    title_zh: str
    title_en: str
    start: dt.date
    end: dt.date
    issued: dt.date


def adopted(session: Session, policy: Policy, version_id: int, decision: Decision) -> dict[str, Any]:
    """The adopted.yaml document of draft version ``version_id`` succeeding ``policy``; raises PolicyError if the
    rules cannot take a value it sets."""
    version = versions.version(session, version_id)
    plan = versions.plan(session, version.plan_id)
    found = changes.of_version(session, version_id)
    values = {c.name: c.value for c in found if c.kind == changes.PARAMETER}
    options = {c.name: c.value for c in found if c.kind == changes.OPTION}
    renumbered: dict[str, str] = {}
    for change in found:
        if change.kind != changes.PARAMETER or change.article_number is None:
            continue
        before = policy.parameters[change.name].entry_on(decision.start - dt.timedelta(days=1))
        now = f"第{chinese_number(change.article_number)}条"
        if before is not None and before.citation.article and before.citation.article != now:
            renumbered[before.citation.article] = now
    document = {
        "number": decision.number,
        "title": {"zh": decision.title_zh, "en": decision.title_en},
        "issued": decision.issued.isoformat(),
        "period": {"from": decision.start.isoformat(), "to": decision.end.isoformat()},
        "source": f"{plan.title} 第{version.number}版",
    }
    note = f"{plan.title}第{version.number}版通过的取值"
    note_en = f"the value adopted with version {version.number} of the draft"
    raw = {"name": decision.name, "document": document, "values": values, "options": options,
           "articles": renumbered, "note": note, "note_en": note_en}  # fmt: skip
    successor(policy, Adopted(decision.name, document, values, options, renumbered, note, note_en))  # refuses now
    return raw
