"""The reports' own Jinja environment (the PDF report for a bureau meeting, the drafting explanation): messages
from the shared catalogs in the report's language, money and dates as ``zhijiao.formatting`` writes them. Reports
need nothing of the web pages, so a command-line run renders them without the web application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from zhijiao import catalogs, formatting
from zhijiao.language import Lang

TEMPLATES = Path(__file__).parent / "templates"


def _lang(context: Context) -> Lang:
    return Lang(context.get("lang", Lang.zh))


@pass_context
def _gettext(context: Context, message: str, **variables: Any) -> str:  # noqa: ANN401 -- Jinja's contract
    text = catalogs.gettext(_lang(context), message)
    return text % variables if variables else text


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int, **variables: Any) -> str:  # noqa: ANN401
    text = catalogs.translations(_lang(context)).ngettext(singular, plural, n)
    return text % ({"num": n} | variables)


def _with_lang(function: Any) -> Any:  # noqa: ANN401 -- wraps a formatter as a Jinja filter
    @pass_context
    def jinja_filter(context: Context, value: Any) -> str:  # noqa: ANN401
        result: str = function(value, _lang(context))
        return result

    return jinja_filter


@pass_context
def _pick(context: Context, label: dict[str, str] | None) -> str:
    """A bilingual label of the policy package or registry ({"zh": …, "en": …}) in the template's language."""
    if not label:
        return ""
    return label.get(_lang(context).value) or label.get("zh") or ""


def bilingual(env: Environment) -> Environment:
    """What every template of the platform may use, in its ``lang``: ``_()`` from the shared catalogs, money, dates
    and numbers as ``zhijiao.formatting`` writes them, ``pick`` for bilingual labels. The pages' environment
    (web/templating.py) is set up the same way."""
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        {
            "money": _with_lang(formatting.money),
            "wan": _with_lang(formatting.money_wan),
            "number": _with_lang(formatting.number),
            "percent": _with_lang(formatting.percent),
            "date": _with_lang(formatting.date),
            "moment": _with_lang(formatting.moment),
        }
    )
    env.globals["pick"] = _pick
    return env


env = bilingual(
    Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(), extensions=["jinja2.ext.i18n"])
)
