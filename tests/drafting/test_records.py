"""The rules the drafting pages rely on beyond the core: meetings recorded and stated in the explanation, a
settled version frozen, the past record read-only for every user, deadlines on Wenzhou dates, and a unit's
"no comments" that cannot follow its own items."""

from __future__ import annotations

import datetime as dt

import pytest
from drafts import new_plan, unit_id
from sqlalchemy import select, update

from zhijiao.drafting import consultation, dispositions, meetings, versions
from zhijiao.drafting.errors import Invalid, NotAllowed, WrongState
from zhijiao.drafting.history_2023 import CODE
from zhijiao.drafting.models import ConsultationRound, DraftPlan, DraftVersion, FeedbackItem, RoundUnit
from zhijiao.drafting.stages import Disposition, Stage
from zhijiao.drafting.statistics import drafting_explanation, statistics

DEADLINE = dt.date(2026, 3, 10)


def test_meetings_are_recorded_and_stated_in_the_explanation(db, persona):
    drafter = persona("drafter")
    first = new_plan(db, drafter)
    for day in (5, 12):
        meetings.record_meeting(
            db,
            drafter,
            first.plan_id,
            meetings.MeetingKind.meeting,
            held_on=dt.date(2026, 1, day),
            chair="局长",
            participants=[],
        )
    meetings.record_meeting(
        db,
        drafter,
        first.plan_id,
        meetings.MeetingKind.revision,
        held_on=dt.date(2026, 1, 20),
        chair=None,
        participants=[],
    )
    meeting = meetings.record_meeting(
        db,
        drafter,
        first.plan_id,
        meetings.MeetingKind.coordination,
        held_on=dt.date(2026, 2, 3),
        chair="市教育局",
        participants=["市发改委", " 市经信局 ", "市发改委", ""],
        produced_version_id=first.id,
    )
    assert (meeting.participants, meeting.participant_count) == (["市发改委", "市经信局"], 2)
    text = drafting_explanation(db, first.plan_id)
    # No discussion draft was made: the meetings are stated, a discussion draft is not claimed.
    assert (
        "局长先后两次主持专题会议研究，经过一轮全面修改完善。2月3日，市教育局召集2家单位再次讨论修订，形成了《" in text
    )
    assert "讨论稿" not in text
    assert statistics(db, first.plan_id).meetings == {"meeting": 2, "revision": 1, "coordination": 1}
    with pytest.raises(Invalid, match="day"):
        meetings.record_meeting(
            db, drafter, first.plan_id, meetings.MeetingKind.meeting, held_on=None, chair="", participants=[]
        )
    other = versions.create_plan(db, drafter, code="other", title="另一方案", period="2026")
    with pytest.raises(Invalid, match="another plan"):
        meetings.record_meeting(
            db,
            drafter,
            other.id,
            meetings.MeetingKind.meeting,
            held_on=dt.date(2026, 1, 1),
            chair="",
            participants=[],
            produced_version_id=first.id,
        )
    with pytest.raises(NotAllowed):
        meetings.record_meeting(
            db,
            persona("auditor"),
            first.plan_id,
            meetings.MeetingKind.meeting,
            held_on=dt.date(2026, 1, 1),
            chair="",
            participants=[],
        )


def test_a_settled_version_is_frozen_and_only_a_city_administrator_settles(db, persona):
    drafter, admin = persona("drafter"), persona("admin")
    first = new_plan(db, drafter)
    with pytest.raises(WrongState, match="approval"):
        versions.publish(db, admin, first.id)  # a consultation draft is not a final text
    final = versions.new_version(db, drafter, first.id, Stage.issued)
    with pytest.raises(NotAllowed):
        versions.publish(db, drafter, final.id)
    versions.publish(db, admin, final.id)
    assert final.frozen
    key = versions.articles(db, final.id)[0].article_key
    with pytest.raises(WrongState):
        versions.edit_article(db, drafter, final.id, key, title="x", text="y")
    with pytest.raises(WrongState):
        versions.publish(db, admin, final.id)
    with pytest.raises(WrongState):  # a plan's first version is made once
        versions.first_version(db, drafter, versions.plan(db, first.plan_id), Stage.first_draft, [])


def test_the_past_record_is_read_only_for_every_user(db, persona):
    drafter, admin = persona("drafter"), persona("admin")
    plan = db.scalar(select(DraftPlan).where(DraftPlan.code == CODE))
    assert plan is not None
    first = db.scalar(select(DraftVersion).where(DraftVersion.plan_id == plan.id, DraftVersion.number == 1))
    assert first is not None
    key = versions.articles(db, first.id)[0].article_key
    a_round = db.scalar(select(ConsultationRound).where(ConsultationRound.plan_id == plan.id))
    assert a_round is not None
    item = db.scalar(select(FeedbackItem).where(FeedbackItem.round_id == a_round.id).limit(1))
    assert item is not None
    attempts = [
        lambda: versions.edit_article(db, drafter, first.id, key, title="x", text="y"),
        lambda: versions.new_version(db, drafter, first.id, Stage.discussion),
        lambda: consultation.send_round(db, drafter, first.id, [unit_id(db, "市发改委")], sent_on=None, deadline=None),
        lambda: consultation.record_reply(db, drafter, a_round.id, unit_id(db, "市发改委"), [], no_comments=True),
        lambda: consultation.submit_reply(db, persona("unit"), a_round.id, [], no_comments=True),
        lambda: dispositions.propose(db, drafter, item.id, Disposition.not_adopted, "改"),
        lambda: dispositions.confirm(db, admin, item.id),
        lambda: meetings.record_meeting(
            db, drafter, plan.id, meetings.MeetingKind.meeting, held_on=dt.date(2023, 2, 1), chair="", participants=[]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(WrongState) as refused:
            attempt()
        assert refused.value.code == "historical_record"
    db.rollback()
    assert statistics(db, plan.id).by_disposition["adopted"] == 11


def test_a_deadline_ends_at_midnight_in_wenzhou(db, persona):
    drafter = persona("drafter")
    first = new_plan(db, drafter)
    ids = [unit_id(db, name) for name in ("市发改委", "市经信局")]
    sent = consultation.send_round(db, drafter, first.id, ids, sent_on=dt.date(2026, 3, 1), deadline=DEADLINE)
    consultation.record_reply(db, drafter, sent.id, ids[0], [], no_comments=True)
    consultation.record_reply(db, drafter, sent.id, ids[1], [], no_comments=True)
    # 23:30 on the 10th in Wenzhou is 15:30 UTC: on time. 00:30 on the 11th is 16:30 UTC on the 10th: late.
    on_time = dt.datetime(2026, 3, 10, 15, 30, tzinfo=dt.UTC)
    late = dt.datetime(2026, 3, 10, 16, 30, tzinfo=dt.UTC)
    for unit, moment in zip(ids, (on_time, late), strict=True):
        db.execute(
            update(RoundUnit).where(RoundUnit.round_id == sent.id, RoundUnit.unit_id == unit).values(replied_at=moment)
        )
    db.commit()
    states = {s.unit.name: s.late for s in consultation.replies(db, sent.id, today=dt.date(2026, 3, 20))}
    assert states == {"市发改委": False, "市经信局": True}


def test_a_unit_that_sent_items_cannot_reply_no_comments_but_may_add_items(db, persona):
    drafter, unit = persona("drafter"), persona("unit")
    first = new_plan(db, drafter)
    sent = consultation.send_round(db, drafter, first.id, [unit_id(db, "市发改委")], sent_on=None, deadline=DEADLINE)
    consultation.submit_reply(db, unit, sent.id, [], no_comments=True, today=DEADLINE)
    consultation.submit_reply(db, unit, sent.id, [consultation.Comment(2, "补充意见")], today=DEADLINE)
    with pytest.raises(WrongState, match="already sent items"):
        consultation.submit_reply(db, unit, sent.id, [], no_comments=True, today=DEADLINE)
    (state,) = consultation.replies(db, sent.id, today=DEADLINE)
    assert state.reply == "items"
