"""The REST API under /api/v1: the same services as the pages, answered as JSON."""

from fastapi import APIRouter, FastAPI

from zhijiao.api import (
    auth,
    calculate,
    cost,
    drafting,
    fulfilment,
    fulfilment_payees,
    majors,
    plan,
    registry,
    registry_files,
    targets,
)
from zhijiao.engine.policy import Policy
from zhijiao.engine.succession import PlansInTurn


def mount_api(app: FastAPI, policy: Policy, plans: PlansInTurn | None = None) -> None:
    """The API of ``policy``: the calculator and the cost simulation describe their bodies from it; the calculator
    applies ``plans`` in turn when given (each situation the plan in force on its date)."""
    router = APIRouter(prefix="/api/v1")
    router.include_router(calculate.router_for(policy, plans))  # first: the route most requests take
    router.include_router(auth.router)
    router.include_router(plan.router)
    router.include_router(cost.router_for(policy))
    router.include_router(targets.router)
    router.include_router(majors.router)
    router.include_router(registry_files.router)
    router.include_router(registry.router)
    app.include_router(router)
    app.include_router(fulfilment.router)
    app.include_router(fulfilment_payees.router)
    app.include_router(drafting.router)
