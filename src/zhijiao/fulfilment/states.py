"""The life of an application, as an explicit table of who may move it from where to where."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    draft = "draft"
    pending = "pending"  # a proactive award found in the registry, awaiting county review like a submission
    submitted = "submitted"
    returned = "returned"  # sent back by the county for more information; the applicant resubmits
    county_reviewed = "county_reviewed"
    rejected = "rejected"
    city_approved = "city_approved"
    payment_scheduled = "payment_scheduled"
    paid = "paid"
    withdrawn = "withdrawn"


STATUS_LABELS: dict[Status, dict[str, str]] = {
    Status.draft: {"zh": "草稿", "en": "draft"},
    Status.pending: {"zh": "免申即享待审核", "en": "proactive, awaiting review"},
    Status.submitted: {"zh": "已提交", "en": "submitted"},
    Status.returned: {"zh": "退回补充材料", "en": "returned for more information"},
    Status.county_reviewed: {"zh": "县级已审核", "en": "reviewed by the county"},
    Status.rejected: {"zh": "不予通过", "en": "rejected"},
    Status.city_approved: {"zh": "市级已审批", "en": "approved by the city"},
    Status.payment_scheduled: {"zh": "已列入拨付批次", "en": "payment scheduled"},
    Status.paid: {"zh": "已拨付", "en": "paid"},
    Status.withdrawn: {"zh": "已撤回", "en": "withdrawn"},
}

# transition name → (statuses it leaves from, status it arrives at)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status]] = {
    "submit": (frozenset({Status.draft, Status.returned}), Status.submitted),
    "withdraw": (frozenset({Status.draft, Status.submitted, Status.returned}), Status.withdrawn),
    "return_for_information": (frozenset({Status.submitted}), Status.returned),
    "county_approve": (frozenset({Status.submitted, Status.pending}), Status.county_reviewed),
    "county_reject": (frozenset({Status.submitted, Status.pending}), Status.rejected),
    "city_approve": (frozenset({Status.county_reviewed}), Status.city_approved),
    "city_reject": (frozenset({Status.county_reviewed}), Status.rejected),
    "schedule_payment": (frozenset({Status.city_approved}), Status.payment_scheduled),
    "unschedule": (frozenset({Status.payment_scheduled}), Status.city_approved),
    "release": (frozenset({Status.payment_scheduled}), Status.paid),
    "re_review": (frozenset({Status.city_approved, Status.payment_scheduled}), Status.county_reviewed),
    # A reversed payment is owed again, at an amount the city decides anew (or rejects).
    "reverse_payment": (frozenset({Status.paid}), Status.county_reviewed),
}

# An application in one of these no longer claims its entitlement: another may be made.
CLOSED = frozenset({Status.rejected, Status.withdrawn})
