"""The report for a bureau meeting as one PDF: title page, cost tables in 万元, targets, charts as SVG.

WeasyPrint lays out an HTML template of the site (``templates/reports/dashboard_pdf.html``) whose font is
named explicitly, "Noto Sans CJK SC", so the PDF embeds real CJK glyphs (subset by HarfBuzz); without the
font installed WeasyPrint would silently print empty boxes, which the tests check for with ``pdffonts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

from markupsafe import Markup
from weasyprint import HTML  # type: ignore[import-untyped]  # WeasyPrint ships no type information

from zhijiao import formatting
from zhijiao.language import Lang, say
from zhijiao.monitoring.targets import Progress
from zhijiao.reports import charts, labels, shares
from zhijiao.reports.content import CostRow, Report
from zhijiao.reports.templating import TEMPLATES, env
from zhijiao.simulation.cost import DIMENSIONS, label

TEMPLATE = "dashboard_pdf.html"
SHOWN_PLACES = 3  # a share shown to 0.1 %: 0.237 is 23.7 %


@dataclass(frozen=True)
class CostLine:
    label: str
    amount: str  # 万元 (Chinese) or million yuan (English), two decimals
    share: str  # the share as the table and the chart both write it
    share_value: Decimal | None  # rounded with the other lines' so that they add up to 100.0 %


@dataclass(frozen=True)
class TargetLine:
    target: str
    indicator: str
    value: str
    goal: str
    share: str
    path: str
    status: str
    status_label: str


@dataclass(frozen=True)
class MissingLine:
    """A blank figure the cost counted as zero: whose, which, and the articles whose money it leaves short."""

    kind: str
    code: str
    name: str
    county: str
    field: str
    label: str
    articles: str


def _missing_lines(report: Report, lang: Lang) -> list[MissingLine]:
    joiner = say(lang, "、", "; ")
    return [
        MissingLine(
            row.entity_label.get(lang.value, row.entity),
            row.code,
            row.name or "",
            row.county or "",
            row.field,
            row.label.get(lang.value, row.field),
            joiner.join(label("article", article, lang.value) for article in row.articles),
        )
        for row in report.missing
    ]


def _cost_lines(rows: list[CostRow], lang: Lang) -> list[CostLine]:
    """The lines of a cost table, their shares rounded together (largest remainder) to the 0.1 % shown."""
    rounded = shares.rounded([row.fen for row in rows], SHOWN_PLACES)
    return [
        CostLine(row.label[lang.value], labels.amount(row.fen, lang), formatting.percent(share, lang), share)
        for row, share in zip(rows, rounded, strict=True)
    ]


def _target_lines(rows: list[Progress], lang: Lang) -> list[TargetLine]:
    return [
        TargetLine(
            row.target,
            row.indicator.get(lang.value) or row.indicator["zh"],
            labels.target_value(row.value, row.unit, lang),
            labels.target_goal(row.goal, row.unit, lang),
            formatting.percent(row.share, lang),
            labels.target_value(row.expected, row.unit, lang),
            row.status,
            labels.status(row.status, lang),
        )
        for row in rows
    ]


def _charts(report: Report, cost: dict[str, list[CostLine]], lang: Lang) -> dict[str, Markup]:
    """The charts, writing the figures of the tables (``cost``: the tables' lines) beside their bars and wedges."""
    ring = [line.share_value for line in cost["payer"]]
    drawn = {
        "article": charts.cost_bars(
            report.cost["article"], say(lang, "按条款的财政成本", "Fiscal cost by article"), lang
        ),
        "payer": charts.payer_shares(report.cost["payer"], ring, say(lang, "按付款方", "By payer"), lang),
    }
    if len(report.cost["county"]) > 1:
        drawn["county"] = charts.cost_bars(
            report.cost["county"], say(lang, "按县（市、区）的财政成本", "Fiscal cost by county"), lang
        )
    title = (
        say(lang, "各目标完成比例与进度线", "Share of each target achieved, and the path to the deadline")
        if report.county is None
        else say(lang, f"{report.county}占全市完成值的比重", f"{report.county}'s part of the city's value")
    )
    drawn["targets"] = charts.target_progress(report.targets, title, lang)
    return drawn


def context(report: Report, lang: Lang) -> dict[str, Any]:
    cost = {dimension: _cost_lines(report.cost[dimension], lang) for dimension in DIMENSIONS}
    return {
        "lang": lang,
        "html_lang": lang.html,
        "report": report,
        "plan": labels.plan_citation(report.document, lang),
        "scope": report.scope[lang.value],
        "cost": cost,
        "total_amount": labels.amount(report.total_fen, lang),
        "payers": {row.key: row.fen for row in report.cost["payer"]},
        "targets": _target_lines(report.targets, lang),
        "charts": _charts(report, cost, lang),
        "missing": _missing_lines(report, lang),
        "missing_count": report.missing.entities,
        "missing_by_article": [
            (label("article", article, lang.value), count) for article, count in report.missing.by_article().items()
        ],
    }


def _no_fetching(url: str, *_args: object, **_kwargs: object) -> NoReturn:
    """The report is self-contained: nothing it holds may make WeasyPrint reach for a file or the network."""
    raise ValueError(f"reports fetch nothing: {url}")


def render_html(report: Report, lang: Lang = Lang.zh) -> str:
    return env.get_template(TEMPLATE).render(context(report, lang))


def dashboard_pdf(report: Report, lang: Lang = Lang.zh) -> bytes:
    document = HTML(string=render_html(report, lang), base_url=str(TEMPLATES), url_fetcher=_no_fetching)
    pdf: bytes = document.write_pdf()
    return pdf
