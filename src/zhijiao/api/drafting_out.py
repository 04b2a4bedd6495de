"""Drafting records as the API answers them (``drafting_schemas``): each with its labels in both languages."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhijiao.api.drafting_schemas import (
    ArticleOut,
    ArticleRefOut,
    ItemOut,
    MeetingOut,
    PlanOut,
    ReplyOut,
    RoundOut,
    UnitOut,
    VersionOut,
    VersionRef,
)
from zhijiao.drafting import queries, versions
from zhijiao.drafting.consultation import ReplyState
from zhijiao.drafting.meetings import MEETING_KIND_LABELS, MeetingKind
from zhijiao.drafting.models import DraftArticle, DraftVersion, Meeting, Unit
from zhijiao.drafting.stages import UNIT_KIND_LABELS, Disposition, Stage, UnitKind

UNKNOWN = {"zh": "未载明", "en": "not in the record"}


def version_ref(found: DraftVersion) -> VersionRef:
    return VersionRef(id=found.id, number=found.number, stage=found.stage, stage_label=Stage(found.stage).labels,
                      dated=found.dated, frozen=found.frozen, text_known=found.text_known)  # fmt: skip


def article(found: DraftArticle) -> ArticleOut:
    return ArticleOut(key=found.article_key, number=found.number, part_number=found.part_number,
                      part_title=found.part_title, title=found.title, text=found.text,
                      absorbed=list(found.absorbed))  # fmt: skip


def version(session: Session, found: DraftVersion) -> VersionOut:
    return VersionOut(
        **version_ref(found).model_dump(),
        plan_id=found.plan_id,
        based_on_id=found.based_on_id,
        note=found.note,
        articles=[article(a) for a in versions.articles(session, found.id)],
    )


def plan(summary: queries.PlanSummary) -> PlanOut:
    found = summary.plan
    return PlanOut(id=found.id, code=found.code, title=found.title, period=found.period, historical=found.historical,
                   versions=summary.versions, latest=version_ref(summary.latest) if summary.latest else None,
                   rounds=summary.rounds, items=summary.items)  # fmt: skip


def meeting(found: Meeting) -> MeetingOut:
    label = MEETING_KIND_LABELS.get(MeetingKind(found.kind)) if found.kind in MeetingKind.__members__ else None
    return MeetingOut(id=found.id, kind=found.kind, kind_label=label or UNKNOWN, held_on=found.held_on,
                      chair=found.chair, participants=list(found.participants),
                      participant_count=found.participant_count, produced_version_id=found.produced_version_id,
                      note=found.note)  # fmt: skip


def round_out(summary: queries.RoundSummary) -> RoundOut:
    found = summary.consultation
    return RoundOut(id=found.id, plan_id=found.plan_id, number=found.number, version=version_ref(summary.version),
                    sent_on=found.sent_on, deadline=found.deadline, in_name_of=found.in_name_of, units=summary.units,
                    replied=summary.replied, items=summary.items)  # fmt: skip


def unit(found: Unit) -> UnitOut:
    label = UNIT_KIND_LABELS.get(UnitKind(found.kind)) if found.kind in UnitKind.__members__ else None
    return UnitOut(id=found.id, name=found.name, kind=found.kind, kind_label=label or UNKNOWN)


def reply(state: ReplyState) -> ReplyOut:
    return ReplyOut(unit=unit(state.unit), reply=state.reply.value, replied_at=state.replied_at, late=state.late,
                    silent=state.silent)  # fmt: skip


def _ref(found: queries.ArticleRef | None) -> ArticleRefOut | None:
    return None if found is None else ArticleRefOut(number=found.number, title=found.title, key=found.key)


def item(view: queries.ItemView) -> ItemOut:
    found = view.item
    return ItemOut(
        id=found.id,
        round_id=found.round_id,
        round_number=view.round_number,
        unit=view.unit_name,
        unit_kind=view.unit_kind,
        version_id=found.version_id,
        version_number=view.version_number,
        article=_ref(view.written_on),
        article_now=_ref(view.carried_to),
        removed=view.removed,
        text=found.text,
        disposition=found.disposition,
        disposition_label=Disposition(found.disposition).labels,
        reason=found.reason,
        change=found.change,
        proposed_by=view.proposed_by,
        proposed_at=found.proposed_at,
        confirmed_by=view.confirmed_by,
        confirmed_at=found.confirmed_at,
    )
