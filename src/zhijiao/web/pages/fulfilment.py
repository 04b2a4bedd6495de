"""The fulfilment pages (issue 5): awards and applications, payment batches, the ledger, the audit trail.

Each part is a module of its own; ``/awards/new`` comes before ``/awards/{id}`` so that it is not read
as an id.
"""

from fastapi import APIRouter

from zhijiao.web.pages import (
    fulfilment_actions,
    fulfilment_apply,
    fulfilment_audit,
    fulfilment_awards,
    fulfilment_batches,
    fulfilment_ledger,
    fulfilment_payees,
)

router = APIRouter()
for part in (
    fulfilment_apply,
    fulfilment_awards,
    fulfilment_actions,
    fulfilment_batches,
    fulfilment_ledger,
    fulfilment_payees,
    fulfilment_audit,
):
    router.include_router(part.router)
