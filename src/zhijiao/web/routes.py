"""The pages of each area, their static files and how a page says no: what the composition root mounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from zhijiao.http.deps import check_csrf
from zhijiao.web.pages import (
    auth,
    calculator,
    dashboard,
    drafting,
    fulfilment,
    plan,
    registry,
    reports,
    simulation,
    targets,
)
from zhijiao.web.templating import render

STATIC = Path(__file__).parent / "static"
PAGE_AREAS = (auth, dashboard, plan, calculator, registry, simulation, targets, reports, fulfilment, drafting)


def error_page(request: Request, context: dict[str, Any], status: int) -> Response:
    return render(request, "error.html", context, status_code=status)


def mount_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.error_page = error_page
    for area in PAGE_AREAS:
        app.include_router(area.router, dependencies=[Depends(check_csrf)], include_in_schema=False)
