"""Reports for download: the year's fiscal cost and targets as xlsx, and the meeting report as a PDF.

A county officer's reports cover its county only; everyone else with ``view_cost`` gets the city's.
Whose county and which year are decided as on the dashboard (``dashboard_data``), with the same refusals.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal
from zhijiao.engine.policy import Policy
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.language import Lang, say
from zhijiao.registry.queries import years_with_data
from zhijiao.reports import content, pdf, workbooks
from zhijiao.reports.content import Report
from zhijiao.simulation.cost_view import chosen_year, scope_county
from zhijiao.web.templating import render

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(db: Session, policy: Policy, user: Principal, year: int | None) -> Report:
    county = scope_county(db, user)  # refused before anything is calculated
    years = years_with_data(db)
    if not years:
        raise NotFound("登记册中还没有数据：请先导入数据。", "The registry holds no data yet: import some first.")
    return content.build(db, policy, chosen_year(policy, year, years), county)


def _download(body: bytes, media_type: str, report: Report, stem: tuple[str, str], suffix: str, lang: Lang) -> Response:
    """The file under a Chinese name for the user, with an ASCII name for clients that read no other."""
    scope = f"-{report.county}" if report.county else ""
    name = say(lang, f"{report.year}年{stem[0]}{scope}", f"{stem[1]}-{report.year}{scope}") + suffix
    ascii_name = f"zhijiao-{stem[1].replace(' ', '-')}-{report.year}{suffix}"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/reports")
def reports_page(
    request: Request,
    db: Db,
    policy: PolicyDep,
    year: int | None = None,
    user: Principal = require(Permission.view_cost),
) -> Response:
    county = scope_county(db, user)
    years = years_with_data(db)
    chosen = chosen_year(policy, year, years) if years else None
    context = {"years": years, "year": chosen, "county": county}
    return render(request, "reports/index.html", context)


@router.get("/reports/cost.xlsx")
def cost_xlsx(
    db: Db, policy: PolicyDep, lang: LangDep, year: int | None = None, user: Principal = require(Permission.view_cost)
) -> Response:
    report = _report(db, policy, user, year)
    return _download(workbooks.cost_workbook(report, lang), XLSX, report, ("财政成本", "fiscal cost"), ".xlsx", lang)


@router.get("/reports/targets.xlsx")
def targets_xlsx(
    db: Db, policy: PolicyDep, lang: LangDep, year: int | None = None, user: Principal = require(Permission.view_cost)
) -> Response:
    report = _report(db, policy, user, year)
    return _download(workbooks.targets_workbook(report, lang), XLSX, report, ("目标进展", "targets"), ".xlsx", lang)


@router.get("/reports/dashboard.pdf")
def dashboard_pdf(
    db: Db, policy: PolicyDep, lang: LangDep, year: int | None = None, user: Principal = require(Permission.view_cost)
) -> Response:
    report = _report(db, policy, user, year)
    stem = ("职业教育政策落实报告", "vocational education report")
    return _download(pdf.dashboard_pdf(report, lang), "application/pdf", report, stem, ".pdf", lang)
