"""Targets T1–T11: each by county and year, with its course over the plan's years against the path.

Counties have no targets of their own (the plan sets them for the city): a county's rows show its value
and its share of the city's. A county officer sees its own county beside the city-wide context.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.monitoring.targets import progress
from zhijiao.registry.queries import years_with_data
from zhijiao.simulation.cost_view import chosen_year, county_names, plan_years, scope_county
from zhijiao.web.pages.targets_data import by_county, course_chart, courses, measure_formatter
from zhijiao.web.templating import render

router = APIRouter()


@router.get("/targets")
def targets(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    county: Annotated[str | None, Query(max_length=20)] = None,
    user: Principal = require(Permission.view_cost),
) -> Response:
    own = scope_county(db, user)
    counties = county_names(db, policy)
    chosen_county = county or own
    if chosen_county is not None and (chosen_county not in counties or (own is not None and chosen_county != own)):
        raise NotFound("没有该县（市、区）的数据。", "There is no such county in your view.")
    years = years_with_data(db)
    if not years:
        return render(request, "targets.html", {"empty": True, "own": own})
    chosen = chosen_year(policy, year, years)
    course_years = plan_years(policy)
    found = courses(db, policy, course_years, chosen_county)
    context = {
        "empty": False,
        "year": chosen,
        "years": years,
        "own": own,
        "county": chosen_county,
        "counties": [own] if own else counties,
        "rows": progress(db, policy, chosen, chosen_county),
        "courses": [(course, course_chart(course, course_years, lang)) for course in found],
        "course_years": course_years,
        "matrix": by_county(db, policy, chosen, counties) if own is None and chosen_county is None else {},
        "target_ids": [spec["id"] for spec in policy.metadata["targets"]],
        "measure": measure_formatter(lang),
    }
    return render(request, "targets.html", context)
