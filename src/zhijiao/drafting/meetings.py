"""Meetings and revision rounds of a drafting: when, who chaired, which units took part, and the version
they produced; and the leaders' endorsements (批示) of the draft for approval, who in ``participants``. The drafting
explanation counts the meetings (专题会议, 全面修改), names the coordination meeting and the leaders who endorsed."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.drafting.errors import Invalid
from zhijiao.drafting.models import Meeting
from zhijiao.drafting.versions import check_not_historical, plan, version

MAX_PARTICIPANTS = 200


class MeetingKind(StrEnum):
    meeting = "meeting"  # a dedicated meeting (专题会议)
    revision = "revision"  # a revision round of the drafting group (全面修改)
    coordination = "coordination"  # departments and schools called together to revise (召集…再次修改)
    approval = "approval"  # the draft for approval endorsed by leaders (批示): who, in ``participants``


MEETING_KIND_LABELS = {
    MeetingKind.meeting: {"zh": "专题会议", "en": "dedicated meeting"},
    MeetingKind.revision: {"zh": "修改轮次", "en": "revision round"},
    MeetingKind.coordination: {"zh": "部门协调会", "en": "coordination meeting"},
    MeetingKind.approval: {"zh": "领导批示", "en": "endorsement by leaders"},
}


def record_meeting(
    session: Session,
    actor: Principal | None,
    plan_id: int,
    kind: MeetingKind,
    *,
    held_on: dt.date | None,
    chair: str | None,
    participants: list[str],
    produced_version_id: int | None = None,
    note: str | None = None,
) -> Meeting:
    if actor is not None:
        require(actor, Permission.edit_drafts)
    plan(session, plan_id)
    check_not_historical(session, actor, plan_id)
    if held_on is None:
        raise Invalid("请填写会议日期。", "Give the day it was held.")
    names = list(dict.fromkeys(name.strip() for name in participants if name.strip()))
    if len(names) > MAX_PARTICIPANTS:
        raise Invalid(f"参加单位最多{MAX_PARTICIPANTS}家。", f"At most {MAX_PARTICIPANTS} participants.")
    if produced_version_id is not None and version(session, produced_version_id).plan_id != plan_id:
        raise Invalid("形成的版本不属于该方案。", "The version it produced belongs to another plan.")
    meeting = Meeting(plan_id=plan_id, kind=kind.value, held_on=held_on, chair=(chair or "").strip() or None,
                      participants=names, participant_count=len(names) or None,
                      produced_version_id=produced_version_id, note=(note or "").strip() or None)  # fmt: skip
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "draft.meeting.record", "draft_meeting", meeting.id,
                 after={"plan": plan_id, "kind": kind.value, "held_on": held_on, "participants": names})  # fmt: skip
    return meeting
