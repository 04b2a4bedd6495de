"""ECharts options built as plain dicts, so pages and reports share them and nothing but JSON reaches
the browser (pyecharts would load ECharts from a CDN)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from zhijiao.reports.charts import PALETTE
from zhijiao.reports.fonts import CJK_FAMILIES

# The browser draws these charts with its own fonts: the usual CJK families of Apple and Windows machines, then those
# the PDF's charts prefer (Noto Sans CJK SC, then WenQuanYi's), then whatever sans-serif the browser has.
FONT = ", ".join(("PingFang SC", "Microsoft YaHei", *CJK_FAMILIES, "sans-serif"))


def _base(title: str) -> dict[str, Any]:
    return {
        "color": PALETTE,
        "title": {"text": title, "left": "left", "textStyle": {"fontSize": 14, "fontFamily": FONT}},
        "tooltip": {"trigger": "axis"},
        "textStyle": {"fontFamily": FONT},
        "grid": {"left": 60, "right": 20, "top": 50, "bottom": 60, "containLabel": True},
        "animation": False,  # screenshots and PDFs see the finished chart
    }


def bar(
    title: str, categories: Sequence[str], series: Mapping[str, Sequence[float | None]], *, unit: str = ""
) -> dict[str, Any]:
    """Bars per category, one series per key (e.g. baseline and reform)."""
    return _base(title) | {
        "legend": {"bottom": 0} if len(series) > 1 else {"show": False},
        "xAxis": {"type": "category", "data": list(categories), "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "name": unit},
        "series": [{"name": name, "type": "bar", "data": list(values)} for name, values in series.items()],
    }


def line(
    title: str, categories: Sequence[str], series: Mapping[str, Sequence[float | None]], *, unit: str = ""
) -> dict[str, Any]:
    """Lines over categories (years), e.g. progress against the path to the deadline."""
    return _base(title) | {
        "legend": {"bottom": 0},
        "xAxis": {"type": "category", "data": list(categories)},
        "yAxis": {"type": "value", "name": unit},
        "series": [
            {"name": name, "type": "line", "data": list(values), "connectNulls": True}
            for name, values in series.items()
        ],
    }


def pie(title: str, parts: Mapping[str, float | None]) -> dict[str, Any]:
    return _base(title) | {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [
            {"type": "pie", "radius": ["35%", "65%"], "data": [{"name": k, "value": v} for k, v in parts.items()]}
        ],
    }
