"""The fulfilment API (issue 5) under /api/v1: applications and their steps, proactive awards, payment
batches, the ledger and its two-person corrections, obligations and statements, the audit trail."""

from fastapi import APIRouter

from zhijiao.api import (
    fulfilment_applications,
    fulfilment_audit,
    fulfilment_corrections,
    fulfilment_payments,
    fulfilment_review,
)

router = APIRouter(prefix="/api/v1")
for part in (fulfilment_applications, fulfilment_review, fulfilment_payments, fulfilment_corrections, fulfilment_audit):
    router.include_router(part.router)
