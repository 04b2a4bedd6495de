"""The REST API under /api/v1: the same services as the pages, answered as JSON."""

from fastapi import APIRouter, FastAPI

from zhijiao.api import auth, calculate, cost, drafting, fulfilment, plan, registry, registry_files, targets

router = APIRouter(prefix="/api/v1")
router.include_router(auth.router)
router.include_router(calculate.router)
router.include_router(plan.router)
router.include_router(cost.router)
router.include_router(targets.router)
router.include_router(registry_files.router)
router.include_router(registry.router)


def mount_api(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(fulfilment.router)
    app.include_router(drafting.router)
