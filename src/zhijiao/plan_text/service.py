"""Loading a plan's official text, and reading the one in force.

``preview`` reads and reviews a text and stores nothing. ``load`` is the official's confirmation: it reads the
same text again, refuses it unless it is exactly the one previewed (its digest) and nothing blocks it, stores it
with the document's facts and the source the official names, superseding the load before, and records the load
in the audit trail in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.policy import Policy
from zhijiao.plan_text.models import PlanText, PlanTextSection
from zhijiao.plan_text.parsing import parse
from zhijiao.plan_text.reading import TextRefused, checked_text
from zhijiao.plan_text.review import Review, review
from zhijiao.refusals import Invalid, WrongState
from zhijiao.storage.base import aware
from zhijiao.storage.locks import serialize

ACTION = "policy.text.load"
MAX_SOURCE = 300
MAX_NUMBER = 60
MAX_TITLE = 300


@dataclass(frozen=True)
class DocumentFacts:
    """What the official states of the document the text comes from."""

    number: str
    title: str
    issued: dt.date
    source: str  # e.g. 温州市人民政府网 公开文件
    file_name: str | None = None


@dataclass(frozen=True)
class SectionText:
    kind: str
    number: int
    part_number: int | None
    title: str | None
    body: str


@dataclass(frozen=True)
class OfficialText:
    """A stored load, as pages, the API and the command line show it."""

    id: int
    plan: str
    document_number: str
    title: str
    issued: dt.date
    source: str
    digest: str
    loaded_by: str
    loaded_at: dt.datetime
    supersedes: int | None
    parts: tuple[SectionText, ...]
    articles: tuple[SectionText, ...]

    def article(self, number: int) -> SectionText | None:
        return next((a for a in self.articles if a.number == number), None)

    def part(self, number: int) -> SectionText | None:
        return next((p for p in self.parts if p.number == number), None)


def preview(policy: Policy, text: str) -> Review:
    """The text read, split and set beside what is known; nothing is stored."""
    return review(policy, parse(checked_text(text)))


def checked_facts(facts: DocumentFacts) -> DocumentFacts:
    """The facts trimmed; refused when one is missing, too long or holds a NUL."""
    number, title, source = facts.number.strip(), facts.title.strip(), facts.source.strip()
    fields = ((number, MAX_NUMBER, "文号", "document number"), (title, MAX_TITLE, "标题", "title"),
              (source, MAX_SOURCE, "来源", "source"))  # fmt: skip
    for value, limit, zh, en in fields:
        if not value:
            raise Invalid(f"请填写{zh}。", f"The {en} is required.")
        if len(value) > limit or "\0" in value:
            raise Invalid(f"{zh}过长或含有无效字符。", f"The {en} is too long or holds invalid characters.")
    file_name = facts.file_name.strip()[-200:] if facts.file_name else None
    return DocumentFacts(number, title, facts.issued, source, file_name or None)


def _latest(session: Session, plan: str) -> PlanText | None:
    query = select(PlanText).where(PlanText.plan == plan).order_by(PlanText.id.desc()).limit(1)
    return session.scalars(query).first()


def load(
    session: Session, actor: Principal, policy: Policy, text: str, facts: DocumentFacts, digest: str
) -> OfficialText:
    """Stores the previewed text as the plan's official text; refused, with nothing written, if the text is not
    the one previewed, if something blocks it, or if the document's facts are missing."""
    require(actor, Permission.load_plan_text)
    facts = checked_facts(facts)
    checked = review(policy, parse(checked_text(text)))
    if checked.digest != digest:
        raise WrongState(
            "文本与预览时不同：请重新预览后再确认。",
            "The text is not the one previewed: preview it again, then confirm.",
            code="text_changed",
        )
    if checked.blocking:
        zh, en = checked.blocking[0]
        raise TextRefused(zh, en)
    serialize(session, PlanText.__tablename__)  # two officials confirming at once: the second follows the first
    before = _latest(session, policy.name)
    parsed = checked.parsed
    stored = PlanText(
        plan=policy.name,
        document_number=facts.number,
        title=facts.title,
        issued_on=facts.issued,
        source=facts.source,
        file_name=facts.file_name,
        digest=parsed.digest,
        body=parsed.text,
        supersedes_id=before.id if before else None,
        loaded_by=actor.user_id,
        loaded_by_name=actor.username,
        loaded_at=dt.datetime.now(dt.UTC),
    )
    session.add(stored)
    session.flush()
    session.add_all(
        PlanTextSection(
            plan_text_id=stored.id, kind=s.kind, number=s.number, part_number=s.part_number, title=s.title, body=s.body
        )
        for s in (*parsed.parts, *parsed.articles)
    )
    session.flush()
    after = {
        "plan": policy.name,
        "document_number": facts.number,
        "title": facts.title,
        "issued": facts.issued,
        "source": facts.source,
        "file_name": facts.file_name,
        "digest": parsed.digest,
        "parts": len(parsed.parts),
        "articles": len(parsed.articles),
        "article_titles": {s.number: s.title for s in parsed.articles},
    }
    previous = None if before is None else {"id": before.id, "digest": before.digest, "title": before.title}
    audit.record(session, actor, ACTION, "plan_text", stored.id, before=previous, after=after)
    found = current(session, policy.name)
    assert found is not None  # noqa: S101 -- just written in this transaction
    return found


def _official(text: PlanText, sections: Sequence[PlanTextSection]) -> OfficialText:
    def shown(kind: str) -> tuple[SectionText, ...]:
        chosen = sorted((s for s in sections if s.kind == kind), key=lambda s: s.number)
        return tuple(SectionText(s.kind, s.number, s.part_number, s.title, s.body) for s in chosen)

    return OfficialText(
        id=text.id,
        plan=text.plan,
        document_number=text.document_number,
        title=text.title,
        issued=text.issued_on,
        source=text.source,
        digest=text.digest,
        loaded_by=text.loaded_by_name,
        loaded_at=aware(text.loaded_at),
        supersedes=text.supersedes_id,
        parts=shown("part"),
        articles=shown("article"),
    )


def current(session: Session, plan: str) -> OfficialText | None:
    """The plan's official text in force: the latest load, or None before any."""
    latest = _latest(session, plan)
    if latest is None:
        return None
    sections = session.scalars(select(PlanTextSection).where(PlanTextSection.plan_text_id == latest.id)).all()
    return _official(latest, sections)


@dataclass(frozen=True)
class LoadSummary:
    id: int
    document_number: str
    title: str
    issued: dt.date
    source: str
    loaded_by: str
    loaded_at: dt.datetime
    superseded: bool


def history(session: Session, plan: str) -> list[LoadSummary]:
    """Every load of the plan's text, the newest first; all but the newest superseded."""
    loads = session.scalars(select(PlanText).where(PlanText.plan == plan).order_by(PlanText.id.desc())).all()
    return [
        LoadSummary(
            t.id,
            t.document_number,
            t.title,
            t.issued_on,
            t.source,
            t.loaded_by_name,
            aware(t.loaded_at),
            superseded=index > 0,
        )
        for index, t in enumerate(loads)
    ]
