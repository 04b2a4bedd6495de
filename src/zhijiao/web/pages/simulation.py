"""The fiscal simulation: change parameters and options, see baseline against reform for every plan year.

The form is a GET: a simulation changes nothing, so its address can be bookmarked, shared and handed to
the export unchanged. With htmx only the result is swapped in; without JavaScript the whole page reloads.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.engine.errors import PolicyError, Problem
from zhijiao.engine.policy import Policy
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import InvalidInput
from zhijiao.language import Lang
from zhijiao.simulation.cost_view import plan_years
from zhijiao.web.pages.simulation_data import Simulation, refused, simulate, simulation_charts, workbook_bytes
from zhijiao.web.pages.simulation_form import (
    RUN,
    ParameterField,
    SimulationInput,
    date_fields,
    parameter_fields,
    read_form,
)
from zhijiao.web.templating import render

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _groups(policy: Policy, lang: Lang) -> list[tuple[str, list[ParameterField]]]:
    """The parameters under their article's heading (第十一条 …), in the plan's order."""
    titles = {f"art{a['number']:02d}": a.get("title") or {} for a in policy.metadata["articles"]}
    groups: dict[str, list[ParameterField]] = {}
    for item in parameter_fields(policy):
        groups.setdefault(item.id.split(".", 1)[0], []).append(item)
    out = []
    for article, items in groups.items():
        number = int(article.removeprefix("art"))
        cited = policy.parameters[items[0].id].values[-1].citation.article
        title = titles.get(article, {}).get(lang.value, "")
        heading = f"{cited} {title}" if lang is Lang.zh else f"Art. {number} {title}"
        out.append((heading.strip(), items))
    return out


def _run(
    db: Db, policy: Policy, form: dict[str, str], lang: Lang
) -> tuple[SimulationInput, Simulation | None, list[Problem]]:
    chosen, problems = read_form(form, policy, plan_years(policy))
    if problems:
        return chosen, None, problems  # nothing runs on a form with any problem
    try:
        return chosen, simulate(db, policy, chosen, plan_years(policy), lang), []
    except PolicyError as error:
        return chosen, None, [refused(error)]


@router.get("/simulation")
def simulation(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, _: Principal = require(Permission.simulate)
) -> Response:
    form = dict(request.query_params)
    years = plan_years(policy)
    context: dict[str, Any] = {
        "groups": _groups(policy, lang),
        "options": list(policy.options),
        "date_fields": date_fields,
        "years": years,
        "values": form,
        "year": years[-1],
        "ran": RUN in form,
        "problems": [],
        "invalid": set(),
        "sim": None,
    }
    status = 200
    if RUN in form:
        chosen, sim, problems = _run(db, policy, form, lang)
        context |= {"year": chosen.year, "values": chosen.values, "problems": [p.message(lang.value) for p in problems]}
        context["invalid"] = {p.field for p in problems}
        if sim is not None:
            context |= {"sim": sim, "charts": simulation_charts(sim, lang), "query": chosen.query()}
        status = 422 if problems else 200
    fragment = request.headers.get("hx-request") == "true" and not request.headers.get("hx-history-restore-request")
    response = render(request, "simulation_result.html" if fragment else "simulation.html", context, status_code=status)
    response.headers["Vary"] = "HX-Request"  # the same address answers a fragment to htmx, a page otherwise
    return response


@router.get("/simulation/export.xlsx")
def export(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, _: Principal = require(Permission.simulate)
) -> Response:
    _chosen, sim, problems = _run(db, policy, dict(request.query_params), lang)
    if sim is None:
        raise InvalidInput("输入有误，未进行测算。", "The input has problems; nothing was calculated.", problems)
    filename = f"zhijiao-simulation-{sim.chosen.year}.xlsx"
    return Response(
        workbook_bytes(sim, policy, lang),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
