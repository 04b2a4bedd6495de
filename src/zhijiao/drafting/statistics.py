"""The statistics of a drafting, and the process section of the drafting explanation (起草过程) written from the
record in the style of the 2023 explanation: every stage the draft went through (初稿, 讨论稿, 征求意见稿, 送审稿, 印发)
in order, the leaders' endorsements, and the counts as the original writes them — times and rounds in Chinese
numerals ("先后三次主持专题会议研究，经过四轮全面修改完善", "两轮发函征求意见"), units and items in figures ("39家单位",
"反馈意见75条")."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao import formatting
from zhijiao.drafting.meetings import MeetingKind
from zhijiao.drafting.models import (
    ConsultationRound,
    DraftArticle,
    DraftPlan,
    DraftVersion,
    FeedbackItem,
    Meeting,
    RoundUnit,
    Unit,
)
from zhijiao.drafting.stages import REPLIED, Disposition, ReplyStatus, Stage
from zhijiao.language import Lang

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
    units_replied: int  # distinct units known to have replied in a round (items or "no comments"), as rounds count
    items: int
    by_disposition: dict[str, int]
    by_round: dict[int, int]
    by_unit: dict[str, int]
    by_unit_kind: dict[str, int]
    by_article: dict[str, int]  # "第N条 title" of the version it was written on; "全文" for the whole text
    in_name_of: str | None = None
    meetings: dict[str, int] = field(default_factory=dict)
    units_reply_unknown: int = 0  # distinct units of a past record that does not say whether they replied


def statistics(session: Session, plan_id: int) -> Statistics:
    rounds = list(session.scalars(select(ConsultationRound).where(ConsultationRound.plan_id == plan_id)))
    round_ids = [r.id for r in rounds]
    units = session.scalar(
        select(func.count(func.distinct(RoundUnit.unit_id))).where(RoundUnit.round_id.in_(round_ids))
    )
    replied = session.scalar(
        select(func.count(func.distinct(RoundUnit.unit_id))).where(
            RoundUnit.round_id.in_(round_ids), RoundUnit.reply.in_([status.value for status in REPLIED])
        )
    )
    unknown = session.scalar(
        select(func.count(func.distinct(RoundUnit.unit_id))).where(
            RoundUnit.round_id.in_(round_ids), RoundUnit.reply == ReplyStatus.unknown.value
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
        units_reply_unknown=unknown or 0,
    )


CHINESE_DIGITS = "零一二三四五六七八九"


def count_zh(number: int) -> str:
    """A count of times or rounds as the explanation writes it: 两 for 2 (两轮), 三, 十二, 二十二; figures from 100."""
    if number == 2:  # noqa: PLR2004 -- 两 before a measure word: 两轮, 两次
        return "两"
    if not 0 <= number < 100:  # noqa: PLR2004
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def consultation_sentence(stats: Statistics) -> str:
    """The consultation's sentence of the drafting explanation, as the 2023 one was written: "以市府办名义向39家单位
    两轮发函征求意见，共收到反馈意见75条，拟采纳11条，拟部分采纳57条，拟不采纳7条。" (one round: no count)."""
    d = stats.by_disposition
    name = f"以{stats.in_name_of}名义" if stats.in_name_of else ""
    rounds = f"{count_zh(stats.rounds)}轮" if stats.rounds > 1 else ""
    text = (
        f"{name}向{stats.units_consulted}家单位{rounds}发函征求意见，共收到反馈意见{stats.items}条，"
        f"拟采纳{d.get('adopted', 0)}条，拟部分采纳{d.get('partially_adopted', 0)}条，"
        f"拟不采纳{d.get('not_adopted', 0)}条"
    )
    pending = d.get("pending", 0)
    return text + (f"，尚有{pending}条待研究。" if pending else "。")


def _named(title: str, stage: Stage) -> str:
    return f"《{title}（{stage.zh}）》"


def _on(day: dt.date | None) -> str:
    return f"{day.month}月{day.day}日，" if day else ""


def _meetings_sentence(found: list[Meeting], first_draft: bool, discussion: DraftVersion | None, title: str) -> str:
    """The dedicated meetings and revision rounds, and the discussion draft they led to: "在初稿基础上，市教育局局长
    先后三次主持专题会议研究，经过四轮全面修改完善，形成了《…（讨论稿）》。"."""
    held = [m for m in found if m.kind == MeetingKind.meeting]
    revisions = sum(m.kind == MeetingKind.revision for m in found)
    clauses = []
    if held:
        chairs = {m.chair for m in held}
        chair = chairs.pop() if len(chairs) == 1 else None
        times = f"先后{count_zh(len(held))}次" if len(held) > 1 else ""
        clauses.append(f"{chair}{times}主持专题会议研究" if chair else f"{times}召开专题会议研究")
    if revisions:
        clauses.append(f"经过{count_zh(revisions)}轮全面修改完善")
    if discussion is not None:
        clauses.append(f"形成了{_named(title, Stage.discussion)}")
    if not clauses:
        return ""
    return ("在初稿基础上，" if first_draft else "") + "，".join(clauses) + "。"


def _coordination_sentence(meeting: Meeting, stages: dict[int, Stage], title: str) -> str:
    """A meeting that called departments and schools together, and the version it produced: "2月23日，市教育局召集
    发改、经信、科技等7个部门、1所高职院校以及1所中职学校再次讨论修订，形成了《…（征求意见稿）》。"."""
    who = meeting.note or f"{meeting.participant_count or len(meeting.participants)}家单位"
    produced = stages.get(meeting.produced_version_id or 0)
    formed = f"，形成了{_named(title, produced)}" if produced is not None else ""
    return f"{_on(meeting.held_on)}{meeting.chair or ''}召集{who}再次讨论修订{formed}。"


def _approval_sentence(found: list[Meeting], issued: DraftVersion | None) -> str:
    """The leaders who endorsed the draft for approval, and the issue: "目前，市委书记、市长均已批示。"."""
    leaders = list(dict.fromkeys(name for m in found if m.kind == MeetingKind.approval for name in m.participants))
    on = formatting.date(issued.dated, Lang.zh) if issued is not None and issued.dated else ""
    published = (f"于{on}印发" if on else "已印发") if issued is not None else ""
    if not leaders:
        return f"{published}。" if published else ""
    endorsed = "、".join(leaders) + ("均已批示" if len(leaders) > 1 else "已批示")
    return f"{endorsed}，{published}。" if published else f"目前，{endorsed}。"


def drafting_explanation(session: Session, plan_id: int) -> str:
    """The process section (起草过程) as far as the record states it, stage by stage: the meetings and revisions that
    made the discussion draft, the coordination meeting that made the consultation draft, the consultation, the
    draft for approval, the leaders' endorsements and the issue. A stage the plan has not reached is not written."""
    plan = session.get(DraftPlan, plan_id)
    title = plan.title if plan else ""
    stats = statistics(session, plan_id)
    drafts = list(
        session.scalars(select(DraftVersion).where(DraftVersion.plan_id == plan_id).order_by(DraftVersion.number))
    )
    stages = {v.id: Stage(v.stage) for v in drafts}
    last = {Stage(v.stage): v for v in drafts}  # the latest version of each stage
    found = list(session.scalars(select(Meeting).where(Meeting.plan_id == plan_id).order_by(Meeting.id)))
    parts = [_meetings_sentence(found, Stage.first_draft in last, last.get(Stage.discussion), title)]
    coordination = sorted(
        (m for m in found if m.kind == MeetingKind.coordination),
        key=lambda m: (m.held_on is None, m.held_on or dt.date.min, m.id),
    )
    parts += [_coordination_sentence(m, stages, title) for m in coordination]
    consulting = last.get(Stage.consultation)
    if consulting is not None and not any(m.produced_version_id == consulting.id for m in coordination):
        parts.append(f"{_on(consulting.dated)}形成了{_named(title, Stage.consultation)}。")
    if stats.rounds:
        parts.append(("随后，" if any(parts) else "") + consultation_sentence(stats))
    approval = last.get(Stage.for_approval)
    if approval is not None:
        revised = "就征求意见后的文稿再次逐条讨论修订" if stats.rounds else "再次修改完善"
        parts.append(f"{_on(approval.dated)}{revised}，形成了{_named(title, Stage.for_approval)}。")
    parts.append(_approval_sentence(found, last.get(Stage.issued)))
    return f"《{title}》起草过程：" + "".join(parts)
