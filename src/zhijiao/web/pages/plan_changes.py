"""What changed between two dates: every parameter whose value in force on one day differs from the other."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from zhijiao.engine.parameters import OPEN_START, DatedValue, Parameter
from zhijiao.engine.policy import Policy
from zhijiao.engine.units import from_scaled
from zhijiao.language import Lang
from zhijiao.web.pages import plan_format as fmt
from zhijiao.web.pages.plan_view import CitationView, DatedValueView

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NOT_A_DATE = fmt.N_("“%(value)s” 不是日期（应为 YYYY-MM-DD）")
DATE_NEEDED = fmt.N_("请填写日期")
NOT_IN_FORCE = fmt.N_("未施行")


@dataclass(frozen=True)
class Change:
    id: str
    label: Mapping[str, str]
    article: str
    before: DatedValueView | None  # None: no value in force on that day
    after: DatedValueView | None


def parse_day(raw: str | None, lang: Lang) -> tuple[dt.date | None, str]:
    """A YYYY-MM-DD date, or the reason it is not one (in the page's language)."""
    text = (raw or "").strip()
    if not text:
        return None, fmt.translate(lang, DATE_NEEDED)
    try:
        if ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text), ""
    except ValueError:
        pass
    return None, fmt.translate(lang, NOT_A_DATE) % {"value": text[:40]}


def _view(parameter: Parameter, entry: DatedValue | None, lang: Lang) -> DatedValueView | None:
    if entry is None or entry.scaled is None:
        return None
    return DatedValueView(
        effective_from=None if entry.effective_from == OPEN_START else entry.effective_from,
        shown=fmt.value(from_scaled(entry.scaled, parameter.unit), parameter.unit, lang),
        in_force=False,
        citation=CitationView.of(entry.citation, lang),
    )


def changes_between(policy: Policy, start: dt.date, end: dt.date, lang: Lang) -> list[Change]:
    changes = []
    for parameter in policy.parameters:
        before, after = parameter.entry_on(start), parameter.entry_on(end)
        value_before = None if before is None else before.scaled
        value_after = None if after is None else after.scaled
        if value_before == value_after:
            continue
        changes.append(
            Change(
                id=parameter.id,
                label=parameter.label,
                article=parameter.id.split(".", 1)[0],
                before=_view(parameter, before, lang),
                after=_view(parameter, after, lang),
            )
        )
    return changes
