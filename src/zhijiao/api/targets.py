"""Progress toward T1–T11 (``zhijiao targets --json``): the city's rows, and one county's beside them.

The plan sets its targets for the city, so the city's rows are every user's context; a county's rows are
its own value and its share of the city's. A county officer gets its own county's rows and no other's. A row
without data in the registry has ``value``, ``share`` and ``expected`` null and the status ``no_data``, never
"0" or ``behind`` (the rule per target: ``zhijiao.monitoring.measures``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zhijiao.api.cost import CountyQuery, YearQuery, data_year
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN
from zhijiao.api.schemas import ProgressOut, TargetsOut
from zhijiao.api.scope import figures_county
from zhijiao.authz import Permission, Principal
from zhijiao.http.deps import Db, PolicyDep, require
from zhijiao.monitoring.targets import progress

router = APIRouter(tags=["targets"], route_class=JsonRoute)


@router.get(
    "/targets",
    response_model=TargetsOut,
    responses=SIGNED_IN,
    summary="Progress toward the targets: value, goal, share, path to the deadline, status",
)
def targets(
    db: Db,
    policy: PolicyDep,
    year: YearQuery = None,
    county: CountyQuery = None,
    target: Annotated[str | None, Query(pattern=r"^T\d{1,2}$", description="如 T1 / e.g. T1")] = None,
    user: Principal = require(Permission.view_cost),
) -> TargetsOut:
    chosen_county = figures_county(db, user, county)
    chosen = data_year(db, policy, year)
    rows = [r for r in progress(db, policy, chosen, chosen_county) if target is None or r.target == target]
    return TargetsOut(year=chosen, county=chosen_county, rows=[ProgressOut(**r.as_dict()) for r in rows])
