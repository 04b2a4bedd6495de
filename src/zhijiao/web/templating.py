"""Jinja2 pages: messages in the request's language, money and dates formatted for it, charts as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from zhijiao.authz import ROLE_LABELS
from zhijiao.http.deps import CSRF_FIELD, request_lang
from zhijiao.language import Lang
from zhijiao.web import i18n
from zhijiao.web.nav import visible

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(), extensions=["jinja2.ext.i18n"])
templates = Jinja2Templates(env=env)


def _lang(context: Context) -> Lang:
    return Lang(context.get("lang", Lang.zh))


@pass_context
def _gettext(context: Context, message: str, **variables: Any) -> str:  # noqa: ANN401 -- Jinja's contract
    text = i18n.gettext(_lang(context), message)
    return text % variables if variables else text


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int, **variables: Any) -> str:  # noqa: ANN401
    text = i18n.translations(_lang(context)).ngettext(singular, plural, n)
    return text % ({"num": n} | variables)


env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]


def _with_lang(function: Any) -> Any:  # noqa: ANN401 -- wraps a formatter as a Jinja filter
    @pass_context
    def jinja_filter(context: Context, value: Any) -> str:  # noqa: ANN401
        result: str = function(value, _lang(context))
        return result

    return jinja_filter


env.filters.update(
    {
        "money": _with_lang(i18n.money),
        "wan": _with_lang(i18n.money_wan),
        "number": _with_lang(i18n.number),
        "percent": _with_lang(i18n.percent),
        "date": _with_lang(i18n.date),
        "moment": _with_lang(i18n.moment),
    }
)


@pass_context
def _pick(context: Context, label: dict[str, str] | None) -> str:
    """A bilingual label of the policy package or registry ({"zh": …, "en": …}) in the page's language."""
    if not label:
        return ""
    return label.get(_lang(context).value) or label.get("zh") or ""


env.globals["pick"] = _pick
env.globals["role_labels"] = ROLE_LABELS


def _switch_to(request: Request, lang: Lang) -> str:
    """This page in the other language, its filters and results kept."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", lang.value)]
    return f"{request.url.path}?{urlencode(items)}"


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    lang = request_lang(request)
    user = getattr(request.state, "principal", None)
    base = {
        "lang": lang,
        "html_lang": lang.html,
        "user": user,
        "nav": visible(user),
        "csrf_field": CSRF_FIELD,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "demo": request.app.state.demo,
        "path": request.url.path,
        "switch_language": _switch_to(request, Lang.en if lang is Lang.zh else Lang.zh),
    }
    response: HTMLResponse = templates.TemplateResponse(request, name, base | (context or {}), status_code=status_code)
    return response
