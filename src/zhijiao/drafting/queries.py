"""What the pages and the API read of a drafting: plans with their counts, versions, meetings, rounds and
their units, and feedback items with the article they were written on and where it is in the latest version.

A unit's user reaches only the rounds sent to its unit (``round_for_unit``); every other reader here holds
``view_drafts`` and reads everything, as the drafting staff do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.accounts.models import User
from zhijiao.drafting.errors import OutOfScope
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
from zhijiao.drafting.versions import find_article


@dataclass(frozen=True)
class PlanSummary:
    plan: DraftPlan
    versions: int
    latest: DraftVersion | None
    rounds: int
    items: int


@dataclass(frozen=True)
class RoundSummary:
    consultation: ConsultationRound
    version: DraftVersion
    units: int
    replied: int  # units that replied (items or no comments); unknown for a past record
    items: int


@dataclass(frozen=True)
class ArticleRef:
    number: int
    title: str
    key: str


@dataclass(frozen=True)
class ItemView:
    item: FeedbackItem
    round_number: int
    unit_name: str | None
    unit_kind: str | None
    written_on: ArticleRef | None  # the article of the version the unit wrote on (None: the whole text)
    version_number: int
    carried_to: ArticleRef | None  # where that article is in the latest version (None: whole text, or removed)
    removed: bool  # its article is gone from the latest version
    proposed_by: str | None
    confirmed_by: str | None

    @property
    def text_known(self) -> bool:
        return (self.item.extra or {}).get("text_known") is not False


def plans(session: Session) -> list[PlanSummary]:
    out = []
    for found in session.scalars(select(DraftPlan).order_by(DraftPlan.historical, DraftPlan.created_at.desc())):
        count = session.scalar(select(func.count()).where(DraftVersion.plan_id == found.id)) or 0
        rounds = list(session.scalars(select(ConsultationRound.id).where(ConsultationRound.plan_id == found.id)))
        items = session.scalar(select(func.count()).where(FeedbackItem.round_id.in_(rounds))) if rounds else 0
        out.append(PlanSummary(found, count, latest_version(session, found.id), len(rounds), items or 0))
    return out


def versions_of(session: Session, plan_id: int) -> list[DraftVersion]:
    return list(
        session.scalars(select(DraftVersion).where(DraftVersion.plan_id == plan_id).order_by(DraftVersion.number))
    )


def latest_version(session: Session, plan_id: int) -> DraftVersion | None:
    query = select(DraftVersion).where(DraftVersion.plan_id == plan_id).order_by(DraftVersion.number.desc()).limit(1)
    return session.scalar(query)


def meetings_of(session: Session, plan_id: int) -> list[Meeting]:
    query = select(Meeting).where(Meeting.plan_id == plan_id)
    # Undated ones first: in a past record they are the early meetings whose days the record does not give.
    return list(session.scalars(query.order_by(Meeting.held_on.is_not(None), Meeting.held_on, Meeting.id)))


def consultation_round(session: Session, round_id: int) -> ConsultationRound:
    found = session.get(ConsultationRound, round_id)
    if found is None:
        raise OutOfScope("征求意见轮次", "consultation round")
    return found


def rounds_of(session: Session, plan_id: int) -> list[RoundSummary]:
    query = select(ConsultationRound).where(ConsultationRound.plan_id == plan_id).order_by(ConsultationRound.number)
    return [_summary(session, found) for found in session.scalars(query)]


def _summary(session: Session, found: ConsultationRound) -> RoundSummary:
    addressees = list(session.scalars(select(RoundUnit.reply).where(RoundUnit.round_id == found.id)))
    items = session.scalar(select(func.count()).where(FeedbackItem.round_id == found.id)) or 0
    replied = sum(reply in {"items", "no_comments"} for reply in addressees)
    drafted = session.get(DraftVersion, found.version_id)
    assert drafted is not None  # noqa: S101 -- a foreign key
    return RoundSummary(found, drafted, len(addressees), replied, items)


def round_summary(session: Session, round_id: int) -> RoundSummary:
    return _summary(session, consultation_round(session, round_id))


def units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.kind, Unit.name)))


def rounds_for_unit(session: Session, unit_id: int) -> list[RoundSummary]:
    """The rounds sent to one unit, the newest first."""
    query = (
        select(ConsultationRound)
        .join(RoundUnit, RoundUnit.round_id == ConsultationRound.id)
        .where(RoundUnit.unit_id == unit_id)
        # The 2023 record's rounds have no date: last on both databases (PostgreSQL puts NULLs first).
        .order_by(ConsultationRound.sent_on.desc().nulls_last(), ConsultationRound.id.desc())
    )
    return [_summary(session, found) for found in session.scalars(query)]


def round_for_unit(session: Session, unit_id: int | None, round_id: int) -> tuple[ConsultationRound, RoundUnit]:
    """The round and the unit's place in it, if it was sent to the unit; not found otherwise."""
    query = (
        select(ConsultationRound, RoundUnit)
        .join(RoundUnit, RoundUnit.round_id == ConsultationRound.id)
        .where(ConsultationRound.id == round_id, RoundUnit.unit_id == unit_id)
    )
    found = session.execute(query).first() if unit_id is not None else None
    if found is None:
        raise OutOfScope("征求意见轮次", "consultation round")
    return found[0], found[1]


def _ref(article: DraftArticle | None) -> ArticleRef | None:
    return None if article is None else ArticleRef(article.number, article.title, article.article_key)


def items(session: Session, *, plan_id: int, round_id: int | None = None, unit_id: int | None = None) -> list[ItemView]:
    """The plan's items (one round's, one unit's), each with its article then and now, in the order they came."""
    rounds = {r.id: r for r in session.scalars(select(ConsultationRound).where(ConsultationRound.plan_id == plan_id))}
    query = select(FeedbackItem).where(FeedbackItem.round_id.in_(list(rounds)))
    if round_id is not None:
        query = query.where(FeedbackItem.round_id == round_id)
    if unit_id is not None:
        query = query.where(FeedbackItem.unit_id == unit_id)
    found = list(session.scalars(query.order_by(FeedbackItem.round_id, FeedbackItem.id)))
    latest = latest_version(session, plan_id)
    version_numbers = dict(session.execute(select(DraftVersion.id, DraftVersion.number)).all())
    names = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_({i.unit_id for i in found if i.unit_id})))}
    people = {u.id: u.display_name for u in session.scalars(select(User))}
    written = {
        (a.version_id, a.article_key): a
        for a in session.scalars(select(DraftArticle).where(DraftArticle.version_id.in_({i.version_id for i in found})))
    }
    now_articles = (
        list(session.scalars(select(DraftArticle).where(DraftArticle.version_id == latest.id))) if latest else []
    )
    out = []
    for item in found:
        unit = names.get(item.unit_id or 0)
        carried = None
        if item.article_key is not None and latest is not None:
            carried = find_article(now_articles, item.article_key)
        out.append(
            ItemView(
                item=item,
                round_number=rounds[item.round_id].number,
                unit_name=unit.name if unit else None,
                unit_kind=unit.kind if unit else None,
                written_on=_ref(written.get((item.version_id, item.article_key or ""))),
                version_number=version_numbers.get(item.version_id, 0),
                carried_to=_ref(carried),
                removed=item.article_key is not None and carried is None,
                proposed_by=people.get(item.proposed_by or 0),
                confirmed_by=people.get(item.confirmed_by or 0),
            )
        )
    return out


def item_view(session: Session, item_id: int) -> ItemView:
    item = session.get(FeedbackItem, item_id)
    if item is None:
        raise OutOfScope("反馈意见", "feedback item")
    consultation = consultation_round(session, item.round_id)
    return next(v for v in items(session, plan_id=consultation.plan_id, round_id=item.round_id) if v.item.id == item_id)
