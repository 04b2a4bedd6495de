"""Jinja2 pages: messages in the request's language, money and dates formatted for it, charts as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from zhijiao.authz import ROLE_LABELS
from zhijiao.catalogs import gettext
from zhijiao.http.deps import CSRF_FIELD, csrf_token_of, request_lang
from zhijiao.http.problems import sign_in_url
from zhijiao.language import Lang
from zhijiao.reports.templating import bilingual
from zhijiao.web.nav import visible

TEMPLATES = Path(__file__).parent / "templates"

env = bilingual(
    Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(), extensions=["jinja2.ext.i18n"])
)
templates = Jinja2Templates(env=env)
env.globals["role_labels"] = ROLE_LABELS


def _switch_to(request: Request, lang: Lang) -> str:
    """This page in the other language, its filters and results kept."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", lang.value)]
    return f"{request.url.path}?{urlencode(items)}"


def _sign_in(request: Request) -> str:
    """The header's sign-in link: back to this page afterwards (on the sign-in page, to where it leads)."""
    if request.url.path == "/login":
        return sign_in_url(request, request.query_params.get("next") or "/")
    return sign_in_url(request)


def _document(request: Request, lang: Lang) -> dict[str, Any]:
    """The plan the platform implements, as its policy states it (number, title in each language): the header and
    the footer cite it from there, so another policy served by the same pages cites its own. ``number_shown`` is
    the number as the catalog writes it in the page's language (温政办〔2023〕32号 has an English rendering), else
    as issued."""
    policy = getattr(request.app.state, "policy", None)
    document: dict[str, Any] = dict(policy.metadata.get("document") or {}) if policy is not None else {}
    if document.get("number"):
        document["number_shown"] = gettext(lang, str(document["number"]))
    return document


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
        "csrf_token": csrf_token_of(request),
        "demo": request.app.state.demo,
        "path": request.url.path,
        "switch_language": _switch_to(request, Lang.en if lang is Lang.zh else Lang.zh),
        "sign_in": _sign_in(request),
        "plan_document": _document(request, lang),
    }
    response: HTMLResponse = templates.TemplateResponse(request, name, base | (context or {}), status_code=status_code)
    return response
