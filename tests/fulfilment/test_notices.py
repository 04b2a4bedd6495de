"""The school or enterprise is told what happens to its award: more information wanted, the decision and its
amount, the payment, a reversal, a claw-back; not the government's own steps (a review, a batch)."""

from __future__ import annotations

from flows import PART_TIME, YEAR, approved_proactive, batch_of, corrected, school_code
from sqlalchemy import select

import bank
from zhijiao.formatting import money
from zhijiao.fulfilment import applications
from zhijiao.fulfilment.models import Application, Notice
from zhijiao.language import Lang


def _told(db, application_id: int, lang: Lang = Lang.zh) -> list[str]:
    query = select(Notice).where(Notice.application_id == application_id).order_by(Notice.id)
    return [n.message_zh if lang is Lang.zh else n.message_en for n in db.scalars(query)]


def test_a_school_is_told_of_the_return_the_decision_the_payment_and_the_reversal(db, persona, policy):
    school = persona("school")
    draft = applications.create(
        db, school, policy, entitlement_id=PART_TIME, entity_code=school_code(db, school), year=YEAR
    )
    applications.submit(db, school, policy, draft.id)
    applications.return_for_information(db, persona("county"), policy, draft.id, "请附兼职教师聘用合同")
    applications.submit(db, school, policy, draft.id)
    applications.county_approve(db, persona("county"), policy, draft.id)
    assert len(_told(db, draft.id)) == 1  # the county's own review is not a notice
    decision = applications.city_approve(db, persona("admin"), policy, draft.id)
    db.commit()
    (payment,) = bank.paid(db, persona("finance"), policy, batch_of(db, persona, policy, [draft.id]))
    corrected(db, persona, policy, payment.id, "收款账户有误")
    db.commit()

    amount = money(decision.amount_fen, Lang.zh)
    number = db.get(Application, draft.id).number
    award = f"第十三条 兼职教师经费（{number}）"
    assert _told(db, draft.id) == [
        f"{award}被退回补充材料：请附兼职教师聘用合同。请补充后重新提交。",
        f"{award}已审批通过，核定金额{amount}，待拨付。",
        f"{award}的{amount}已发出支付指令，到账后另行通知。",
        f"{award}的{amount}已到账。",
        f"{award}的付款已冲正：收款账户有误。该奖补退回市级重新审批，审批后重新拨付或不予通过。",
    ]
    english = _told(db, draft.id, Lang.en)
    paid = money(decision.amount_fen, Lang.en)
    assert english[3] == f"Art. 13 part-time teacher funding ({number}): {paid} paid into your account."


def test_an_enterprise_is_told_of_its_proactive_award_and_of_a_claw_back(db, persona, policy):
    (award_id, *_rest) = approved_proactive(db, persona, policy)
    (payment,) = bank.paid(db, persona("finance"), policy, batch_of(db, persona, policy, [award_id]))
    corrected(db, persona, policy, payment.id, "认定撤销", kind="clawback")
    db.commit()
    told = _told(db, award_id)
    assert told[0].startswith("根据登记信息，您单位可享受")
    assert told[-1].endswith(f"已追回{money(payment.amount_fen, Lang.zh)}：认定撤销。")
    assert len(told) == 5  # found, approved, instructed, paid, clawed back
