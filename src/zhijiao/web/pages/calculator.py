"""The public policy calculator: a school or an enterprise enters its figures and sees each entitlement
with its explanation, through the same engine path as ``zhijiao calc`` (the situation contract).

A calculation changes nothing, so the form is a GET: a result has an address that can be shared, and no
sign-in or CSRF token is needed. htmx swaps the form and result in place; without it the page reloads.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhijiao.authz import Principal
from zhijiao.engine.errors import InputError, Problem
from zhijiao.engine.inputs import frames_from_situation
from zhijiao.engine.policy import Policy
from zhijiao.engine.situation import calculate_situation
from zhijiao.engine.succession import PlansInTurn
from zhijiao.http.deps import LangDep, PlansDep, PolicyDep, public
from zhijiao.language import Lang
from zhijiao.web.pages.calculator_form import CALCULATE, MAX_VALUE_LENGTH, FormView, build_form, plan_years, subjects
from zhijiao.web.pages.calculator_result import ResultView, result_view
from zhijiao.web.pages.calculator_situation import Situation, place_problems, situation_from_form
from zhijiao.web.templating import render

router = APIRouter()


def _query(request: Request) -> dict[str, str]:
    """The form as typed: the first value of each field, cut to a length no real figure needs."""
    return {key: value[:MAX_VALUE_LENGTH] for key, value in request.query_params.items()}


def _titles(policy: Policy, situation: Situation) -> dict[tuple[str, str], str]:
    """The names the user gave, by (entity, key), so a result reads '实训基地' rather than 'P1'."""
    titles = {}
    for entity in policy.top_entities():
        for record in situation.document.get(entity.plural) or []:
            name = record.get("name")
            if isinstance(name, str) and name:
                titles[(entity.name, str(record.get(entity.key)))] = name
    return titles


def _every_problem(policy: Policy, situation: Situation, refused: InputError) -> list[Problem]:
    """The engine checks the period before the records: when the period was refused, the records are
    checked too (by the same engine function), so the form shows every problem at once."""
    problems = list(refused.problems)
    if all(p.record.get("en") == "input" for p in problems):
        try:
            frames_from_situation(policy.entities, situation.document)
        except InputError as more:
            problems.extend(more.problems)
    return problems


def _calculate(
    plans: PlansInTurn, form: FormView, raw: Mapping[str, str], lang: Lang
) -> tuple[ResultView | None, dict[str, str], tuple[str, ...]]:
    situation = situation_from_form(plans.first, form, raw, lang)
    policy = plans.for_situation(situation.document)  # the plan in force on the situation's date
    # The options refused are left out so that the engine still names every other problem at once.
    try:
        comparison = calculate_situation(policy, situation.document, options=situation.options)
    except InputError as refused:
        errors, general = place_problems(_every_problem(policy, situation, refused), situation.fields_of, lang)
        return None, situation.option_errors | errors, general
    if situation.option_errors:
        return None, situation.option_errors, ()
    document = comparison.as_json(explain=True, lang=lang.value)
    return result_view(policy, document, _titles(policy, situation), lang), {}, ()


@router.get("/calculator")
def calculator(
    request: Request, policy: PolicyDep, plans: PlansDep, lang: LangDep, _: Principal | None = public()
) -> Response:
    raw = _query(request)
    kinds = {e.name: e for e in subjects(policy)}
    subject = kinds.get(raw.get("entity", ""), next(iter(kinds.values())))
    years = tuple(sorted({year for plan in plans.plans for year in plan_years(plan)}))  # every plan in turn
    form = build_form(policy, subject, raw, years=years)
    result, status = None, 200
    if raw.get("action") == CALCULATE:
        result, errors, general = _calculate(plans, form, raw, lang)
        if result is None:
            form = build_form(policy, subject, raw, errors, general, years)
            status = 422
    context = {"form": form, "result": result}
    partial = request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"
    template = "calculator/_body.html" if partial else "calculator/page.html"
    return render(request, template, context, status_code=status)
