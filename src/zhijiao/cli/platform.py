"""The composition root: one FastAPI app with the pages and the REST API mounted side by side (neither imports
the other), the refusal handlers of the shared HTTP kernel, and the database and policy every request uses. It
lives with the command line, the other place a process starts (decision 0011)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from starlette.exceptions import HTTPException

from zhijiao.api import mount_api
from zhijiao.cli.common import the_policy
from zhijiao.engine.errors import InputError
from zhijiao.engine.policy import Policy
from zhijiao.http import problems
from zhijiao.http.deps import CSRF_COOKIE, LANG_COOKIE, request_lang
from zhijiao.http.errors import AppError
from zhijiao.language import parse_lang
from zhijiao.refusals import Refused
from zhijiao.storage.database import get_engine
from zhijiao.web.routes import mount_pages

log = logging.getLogger("zhijiao")

# Scripts only from the app itself: charts and htmx are vendored, chart options travel as JSON data.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


async def _cookies_and_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Hands every page a CSRF token (double-submit cookie), remembers ?lang=, sets the security headers."""
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf_token = token
    response = await call_next(request)
    secure = request.url.scheme == "https"
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure)
    chosen = parse_lang(request.query_params.get("lang"))
    # Remembered for pages only: an English PDF or workbook downloaded once does not turn the site English.
    is_page = response.headers.get("content-type", "").startswith("text/html")
    if chosen is not None and is_page and not request.url.path.startswith("/api/"):
        response.set_cookie(LANG_COOKIE, chosen.value, max_age=365 * 24 * 3600, samesite="lax", secure=secure)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Language", request_lang(request).html)
    return response


def create_app(engine: Engine | None = None, *, demo: bool = False, policy: Policy | None = None) -> FastAPI:
    """The platform on ``engine`` (default: ``DATABASE_URL`` or the SQLite file), migrated beforehand, applying
    ``policy`` (default: the plan the command line applies). Every route receives the policy from here."""
    policy = policy if policy is not None else the_policy()
    app = FastAPI(
        title="职教政策落实平台 zhijiao API",
        description="温政办〔2023〕32号 — Wenzhou vocational-education plan 2023–2025",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.engine = engine or get_engine()
    app.state.demo = demo
    app.state.policy = policy
    app.middleware("http")(_cookies_and_headers)
    app.add_exception_handler(AppError, problems.app_error)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, problems.input_error)  # type: ignore[arg-type]
    app.add_exception_handler(Refused, problems.refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, problems.validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, problems.http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, problems.unexpected)
    mount_pages(app)
    mount_api(app, policy)
    return app
