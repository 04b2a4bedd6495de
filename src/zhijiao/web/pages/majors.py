"""Art. 10, the structure of majors (优化职业学校专业结构): a county's duplicated and old majors, each flag with the
dated, cited threshold it tripped, the majors serving the city's key and emerging industries (by the dated, cited
list), its redistribution table and its students per major year by year; and, for a city-wide reader, the heat map
of duplication across counties. A county officer sees its own county."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.engine.explain_text import citation_text, fmt
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.majors.city import duplication_map, enrolment_trend
from zhijiao.majors.industries import KINDS, industry_list
from zhijiao.majors.service import analyse
from zhijiao.registry.counties import CITY_RUN, county_codes
from zhijiao.registry.queries import years_with_data
from zhijiao.simulation.cost_view import chosen_year
from zhijiao.web.pages.majors_charts import duplication_chart, trend_chart
from zhijiao.web.templating import render

router = APIRouter()


@router.get("/majors")
def majors(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    county: Annotated[str | None, Query(max_length=20)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    user: Principal = require(Permission.view_registry),
) -> Response:
    codes = {name: code for name, code in county_codes(db).items() if name != CITY_RUN}
    own = next((name for name, code in codes.items() if code == user.scope.county_code), None)
    chosen = county or own or next(iter(codes))
    if chosen not in codes or (own is not None and chosen != own):
        raise NotFound("没有该县（市、区）的数据。", "There is no such county in your view.")
    years = years_with_data(db)
    chosen_year_ = chosen_year(policy, year, years) if years else None
    listed = industry_list(policy, chosen_year_) if chosen_year_ else None
    report = analyse(db, policy.parameters, codes[chosen], chosen_year_, industries=listed) if chosen_year_ else None
    shown = {}
    for threshold in report.thresholds if report else []:
        parameter = policy.parameters[threshold.id]
        entry = parameter.entry_on(dt.date(report.year, 12, 31)) if report else None
        cited = citation_text(entry.citation.as_dict(), lang.value) if entry else ""
        shown[threshold.id] = (fmt(threshold.value, parameter.unit, lang.value), cited)
    label = policy.labels.get(chosen, {}).get(lang.value, chosen)
    charts = {}
    if chosen_year_:
        charts["trend"] = trend_chart(enrolment_trend(db, codes[chosen], chosen_year_), label, lang)
        if own is None:  # other counties' schools are outside a county officer's view
            counties = [(policy.labels.get(n, {}).get(lang.value, n), c) for n, c in codes.items()]
            charts["duplication"] = duplication_chart(
                duplication_map(db, policy.parameters, chosen_year_, counties), lang
            )
    context = {
        "shown": shown,
        "counties": [own] if own else list(codes),
        "county": chosen,
        "county_label": label,
        "labels": policy.labels,
        "years": years,
        "year": chosen_year_,
        "report": report,
        "charts": charts,
        "industry_kinds": KINDS,
        "industries_cited": citation_text(listed.citation.as_dict(), lang.value) if listed else "",
    }
    return render(request, "majors.html", context)
