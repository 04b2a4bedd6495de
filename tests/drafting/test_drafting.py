"""Drafting and consultation: versions, rounds, replies, dispositions, and the 2023 record's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from drafts import new_plan, unit_id
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from zhijiao.authz import Role
from zhijiao.drafting import consultation, dispositions, versions
from zhijiao.drafting.diff import compare
from zhijiao.drafting.errors import NotAllowed, OutOfScope, WrongState
from zhijiao.drafting.history_2023 import CODE, load_2023
from zhijiao.drafting.models import DraftPlan, FeedbackItem
from zhijiao.drafting.queries import versions_of
from zhijiao.drafting.stages import Disposition, Stage
from zhijiao.drafting.statistics import drafting_explanation, statistics

DEADLINE = dt.date(2026, 3, 10)


def test_the_2023_record_reproduces_the_explanations_figures(db, policy):
    plan = db.scalar(select(DraftPlan).where(DraftPlan.code == CODE))  # loaded with the demo
    assert plan is not None
    assert load_2023(db, policy).id == plan.id  # loading again adds nothing
    stats = statistics(db, plan.id)
    assert (stats.rounds, stats.units_consulted, stats.items) == (2, 39, 75)
    assert stats.by_disposition == {"adopted": 11, "partially_adopted": 57, "not_adopted": 7, "pending": 0}
    assert stats.meetings == {"meeting": 3, "revision": 4, "coordination": 1, "approval": 1}
    text = drafting_explanation(db, plan.id)
    assert "市教育局局长先后三次主持专题会议研究，经过四轮全面修改完善，形成了《" in text
    assert "2月23日，市教育局召集发改、经信、科技等7个部门、1所高职院校以及1所中职学校再次讨论修订，形成了《" in text
    assert (
        "以市府办名义向39家单位两轮发函征求意见，共收到反馈意见75条，拟采纳11条，拟部分采纳57条，拟不采纳7条。" in text
    )


def test_an_item_on_article_13_follows_its_article_when_5_and_6_are_merged(db, persona):
    drafter = persona("drafter")
    first = new_plan(db, drafter)
    unit = unit_id(db, "市发改委")
    sent = consultation.send_round(db, drafter, first.id, [unit], sent_on=dt.date(2026, 3, 1), deadline=DEADLINE)
    (item,) = consultation.submit_reply(db, persona("unit"), sent.id, [consultation.Comment(13, "建议明确资金来源。")],
                                        today=DEADLINE)  # fmt: skip
    db.commit()
    second = versions.new_version(db, drafter, first.id, Stage.for_approval)
    five, six = (versions.article_by_number(db, second.id, n).article_key for n in (5, 6))
    versions.merge_articles(db, drafter, second.id, five, six, text="第五条与第六条合并后的内容。")
    db.commit()
    carried = dispositions.carried_to(db, item, second.id)
    assert carried is not None
    assert (carried.number, carried.title, carried.article_key) == (12, "条款13", item.article_key)
    changes = {c.key: c for c in compare(db, first.id, second.id)}
    assert changes[five].kinds == ("merged", "changed")
    assert changes[five].absorbed_numbers == (6,)
    assert changes[item.article_key].kinds == ("renumbered",)
    assert (changes[item.article_key].old_number, changes[item.article_key].new_number) == (13, 12)
    assert six not in changes  # merged away, shown on article 5
    with pytest.raises(WrongState):  # what was sent stays as sent
        versions.edit_article(db, drafter, first.id, five, title="x", text="y")


def test_units_reply_until_the_deadline_and_late_and_silent_ones_show(db, persona):
    drafter = persona("drafter")
    first = new_plan(db, drafter)
    units = [unit_id(db, name) for name in ("市发改委", "市经信局", "市科技局")]
    sent = consultation.send_round(db, drafter, first.id, units, sent_on=dt.date(2026, 3, 1), deadline=DEADLINE)
    db.commit()
    with pytest.raises(WrongState, match="deadline"):
        consultation.submit_reply(db, persona("unit"), sent.id, [], no_comments=True, today=DEADLINE + dt.timedelta(1))
    consultation.submit_reply(db, persona("unit"), sent.id, [], no_comments=True, today=DEADLINE)
    consultation.record_reply(db, drafter, sent.id, units[1], [consultation.Comment(None, "总体同意。")])
    db.commit()
    states = {s.unit.name: s for s in consultation.replies(db, sent.id, today=DEADLINE + dt.timedelta(days=5))}
    assert states["市发改委"].reply == "no_comments"
    assert states["市经信局"].reply == "items"
    assert (states["市科技局"].reply, states["市科技局"].silent) == ("awaiting", True)


def test_a_unit_sees_and_answers_only_rounds_sent_to_it(db, persona):
    drafter = persona("drafter")
    first = new_plan(db, drafter)
    sent = consultation.send_round(db, drafter, first.id, [unit_id(db, "市科技局")], sent_on=None, deadline=DEADLINE)
    with pytest.raises(OutOfScope):
        consultation.submit_reply(db, persona("unit"), sent.id, [consultation.Comment(1, "意见")], today=DEADLINE)


def test_dispositions_are_proposed_and_confirmed_by_two_people(db, persona):
    drafter, admin = persona("drafter"), persona("admin")
    first = new_plan(db, drafter)
    sent = consultation.send_round(db, drafter, first.id, [unit_id(db, "市发改委")], sent_on=None, deadline=DEADLINE)
    comments = [consultation.Comment(n, f"对第{n}条的意见") for n in (1, 2, 3)]
    items = consultation.submit_reply(db, persona("unit"), sent.id, comments, today=DEADLINE)
    dispositions.propose_from_template(db, drafter, [i.id for i in items[:2]], "not_scope")
    dispositions.propose(db, drafter, items[2].id, Disposition.adopted, "", change="第3条增加资金来源。")
    with pytest.raises(NotAllowed):  # drafting staff do not confirm
        dispositions.confirm(db, drafter, items[0].id)
    with pytest.raises(NotAllowed, match="proposed"):  # nor does the proposer with another role
        dispositions.confirm(db, replace(drafter, role=Role.city_admin), items[0].id)
    for item in items:
        dispositions.confirm(db, admin, item.id)
    db.commit()
    stats = statistics(db, first.plan_id)
    assert stats.by_disposition == {"adopted": 1, "partially_adopted": 0, "not_adopted": 2, "pending": 0}
    with pytest.raises(WrongState):
        dispositions.propose(db, drafter, items[0].id, Disposition.adopted, "")
    db.rollback()
    with pytest.raises(IntegrityError):  # and the database refuses it whatever the code
        db.execute(
            update(FeedbackItem).where(FeedbackItem.id == items[0].id).values(confirmed_by=FeedbackItem.proposed_by)
        )
    db.rollback()


def test_a_new_version_never_goes_back_a_stage_and_the_issued_text_ends_the_drafting(db, persona):
    drafter = persona("drafter")
    first = new_plan(db, drafter)  # a consultation draft
    second = versions.new_version(db, drafter, first.id, Stage.consultation)  # a second one is allowed
    with pytest.raises(WrongState) as refused:
        versions.new_version(db, drafter, second.id, Stage.discussion)
    assert refused.value.zh == "本方案已到征求意见稿（第2版），新版本不能是讨论稿。"
    with pytest.raises(WrongState):  # based on the first, still after the plan's latest
        versions.new_version(db, drafter, first.id, Stage.first_draft)
    issued = versions.new_version(db, drafter, second.id, Stage.issued)
    with pytest.raises(WrongState):
        versions.new_version(db, drafter, issued.id, Stage.issued)
    assert [v.stage for v in versions_of(db, first.plan_id)] == ["consultation", "consultation", "issued"]
