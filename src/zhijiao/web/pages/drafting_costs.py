"""What a draft version costs against the plan in force, on the drafting pages: the changes each article makes
to the parameters and options of 温政办〔2023〕32号 (set with the article, while the version is editable), the
version's cost by year, payer, article and county, each changing article's own effect, and the cost effect of a
disposition that changed an article. The figures come from ``zhijiao.drafting.costs``, the registry's own engine."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from zhijiao.accounts.models import User
from zhijiao.authz import Permission, Principal
from zhijiao.drafting import changes, costs, versions
from zhijiao.drafting.errors import Invalid
from zhijiao.engine.policy import Policy
from zhijiao.http.deps import Db, PolicyDep, require
from zhijiao.language import Lang
from zhijiao.simulation.cost import label
from zhijiao.web.pages.drafting_common import N_, Id, Key, back

router = APIRouter()
ROWS = 3  # empty change rows of an article's form at least: an article rarely changes more than two or three values
MAX_ROWS = 40  # every parameter and option of the policy, and some
DIMENSIONS = {"payer": N_("按付款方"), "article": N_("按条款（现行政策）"), "county": N_("按县（市、区）")}


def policy_of(request: Request) -> Policy:
    """The policy the app serves (the plan in force), for helpers called without the dependency."""
    policy: Policy = request.app.state.policy
    return policy


def choices(policy: Policy, lang: Lang) -> list[tuple[str, str]]:
    """What an article may change: every parameter, then every option, as ``kind:name`` with its label."""
    found = [(f"parameter:{p.id}", f"{p.label.get(lang.value, p.id)} · {p.id}") for p in policy.parameters]
    found += [(f"option:{o.name}", f"{o.label.get(lang.value, o.name)} · {o.name}") for o in policy.options]
    return found


def _shown_value(policy: Policy, change: changes.Change) -> str:
    """The stored value as the form shows it back: a number, a choice, or a range as FROM..TO."""
    if change.kind == changes.OPTION:
        return str(policy.options.options[change.name].parse(change.value))
    return json.dumps(change.value) if isinstance(change.value, list) else str(change.value)


def cost_context(db: Db, policy: Policy, version_id: int, lang: Lang) -> dict[str, Any]:
    """What the version page shows of the version's cost and changes."""
    cost = costs.version_cost(db, policy, version_id)
    on = dt.date(cost.years[0].year, 1, 1) if cost.years else versions.wenzhou_today()
    names = dict(db.execute(select(User.id, User.display_name)).all())
    rows: dict[str, list[dict[str, Any]]] = {}
    for change in cost.changes:
        what, was, now = changes.describe(policy, change, on, lang)
        rows.setdefault(change.article_key, []).append(
            {"change": change, "what": what, "was": was, "now": now, "by": names.get(change.set_by or 0, ""),
             "form": f"{change.kind}:{change.name}", "value": _shown_value(policy, change)}
        )  # fmt: skip
    return {
        "cost": cost,
        "change_rows": rows,
        "change_choices": choices(policy, lang),
        "change_form_rows": ROWS,
        "cost_dimensions": DIMENSIONS,
        "cost_label": lambda dimension, key: label(dimension, key, lang.value),
    }


def _number(text: str, name: str) -> object:
    """A form's number as the reform document holds it: 400000, 0.32, or "32%" for 0.32."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    percent = cleaned.endswith(("%", "％"))
    try:
        value = Decimal(cleaned.rstrip("%％"))
    except InvalidOperation:
        raise Invalid(f"{name}：“{text}”不是数字。", f"{name}: {text!r} is not a number.") from None
    if percent:
        value /= 100
    if not value.is_finite():
        raise Invalid(f"{name}：“{text}”不是数字。", f"{name}: {text!r} is not a number.")
    return int(value) if value == value.to_integral_value() else float(value)


def read_rows(names: list[str], values: list[str]) -> tuple[dict[str, object], dict[str, object]]:
    """The form's rows as the article's parameters and options; a row with no choice is skipped."""
    if len(names) != len(values) or len(names) > MAX_ROWS:
        raise Invalid("表单行数不符。", "The form's rows do not match.")
    parameters: dict[str, object] = {}
    options: dict[str, object] = {}
    for name, value in zip(names, values, strict=True):
        kind, _, what = name.strip().partition(":")
        if not what:
            continue
        if not value.strip():
            raise Invalid(f"{what}：请填写取值。", f"{what}: give the value.")
        if (kind == "parameter" and what in parameters) or (kind == "option" and what in options):
            raise Invalid(f"{what}：同一项填写了两次。", f"{what}: given twice.")
        if kind == "parameter":
            parameters[what] = _number(value, what)
        elif kind == "option":
            options[what] = value.strip()
        else:
            raise Invalid(f"“{name}”不是可调整的参数或口径。", f"{name!r} is neither a parameter nor an option.")
    return parameters, options


@router.post("/drafting/versions/{version_id}/articles/{key}/changes")
def set_changes(
    db: Db,
    policy: PolicyDep,
    version_id: Id,
    key: Key,
    name: Annotated[list[str], Form(max_length=MAX_ROWS)] = [],  # noqa: B006 -- FastAPI copies defaults
    value: Annotated[list[str], Form(max_length=MAX_ROWS)] = [],  # noqa: B006
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    if any("\x00" in v or len(v) > 200 for v in (*name, *value)):  # noqa: PLR2004 -- a value, not a text
        raise Invalid(
            "取值过长或含有无法保存的字符。", "A value is too long or holds a character that cannot be stored."
        )
    parameters, options = read_rows(name, value)
    found = changes.set_changes(db, user, policy, version_id, key, parameters=parameters, options=options)
    anchor = f"article-{found[0].article_number}" if found else "cost"
    return back(f"/drafting/versions/{version_id}", "changes", anchor)
