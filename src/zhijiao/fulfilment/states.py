"""The life of an application, of a payment batch and of a ledger correction: each status with its words, and
an explicit table of who may move it from where to where."""

from __future__ import annotations

from collections.abc import Mapping

from zhijiao.states import State


class Status(State):
    draft = "draft", "草稿", "draft"
    # a proactive award found in the registry, awaiting county review like a submission
    pending = "pending", "免申即享待审核", "proactive, awaiting review"
    submitted = "submitted", "已提交", "submitted"
    # sent back by the county for more information; the applicant resubmits
    returned = "returned", "退回补充材料", "returned for more information"
    county_reviewed = "county_reviewed", "县级已审核", "reviewed by the county"
    rejected = "rejected", "不予通过", "rejected"
    city_approved = "city_approved", "市级已审批", "approved by the city"
    payment_scheduled = "payment_scheduled", "已列入拨付批次", "payment scheduled"
    # released: the bank (or the budget system) has the payment instruction, its result not yet back
    instructed = "instructed", "已发出支付指令", "payment instructed"
    payment_failed = "payment_failed", "支付失败，待财政处理", "payment failed, with finance"
    paid = "paid", "已到账", "paid"
    withdrawn = "withdrawn", "已撤回", "withdrawn"

    @classmethod
    def following(cls) -> Mapping[Status, frozenset[Status]]:
        return {s: frozenset(to for sources, to in TRANSITIONS.values() if s in sources) for s in cls}


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
    "release": (frozenset({Status.payment_scheduled}), Status.instructed),
    # The bank's result (decision 0017): confirmed is paid; a failure goes back to finance, which instructs it
    # again (after the account is corrected by two people) or withdraws it to be paid in another batch.
    "bank_confirm": (frozenset({Status.instructed}), Status.paid),
    "bank_fail": (frozenset({Status.instructed}), Status.payment_failed),
    "reinstruct": (frozenset({Status.payment_failed}), Status.instructed),
    "withdraw_payment": (frozenset({Status.payment_failed}), Status.city_approved),
    # The city sends a review back; registry data that changed after approval send the award back too: the
    # county reviews it again on the data as they are, and the city approves that.
    "return_to_county": (frozenset({Status.county_reviewed}), Status.submitted),
    "re_review": (frozenset({Status.city_approved, Status.payment_scheduled}), Status.submitted),
    # A reversed payment is owed again, at an amount the city decides anew (or rejects).
    "reverse_payment": (frozenset({Status.paid}), Status.county_reviewed),
}

# An application in one of these no longer claims its entitlement: another may be made.
CLOSED = frozenset({Status.rejected, Status.withdrawn})


class BatchStatus(State):
    """A payment batch: prepared, then released by finance or cancelled when its data changed."""

    prepared = "prepared", "待拨付", "awaiting release"
    released = "released", "已发出支付指令", "instructed"
    closed = "closed", "已对账结清", "reconciled and closed"
    cancelled = "cancelled", "已取消（数据变化，转重新审核）", "cancelled (data changed, sent for re-review)"

    @classmethod
    def following(cls) -> Mapping[BatchStatus, frozenset[BatchStatus]]:
        return {cls.prepared: frozenset({cls.released, cls.cancelled}), cls.released: frozenset({cls.closed})}


class CorrectionStatus(State):
    """A proposed reversal or claw-back: a second person confirms or refuses it, or its proposer withdraws it."""

    proposed = "proposed", "待复核", "awaiting confirmation"
    confirmed = "confirmed", "已复核记账", "confirmed and recorded"
    refused = "refused", "复核退回", "refused"
    withdrawn = "withdrawn", "已撤回", "withdrawn"

    @classmethod
    def following(cls) -> Mapping[CorrectionStatus, frozenset[CorrectionStatus]]:
        return {cls.proposed: frozenset({cls.confirmed, cls.refused, cls.withdrawn})}
