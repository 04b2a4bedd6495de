"""Dispositions: drafting staff propose (one at a time, or in bulk from a template), a city administrator
confirms — never the same person; and where each item's article went in a later version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.drafting.errors import Invalid, NotAllowed, OutOfScope, WrongState
from zhijiao.drafting.models import ConsultationRound, DraftArticle, FeedbackItem
from zhijiao.drafting.stages import Disposition
from zhijiao.drafting.versions import article_for, check_not_historical, now


@dataclass(frozen=True)
class Template:
    disposition: Disposition
    zh: str
    en: str


# The reasons officials write most often, to dispose of many items at once.
TEMPLATES = {
    "adopted": Template(Disposition.adopted, "已按意见修改。", "Changed as suggested."),
    "partially_merged": Template(
        Disposition.partially_adopted, "已吸收意见的主要内容，文字作了调整。", "The substance was taken in, reworded."
    ),
    "partially_elsewhere": Template(
        Disposition.partially_adopted, "部分内容已在其他条款中体现。", "Partly covered by another article."
    ),
    "not_scope": Template(
        Disposition.not_adopted,
        "不属于本方案规定范围，将在配套文件中研究。",
        "Outside this plan; to be studied in the implementing rules.",
    ),
    "not_conflict": Template(
        Disposition.not_adopted, "与上位政策规定不一致，不予采纳。", "Inconsistent with higher-level policy."
    ),
}


def _item(session: Session, actor: Principal | None, item_id: int) -> FeedbackItem:
    item = session.scalar(select(FeedbackItem).where(FeedbackItem.id == item_id).with_for_update())
    if item is None:
        raise OutOfScope("反馈意见", "feedback item")
    consultation = session.get(ConsultationRound, item.round_id)
    if consultation is not None:
        check_not_historical(session, actor, consultation.plan_id)
    return item


def propose(session: Session, actor: Principal | None, item_id: int, disposition: Disposition, reason: str,
            change: str | None = None) -> FeedbackItem:  # fmt: skip
    if actor is not None:
        require(actor, Permission.propose_disposition)
    item = _item(session, actor, item_id)
    if item.confirmed_by is not None:
        raise WrongState(
            "该意见的处理已确认，不能再改。", "This item's disposition is confirmed: it can no longer change."
        )
    if disposition is not Disposition.pending and not reason.strip() and disposition is not Disposition.adopted:
        raise Invalid("部分采纳或不采纳须说明理由。", "A partial or non-adoption needs a reason.")
    if not Disposition(item.disposition).can_become(disposition):
        raise WrongState("该意见的处理不能改为此项。", "This item's disposition cannot change to that.")
    before = {"disposition": item.disposition, "reason": item.reason}
    item.disposition, item.reason = disposition.value, reason.strip() or None
    item.change = (change or "").strip() or item.change
    item.proposed_by, item.proposed_at = (actor.user_id if actor else None), now()
    session.flush()
    audit.record(session, actor, "draft.disposition.propose", "feedback_item", item.id, before=before,
                 after={"disposition": item.disposition, "reason": item.reason})  # fmt: skip
    return item


def propose_from_template(session: Session, actor: Principal, item_ids: list[int], template: str) -> list[FeedbackItem]:
    chosen = TEMPLATES.get(template)
    if chosen is None:
        raise Invalid(f"未知的处理模板：{template}", f"Unknown template: {template}")
    return [propose(session, actor, item_id, chosen.disposition, chosen.zh) for item_id in item_ids]


def confirm(session: Session, actor: Principal | None, item_id: int) -> FeedbackItem:
    if actor is not None:
        require(actor, Permission.confirm_disposition)
    item = _item(session, actor, item_id)
    if item.disposition == Disposition.pending.value:
        raise WrongState("尚未提出处理意见。", "No disposition has been proposed.")
    if actor is not None and item.proposed_by == actor.user_id:
        raise NotAllowed("提出处理意见的人不能确认。", "Whoever proposed a disposition cannot confirm it.")
    item.confirmed_by, item.confirmed_at = (actor.user_id if actor else None), now()
    session.flush()
    label = Disposition(item.disposition).zh
    audit.record(session, actor, "draft.disposition.confirm", "feedback_item", item.id, after={"disposition": label})
    return item


def carried_to(session: Session, item: FeedbackItem, version_id: int) -> DraftArticle | None:
    """The article of ``version_id`` the item concerns: its article, renumbered or merged; None if the item is
    on the whole text or its article was removed."""
    return None if item.article_key is None else article_for(session, version_id, item.article_key)
