"""Consultation rounds: a version sent to units with a deadline, and each unit's reply — feedback items,
an explicit "no comments", or nothing (late and silent units stay visible)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.drafting.errors import Invalid, NotAllowed, OutOfScope, WrongState
from zhijiao.drafting.models import ConsultationRound, FeedbackItem, RoundUnit, Unit
from zhijiao.drafting.stages import Disposition, ReplyStatus, UnitKind
from zhijiao.drafting.versions import (
    article_by_number,
    check_not_historical,
    freeze,
    now,
    version,
    wenzhou_today,
)
from zhijiao.formatting import WENZHOU_TIME
from zhijiao.storage.base import aware


@dataclass(frozen=True)
class Comment:
    """One feedback item as a unit writes it: on article N of the version it was sent (None: the whole text)."""

    article_number: int | None
    text: str


def add_unit(session: Session, actor: Principal | None, name: str, kind: UnitKind) -> Unit:
    if actor is not None:
        require(actor, Permission.edit_drafts)
    name = name.strip()
    if not name:
        raise Invalid("单位名称不能为空。", "The unit's name is empty.")
    existing = session.scalar(select(Unit).where(Unit.name == name))
    if existing is not None:
        return existing
    unit = Unit(name=name, kind=kind.value)
    session.add(unit)
    session.flush()
    audit.record(session, actor, "draft.unit.add", "unit", name, after={"kind": kind.value})
    return unit


def send_round(
    session: Session,
    actor: Principal | None,
    version_id: int,
    unit_ids: list[int],
    *,
    sent_on: dt.date | None,
    deadline: dt.date | None,
    in_name_of: str | None = None,
) -> ConsultationRound:
    """Sends ``version_id`` to the units; the version is frozen from now on (what was sent stays as sent)."""
    if actor is not None:
        require(actor, Permission.edit_drafts)
    draft = version(session, version_id)
    check_not_historical(session, actor, draft.plan_id)
    if not unit_ids:
        raise Invalid("请选择征求意见的单位。", "Choose the units to consult.")
    if sent_on and deadline and deadline < sent_on:
        raise Invalid("反馈截止日期早于发出日期。", "The deadline is before the day it is sent.")
    last = session.scalar(select(func.max(ConsultationRound.number)).where(ConsultationRound.plan_id == draft.plan_id))
    consultation = ConsultationRound(plan_id=draft.plan_id, number=(last or 0) + 1, version_id=draft.id,
                                     sent_on=sent_on, deadline=deadline, in_name_of=in_name_of,
                                     sent_by=actor.user_id if actor else None)  # fmt: skip
    session.add(consultation)
    session.flush()
    for unit_id in sorted(set(unit_ids)):
        if session.get(Unit, unit_id) is None:
            raise Invalid(f"未知的单位：{unit_id}", f"Unknown unit: {unit_id}")
        session.add(RoundUnit(round_id=consultation.id, unit_id=unit_id, reply=ReplyStatus.awaiting.value))
    freeze(session, draft.id)
    session.flush()
    audit.record(session, actor, "draft.round.send", "consultation_round", f"{draft.plan_id}#{consultation.number}",
                 after={"version": draft.number, "units": len(set(unit_ids)), "deadline": deadline})  # fmt: skip
    return consultation


def _round_unit(session: Session, round_id: int, unit_id: int) -> RoundUnit:
    found = session.scalar(select(RoundUnit).where(RoundUnit.round_id == round_id, RoundUnit.unit_id == unit_id))
    if found is None:
        raise OutOfScope("征求意见轮次", "consultation round")
    return found


def _record(session: Session, actor: Principal | None, consultation: ConsultationRound, unit_id: int,
            comments: list[Comment], *, no_comments: bool) -> list[FeedbackItem]:  # fmt: skip
    check_not_historical(session, actor, consultation.plan_id)
    addressee = _round_unit(session, consultation.id, unit_id)
    if no_comments and comments:
        raise Invalid("“无意见”的答复不能同时包含意见。", "A 'no comments' reply cannot carry items.")
    reply = ReplyStatus.no_comments if no_comments else ReplyStatus.items
    current = ReplyStatus(addressee.reply)
    if not current.can_become(reply):
        if current is ReplyStatus.items:
            raise WrongState(
                "该单位在本轮已提交意见，不能再答复“无意见”。",
                "This unit has already sent items in this round: it cannot reply 'no comments' now.",
            )
        raise WrongState(f"该单位在本轮的答复为“{current.zh}”，不能再答复。", f"This unit's reply is {current.en}.")
    if not no_comments and not comments:
        raise Invalid("请填写意见，或选择“无意见”。", "Write at least one item, or reply 'no comments'.")
    items = []
    for comment in comments:
        text = comment.text.strip()
        if not text:
            raise Invalid("意见内容不能为空。", "An item's text is empty.")
        key = None
        if comment.article_number is not None:
            key = article_by_number(session, consultation.version_id, comment.article_number).article_key
        item = FeedbackItem(round_id=consultation.id, unit_id=unit_id, version_id=consultation.version_id,
                            article_key=key, article_number=comment.article_number, text=text,
                            disposition=Disposition.pending.value, submitted_by=actor.user_id if actor else None,
                            submitted_at=now(), extra={})  # fmt: skip
        session.add(item)
        items.append(item)
    addressee.reply = reply.value
    addressee.replied_at = now()
    session.flush()
    audit.record(session, actor, "draft.reply", "consultation_round", f"{consultation.plan_id}#{consultation.number}",
                 after={"unit": unit_id, "items": len(items), "no_comments": no_comments})  # fmt: skip
    return items


def submit_reply(session: Session, actor: Principal, round_id: int, comments: list[Comment], *,
                 no_comments: bool = False, today: dt.date | None = None) -> list[FeedbackItem]:  # fmt: skip
    """A unit's own reply, on the version sent to it, until the deadline (inclusive) and not after."""
    require(actor, Permission.submit_feedback)
    consultation = session.get(ConsultationRound, round_id)
    if consultation is None or actor.scope.unit_id is None:
        raise OutOfScope("征求意见轮次", "consultation round")
    _round_unit(session, round_id, actor.scope.unit_id)  # only a unit the round was sent to
    day = today or wenzhou_today()
    if consultation.deadline and day > consultation.deadline:
        raise WrongState(
            f"反馈截止日期（{consultation.deadline}）已过，不能再提交；请与起草组联系。",
            f"The deadline ({consultation.deadline}) has passed: items can no longer be submitted.",
            code="deadline_passed",
        )
    return _record(session, actor, consultation, actor.scope.unit_id, comments, no_comments=no_comments)


def record_reply(session: Session, actor: Principal | None, round_id: int, unit_id: int, comments: list[Comment], *,
                 no_comments: bool = False) -> list[FeedbackItem]:  # fmt: skip
    """Drafting staff record a reply that came on paper, by mail or in a spreadsheet; a late one shows as late."""
    if actor is not None:
        require(actor, Permission.edit_drafts)
    consultation = session.get(ConsultationRound, round_id)
    if consultation is None:
        raise OutOfScope("征求意见轮次", "consultation round")
    return _record(session, actor, consultation, unit_id, comments, no_comments=no_comments)


def local_date(moment: dt.datetime) -> dt.date:
    """The Wenzhou date of a stored time (UTC; SQLite gives it back without its zone)."""
    return aware(moment).astimezone(WENZHOU_TIME).date()


@dataclass(frozen=True)
class ReplyState:
    unit: Unit
    reply: ReplyStatus
    replied_at: dt.datetime | None
    late: bool  # replied after the deadline
    silent: bool  # no reply, and the deadline has passed


def replies(session: Session, round_id: int, today: dt.date | None = None) -> list[ReplyState]:
    consultation = session.get(ConsultationRound, round_id)
    if consultation is None:
        raise OutOfScope("征求意见轮次", "consultation round")
    day = today or wenzhou_today()
    deadline = consultation.deadline
    query = select(RoundUnit, Unit).join(Unit, RoundUnit.unit_id == Unit.id).where(RoundUnit.round_id == round_id)
    states = []
    for addressee, unit in session.execute(query.order_by(Unit.name)):
        replied = addressee.replied_at
        late = bool(deadline and replied and local_date(replied) > deadline)
        silent = bool(deadline and replied is None and day > deadline)
        states.append(ReplyState(unit, ReplyStatus(addressee.reply), replied, late, silent))
    return states


def check_unit_user(actor: Principal, unit_id: int) -> None:
    if actor.scope.unit_id is not None and actor.scope.unit_id != unit_id:
        raise NotAllowed("只能查看本单位的答复。", "You can see only your own unit's reply.")
