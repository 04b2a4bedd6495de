"""The charts of the majors page (Art. 10): a county's students per major year by year, and the city's heat map of
duplication (counties × majors: schools running the major small where two or more schools run it)."""

from __future__ import annotations

from typing import Any

from zhijiao.language import Lang
from zhijiao.majors.city import DuplicationMap, Trend
from zhijiao.web import charts
from zhijiao.web.i18n import translator

# From no duplicated school (pale) to many (the palette's red end): the cells the county can merge stand out.
HEAT = ["#f7f4ea", "#f2c57c", "#d9822b", "#b23a2e"]


def trend_chart(trend: Trend, county: str, lang: Lang) -> dict[str, Any]:
    _ = translator(lang)
    options = charts.line(
        _("%(county)s各专业在校生（人）") % {"county": county},
        [str(y) for y in trend.years],
        {major: [trend.students[major].get(y) for y in trend.years] for major in trend.majors},
    )
    options["legend"] = {"type": "scroll", "bottom": 0}
    options["tooltip"] = {"trigger": "axis", "order": "valueDesc"}
    return options


def duplication_chart(found: DuplicationMap, lang: Lang) -> dict[str, Any]:
    _ = translator(lang)
    # Cells with no duplicated school are left out: the pale background, so the ones to act on stand out.
    cells = [
        [x, y, found.duplicated(county, major)]
        for x, major in enumerate(found.majors)
        for y, county in enumerate(found.counties)
        if found.duplicated(county, major)
    ]
    top = max((v for *_, v in cells), default=0)
    title = _("重复开设且小规模的学校数（%(year)s年，在校生少于%(small)s人）") % {
        "year": found.year,
        "small": found.small,
    }
    options = charts.line(title, [], {})
    options |= {
        "legend": {"show": False},
        "tooltip": {"position": "top"},
        "grid": {"left": 20, "right": 20, "top": 50, "bottom": 70, "containLabel": True},
        "xAxis": {"type": "category", "data": found.majors, "axisLabel": {"interval": 0, "rotate": 40}},
        "yAxis": {"type": "category", "data": found.counties, "inverse": True},
        "visualMap": {
            "min": 0,
            "max": max(top, 1),
            "calculable": True,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "inRange": {"color": HEAT},
        },
        "series": [
            {
                "name": _("小规模学校数"),
                "type": "heatmap",
                "data": cells,
                "label": {"show": True},
                "emphasis": {"itemStyle": {"borderColor": "#333", "borderWidth": 1}},
            }
        ],
    }
    return options
