"""The demo's plan in progress (温州市职业教育高质量发展三年行动计划（2026—2028年）), loaded on the demo city
through the drafting services: loaded twice it is one plan, and what the pages show of it — the versions and
their differences, the open round's replies, the statistics and the generated explanation — is what was made."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from zhijiao import audit
from zhijiao.audit.models import AuditRecord
from zhijiao.demo.drafting_2026 import CODE, load_2026_demo
from zhijiao.drafting import consultation, queries, versions
from zhijiao.drafting.diff import compare
from zhijiao.drafting.models import DraftPlan, FeedbackItem
from zhijiao.drafting.statistics import drafting_explanation, statistics


def _audit_records(db) -> int:
    return db.scalar(select(func.count()).select_from(AuditRecord))


@pytest.fixture
def today() -> dt.date:
    return versions.wenzhou_today()


@pytest.fixture
def plan(db, today, policy) -> DraftPlan:
    loaded = load_2026_demo(db, today, policy)
    db.commit()
    records = _audit_records(db)
    again = load_2026_demo(db, today + dt.timedelta(days=30), policy)  # a later start of the demo finds it there
    db.commit()
    assert again.id == loaded.id
    assert _audit_records(db) == records  # nothing written the second time
    return loaded


def test_loaded_twice_it_is_one_plan_with_its_stages_and_an_intact_audit_trail(db, plan, today):
    assert db.scalar(select(func.count()).select_from(DraftPlan).where(DraftPlan.code == CODE)) == 1
    assert (plan.title, plan.period, plan.historical) == (
        "温州市职业教育高质量发展三年行动计划（2026—2028年）",
        "2026—2028",
        False,
    )
    found = [(v.number, v.stage, v.dated, v.frozen) for v in queries.versions_of(db, plan.id)]
    assert found == [
        (1, "first_draft", today - dt.timedelta(days=63), False),
        (2, "discussion", today - dt.timedelta(days=35), False),
        (3, "consultation", today - dt.timedelta(days=28), True),  # sent, so frozen
    ]
    assert [len(versions.articles(db, v.id)) for v in queries.versions_of(db, plan.id)] == [20, 19, 19]
    check = audit.verify(db)
    assert check.intact, check.first_break
    # The 2023 record is written by the system; everything of this plan by the demo accounts, as on the pages.
    done = db.execute(select(AuditRecord.actor, AuditRecord.action).where(AuditRecord.action.like("draft.%"))).all()
    by_people = Counter((actor, action) for actor, action in done if actor != "system")
    assert by_people[("drafter", "draft.disposition.propose")] == 6
    assert by_people[("admin", "draft.disposition.confirm")] == 4
    assert by_people[("unit", "draft.reply")] == 1  # 市发改委's own reply; the other five came on paper
    assert by_people[("drafter", "draft.reply")] == 5
    assert by_people[("drafter", "draft.round.send")] == 1
    assert {actor for actor, _ in by_people} == {"drafter", "admin", "unit"}


def test_the_discussion_draft_merged_two_articles_and_renumbered_one(db, plan):
    first, discussion, sent = queries.versions_of(db, plan.id)
    changed = {
        (c.old_number, c.new_number): (c.kinds, c.title, c.absorbed_numbers)
        for c in compare(db, first.id, discussion.id)
        if c.kinds != ("unchanged",)
    }
    assert changed == {
        (2, 2): (("changed",), "发展目标", ()),
        (None, 16): (("added",), "服务技能型社会建设", ()),
        (16, None): (("removed",), "深化山海协作", ()),
        (17, 17): (("merged", "retitled", "changed"), "加强组织领导和督导评价", (19,)),
        (20, 19): (("renumbered",), "营造良好氛围", ()),
    }
    later = [(c.old_number, c.kinds) for c in compare(db, discussion.id, sent.id) if c.kinds != ("unchanged",)]
    assert later == [(18, ("changed",))]  # the coordination meeting said who pays


def test_the_round_is_open_and_shows_replies_no_comments_and_silence(db, plan, persona, today):
    (summary,) = queries.rounds_of(db, plan.id)
    sent = summary.consultation
    assert (sent.sent_on, sent.deadline, sent.in_name_of) == (
        today - dt.timedelta(days=7),
        today + dt.timedelta(days=14),
        "市政府办公室",
    )
    assert (summary.units, summary.replied, summary.items) == (12, 6, 9)
    states = consultation.replies(db, sent.id, today=today)
    assert Counter(s.reply.value for s in states) == {"items": 5, "no_comments": 1, "awaiting": 6}
    assert not any(s.silent or s.late for s in states)  # before the deadline nobody is silent yet
    assert {s.unit.name for s in states if s.reply.value == "no_comments"} == {"市科技局"}
    after = consultation.replies(db, sent.id, today=sent.deadline + dt.timedelta(days=1))
    assert sorted(s.unit.name for s in after if s.silent) == sorted(
        ["市经信局", "市人力社保局", "市委编办", "乐清市人民政府", "永嘉县人民政府", "温州职业中等专业学校"]
    )
    assert Counter(s.unit.kind for s in states) == {
        "department": 6,
        "county_government": 3,
        "school": 2,
        "enterprise": 1,
    }

    unit = persona("unit")
    inbox = queries.rounds_for_unit(db, unit.scope.unit_id)  # what /consultations lists
    assert [r.consultation.plan_id for r in inbox].count(plan.id) == 1
    assert len(inbox) == 3  # and the 2023 record's two rounds, read-only
    found, mine = queries.round_for_unit(db, unit.scope.unit_id, sent.id)
    assert (found.id, mine.reply) == (sent.id, "items")
    own = queries.items(db, plan_id=plan.id, round_id=sent.id, unit_id=unit.scope.unit_id)
    assert [(v.written_on.number, v.written_on.title) for v in own if v.written_on] == [
        (8, "建设市域产教联合体"),
        (3, "深化强基扩容工程"),
    ]
    assert {v.item.submitted_by for v in own} == {unit.user_id}  # the unit's user answered for itself


def test_statistics_and_the_explanation_state_what_was_made(db, plan, persona, today):
    stats = statistics(db, plan.id)
    assert (stats.rounds, stats.units_consulted, stats.units_replied, stats.items) == (1, 12, 6, 9)
    assert stats.by_disposition == {"adopted": 2, "partially_adopted": 2, "not_adopted": 2, "pending": 3}
    assert stats.by_unit == {
        "市发改委": 2,
        "市财政局": 2,
        "瑞安市人民政府": 2,
        "温州职业技术学院": 2,
        "温州市现代集团": 1,
    }
    assert stats.by_unit_kind == {"department": 4, "county_government": 2, "school": 2, "enterprise": 1}
    assert stats.by_article["第3条 深化强基扩容工程"] == 2
    assert stats.by_article["全文"] == 1
    assert stats.meetings == {"meeting": 2, "revision": 2, "coordination": 1}

    drafter, admin = persona("drafter"), persona("admin")
    items = list(
        db.scalars(
            select(FeedbackItem).where(FeedbackItem.round_id == queries.rounds_of(db, plan.id)[0].consultation.id)
        )
    )
    proposed = [i for i in items if i.proposed_by is not None]
    confirmed = [i for i in items if i.confirmed_by is not None]
    assert ({i.proposed_by for i in proposed}, len(proposed)) == ({drafter.user_id}, 6)
    assert ({i.confirmed_by for i in confirmed}, len(confirmed)) == ({admin.user_id}, 4)
    assert Counter(i.disposition for i in confirmed) == {"adopted": 1, "partially_adopted": 2, "not_adopted": 1}
    assert all(i.disposition == "pending" for i in items if i.proposed_by is None)

    text = drafting_explanation(db, plan.id)
    coordinated = today - dt.timedelta(days=28)
    assert "市教育局局长先后两次主持专题会议研究，经过两轮全面修改完善，形成了《" in text
    assert (
        f"{coordinated.month}月{coordinated.day}日，市教育局召集发改、经信、财政、人力社保等4个部门和2所职业院校再次讨论修订"
        in text
    )
    assert (
        "以市政府办公室名义向12家单位发函征求意见，共收到反馈意见9条，"
        "拟采纳2条，拟部分采纳2条，拟不采纳2条，尚有3条待研究。"
    ) in text


def test_the_units_inbox_lists_the_open_round_before_the_past_record(db, plan, persona):
    inbox = queries.rounds_for_unit(db, persona("unit").scope.unit_id)
    assert inbox[0].consultation.plan_id == plan.id
