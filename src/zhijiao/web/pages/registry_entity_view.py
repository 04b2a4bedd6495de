"""A registry record's page as data: its rows by year, the rows that belong to it, its certifications with
their state, and its entitlements with the engine's explanation, every value already written for the
page's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhijiao.engine.explain_text import article_name, option_text
from zhijiao.engine.policy import Policy
from zhijiao.engine.units import Unit
from zhijiao.language import Lang, say
from zhijiao.registry.history import HistoryEntry
from zhijiao.registry.rows import key_text
from zhijiao.registry.spec import TableSpec
from zhijiao.simulation.record_explanations import Explained, Outcome
from zhijiao.web.i18n import money, number, percent
from zhijiao.web.pages.registry_view import column_label, display


@dataclass(frozen=True)
class YearTable:
    """One yearly table of a school (its status, teachers, students): a line per column, a cell per year."""

    table: str
    title: str
    years: list[int]
    lines: list[tuple[str, list[str]]]


def year_table(spec: TableSpec, rows: Sequence[Mapping[str, object]], lang: Lang) -> YearTable:
    by_year = {int(str(row["year"])): row for row in rows}
    years = sorted(by_year)
    columns = [c for c in spec.columns if c.name not in spec.key]
    lines = [(column_label(c, lang), [display(c, by_year[y].get(c.name), lang) for y in years]) for c in columns]
    return YearTable(spec.name, spec.label[lang.value], years, lines)


@dataclass(frozen=True)
class RowView:
    key: str  # the row's key as the edit form's path has it
    cells: list[str]
    link: str | None = None  # the row's own page, for platforms and projects
    state: str = ""  # a certification's state on the page's date
    state_class: str = ""


@dataclass(frozen=True)
class RowsTable:
    table: str
    title: str
    headers: list[str]
    rows: list[RowView]
    state_header: str = ""


def rows_table(
    spec: TableSpec,
    rows: Sequence[Mapping[str, object]],
    lang: Lang,
    *,
    leave_out: tuple[str, ...] = (),
    page: str | None = None,
) -> RowsTable:
    """``leave_out``: columns the page already says (the owner's code); ``page``: the table's record pages."""
    columns = [c for c in spec.columns if c.name not in leave_out]
    views = [
        RowView(
            key_text(spec, row),
            [display(c, row.get(c.name), lang) for c in columns],
            f"/registry/{page}/{row['code']}" if page else None,
        )
        for row in rows
    ]
    return RowsTable(spec.name, spec.label[lang.value], [column_label(c, lang) for c in columns], views)


def _state(row: Mapping[str, object], as_of: dt.date, lang: Lang) -> tuple[str, str]:
    certified, revoked = row.get("certified_on"), row.get("revoked_on")
    if isinstance(revoked, dt.date) and revoked <= as_of:
        return say(lang, "已撤销", "revoked"), "revoked"
    if isinstance(certified, dt.date) and certified > as_of:
        return say(lang, "尚未认定", "not yet certified"), "pending"
    return say(lang, "有效", "in force"), "in_force"


def certifications_table(
    spec: TableSpec, rows: Sequence[Mapping[str, object]], as_of: dt.date, lang: Lang, owner: str
) -> RowsTable:
    """Certifications oldest first, each with its state at ``as_of`` (in force, revoked, not yet)."""
    ordered = sorted(rows, key=lambda row: (str(row.get("certified_on")), str(row.get("code"))))
    table = rows_table(spec, ordered, lang, leave_out=(owner,))
    views = []
    for view, row in zip(table.rows, ordered, strict=True):
        state, css = _state(row, as_of, lang)
        views.append(RowView(view.key, view.cells, view.link, state, css))
    header = say(lang, f"{as_of.isoformat()} 状态", f"state on {as_of.isoformat()}")
    return RowsTable(table.table, table.title, table.headers, views, header)


def outcome_text(outcome: Outcome, lang: Lang) -> str:
    value = outcome.value
    if value is None:
        return "—"
    if isinstance(value, bool):
        return say(lang, "是", "yes") if value else say(lang, "否", "no")
    if outcome.unit is Unit.YUAN and isinstance(value, int):
        return money(value, lang)
    amount = outcome.amount
    if outcome.unit is Unit.RATE and amount is not None:
        return percent(amount, lang)
    if amount is not None:
        return number(amount if outcome.unit is Unit.FTE else int(amount), lang)
    return str(value)


@dataclass(frozen=True)
class StepView:
    output: str
    label: str
    article: str
    text: str
    why_not: list[Mapping[str, str]]
    parameters: list[Mapping[str, Any]]
    details: list[tuple[str, list[StepView]]] = field(default_factory=list)


@dataclass(frozen=True)
class OutcomeView:
    output: str
    label: str
    article: str
    clauses: str
    shown: str
    step: StepView | None


@dataclass(frozen=True)
class EntitlementsView:
    year: int
    rule_set: str
    options: list[str]  # each as a reader knows it: its label and the chosen value's
    outcomes: list[OutcomeView]
    steps: list[StepView]


def _step(raw: Mapping[str, Any], lang: Lang) -> StepView:
    details = [
        (str(detail.get("record")), [_step(inner, lang) for inner in detail.get("steps") or []])
        for detail in raw.get("details") or []
    ]
    return StepView(
        str(raw.get("output")),
        str(raw.get("label")),
        article_name(str(raw.get("article", "")), lang.value),
        str(raw.get("text", "")),
        list(raw.get("why_not") or []),
        list(raw.get("parameters") or []),
        details,
    )


def entitlements_view(policy: Policy, explained: Explained, lang: Lang) -> EntitlementsView:
    steps = [_step(raw, lang) for raw in explained.steps]
    by_output = {step.output: step for step in steps}
    outcomes = [
        OutcomeView(
            o.output,
            o.label.get(lang.value, o.output),
            article_name(o.article, lang.value),
            ("、" if lang is Lang.zh else ", ").join(o.clauses),
            outcome_text(o, lang),
            by_output.get(o.output),
        )
        for o in explained.outcomes
    ]
    options = [option_text(policy, k, v, lang.value) for k, v in sorted(explained.options.items())]
    return EntitlementsView(explained.year, explained.rule_set, options, outcomes, steps)


@dataclass(frozen=True)
class HistoryView:
    at: dt.datetime
    actor: str
    created: bool
    what: str
    changes: list[tuple[str, str, str]]


def history_view(entries: Sequence[HistoryEntry], specs: Mapping[str, TableSpec], lang: Lang) -> list[HistoryView]:
    out = []
    for entry in entries:
        spec = specs.get(entry.table)
        labels = {c.name: column_label(c, lang) for c in spec.columns} if spec else {}
        title = spec.label[lang.value] if spec else entry.table
        changes = [(labels.get(c.column, c.column), _plain(c.before), _plain(c.after)) for c in entry.changes]
        out.append(
            HistoryView(entry.at, entry.actor, entry.action == "registry.create", f"{title} {entry.key}", changes)
        )
    return out


def _plain(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)
