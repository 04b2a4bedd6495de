"""Art. 10's majors in the API (as ``zhijiao majors --json``): a county's duplicated and old majors, each flag with
the dated, cited threshold it tripped, the majors serving the city's key and emerging industries (with the dated,
cited industry list), and its redistribution table. A county officer gets its own county."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.http.deps import Db, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.majors.industries import industry_list
from zhijiao.majors.service import analyse
from zhijiao.registry.counties import county_codes

router = APIRouter(tags=["majors"], route_class=JsonRoute)


@router.get(
    "/majors",
    responses=SIGNED_IN | problem_responses(404),
    summary="Art. 10: a county's duplicated and old majors, majors serving key and emerging industries, and its "
    "redistribution table, with the thresholds and the industry list",
)
def majors(
    db: Db,
    policy: PolicyDep,
    county: Annotated[str, Query(max_length=20, description="县（市、区）名称或代码 / county name or code")],
    year: Annotated[int, Query(ge=2000, le=2100)],
    user: Principal = require(Permission.view_registry),
) -> dict[str, Any]:
    codes = county_codes(db)
    code = codes.get(county) or (county if county in codes.values() else None)
    if code is None or (user.scope.county_code is not None and code != user.scope.county_code):
        raise NotFound("没有该县（市、区）的数据。", "There is no such county in your view.")
    return analyse(db, policy.parameters, code, year, industries=industry_list(policy, year)).as_dict()
