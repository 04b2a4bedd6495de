"""Every refusal and failure, answered in the request's language: a problem document (RFC 9457) for the
API, an error page (or the sign-in page) for a browser. No traceback ever reaches a user; it goes to the log."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from zhijiao.engine.errors import InputError, Problem
from zhijiao.http.deps import is_api, request_lang
from zhijiao.http.errors import AppError
from zhijiao.http.validation_messages import reason
from zhijiao.language import Lang, parse_lang
from zhijiao.refusals import Refused

log = logging.getLogger("zhijiao.http")

PROBLEM_JSON = "application/problem+json"
ErrorPage = Callable[[Request, dict[str, Any], int], Response]  # how a page says no: request, context, status
HTTP_MESSAGES = {
    404: ("页面或资源不存在。", "There is no such page or resource."),
    405: ("不支持该请求方法。", "This method is not allowed here."),
}


def here(request: Request) -> str:
    """The page asked for, its query (filters, ``lang``) kept: where to come back to after signing in."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def sign_in_url(request: Request, back_to: str | None = None) -> str:
    """The sign-in page that returns to ``back_to`` (this page by default), in the language this page was asked
    for in its address: a visitor who chose English at ``/dashboard?lang=en`` signs in in English."""
    url = f"/login?next={quote(here(request) if back_to is None else back_to)}"
    chosen = parse_lang(request.query_params.get("lang"))
    return f"{url}&lang={chosen.value}" if chosen else url


def problem_response(
    request: Request,
    status: int,
    code: str,
    zh: str,
    en: str,
    problems: list[Problem],
    headers: Mapping[str, str] | None = None,
) -> Response:
    lang = request_lang(request)
    message = zh if lang is Lang.zh else en
    if is_api(request):
        body: dict[str, Any] = {
            "type": f"/api/v1/problems/{code}",
            "title": code,
            "status": status,
            "code": code,
            "detail": message,
        }
        if problems:
            body["problems"] = [
                {"record": p.record.get(lang.value, ""), "field": p.field, "message": p.zh if lang is Lang.zh else p.en}
                for p in problems
            ]
        return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)
    if status == 401 and request.method == "GET":  # noqa: PLR2004 -- HTTP status
        return RedirectResponse(sign_in_url(request), status_code=303)
    context = {
        "status": status,
        "code": code,  # for the page to choose its advice by; never shown
        "message": message,
        "problems": [p.message(lang) for p in problems],
    }
    page: ErrorPage = request.app.state.error_page  # the pages' renderer, wired by the composition root
    response = page(request, context, status)
    response.headers.update(headers or {})
    return response


async def app_error(request: Request, error: AppError) -> Response:
    return problem_response(request, error.status, error.code, error.zh, error.en, error.problems)


def _field(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location if part not in {"body", "query", "path", "form"})


async def validation_error(request: Request, error: RequestValidationError) -> Response:
    """Request models are strict: each wrong field is named, with what is wrong in the request's language."""
    problems = []
    for item in error.errors():
        field = _field(tuple(item.get("loc", ())))
        nothing_sent = item["type"] == "missing" and tuple(item["loc"]) == ("body",)
        zh, en = ("缺少请求内容", "the request body is missing") if nothing_sent else reason(item)
        problems.append(Problem({"zh": "请求", "en": "request"}, field, zh, en))
    return problem_response(request, 422, "invalid_input", "请求内容有误。", "The request is not valid.", problems)


def _allowed(request: Request) -> str:
    """Every method the path takes: Starlette names only those of the first route that matched the path."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    )


async def http_error(request: Request, error: HTTPException) -> Response:
    zh, en = HTTP_MESSAGES.get(error.status_code, (str(error.detail), str(error.detail)))
    if error.status_code == 400 and is_api(request):  # noqa: PLR2004 -- a body FastAPI cannot read
        zh, en = "请求无法解析。", f"The request cannot be read: {error.detail}"
    headers = dict(error.headers or {})
    if error.status_code == 405:  # noqa: PLR2004 -- the client learns which methods the resource takes
        headers["Allow"] = _allowed(request)
    return problem_response(request, error.status_code, f"http_{error.status_code}", zh, en, [], headers)


async def unexpected(request: Request, error: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(
        request,
        500,
        "internal_error",
        "系统内部错误，已记录，请稍后再试或联系管理员。",
        "An internal error occurred and was logged: try again later or contact the administrator.",
        [],
    )


REFUSAL_STATUS = {"forbidden": 403, "not_found": 404, "conflict": 409, "invalid": 422}


async def refused(request: Request, error: Refused) -> Response:
    """A service said no: the role, the two-person rule, the state, or the input."""
    return problem_response(request, REFUSAL_STATUS.get(error.kind, 422), error.code, error.zh, error.en, [])


async def input_error(request: Request, error: InputError) -> Response:
    """A service refused its input (every problem named): nothing was written."""
    return problem_response(
        request,
        422,
        "invalid_input",
        "输入有误，未作任何修改。",
        "The input has problems; nothing was changed.",
        error.problems,
    )
