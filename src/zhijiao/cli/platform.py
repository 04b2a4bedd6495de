"""The composition root: one FastAPI app with the pages and the REST API mounted side by side (neither imports
the other), the refusal handlers of the shared HTTP kernel, and the database and policy every request uses. It
lives with the command line, the other place a process starts (decision 0011)."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from starlette.exceptions import HTTPException

from zhijiao.api import mount_api
from zhijiao.api.docs import router as docs_router
from zhijiao.cli.common import the_policy
from zhijiao.engine.errors import InputError
from zhijiao.engine.policy import Policy
from zhijiao.http import problems
from zhijiao.http.deps import CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, csrf_token_of, is_api, request_lang
from zhijiao.http.errors import AppError
from zhijiao.http.guard import DEFAULT_MAX_BODY_BYTES, RequestGuard
from zhijiao.language import parse_lang
from zhijiao.refusals import Refused
from zhijiao.registry.uploads import MAX_UPLOAD_BYTES
from zhijiao.storage.database import get_engine
from zhijiao.web.routes import mount_pages

log = logging.getLogger("zhijiao")

# Scripts only from the app itself: charts and htmx are vendored, chart options travel as JSON data.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
MAX_BODY_VARIABLE = "ZHIJIAO_MAX_BODY_BYTES"  # JSON and form bodies; default DEFAULT_MAX_BODY_BYTES (1 MiB)
MAX_UPLOAD_VARIABLE = "ZHIJIAO_MAX_UPLOAD_BYTES"  # multipart uploads: the file limit plus room for the form
UPLOAD_ENVELOPE = 1024 * 1024  # a multipart body is the file and the form's other fields and boundaries
HSTS = "max-age=31536000"  # a year: a browser that reached the platform over HTTPS never falls back to HTTP


def _limit(variable: str, default: int) -> int:
    value = os.environ.get(variable, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def _signed_in(request: Request) -> bool:
    """A session cookie or a bearer token, or the user a route found: what such a response shows is that user's."""
    if getattr(request.state, "principal", None) is not None or request.cookies.get(SESSION_COOKIE):
        return True
    return request.headers.get("authorization", "").lower().startswith("bearer ")


async def _cookies_and_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Hands every page a CSRF token (double-submit cookie), remembers ?lang=, sets the security headers."""
    request.state.csrf_token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = await call_next(request)
    secure = request.url.scheme == "https"
    # The cookie follows the token the page handed out: the session's once signed in (checked against the
    # session, the cookie only carries it), the anonymous one before.
    token = csrf_token_of(request)
    if request.cookies.get(CSRF_COOKIE) != token and not is_api(request):  # the API signs in by bearer token
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
    # A signed-in user's pages and data stay out of every cache (a shared computer's back button, a proxy);
    # the static assets are the same for everyone and keep their caching.
    if _signed_in(request) and not request.url.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    if secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def create_app(
    engine: Engine | None = None,
    *,
    demo: bool = False,
    policy: Policy | None = None,
    max_body_bytes: int | None = None,
    max_upload_bytes: int | None = None,
) -> FastAPI:
    """The platform on ``engine`` (default: ``DATABASE_URL`` or the SQLite file), migrated beforehand, applying
    ``policy`` (default: the plan the command line applies). Every route receives the policy from here.
    ``max_body_bytes`` (JSON and forms) and ``max_upload_bytes`` (multipart uploads) bound every request body
    before it is read; default from ``ZHIJIAO_MAX_BODY_BYTES`` / ``ZHIJIAO_MAX_UPLOAD_BYTES``, else 1 MiB and
    the upload limit plus 1 MiB."""
    policy = policy if policy is not None else the_policy()
    app = FastAPI(
        title="职教政策落实平台 zhijiao API",
        description="温政办〔2023〕32号 — Wenzhou vocational-education plan 2023–2025",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served from vendored assets by zhijiao.api.docs, not from a CDN
        redoc_url=None,
    )
    app.state.engine = engine or get_engine()
    app.state.demo = demo
    app.state.policy = policy
    # Added first, so it runs inside the headers middleware: its refusals carry the same security headers.
    app.add_middleware(
        RequestGuard,
        max_body=max_body_bytes or _limit(MAX_BODY_VARIABLE, DEFAULT_MAX_BODY_BYTES),
        max_upload=max_upload_bytes or _limit(MAX_UPLOAD_VARIABLE, MAX_UPLOAD_BYTES + UPLOAD_ENVELOPE),
        own_limit=frozenset({"/api/v1/calculate"}),  # it reads its body itself, to its own limit (5 MB)
    )
    app.middleware("http")(_cookies_and_headers)
    app.add_exception_handler(AppError, problems.app_error)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, problems.input_error)  # type: ignore[arg-type]
    app.add_exception_handler(Refused, problems.refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, problems.validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, problems.http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, problems.unexpected)
    mount_pages(app)
    mount_api(app, policy)
    app.include_router(docs_router)
    return app


DEMO_VARIABLE = "ZHIJIAO_SERVE_DEMO"  # set by ``zhijiao serve --demo --workers N`` for the worker processes


def served_app() -> FastAPI:
    """The app each worker process of ``zhijiao serve --workers N`` builds for itself (its own engine and pool,
    from ``DATABASE_URL``); the demo data were loaded once, by the command, before the workers started."""
    return create_app(demo=os.environ.get(DEMO_VARIABLE) == "1")
