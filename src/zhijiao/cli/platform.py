"""The composition root: one FastAPI app with the pages and the REST API mounted side by side (neither imports
the other), the refusal handlers of the shared HTTP kernel, and the database and policy every request uses. It
lives with the command line, the other place a process starts (decision 0011)."""

from __future__ import annotations

import logging
import os

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from starlette.exceptions import HTTPException

from zhijiao.api import mount_api
from zhijiao.api.docs import router as docs_router
from zhijiao.cli.common import the_plans
from zhijiao.engine.errors import InputError
from zhijiao.engine.policy import Policy
from zhijiao.engine.succession import PlansInTurn
from zhijiao.http import problems
from zhijiao.http.errors import AppError
from zhijiao.http.guard import DEFAULT_MAX_BODY_BYTES, RequestGuard
from zhijiao.http.headers import SecurityHeaders
from zhijiao.refusals import Refused
from zhijiao.registry.uploads import MAX_UPLOAD_BYTES
from zhijiao.storage.database import get_engine
from zhijiao.web.routes import mount_pages

log = logging.getLogger("zhijiao")

MAX_BODY_VARIABLE = "ZHIJIAO_MAX_BODY_BYTES"  # JSON and form bodies; default DEFAULT_MAX_BODY_BYTES (1 MiB)
MAX_UPLOAD_VARIABLE = "ZHIJIAO_MAX_UPLOAD_BYTES"  # multipart uploads: the file limit plus room for the form
UPLOAD_ENVELOPE = 1024 * 1024  # a multipart body is the file and the form's other fields and boundaries


def _limit(variable: str, default: int) -> int:
    value = os.environ.get(variable, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def create_app(
    engine: Engine | None = None,
    *,
    demo: bool = False,
    policy: Policy | None = None,
    plans: PlansInTurn | None = None,
    max_body_bytes: int | None = None,
    max_upload_bytes: int | None = None,
) -> FastAPI:
    """The platform on ``engine`` (default: ``DATABASE_URL`` or the SQLite file), migrated beforehand, applying
    ``policy`` (default: the plan the command line applies). Every route receives the policy from here.
    ``max_body_bytes`` (JSON and forms) and ``max_upload_bytes`` (multipart uploads) bound every request body
    before it is read; default from ``ZHIJIAO_MAX_BODY_BYTES`` / ``ZHIJIAO_MAX_UPLOAD_BYTES``, else 1 MiB and
    the upload limit plus 1 MiB."""
    if plans is None:  # the plans in force in turn: ZHIJIAO_PLANS, else 2023's (and the demo's successor in the demo)
        plans = PlansInTurn.of([policy]) if policy is not None else the_plans(demo=demo)
    policy = policy if policy is not None else plans.first
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
    app.state.plans = plans
    # Added first, so it runs inside the headers middleware: its refusals carry the same security headers.
    app.add_middleware(
        RequestGuard,
        max_body=max_body_bytes or _limit(MAX_BODY_VARIABLE, DEFAULT_MAX_BODY_BYTES),
        max_upload=max_upload_bytes or _limit(MAX_UPLOAD_VARIABLE, MAX_UPLOAD_BYTES + UPLOAD_ENVELOPE),
        own_limit=frozenset({"/api/v1/calculate"}),  # it reads its body itself, to its own limit (5 MB)
    )
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(AppError, problems.app_error)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, problems.input_error)  # type: ignore[arg-type]
    app.add_exception_handler(Refused, problems.refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, problems.validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, problems.http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, problems.unexpected)
    # The API first: routes are matched one by one in order, and a calculation should not walk past every page.
    mount_api(app, policy, plans)
    app.include_router(docs_router)
    mount_pages(app)
    return app


DEMO_VARIABLE = "ZHIJIAO_SERVE_DEMO"  # set by ``zhijiao serve --demo --workers N`` for the worker processes


def served_app() -> FastAPI:
    """The app each worker process of ``zhijiao serve --workers N`` builds for itself (its own engine and pool,
    from ``DATABASE_URL``); the demo data were loaded once, by the command, before the workers started."""
    return create_app(demo=os.environ.get(DEMO_VARIABLE) == "1")
