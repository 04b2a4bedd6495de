"""The dashboard: a year's fiscal cost by article, payer and county, and the targets' progress.

A county officer sees its own county's money only (the engine's cost items of that county); the
city-wide targets are shown beside its county's rows as context, labelled as such.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal, allows
from zhijiao.fulfilment.obligations import money_path
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.language import Lang
from zhijiao.monitoring.targets import progress
from zhijiao.registry.queries import years_with_data
from zhijiao.simulation.cost import DIMENSIONS, cost_for_year
from zhijiao.simulation.cost_view import CostView, chosen_year, cost_view, missing_view, scope_county, wan
from zhijiao.simulation.missing_inputs import missing_in_cost
from zhijiao.web import charts
from zhijiao.web.i18n import translator
from zhijiao.web.pages.targets_data import measure_formatter
from zhijiao.web.templating import render

router = APIRouter()


def _charts(views: dict[str, CostView], lang: Lang, county: str | None) -> dict[str, dict[str, Any]]:
    _ = translator(lang)
    article, payer = views["article"], views["payer"]
    out = {
        "article": charts.bar(
            _("按条款（万元）"),
            [r.label for r in article.rows],
            {_("财政成本"): [wan(r.baseline) for r in article.rows]},
        ),
        "payer": charts.pie(_("按付款方（万元）"), {r.label: wan(r.baseline) or 0.0 for r in payer.rows}),
    }
    if county is None:
        by_county = views["county"]
        out["county"] = charts.bar(
            _("按县（市、区）（万元）"),
            [r.label for r in by_county.rows],
            {_("财政成本"): [wan(r.baseline) for r in by_county.rows]},
        )
    return out


@router.get("/dashboard")
def dashboard(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    user: Principal = require(Permission.view_cost),
) -> Response:
    county = scope_county(db, user)
    years = years_with_data(db)
    if not years:
        return render(request, "dashboard.html", {"empty": True, "county": county})
    chosen = chosen_year(policy, year, years)
    comparison = cost_for_year(db, policy, chosen)
    views = {dimension: cost_view(comparison, dimension, lang.value, county) for dimension in DIMENSIONS}
    context = {
        "empty": False,
        "year": chosen,
        "years": years,
        "county": county,
        "views": views,
        "charts": _charts(views, lang, county),
        "targets": progress(db, policy, chosen, county),
        "can_simulate": allows(user.role, Permission.simulate),
        "measure": measure_formatter(lang),
        "money_path": money_path(db, chosen, user.scope.county_code),
        "missing": missing_view(missing_in_cost(comparison).within_county(county), policy, chosen, lang.value),
    }
    return render(request, "dashboard.html", context)
