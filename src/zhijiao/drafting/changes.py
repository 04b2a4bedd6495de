"""What a draft version changes in the plan in force (温政办〔2023〕32号), article by article: the parameter values
and option choices each article sets, with who set them and when. The version's reform is the union of its
articles' changes, checked by the engine's own ``parse_reform``; a refused value is named by article and
parameter and nothing is written. Changes are edited with their article, under the same rules as its text: only
while the version is editable, by the drafting staff, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Principal
from zhijiao.drafting import versions
from zhijiao.drafting.errors import Invalid, OutOfScope
from zhijiao.drafting.models import DraftArticle, DraftArticleChange
from zhijiao.engine.errors import PolicyError
from zhijiao.engine.options import DateRange
from zhijiao.engine.parameters import DatedValue
from zhijiao.engine.policy import Policy
from zhijiao.engine.reform import Reform, parse_reform
from zhijiao.engine.units import Unit, from_scaled
from zhijiao.formatting import date, percent
from zhijiao.language import Lang

PARAMETER, OPTION = "parameter", "option"
KINDS = {PARAMETER: "parameters", OPTION: "options"}
LARGEST = 2**53  # a value the engine's 64-bit arithmetic can multiply by a rate without leaving its range


@dataclass(frozen=True)
class Change:
    """One change as a page shows it: which article, what, from what to what, who set it and when."""

    article_key: str
    article_number: int | None  # None: the article is no longer in the version (cannot happen after a removal)
    article_title: str
    kind: str
    name: str
    value: Any
    set_by: int | None
    set_at: dt.datetime


def rows(session: Session, version_id: int) -> list[DraftArticleChange]:
    query = select(DraftArticleChange).where(DraftArticleChange.version_id == version_id)
    return list(session.scalars(query.order_by(DraftArticleChange.kind.desc(), DraftArticleChange.name)))


def of_version(session: Session, version_id: int) -> list[Change]:
    """The version's changes in article order, parameters before options within an article."""
    found = {a.article_key: a for a in versions.articles(session, version_id)}
    out = []
    for row in rows(session, version_id):
        article = found.get(row.article_key)
        out.append(Change(row.article_key, article.number if article else None, article.title if article else "",
                          row.kind, row.name, row.value, row.set_by, row.set_at))  # fmt: skip
    return sorted(out, key=lambda c: (c.article_number or 0, c.kind != PARAMETER, c.name))


def document(changes: list[Change] | list[DraftArticleChange], name: str, without: str | None = None) -> dict[str, Any]:
    """The reform document of ``changes`` (leaving out article ``without``'s), as ``parse_reform`` reads it."""
    out: dict[str, Any] = {"name": name, "parameters": {}, "options": {}}
    for change in changes:
        if change.article_key != without:
            out[KINDS[change.kind]][change.name] = change.value
    return out


def reform_of(session: Session, policy: Policy, version_id: int, without: str | None = None) -> Reform | None:
    """The version's reform against the plan in force (None: it changes nothing), optionally without one article's
    changes. Refused by the engine only if the policy moved under stored changes; said as a drafting refusal."""
    found = versions.version(session, version_id)
    changes = rows(session, version_id)
    if not any(c.article_key != without for c in changes):
        return None
    try:
        return parse_reform(document(changes, f"draft v{found.number}", without), policy)
    except PolicyError as error:
        raise Invalid(
            f"第{found.number}版的政策调整不再符合现行政策：{error.message('zh')}",
            f"Version {found.number}'s changes no longer fit the policy: {error.message('en')}",
        ) from None


def _where(article: DraftArticle, name: str, kind: str) -> tuple[str, str]:
    what_zh, what_en = ("参数", "parameter") if kind == PARAMETER else ("口径", "option")
    zh = f"第{article.number}条“{article.title}”的{what_zh} {name}"
    return zh, f"article {article.number} ({article.title}), {what_en} {name}"


def _strip(message: str, name: str) -> str:
    """The engine's message without its own "reform: <id>:" prefix, which the article's words replace."""
    for prefix in (f"reform: {name}: ", f"改革方案 {name}：", f"option {name}: ", f"口径 {name}："):
        message = message.removeprefix(prefix)
    return message


def _check_one(policy: Policy, article: DraftArticle, kind: str, name: str, value: object) -> object:
    """The value as stored, or a refusal naming the article and the parameter or option."""
    zh, en = _where(article, name, kind)
    known = name in policy.parameters if kind == PARAMETER else name in policy.options
    if not known:
        what_zh, what_en = ("参数", "parameter") if kind == PARAMETER else ("口径", "option")
        raise Invalid(f"{zh}：现行政策没有此{what_zh}。", f"{en}: the policy in force has no such {what_en}.",
                      code="unknown_change")  # fmt: skip
    try:
        if kind == PARAMETER:
            entries = parse_reform({"parameters": {name: value}}, policy).parameters[name]
        else:
            parsed = policy.options.options[name].parse(value)
    except PolicyError as error:
        raise Invalid(f"{zh}：{_strip(error.message('zh'), name)}", f"{en}: {_strip(error.message('en'), name)}",
                      code="refused_change") from None  # fmt: skip
    if kind == PARAMETER:
        if any(e.scaled is not None and e.scaled > LARGEST for e in entries):  # a parameter with no maximum of its own
            raise Invalid(f"{zh}：取值过大。", f"{en}: the value is too large.", code="refused_change")
        return value
    if isinstance(parsed, DateRange):
        return {"from": parsed.start.isoformat(), "to": parsed.end.isoformat()}
    return parsed


def _check_union(
    policy: Policy, article: DraftArticle, current: list[DraftArticleChange], wanted: dict[tuple[str, str], object],
    titles: dict[str, DraftArticle], number: int,
) -> None:  # fmt: skip
    """Refuses what another article of the version already changes, then the whole reform as the engine reads it."""
    for row in current:
        if row.article_key != article.article_key and (row.kind, row.name) in wanted:
            other = titles[row.article_key]
            zh, en = _where(article, row.name, row.kind)
            raise Invalid(f"{zh}：该项已由第{other.number}条“{other.title}”调整，一项只能由一条调整。",
                          f"{en}: article {other.number} ({other.title}) already changes it; one article may.",
                          code="changed_elsewhere")  # fmt: skip
    union = document([r for r in current if r.article_key != article.article_key], f"draft v{number}")
    for (kind, name), value in wanted.items():
        union[KINDS[kind]][name] = value
    try:
        parse_reform(union, policy)
    except PolicyError as error:  # each value passed alone: what is left is how they combine
        raise Invalid(f"第{article.number}条“{article.title}”的调整与本版其他调整不能同时成立：{error.message('zh')}",
                      f"Article {article.number} ({article.title}): the version's changes together are refused: "
                      f"{error.message('en')}", code="refused_change") from None  # fmt: skip


def _write(
    session: Session, actor: Principal | None, version_id: int, key: str,
    mine: dict[tuple[str, str], DraftArticleChange], wanted: dict[tuple[str, str], object],
) -> None:  # fmt: skip
    """The article's rows become ``wanted``: a value that stays keeps who set it and when."""
    now, by = versions.now(), actor.user_id if actor else None
    for pair, gone in mine.items():
        if pair not in wanted:
            session.delete(gone)
    session.flush()
    for (kind, name), value in wanted.items():
        row = mine.get((kind, name))
        if row is None:
            session.add(DraftArticleChange(version_id=version_id, article_key=key, kind=kind, name=name, value=value,
                                           set_by=by, set_at=now))  # fmt: skip
        elif row.value != value:
            row.value, row.set_by, row.set_at = value, by, now
    session.flush()


def set_changes(
    session: Session,
    actor: Principal | None,
    policy: Policy,
    version_id: int,
    key: str,
    *,
    parameters: Mapping[str, object],
    options: Mapping[str, object],
) -> list[Change]:
    """Sets what article ``key`` of the version changes in the plan in force: exactly ``parameters`` and ``options``
    (an empty mapping clears them). Every value is checked first, one by one and then as the version's whole
    reform; a refusal writes nothing."""
    draft = versions.editable(session, actor, version_id)
    article = session.scalar(
        select(DraftArticle).where(DraftArticle.version_id == version_id, DraftArticle.article_key == key)
    )
    if article is None:
        raise OutOfScope("条款", "article")
    wanted = {(PARAMETER, n): _check_one(policy, article, PARAMETER, n, v) for n, v in parameters.items()}
    wanted |= {(OPTION, n): _check_one(policy, article, OPTION, n, v) for n, v in options.items()}
    current = rows(session, version_id)
    titles = {a.article_key: a for a in versions.articles(session, version_id)}
    _check_union(policy, article, current, wanted, titles, draft.number)
    mine = {(r.kind, r.name): r for r in current if r.article_key == key}
    before = {f"{k}:{n}": r.value for (k, n), r in mine.items()}
    _write(session, actor, version_id, key, mine, wanted)
    after = {f"{k}:{n}": v for (k, n), v in wanted.items()}
    if before != after:
        audit.record(session, actor, "draft.article.changes", "draft_article", key,
                     before={"version": draft.number, "changes": before},
                     after={"version": draft.number, "changes": after})  # fmt: skip
    return [c for c in of_version(session, version_id) if c.article_key == key]


def _value_text(unit: Unit, scaled: int | None, lang: Lang) -> str:
    if scaled is None:
        return "—"
    value = from_scaled(scaled, unit)
    if unit is Unit.RATE:
        return percent(value, lang)
    if unit is Unit.YUAN:
        if lang is Lang.zh and value >= Decimal(10_000) and value % 10_000 == 0:
            return f"{value / 10_000:,.0f}万元"
        return f"{value:,.2f}元" if lang is Lang.zh else f"¥{value:,.2f}"
    return f"{value:,}"


def describe(policy: Policy, change: Change, on: dt.date, lang: Lang) -> tuple[str, str, str]:
    """What is changed, its value in force on ``on`` and the version's value, in the language's words."""
    if change.kind == PARAMETER:
        parameter = policy.parameters[change.name]
        reform = parse_reform({"parameters": {change.name: change.value}}, policy)
        entries: tuple[DatedValue, ...] = reform.parameters[change.name]
        mine = [e for e in entries if e.effective_from <= on] or list(entries[:1])
        in_force = parameter.entry_on(on)
        return (
            parameter.label.get(lang.value, change.name),
            _value_text(parameter.unit, in_force.scaled if in_force else None, lang),
            _value_text(parameter.unit, mine[-1].scaled, lang),
        )
    option = policy.options.options[change.name]

    def shown(value: object) -> str:
        if isinstance(value, DateRange):
            return (
                f"{date(value.start, lang)}—{date(value.end, lang)}"
                if lang is Lang.zh
                else (f"{date(value.start, lang)} – {date(value.end, lang)}")
            )
        return str(option.choices.get(str(value), {}).get(lang.value, value))

    return option.label.get(lang.value, change.name), shown(option.default), shown(option.parse(change.value))
