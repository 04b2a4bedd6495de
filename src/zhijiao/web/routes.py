"""Which routers make up the platform: the pages of each area, and the API."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from zhijiao import api
from zhijiao.api import drafting as drafting_api
from zhijiao.api import fulfilment as fulfilment_api
from zhijiao.web.deps import check_csrf
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

PAGE_AREAS = (auth, dashboard, plan, calculator, registry, simulation, targets, reports, fulfilment, drafting)


def include_routes(app: FastAPI) -> None:
    for area in PAGE_AREAS:
        app.include_router(area.router, dependencies=[Depends(check_csrf)], include_in_schema=False)
    app.include_router(api.router)
    app.include_router(fulfilment_api.router)
    app.include_router(drafting_api.router)
