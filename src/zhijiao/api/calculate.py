"""``POST /api/v1/calculate``: the situation contract of ``zhijiao calc``, through the same function.

The body is the situation document itself (year or date, options, reform, schools, enterprises,
platforms) and nothing else, so a file that ``zhijiao calc`` reads can be posted as it is; the
explanations are asked for with ``?explain=true`` (the ``--explain`` of the command line) and the
language with ``?lang=`` or ``Accept-Language`` (its ``--lang``). The engine validates the document,
so a refusal names the same records, fields and problems as the command line does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from zhijiao.api.calculate_together import Together
from zhijiao.api.json_body import JsonRoute, parse_document
from zhijiao.api.responses import CalcJSON, problem_responses
from zhijiao.api.situation_schema import result_schema, situation_schema
from zhijiao.authz import Principal
from zhijiao.engine.errors import InputError, PolicyError, Problem
from zhijiao.engine.policy import Policy
from zhijiao.engine.situation import calculate_situation
from zhijiao.engine.succession import PlansInTurn, plan_for
from zhijiao.http.deps import public, request_lang
from zhijiao.http.errors import AppError, InvalidInput
from zhijiao.language import Lang

MAX_BODY_BYTES = 5 * 1024 * 1024  # one situation is a few records; populations go through files and the CLI
_WHERE = {"zh": "输入", "en": "input"}

EXAMPLE = {
    "year": 2024,
    "options": {"upgrade_payment": "difference"},
    "schools": [
        {
            "id": "S1",
            "county": "瑞安市",
            "school_type": "secondary",
            "ownership": "public",
            "sponsor": "county",
            "double_high": "provincial",
            "students": 1200,
            "base_appropriation_per_student": 10000,
            "full_time_teachers": 100,
            "part_time_teachers": 50,
            "local_avg_teacher_salary": 150000,
            "market_service_income": 2000000,
            "capital_donations": 1000000,
        }
    ],
    "enterprises": [{"id": "E1", "county": "鹿城区", "certifications": [{"level": "city", "date": "2023-05-01"}]}],
    "platforms": [
        {
            "id": "P1",
            "school_id": "S1",
            "kind": "training",
            "certifications": [{"level": "provincial", "date": "2024-06-01"}],
        }
    ],
}


class TooLarge(AppError):
    status = 413
    code = "too_large"

    def __init__(self) -> None:
        limit = MAX_BODY_BYTES // (1024 * 1024)
        super().__init__(
            f"请求超过 {limit} MB：成批测算请用 zhijiao calc 的人群模式。",
            f"The request exceeds {limit} MB: calculate populations with zhijiao calc's population mode.",
        )


async def _body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def calculate_json(policy: Policy, document: object, *, explain: bool, lang: Lang) -> dict[str, Any]:
    """What ``zhijiao calc`` prints for ``document``; refusals as ``InvalidInput`` naming every problem."""
    try:
        return calculate_situation(policy, document).as_json(explain=explain, lang=lang.value)
    except (InputError, PolicyError) as error:
        raise _refused(error) from None


def _refused(error: InputError | PolicyError) -> InvalidInput:
    if isinstance(error, InputError):
        return InvalidInput("输入有误，未进行计算。", "Input refused, nothing calculated.", error.problems)
    problem = Problem(_WHERE, "", error.message("zh"), error.message("en"))
    return InvalidInput("无法计算。", "Cannot calculate.", [problem])


def router_for(policy: Policy, plans: PlansInTurn | None = None) -> APIRouter:
    """The calculator of ``policy``: its body and answer are described from that policy's own declarations. With
    ``plans`` (the same entities, in force one after another) each situation is calculated under the plan in
    force on its date."""
    router = APIRouter(tags=["calculate"], route_class=JsonRoute)
    applied: Policy | PlansInTurn = plans if plans is not None else policy
    together = Together(applied)

    @router.post(
        "/calculate",
        summary="Calculate a situation (the contract of zhijiao calc): entitlements and fiscal cost",
        description=(
            "The body is the situation contract of `zhijiao calc` (see README): `year` or `date`, `options`, "
            "`reform` (a parameter value, or a list of `{effective_from, value}`), `schools`, `enterprises`, "
            "`platforms`. The answer is exactly what `zhijiao calc` prints; with a reform, `baseline` and "
            "`reform` side by side. `?explain=true` adds each entity's `explanation` (as `--explain`), in the "
            "language of `?lang=zh|en` or `Accept-Language` (Chinese by default). No sign-in needed."
        ),
        response_class=CalcJSON,
        responses={
            200: {
                "description": "计算结果 / the calculation",
                "content": {"application/json": {"schema": result_schema(policy)}},
            },
            **problem_responses(400, 413, 422),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": situation_schema(policy), "example": EXAMPLE}},
            }
        },
    )
    async def calculate(
        request: Request,
        explain: Annotated[bool, Query(description="附计算依据 / include explanations (as --explain)")] = False,
        _: Principal | None = public(),
    ) -> CalcJSON:
        document = parse_document(await _body(request))
        if explain:  # explained record by record: nothing to share with other requests
            lang = request_lang(request)
            chosen = plan_for(applied, document)
            return CalcJSON(await run_in_threadpool(calculate_json, chosen, document, explain=True, lang=lang))
        answer = await together.answer(document)
        if isinstance(answer, InputError | PolicyError):
            raise _refused(answer)
        return CalcJSON(answer)

    return router
