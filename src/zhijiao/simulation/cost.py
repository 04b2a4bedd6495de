"""``zhijiao cost``: a year's fiscal cost from the registry, by payer, article or county; reform beside baseline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import Workbook
from sqlalchemy.orm import Session

from zhijiao.engine.calculate import Comparison, compare
from zhijiao.engine.policy import Policy
from zhijiao.engine.reform import Reform
from zhijiao.engine.rules import Period
from zhijiao.money import yuan
from zhijiao.registry.snapshot import cached, frames_for_year
from zhijiao.simulation.missing_inputs import MissingInputs, missing_in_cost
from zhijiao.xlsx_text import keep_text

DIMENSIONS = ("payer", "article", "county")
LABELS = {
    "payer": {"city": ("市财政", "city finance"), "county": ("县（市、区）财政", "county finance")},
    "article": {
        "art03": ("第三条 平台奖励", "Art. 3 platform awards"),
        "art07": ("第七条 产教融合型企业补助", "Art. 7 integration subsidies"),
        "art13": ("第十三条 兼职教师经费", "Art. 13 part-time teachers"),
        "art20": ("第二十条 经费保障", "Art. 20 funding uplifts and matching"),
    },
}


@dataclass(frozen=True)
class CostTable:
    """Fen by group: baseline, and reform and difference when a reform was given."""

    dimension: str
    rows: list[tuple[str, int, int | None]]
    total: tuple[int, int | None]


def cost_for_year(
    session: Session, policy: Policy, year: int, *, options: Mapping[str, object] | None = None,
    reform: Reform | None = None,
) -> Comparison:  # fmt: skip
    if reform is None and not options:  # the year's baseline: what the dashboard, reports and API show
        return cached(session, ("cost", year), policy, lambda: _compared(session, policy, year, None, None))
    return _compared(session, policy, year, options, reform)


def _compared(
    session: Session, policy: Policy, year: int, options: Mapping[str, object] | None, reform: Reform | None
) -> Comparison:
    return compare(policy, frames_for_year(session, policy, Period(year)), Period(year), options, reform)


def table(comparison: Comparison, dimension: str) -> CostTable:
    baseline: dict[str, int] = getattr(comparison.baseline.totals, f"by_{dimension}")
    reform: dict[str, int] | None = getattr(comparison.reform.totals, f"by_{dimension}") if comparison.reform else None
    # Counties in the order the policy lists its places (districts, county-level cities, counties, then the city's
    # own schools); the other groupings by name.
    order = {name: i for i, name in enumerate(comparison.baseline.policy.places)} if dimension == "county" else {}
    keys = sorted(set(baseline) | set(reform or {}), key=lambda k: (order.get(k, 99), k))
    rows = [(key, baseline.get(key, 0), None if reform is None else reform.get(key, 0)) for key in keys]
    reform_total = comparison.reform.totals.fiscal_cost if comparison.reform else None
    return CostTable(dimension, rows, (comparison.baseline.totals.fiscal_cost, reform_total))


def label(dimension: str, key: str, lang: str) -> str:
    names = LABELS.get(dimension, {}).get(key)
    return names[0 if lang == "zh" else 1] if names else key


MISSING_SHEET = {"zh": "缺失数据", "en": "missing inputs"}
MISSING_HEADER = {
    "zh": ["类型", "编号", "名称", "县（市、区）", "空白字段", "字段", "影响条款"],
    "en": ["kind", "code", "name", "county", "blank field", "field", "articles affected"],
}


def _missing_sheet(workbook: Workbook, missing: MissingInputs, lang: str) -> None:
    """Every blank figure the cost used, so the file says where its money may fall short (``missing_inputs``)."""
    sheet = workbook.create_sheet(MISSING_SHEET["zh" if lang == "zh" else "en"])
    sheet.append(MISSING_HEADER["zh" if lang == "zh" else "en"])
    for row in missing:
        articles = ("、" if lang == "zh" else "; ").join(label("article", a, lang) for a in row.articles)
        sheet.append(
            [row.entity_label.get(lang, row.entity), row.code, row.name, row.county, row.label.get(lang, row.field),
             row.field, articles]
        )  # fmt: skip
    if not missing:
        sheet.append(["无：成本未使用任何空白数据。" if lang == "zh" else "none: the cost used no blank figure."])


def write_xlsx(comparison: Comparison, path: Path, *, lang: str = "zh", missing: MissingInputs | None = None) -> None:
    """One sheet per dimension, the blank figures the cost used (``missing``, found when not given), then each
    entity's outputs (baseline), as a bureau meeting reads them."""
    zh = lang == "zh"
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for dimension in DIMENSIONS:
        result = table(comparison, dimension)
        sheet = workbook.create_sheet({"payer": "按付款方", "article": "按条款", "county": "按县"}[dimension] if zh
                                      else f"by {dimension}")  # fmt: skip
        header = ["分组", "基线（元）"] if zh else ["group", "baseline (yuan)"]
        if comparison.reform:
            header += ["改革（元）", "差额（元）"] if zh else ["reform (yuan)", "difference (yuan)"]
        sheet.append(header)
        for key, base, reformed in [*result.rows, ("合计" if zh else "total", *result.total)]:
            row: list[Any] = [label(dimension, key, lang), yuan(base)]
            if comparison.reform and reformed is not None:
                row += [yuan(reformed), yuan(reformed - base)]
            sheet.append(row)
        for column in ("B", "C", "D"):
            for cell in sheet[column][1:]:
                cell.number_format = "#,##0.00"
    _missing_sheet(workbook, missing_in_cost(comparison) if missing is None else missing, lang)
    for entity in comparison.baseline.policy.top_entities():
        frame: pl.DataFrame = comparison.baseline.table(entity.name)
        sheet = workbook.create_sheet(entity.label[lang])
        sheet.append(frame.columns)
        for values in frame.iter_rows():
            sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in values])
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_text(workbook).save(path)
