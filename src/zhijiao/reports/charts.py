"""Charts of the PDF report as SVG, drawn by matplotlib with a real CJK font.

Text stays text in the SVG (``svg.fonttype = none``), so the PDF embeds the same Noto Sans CJK SC as
its tables and the chart labels can be searched and copied. The font is found by its file
(``zhijiao.reports.fonts``), never only by the name in matplotlib's font cache, so a cache older than the fonts
cannot fail a report. The figures a chart writes (amounts, shares) are the table's own texts, formatted by the
same functions from the same rounded values. No pyplot: figures are plain objects, so requests drawing at the
same time share no global figure state.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO
from typing import Any

import matplotlib as mpl
from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter
from matplotlib.typing import RcKeyType

from zhijiao import formatting
from zhijiao.language import Lang, say
from zhijiao.money import FEN_PER_MILLION, FEN_PER_WAN
from zhijiao.monitoring.targets import Progress
from zhijiao.reports import fonts, labels
from zhijiao.reports.content import CostRow

# The platform's chart colours: the pages' charts (web/charts.py) and the reports' use the same.
PALETTE = ["#9b1c1c", "#1d4ed8", "#15803d", "#b45309", "#6d28d9", "#0f766e", "#be185d", "#4b5563"]

mpl.use("Agg")
WIDTH_INCHES = 6.6
SMALL_WEDGE = Decimal("0.05")  # a thinner wedge has no room for its label (the table has every share)


def style(font: fonts.ChartFont) -> dict[RcKeyType, Any]:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [font.family, fonts.FALLBACK_FAMILY],
        "axes.unicode_minus": False,  # CJK fonts lack U+2212; a hyphen-minus is what officials type anyway
        "svg.fonttype": "none",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


@contextmanager
def _drawing() -> Iterator[None]:
    """matplotlib set up for one chart in the font found on this machine. Without a CJK font (logged once, when it
    was looked for) every Chinese character would warn of a missing glyph: the chart is drawn all the same."""
    font = fonts.chart_font()
    with mpl.rc_context(style(font)):
        if font.cjk:
            yield
            return
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font", category=UserWarning)
            yield


def _svg(figure: Figure) -> Markup:
    buffer = StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    # Only the <svg> element: it is placed inside the report's HTML, where an XML prolog has no place.
    return Markup(text[text.index("<svg") :])  # noqa: S704 -- matplotlib's own output; labels are escaped by it


def _amount(fen: int, lang: Lang) -> float:
    """Chart bars in 万元 (Chinese) or millions of yuan (English); floats are fine for drawing, not for sums (nor
    for the figures written beside the bars: those are the table's, ``labels.amount``)."""
    return fen / (FEN_PER_WAN if lang is Lang.zh else FEN_PER_MILLION)


def cost_bars(rows: Sequence[CostRow], title: str, lang: Lang) -> Markup:
    """Horizontal bars, largest figures readable with their value at the bar's end."""
    with _drawing():
        figure = Figure(figsize=(WIDTH_INCHES, 0.8 + 0.26 * max(len(rows), 2)))
        axes = figure.subplots()
        names = [row.label[lang.value] for row in rows][::-1]
        values = [_amount(row.fen, lang) for row in rows][::-1]
        bars = axes.barh(names, values, color=PALETTE[0], height=0.6)
        axes.bar_label(bars, labels=[labels.amount(row.fen, lang) for row in rows][::-1], padding=3, fontsize=8)
        axes.set_title(title, loc="left", fontsize=11)
        axes.set_xlabel(say(lang, "万元", "million yuan"))
        axes.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        axes.margins(x=0.15)
        return _svg(figure)


def payer_shares(rows: Sequence[CostRow], shares: Sequence[Decimal | None], title: str, lang: Lang) -> Markup:
    """Who pays: a ring of the payers' shares, each wedge labelled with its share as the table writes it. ``shares``
    are the rows' shares rounded together (``zhijiao.reports.shares``), the very figures of the table."""
    with _drawing():
        figure = Figure(figsize=(WIDTH_INCHES / 2, 2.6))
        axes = figure.subplots()
        shown = [(row, share) for row, share in zip(rows, shares, strict=True) if row.fen > 0]
        ring = axes.pie(
            [row.fen for row, _share in shown],
            labels=[row.label[lang.value] for row, _share in shown],
            colors=PALETTE[: len(shown)],
            startangle=90,
            counterclock=False,
            wedgeprops={"width": 0.45},
            textprops={"fontsize": 8},
        )
        texts = [
            formatting.percent(share, lang) if share is not None and share >= SMALL_WEDGE else ""
            for _row, share in shown
        ]
        axes.pie_label(ring, texts, distance=0.78, textprops={"fontsize": 8, "color": "white"})
        axes.set_title(title, loc="left", fontsize=11)
        return _svg(figure)


def target_progress(rows: Sequence[Progress], title: str, lang: Lang) -> Markup:
    """Each target's share achieved, and a tick where the straight path to the deadline stands; a target without
    data keeps its line, with no bar and the words "无数据 / no data" where a share would be."""
    shown = [row for row in rows if row.share is not None or row.status == "no_data"]
    with _drawing():
        figure = Figure(figsize=(WIDTH_INCHES, 0.8 + 0.24 * max(len(shown), 2)))
        axes = figure.subplots()
        names = [f"{row.target} {row.indicator.get(lang.value) or row.indicator['zh']}" for row in shown][::-1]
        shares = [float(row.share or 0) * 100 for row in shown][::-1]
        colors = [PALETTE[2] if row.status == "achieved" else PALETTE[1] for row in shown][::-1]
        bars = axes.barh(names, shares, color=colors, height=0.6)
        texts = [  # as the table writes them
            labels.status(row.status, lang) if row.share is None else formatting.percent(row.share, lang)
            for row in shown
        ]
        axes.bar_label(bars, labels=texts[::-1], padding=3, fontsize=8)
        for index, row in enumerate(shown[::-1]):
            path = _path_share(row)
            if path is not None:
                axes.plot([path, path], [index - 0.4, index + 0.4], color=PALETTE[0], linewidth=2)
        axes.set_title(title, loc="left", fontsize=11)
        axes.set_xlabel("%")
        axes.margins(x=0.12)
        return _svg(figure)


def _path_share(row: Progress) -> float | None:
    """Where the path stands as a share of the goal (counts and sums; a rate's path is itself a rate)."""
    if row.expected is None or not row.goal:
        return None
    return float(row.expected / row.goal * Decimal(100))
