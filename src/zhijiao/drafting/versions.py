"""Versions of a plan under drafting and their articles. A new version copies the previous one's articles
with their keys; renumbering, inserting, removing and merging keep every key traceable, so a comment
written on "article 13" of one version finds its article in the next."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.drafting.errors import Invalid, OutOfScope, WrongState
from zhijiao.drafting.models import DraftArticle, DraftArticleChange, DraftPlan, DraftVersion
from zhijiao.drafting.stages import Stage
from zhijiao.formatting import WENZHOU_TIME


@dataclass(frozen=True)
class ArticleText:
    part_number: int
    part_title: str
    title: str
    text: str


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def wenzhou_today() -> dt.date:
    """Deadlines are Wenzhou dates: a deadline of 10 March ends at midnight in Wenzhou, not in UTC."""
    return dt.datetime.now(WENZHOU_TIME).date()


def new_key() -> str:
    return "A" + uuid.uuid4().hex[:12]


def _actor_id(actor: Principal | None) -> int | None:
    return actor.user_id if actor else None


def create_plan(session: Session, actor: Principal | None, *, code: str, title: str, period: str,
                historical: bool = False) -> DraftPlan:  # fmt: skip
    if actor is not None:
        require(actor, Permission.edit_drafts)
    if session.scalar(select(DraftPlan.id).where(DraftPlan.code == code)) is not None:
        raise Invalid(f"方案代码 {code} 已存在。", f"Plan code {code} exists.")
    plan = DraftPlan(code=code, title=title, period=period, historical=historical, created_at=now())
    session.add(plan)
    session.flush()
    audit.record(session, actor, "draft.plan.create", "draft_plan", code, after={"title": title, "period": period})
    return plan


def articles(session: Session, version_id: int) -> list[DraftArticle]:
    query = select(DraftArticle).where(DraftArticle.version_id == version_id).order_by(DraftArticle.number)
    return list(session.scalars(query))


def version(session: Session, version_id: int) -> DraftVersion:
    found = session.get(DraftVersion, version_id)
    if found is None:
        raise OutOfScope("版本", "version")
    return found


def plan(session: Session, plan_id: int) -> DraftPlan:
    found = session.get(DraftPlan, plan_id)
    if found is None:
        raise OutOfScope("起草方案", "plan under drafting")
    return found


def check_not_historical(session: Session, actor: Principal | None, plan_id: int) -> None:
    """A past drafting is a record: nobody changes it (the loader, acting as the system, writes it once)."""
    if actor is not None and plan(session, plan_id).historical:
        raise WrongState(
            "这是往年起草过程的历史记录，只读，不能修改。",
            "This is the record of a past drafting: it is read-only.",
            code="historical_record",
        )


def editable(session: Session, actor: Principal | None, version_id: int) -> DraftVersion:
    """The version, if ``actor`` may change it now: drafting staff, not a past record, not frozen."""
    return _editable(session, actor, version_id)


def _editable(session: Session, actor: Principal | None, version_id: int) -> DraftVersion:
    if actor is not None:
        require(actor, Permission.edit_drafts)
    found = version(session, version_id)
    check_not_historical(session, actor, found.plan_id)
    if found.frozen:
        raise WrongState(
            f"第{found.number}版已发出征求意见或已定稿，不能修改；请在其基础上新建版本。",
            f"Version {found.number} was sent out or published: start a new version from it to change it.",
        )
    return found


def first_version(
    session: Session,
    actor: Principal | None,
    plan: DraftPlan,
    stage: Stage,
    texts: list[ArticleText],
    *,
    dated: dt.date | None = None,
    text_known: bool = True,
) -> DraftVersion:
    if actor is not None:
        require(actor, Permission.edit_drafts)
    check_not_historical(session, actor, plan.id)
    if session.scalar(select(DraftVersion.id).where(DraftVersion.plan_id == plan.id)) is not None:
        raise WrongState("该方案已有初始版本。", "The plan already has its first version.")
    draft = DraftVersion(plan_id=plan.id, number=1, stage=stage.value, dated=dated, text_known=text_known,
                         created_by=_actor_id(actor), created_at=now())  # fmt: skip
    session.add(draft)
    session.flush()
    for number, item in enumerate(texts, start=1):
        session.add(DraftArticle(version_id=draft.id, article_key=new_key(), part_number=item.part_number,
                                 part_title=item.part_title, number=number, title=item.title, text=item.text,
                                 absorbed=[]))  # fmt: skip
    session.flush()
    audit.record(session, actor, "draft.version.create", "draft_version", f"{plan.code}#1",
                 after={"stage": stage.value, "articles": len(texts)})  # fmt: skip
    return draft


def new_version(
    session: Session,
    actor: Principal | None,
    based_on_id: int,
    stage: Stage,
    *,
    dated: dt.date | None = None,
    note: str | None = None,
    text_known: bool = True,
) -> DraftVersion:
    """The next version, starting as a copy of ``based_on_id`` (its articles and their keys)."""
    if actor is not None:
        require(actor, Permission.edit_drafts)
    base = version(session, based_on_id)
    check_not_historical(session, actor, base.plan_id)
    latest = session.scalar(
        select(DraftVersion).where(DraftVersion.plan_id == base.plan_id).order_by(DraftVersion.number.desc()).limit(1)
    )
    last = latest.number if latest is not None else 0
    if latest is not None and not Stage(latest.stage).can_become(stage):
        reached = Stage(latest.stage)
        raise WrongState(
            f"本方案已到{reached.zh}（第{latest.number}版），新版本不能是{stage.zh}。",
            f"The plan has reached its {reached.en} (version {latest.number}): a new version cannot be a {stage.en}.",
        )
    draft = DraftVersion(plan_id=base.plan_id, number=last + 1, stage=stage.value, based_on_id=base.id, dated=dated,
                         note=note, text_known=text_known, created_by=_actor_id(actor), created_at=now())  # fmt: skip
    session.add(draft)
    session.flush()
    for article in articles(session, base.id):
        session.add(DraftArticle(version_id=draft.id, article_key=article.article_key, part_number=article.part_number,
                                 part_title=article.part_title, number=article.number, title=article.title,
                                 text=article.text, absorbed=list(article.absorbed)))  # fmt: skip
    _copy_changes(session, base.id, draft.id)
    session.flush()
    audit.record(session, actor, "draft.version.create", "draft_version", f"{draft.plan_id}#{draft.number}",
                 after={"stage": stage.value, "based_on": base.number, "label": stage.zh})  # fmt: skip
    return draft


def _copy_changes(session: Session, base_id: int, new_id: int) -> None:
    """The base's changes to the plan in force, each still naming who set it and when: copying is not setting."""
    query = select(DraftArticleChange).where(DraftArticleChange.version_id == base_id).order_by(DraftArticleChange.id)
    for row in session.scalars(query):
        session.add(DraftArticleChange(version_id=new_id, article_key=row.article_key, kind=row.kind, name=row.name,
                                       value=row.value, set_by=row.set_by, set_at=row.set_at))  # fmt: skip


def _article(session: Session, version_id: int, key: str) -> DraftArticle:
    query = select(DraftArticle).where(DraftArticle.version_id == version_id, DraftArticle.article_key == key)
    found = session.scalar(query)
    if found is None:
        raise OutOfScope("条款", "article")
    return found


def _renumber(session: Session, version_id: int, ordered: list[DraftArticle]) -> None:
    """Numbers 1..n in the given order. Two passes: the (version, number) pair is unique at every flush."""
    for offset, article in enumerate(ordered, start=1):
        article.number = -offset
    session.flush()
    for number, article in enumerate(ordered, start=1):
        article.number = number
    session.flush()
    del version_id


def edit_article(session: Session, actor: Principal | None, version_id: int, key: str, *, title: str,
                 text: str) -> DraftArticle:  # fmt: skip
    _editable(session, actor, version_id)
    article = _article(session, version_id, key)
    before = {"title": article.title, "text": article.text}
    article.title, article.text = title.strip() or article.title, text
    session.flush()
    audit.record(session, actor, "draft.article.edit", "draft_article", key, before=before,
                 after={"title": article.title, "text": article.text})  # fmt: skip
    return article


def insert_article(session: Session, actor: Principal | None, version_id: int, *, after_number: int,
                   item: ArticleText) -> DraftArticle:  # fmt: skip
    """A new article after ``after_number`` (0: first); those after it move down one."""
    _editable(session, actor, version_id)
    current = articles(session, version_id)
    if not 0 <= after_number <= len(current):
        raise Invalid(f"没有第{after_number}条。", f"There is no article {after_number}.")
    article = DraftArticle(version_id=version_id, article_key=new_key(), part_number=item.part_number,
                           part_title=item.part_title, number=len(current) + 1000, title=item.title, text=item.text,
                           absorbed=[])  # fmt: skip
    session.add(article)
    session.flush()
    _renumber(session, version_id, [*current[:after_number], article, *current[after_number:]])
    audit.record(session, actor, "draft.article.insert", "draft_article", article.article_key,
                 after={"number": article.number, "title": article.title})  # fmt: skip
    return article


def remove_article(session: Session, actor: Principal | None, version_id: int, key: str) -> None:
    _editable(session, actor, version_id)
    article = _article(session, version_id, key)
    before = {"number": article.number, "title": article.title}
    # A removed article takes its changes to the plan in force with it: the version no longer makes them.
    of_article = (DraftArticleChange.version_id == version_id, DraftArticleChange.article_key == key)
    dropped = {r.name: r.value for r in session.scalars(select(DraftArticleChange).where(*of_article))}
    if dropped:
        before["changes"] = dropped
    session.execute(delete(DraftArticleChange).where(*of_article))
    session.delete(article)
    session.flush()
    _renumber(session, version_id, articles(session, version_id))
    audit.record(session, actor, "draft.article.remove", "draft_article", key, before=before)


def merge_articles(session: Session, actor: Principal | None, version_id: int, keep: str, absorb: str, *,
                   text: str | None = None) -> DraftArticle:  # fmt: skip
    """Merges article ``absorb`` into ``keep``: one article, keeping ``keep``'s key and place; comments on
    either are carried to it."""
    _editable(session, actor, version_id)
    kept, gone = _article(session, version_id, keep), _article(session, version_id, absorb)
    kept.text = text if text is not None else f"{kept.text}\n{gone.text}"
    kept.absorbed = [*kept.absorbed, gone.article_key, *gone.absorbed]
    # The merged article makes the changes both made (a parameter is set by one article of a version at most).
    session.execute(
        update(DraftArticleChange)
        .where(DraftArticleChange.version_id == version_id, DraftArticleChange.article_key == gone.article_key)
        .values(article_key=kept.article_key)
    )
    session.delete(gone)
    session.flush()
    _renumber(session, version_id, articles(session, version_id))
    audit.record(session, actor, "draft.article.merge", "draft_article", keep, after={"absorbed": gone.article_key})
    return kept


def freeze(session: Session, version_id: int) -> None:
    version(session, version_id).frozen = True


def publish(session: Session, actor: Principal | None, version_id: int) -> DraftVersion:
    """A city administrator settles a version (the draft for approval, the issued text): it is frozen from now on."""
    if actor is not None:
        require(actor, Permission.confirm_disposition)
    found = version(session, version_id)
    check_not_historical(session, actor, found.plan_id)
    if found.stage not in {Stage.for_approval.value, Stage.issued.value}:
        raise WrongState("只有送审稿或印发稿可以定稿。", "Only a draft for approval or the issued text can be settled.")
    if found.frozen:
        raise WrongState(f"第{found.number}版已定稿或已发出。", f"Version {found.number} is already settled or sent.")
    found.frozen = True
    session.flush()
    audit.record(session, actor, "draft.version.publish", "draft_version", f"{found.plan_id}#{found.number}",
                 after={"stage": found.stage})  # fmt: skip
    return found


def article_for(session: Session, version_id: int, key: str) -> DraftArticle | None:
    """The article of ``version_id`` that article ``key`` (of any earlier version) became: itself, or the one
    that absorbed it; None if it was removed."""
    return find_article(articles(session, version_id), key)


def find_article(candidates: list[DraftArticle], key: str) -> DraftArticle | None:
    """Of one version's articles, the one that ``key`` became: itself, or the one that absorbed it."""
    return next((a for a in candidates if a.article_key == key or key in a.absorbed), None)


def article_by_number(session: Session, version_id: int, number: int) -> DraftArticle:
    query = select(DraftArticle).where(DraftArticle.version_id == version_id, DraftArticle.number == number)
    found = session.scalar(query)
    if found is None:
        count = len(articles(session, version_id))
        raise Invalid(
            f"该版本没有第{number}条（共{count}条）。", f"That version has no article {number} (it has {count})."
        )
    return found
