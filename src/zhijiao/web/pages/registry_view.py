"""What the registry's pages share: how a value of a table column reads in each language, the labels of
coded choices, a list's query string, and whose rows a page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, allows
from zhijiao.engine.policy import Policy
from zhijiao.http.errors import InvalidInput
from zhijiao.language import Lang, say
from zhijiao.money import fen
from zhijiao.registry.counties import county_options
from zhijiao.registry.spec import Column
from zhijiao.simulation.cost_view import chosen_year as dashboard_chosen_year
from zhijiao.web.i18n import date, money, number, percent

# Coded values of the registry's tables that the policy package does not label (it labels the rest).
REGISTRY_CHOICES: dict[str, dict[str, str]] = {
    "new": {"zh": "新建", "en": "new"},
    "relocated": {"zh": "迁建", "en": "relocated"},
    "expanded": {"zh": "改扩建", "en": "expanded"},
    "programme": {"zh": "合作项目", "en": "programme"},
    "park": {"zh": "合作园区", "en": "park"},
    "brand": {"zh": "品牌", "en": "brand"},
    "quality_school": {"zh": "优质学校", "en": "high-quality school"},
    "quality_major": {"zh": "优质专业", "en": "high-quality major"},
    "government": {"zh": "政府部门", "en": "government"},
    "school": {"zh": "学校", "en": "school"},
    "association": {"zh": "行业协会", "en": "association"},
    "enterprise": {"zh": "企业", "en": "enterprise"},
}


def choices(policy: Policy) -> dict[str, Mapping[str, str]]:
    """The labels of coded values: the policy's, and the registry's own."""
    return {**policy.labels, **REGISTRY_CHOICES}


def choice(policy: Policy, value: object, lang: Lang) -> str:
    if value is None:
        return "—"
    label = choices(policy).get(str(value))
    return label.get(lang.value, str(value)) if label else str(value)


def column_label(column: Column, lang: Lang) -> str:
    """The column's header as the import file has it in Chinese; its field name in words in English."""
    if lang is Lang.zh:
        return column.zh
    words = column.name.replace("_", " ")
    return f"{words} (yuan)" if column.kind == "yuan" else words


def _number(kind: str, value: object, lang: Lang) -> str | None:
    """Amounts, rates and counts; None for a value of another kind."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    if kind == "yuan":
        return money(fen(value), lang)
    if kind == "rate":
        return percent(Decimal(value), lang)
    if kind in ("fte", "int"):
        return number(value, lang)
    return None


def display(column: Column, value: object, lang: Lang) -> str:
    """A file value (as ``registry.rows`` gives it) as a page shows it: ¥ amounts, percentages, dates."""
    if value is None:
        return "—"
    shown = _number(column.kind, value, lang)
    if shown is None and column.kind == "date" and isinstance(value, dt.date):
        shown = date(value, lang)
    if shown is None and column.kind == "bool":
        shown = say(lang, "是", "yes") if value else say(lang, "否", "no")
    if shown is None and column.options is not None:
        shown = column.options.label(str(value), lang.value)
    return str(value) if shown is None else shown


def form_text(value: object) -> str:
    """A file value as an edit form's field holds it: what a person would type, and what converts back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def county_code(session: Session, text: str | None) -> str | None:
    """The code of a county given by name or code; None for none; refused, naming the choices, if unknown."""
    if not text:
        return None
    options = county_options(session)
    for code, name in options:
        if text in (code, name):
            return code
    names = "、".join(name for _code, name in options)
    raise InvalidInput(f"“{text}”不是温州市的县（市、区）（可选：{names}）。", f"{text!r} is not a county of Wenzhou.")


class QueryString:
    """A list's query string with some parameters changed: the pager and the sortable headers call it."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = {k: v for k, v in values.items() if v not in (None, "", False)}

    def __call__(self, **changes: object) -> str:
        merged = {**self.values, **changes}
        return urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})

    def sorted_by(self, column: str, current: str, descending: bool) -> str:
        """The query that sorts by ``column``: ascending first, the other way on a second click."""
        flip = column == current and not descending
        return self(sort=column, desc=1 if flip else None, page=None)


def wants_fragment(request: Request, target: str) -> bool:
    """htmx asking for one part of the page (its ``hx-target``); anything else gets the whole page."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == target


def chosen_year(policy: Policy, year: int | None, years: list[int]) -> int | None:
    """As on the dashboard (the plan's latest year with data by default); None when nothing has data."""
    return dashboard_chosen_year(policy, year, years) if years else year


def area_context(user: Principal) -> dict[str, object]:
    """What every registry page needs: which of the area's actions the user may take (links only; each action's
    route enforces its own rule)."""
    return {
        "can_edit": allows(user.role, Permission.edit_registry),
        "can_import": allows(user.role, Permission.import_registry),
        "can_transfer": allows(user.role, Permission.export_registry),
    }
