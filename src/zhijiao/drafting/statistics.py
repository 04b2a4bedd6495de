"""The statistics of a drafting and the paragraph of the drafting explanation that states them, in the
official style: "分2轮征求了39家单位意见，共收到反馈意见75条，拟采纳11条，拟部分采纳57条，拟不采纳7条"."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.drafting.models import ConsultationRound, DraftArticle, DraftPlan, FeedbackItem, Meeting, RoundUnit, Unit
from zhijiao.drafting.stages import Disposition

UNKNOWN_UNIT = "（单位未载明）"
WHOLE_TEXT = "全文"
UNKNOWN_ARTICLE = "（条款未载明）"


def _article_label(item: FeedbackItem, titles: dict[tuple[int, str], str]) -> str:
    """An item of a past record whose text is lost is not "on the whole text": which article it was on is unknown."""
    if item.article_key is None:
        return UNKNOWN_ARTICLE if (item.extra or {}).get("text_known") is False else WHOLE_TEXT
    return titles.get((item.version_id, item.article_key), UNKNOWN_ARTICLE)


@dataclass(frozen=True)
class Statistics:
    rounds: int
    units_consulted: int  # distinct units any round was sent to
    units_replied: int
    items: int
    by_disposition: dict[str, int]
    by_round: dict[int, int]
    by_unit: dict[str, int]
    by_unit_kind: dict[str, int]
    by_article: dict[str, int]  # "第N条 title" of the version it was written on; "全文" for the whole text
    in_name_of: str | None = None
    meetings: dict[str, int] = field(default_factory=dict)


def statistics(session: Session, plan_id: int) -> Statistics:
    rounds = list(session.scalars(select(ConsultationRound).where(ConsultationRound.plan_id == plan_id)))
    round_ids = [r.id for r in rounds]
    units = session.scalar(
        select(func.count(func.distinct(RoundUnit.unit_id))).where(RoundUnit.round_id.in_(round_ids))
    )
    replied = session.scalar(
        select(func.count(func.distinct(RoundUnit.unit_id))).where(
            RoundUnit.round_id.in_(round_ids), RoundUnit.reply != "awaiting"
        )
    )
    items = list(session.scalars(select(FeedbackItem).where(FeedbackItem.round_id.in_(round_ids))))
    numbers = {r.id: r.number for r in rounds}
    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    kinds = dict(session.execute(select(Unit.id, Unit.kind)).all())
    titles = {
        (a.version_id, a.article_key): f"第{a.number}条 {a.title}"
        for a in session.scalars(select(DraftArticle).where(DraftArticle.version_id.in_({i.version_id for i in items})))
    }
    meetings = Counter(session.scalars(select(Meeting.kind).where(Meeting.plan_id == plan_id)))
    return Statistics(
        rounds=len(rounds),
        units_consulted=units or 0,
        units_replied=replied or 0,
        items=len(items),
        by_disposition={d.value: sum(i.disposition == d.value for i in items) for d in Disposition},
        by_round=dict(sorted(Counter(numbers[i.round_id] for i in items).items())),
        by_unit=dict(Counter(names.get(i.unit_id or 0, UNKNOWN_UNIT) for i in items)),
        by_unit_kind=dict(Counter(kinds.get(i.unit_id or 0, "unknown") for i in items)),
        by_article=dict(Counter(_article_label(i, titles) for i in items)),
        in_name_of=next((r.in_name_of for r in rounds if r.in_name_of), None),
        meetings=dict(meetings),
    )


def consultation_sentence(stats: Statistics) -> str:
    """The sentence of the drafting explanation, as the 2023 one was written."""
    d = stats.by_disposition
    name = f"以{stats.in_name_of}名义" if stats.in_name_of else ""
    text = (
        f"{name}分{stats.rounds}轮征求了{stats.units_consulted}家单位意见，共收到反馈意见{stats.items}条，"
        f"拟采纳{d.get('adopted', 0)}条，拟部分采纳{d.get('partially_adopted', 0)}条，"
        f"拟不采纳{d.get('not_adopted', 0)}条"
    )
    pending = d.get("pending", 0)
    return text + (f"，尚有{pending}条待研究。" if pending else "。")


def drafting_explanation(session: Session, plan_id: int) -> str:
    """The process section (起草过程) as far as the record states it: meetings, revisions, consultation."""
    plan = session.get(DraftPlan, plan_id)
    stats = statistics(session, plan_id)
    parts = []
    meetings, revisions = stats.meetings.get("meeting", 0), stats.meetings.get("revision", 0)
    if meetings or revisions:
        parts.append(f"先后召开{meetings}次专题会议，经{revisions}轮全面修改，形成讨论稿。")
    coordination = session.scalars(
        select(Meeting).where(Meeting.plan_id == plan_id, Meeting.kind == "coordination").order_by(Meeting.held_on)
    ).all()
    for meeting in coordination:
        when = f"{meeting.held_on.month}月{meeting.held_on.day}日，" if meeting.held_on else ""
        who = meeting.note or f"{meeting.participant_count or len(meeting.participants)}家单位"
        parts.append(f"{when}召集{who}再次修改，形成征求意见稿。")
    if stats.rounds:
        parts.append(consultation_sentence(stats))
    title = plan.title if plan else ""
    return f"《{title}》起草过程：" + "".join(parts)
