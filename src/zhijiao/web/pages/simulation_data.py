"""A simulation: baseline and reform for every year of the plan, through ``simulation.cost.cost_for_year``;
the detail year by article, payer and county, the years side by side, charts, and the xlsx file."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from zhijiao.engine.calculate import Comparison, Result
from zhijiao.engine.errors import PolicyError, Problem
from zhijiao.engine.policy import Policy
from zhijiao.engine.reform import parse_reform
from zhijiao.language import Lang
from zhijiao.money import yuan
from zhijiao.simulation.cost import DIMENSIONS, cost_for_year, write_xlsx
from zhijiao.simulation.cost_view import CostRow, CostView, MissingView, cost_view, missing_view, wan
from zhijiao.simulation.missing_inputs import MissingInputs, missing_in_cost
from zhijiao.web import charts
from zhijiao.web.i18n import translator
from zhijiao.web.pages.simulation_form import SimulationInput
from zhijiao.xlsx_text import keep_text

# Outputs that move no public money but that a reform changes: Art. 11's pool is paid from a school's own
# service income, and the part-time teachers the sponsor funds are counted, not priced, here.
OUTCOMES = (
    ("school", "social_service_incentive_cap"),
    ("school", "funded_part_time_teachers"),
    ("school", "part_time_teachers_over_cap"),
)


@dataclass(frozen=True)
class Outcome:
    output: str
    label: dict[str, str]
    unit: str  # yuan (in fen) | count
    baseline: int
    reform: int

    @property
    def difference(self) -> int:
        return self.reform - self.baseline


@dataclass(frozen=True)
class Simulation:
    chosen: SimulationInput
    comparisons: dict[int, Comparison]
    views: dict[str, CostView]  # the detail year
    by_year: CostView
    outcomes: list[Outcome]
    missing: dict[int, MissingInputs]  # the blank figures each year's cost used, baseline or reform
    missing_detail: MissingView  # the detail year's, labelled

    @property
    def comparison(self) -> Comparison:
        return self.comparisons[self.chosen.year]

    @property
    def missing_years(self) -> list[tuple[int, int]]:
        """Each year whose cost used blank figures, and of how many records."""
        return [(year, found.entities) for year, found in self.missing.items() if found]


def _reform(comparison: Comparison) -> Result:
    if comparison.reform is None:  # a simulation always runs the reform, even an empty one
        raise ValueError("a simulation without its reform")
    return comparison.reform


def _outcome_sum(result: Result, entity: str, output: str) -> int:
    return int(result.frames[entity][output].cast(pl.Int64).sum() or 0)


def _outcomes(comparison: Comparison) -> list[Outcome]:
    out = []
    for entity, output in OUTCOMES:
        formula = next(f for f in comparison.baseline.policy.graph.for_entity(entity) if f.output == output)
        base = _outcome_sum(comparison.baseline, entity, output)
        reform = _outcome_sum(_reform(comparison), entity, output)
        out.append(Outcome(output, dict(formula.label), formula.unit.value, base, reform))
    return out


def simulate(session: Session, policy: Policy, chosen: SimulationInput, years: list[int], lang: Lang) -> Simulation:
    """Baseline and reform for each of ``years``; refuses (``PolicyError``) a reform the engine cannot take."""
    reform = parse_reform(chosen.reform_document(), policy)
    comparisons = {year: cost_for_year(session, policy, year, reform=reform) for year in years}
    detail = comparisons[chosen.year]
    views = {dimension: cost_view(detail, dimension, lang.value) for dimension in DIMENSIONS}
    rows = []
    for year, comparison in comparisons.items():
        base, reformed = comparison.baseline.totals.fiscal_cost, _reform(comparison).totals.fiscal_cost
        rows.append(CostRow(str(year), str(year), base, reformed))
    total = CostRow("total", "", sum(r.baseline for r in rows), sum(r.reform or 0 for r in rows))
    missing = {year: missing_in_cost(comparison) for year, comparison in comparisons.items()}
    labelled = missing_view(missing[chosen.year], policy, chosen.year, lang.value)
    return Simulation(chosen, comparisons, views, CostView("year", rows, total), _outcomes(detail), missing, labelled)


def refused(error: PolicyError) -> Problem:
    """A reform the engine refused after the form's own checks passed, as a problem of the form."""
    return Problem({"zh": "改革方案", "en": "reform"}, "", error.message("zh"), error.message("en"))


def simulation_charts(simulation: Simulation, lang: Lang) -> dict[str, dict[str, Any]]:
    _ = translator(lang)
    base, reform = _("基线"), _("改革")

    def pair(view: CostView) -> dict[str, list[float | None]]:
        return {base: [wan(r.baseline) for r in view.rows], reform: [wan(r.reform) for r in view.rows]}

    views = simulation.views
    return {
        "year": charts.bar(
            _("各年度财政成本（万元）"), [r.label for r in simulation.by_year.rows], pair(simulation.by_year)
        ),
        "article": charts.bar(_("按条款（万元）"), [r.label for r in views["article"].rows], pair(views["article"])),
        "payer": charts.bar(_("按付款方（万元）"), [r.label for r in views["payer"].rows], pair(views["payer"])),
        "county": charts.bar(
            _("按县（市、区）（万元）"), [r.label for r in views["county"].rows], pair(views["county"])
        ),
    }


def workbook_bytes(simulation: Simulation, policy: Policy, lang: Lang) -> bytes:
    """``simulation.cost.write_xlsx`` for the detail year, with the years side by side and the reform itself
    in front, so the file says what was changed and holds every number the page showed."""
    _ = translator(lang)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "simulation.xlsx"
        write_xlsx(simulation.comparison, path, lang=lang.value, missing=simulation.missing[simulation.chosen.year])
        workbook = load_workbook(path)
    years = workbook.create_sheet(_("按年度"), 0)
    years.append([_("年度"), _("基线（元）"), _("改革（元）"), _("差额（元）")])
    for row in [*simulation.by_year.rows, CostRow("total", _("合计"), *_totals(simulation.by_year))]:
        years.append([row.label, yuan(row.baseline), yuan(row.reform or 0), yuan(row.difference or 0)])
    for column in ("B", "C", "D"):
        for cell in years[column][1:]:
            cell.number_format = "#,##0.00"
    changes = workbook.create_sheet(_("改革方案"), 0)
    changes.append([_("项目"), _("编号"), _("改革取值")])
    for pid, value in simulation.chosen.parameters.items():
        changes.append([policy.parameters[pid].label.get(lang.value, pid), pid, value])
    for name, option_value in simulation.chosen.options.items():
        changes.append([policy.options.options[name].label.get(lang.value, name), name, str(option_value)])
    if simulation.chosen.unchanged:
        changes.append([_("未修改任何参数或口径：改革与基线相同。")])
    changes.append([_("明细年度"), "", simulation.chosen.year])
    buffer = BytesIO()
    keep_text(workbook).save(buffer)
    return buffer.getvalue()


def _totals(view: CostView) -> tuple[int, int | None]:
    return view.total.baseline, view.total.reform
