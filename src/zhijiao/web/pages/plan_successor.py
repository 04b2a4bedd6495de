"""The plans in force in turn, compared article by article (decision 0019): for each successor, every parameter
whose value it changes from its start, with the predecessor's value and citation beside its own, and how many
it carries over unchanged under its own document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhijiao.authz import Principal
from zhijiao.engine.policy import Policy
from zhijiao.engine.succession import PlansInTurn, start_of
from zhijiao.http.deps import LangDep, PlansDep, public
from zhijiao.language import Lang
from zhijiao.web.pages.plan_changes import Change, changes_between
from zhijiao.web.templating import render

router = APIRouter()


@dataclass(frozen=True)
class Settled:
    """An option (an ambiguity of the text) the successor settles otherwise."""

    name: str
    label: dict[str, str]
    before: str
    after: str
    why: dict[str, str]


@dataclass(frozen=True)
class Succession:
    before: Policy
    after: Policy
    start: dt.date
    changes: list[Change]
    carried: int  # parameters re-enacted at the same value
    settled: list[Settled]

    @property
    def document(self) -> dict[str, Any]:
        return dict(self.after.metadata.get("document") or {})

    @property
    def previous(self) -> dict[str, Any]:
        return dict(self.before.metadata.get("document") or {})


def successions(plans: PlansInTurn, lang: Lang) -> list[Succession]:
    """Each plan after the first against the one it follows: the day before its start against its start."""
    found = []
    for before, after in zip(plans.plans, plans.plans[1:], strict=False):
        start = start_of(after)
        changes = changes_between(after, start - dt.timedelta(days=1), start, lang)
        reenacted = sum(1 for p in after.parameters if (e := p.entry_on(start)) and e.effective_from == start)
        earlier = {o.name: o for o in before.options}
        settled = [
            Settled(o.name, dict(o.label), str(earlier[o.name].default), str(o.default), dict(o.why))
            for o in after.options
            if o.name in earlier and str(earlier[o.name].default) != str(o.default)
        ]
        found.append(Succession(before, after, start, changes, reenacted - len(changes), settled))
    return found


@router.get("/plan/successor")
def plan_successor(request: Request, plans: PlansDep, lang: LangDep, _: Principal | None = public()) -> Response:
    return render(request, "plan/successor.html", {"successions": successions(plans, lang)})
