"""What a school or enterprise is told about its awards (通知), in the transaction of the step it reports:
a proactive award found for it (zhijiao.fulfilment.proactive), a request for more information, a decision
and its amount, a payment, a reversal or a claw-back, and whether its county accepted its claimed figures or why it kept
the registry's. Other steps inside the government (a county review, a batch) are not told: the entity sees
them as the award's status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.formatting import money
from zhijiao.fulfilment.models import Application, Notice
from zhijiao.language import Lang

# transition → (zh, en); {label} {number} {amount} are filled in, and {reason} with "：reason" (": reason")
MESSAGES: Mapping[str, tuple[str, str]] = {
    "proactive": (
        "根据登记信息，您单位可享受{label}（{amount}），无需申请，已生成待审核奖补 {number}。",
        (
            "From the registry, you are entitled to the {label} ({amount}) with no application needed: "
            "award {number} awaits review."
        ),
    ),
    "return_for_information": (
        "{label}（{number}）被退回补充材料{reason}。请补充后重新提交。",
        "{label} ({number}) was returned for more information{reason}. Add it and submit again.",
    ),
    "figures_kept": (
        "{label}（{number}）县级审核未采用您申报的数据，按登记数据核定金额{amount}{reason}。",
        "{label} ({number}): the county kept the registry's figures, not your claimed ones, for {amount}{reason}.",
    ),
    "figures_accepted": (
        "{label}（{number}）县级审核采用了您申报的数据，已据此更新登记信息，核定金额{amount}。",
        "{label} ({number}): the county accepted your claimed figures into the registry, for {amount}.",
    ),
    "county_reject": (
        "{label}（{number}）县级审核不予通过{reason}。",
        "{label} ({number}) was rejected by the county{reason}.",
    ),
    "city_approve": (
        "{label}（{number}）已审批通过，核定金额{amount}，待拨付。",
        "{label} ({number}) was approved at {amount}; payment follows.",
    ),
    "city_reject": (
        "{label}（{number}）市级审批不予通过{reason}。",
        "{label} ({number}) was rejected by the city{reason}.",
    ),
    "release": (
        "{label}（{number}）的{amount}已发出支付指令，到账后另行通知。",
        "{label} ({number}): the payment of {amount} is instructed; you will be told when it arrives.",
    ),
    "bank_confirm": ("{label}（{number}）的{amount}已到账。", "{label} ({number}): {amount} paid into your account."),
    "bank_fail": (
        "{label}（{number}）的{amount}支付未成功{reason}。财政部门将核对收款账户后重新支付。",
        "{label} ({number}): the payment of {amount} failed{reason}. Finance will check the account and pay again.",
    ),
    "reverse_payment": (
        "{label}（{number}）的付款已冲正{reason}。该奖补退回市级重新审批，审批后重新拨付或不予通过。",
        "The payment of {label} ({number}) was reversed{reason}. The city decides the award again.",
    ),
    "clawback": (
        "{label}（{number}）已追回{amount}{reason}。",
        "{label} ({number}): {amount} clawed back{reason}.",
    ),
}


def tell(session: Session, policy: Policy, application: Application, event: str, details: Mapping[str, object]) -> None:
    """A notice to the application's entity if ``event`` is one it is told of; nothing otherwise. The award is
    named as ``policy``, the plan it was granted under, names it."""
    if event not in MESSAGES:
        return
    zh, en = MESSAGES[event]
    label = policy.entitlements_by_id[application.entitlement].label
    amount = details.get("amount_fen")
    reason = str(details.get("reason") or "").strip()

    def fill(template: str, lang: Lang) -> str:
        shown = money(abs(amount), lang) if isinstance(amount, int) else ""
        why = (f"：{reason}" if lang is Lang.zh else f": {reason}") if reason else ""
        return template.format(label=label[lang.value], number=application.number, amount=shown, reason=why)

    session.add(
        Notice(
            application_id=application.id,
            school_id=application.school_id,
            enterprise_id=application.enterprise_id,
            platform_id=application.platform_id,
            message_zh=fill(zh, Lang.zh),
            message_en=fill(en, Lang.en),
            created_at=dt.datetime.now(dt.UTC),
        )
    )
