"""Reports as an official downloads them: the workbooks add up to the cost service's totals to the fen,
the PDF is Chinese text in an embedded CJK font, and a county officer's reports hold only its county."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import pytest
import typer
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import sign_in
from sqlalchemy import Engine
from typer.testing import CliRunner

from zhijiao.cli.report import report
from zhijiao.demo.accounts import DEMO_COUNTY
from zhijiao.engine.calculate import Comparison
from zhijiao.formatting import money, money_wan
from zhijiao.language import Lang
from zhijiao.monitoring.targets import progress
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.simulation.cost import cost_for_year
from zhijiao.storage.database import engine_for, unit_of_work

YEAR = 2024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ARTICLE_LABELS = {"art03": "第三条 平台奖励", "art13": "第十三条 兼职教师经费"}


def _cost(client: TestClient, year: int = YEAR) -> Comparison:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with unit_of_work(engine) as session:
        return cost_for_year(session, load(), year)


def _fen(value: object) -> int:
    """A workbook's yuan cell back to fen, failing on anything finer than a fen."""
    fen = Decimal(str(value)) * 100
    assert fen == fen.to_integral_value(), value
    return int(fen)


def _rows(sheet) -> dict[str, object]:
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def _poppler(tool: str, body: bytes, tmp_path: Path, *options: str) -> str:
    """A poppler-utils tool (installed by `make`, target system) run on the PDF; its output, as text."""
    executable = shutil.which(tool)
    assert executable, f"{tool} missing: poppler-utils is installed by `make` (target system)"
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    arguments = [executable, *options, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(arguments, capture_output=True, text=True, check=True).stdout  # noqa: S603 -- our own PDF


def _pdf_text(body: bytes, tmp_path: Path) -> str:
    return _poppler("pdftotext", body, tmp_path, "-layout")


def _pdf_fonts(body: bytes, tmp_path: Path) -> list[list[str]]:
    """pdffonts' table: name, type, encoding, emb, sub, uni, object, generation."""
    return [line.split() for line in _poppler("pdffonts", body, tmp_path).splitlines()[2:]]


def _pdf_pages(body: bytes, tmp_path: Path) -> int:
    info = _poppler("pdfinfo", body, tmp_path)
    return int(info.split("Pages:")[1].split()[0])


def test_the_cost_workbook_adds_up_to_the_cost_service_to_the_fen(client: TestClient):
    sign_in(client, "finance")
    response = client.get(f"/reports/cost.xlsx?year={YEAR}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    assert f"{YEAR}年财政成本.xlsx" in unquote(response.headers["content-disposition"])
    totals = _cost(client).baseline.totals
    assert totals.fiscal_cost > 0

    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["说明", "按付款方", "按条款", "按县（市、区）", "明细"]
    by_article = _rows(workbook["按条款"])
    assert _fen(by_article.pop("合计")) == totals.fiscal_cost
    assert {name: _fen(v) for name, v in by_article.items() if name in ARTICLE_LABELS.values()} == {
        label: totals.by_article[key] for key, label in ARTICLE_LABELS.items()
    }
    assert sum(_fen(v) for v in by_article.values()) == totals.fiscal_cost
    by_county = _rows(workbook["按县（市、区）"])
    assert _fen(by_county.pop("合计")) == totals.fiscal_cost
    assert {name: _fen(v) for name, v in by_county.items()} == totals.by_county
    by_payer = _rows(workbook["按付款方"])
    assert _fen(by_payer.pop("合计")) == totals.fiscal_cost
    assert sorted(_fen(v) for v in by_payer.values()) == sorted(totals.by_payer.values())
    lines = list(workbook["明细"].iter_rows(min_row=2, values_only=True))
    assert sum(_fen(line[3]) for line in lines) == totals.fiscal_cost
    assert workbook["按条款"]["B2"].number_format == "#,##0.00"


def test_a_county_officers_reports_cover_its_county_only(sqlite_client: TestClient, tmp_path: Path):
    sign_in(sqlite_client, "county")
    mine = _cost(sqlite_client).baseline.totals.by_county[DEMO_COUNTY]
    workbook = load_workbook(BytesIO(sqlite_client.get(f"/reports/cost.xlsx?year={YEAR}").content))
    assert {name: _fen(v) for name, v in _rows(workbook["按县（市、区）"]).items()} == {DEMO_COUNTY: mine, "合计": mine}
    assert _fen(_rows(workbook["按条款"])["合计"]) == mine
    assert {line[2] for line in workbook["明细"].iter_rows(min_row=2, values_only=True)} == {DEMO_COUNTY}

    targets = load_workbook(BytesIO(sqlite_client.get(f"/reports/targets.xlsx?year={YEAR}").content))["目标进展"]
    assert {row[2] for row in targets.iter_rows(min_row=2, values_only=True)} == {DEMO_COUNTY}

    text = _pdf_text(sqlite_client.get(f"/reports/dashboard.pdf?year={YEAR}").content, tmp_path)
    assert money_wan(mine, Lang.zh) in text
    assert "鹿城区" not in text  # another county's name appears nowhere in this county's report
    assert "市直属" not in text


def test_the_targets_workbook_gives_each_target_as_the_monitoring_service_does(client: TestClient):
    sign_in(client, "auditor")
    response = client.get(f"/reports/targets.xlsx?year={YEAR}")
    assert response.status_code == 200, response.text
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with unit_of_work(engine) as session:
        expected = progress(session, load(), YEAR)
    rows = list(load_workbook(BytesIO(response.content))["目标进展"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [p.target for p in expected] == [f"T{n}" for n in range(1, 12)]
    for row, target in zip(rows, expected, strict=True):
        assert row[4] is None if target.value is None else Decimal(str(row[4])) == target.value
        assert row[5] == "逐年提高" if target.goal is None else Decimal(str(row[5])) == target.goal
    statuses = {row[0]: row[8] for row in rows}
    names = {"achieved": "已完成", "on_track": "按进度", "behind": "滞后", "baseline": "基线年", "no_data": "无数据"}
    assert statuses == {p.target: names[p.status] for p in expected}


def test_the_pdf_report_is_chinese_text_in_an_embedded_cjk_font(client: TestClient, tmp_path: Path):
    sign_in(client, "admin")
    response = client.get(f"/reports/dashboard.pdf?year={YEAR}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    total = _cost(client).baseline.totals.fiscal_cost

    text = _pdf_text(response.content, tmp_path)
    for heading in ("2024年度职业教育政策落实报告", "财政成本与目标进展", "一、财政成本", "二、目标进展", "三、说明"):
        assert heading in text
    assert "温政办〔2023〕32号" in text
    assert "2023年3月23日" in text  # the plan's date of issue, on the title page
    assert money_wan(total, Lang.zh) in text  # e.g. 52,804.62万元
    assert money(total, Lang.zh) in text  # and exact, ¥528,046,167.43
    assert "第十三条 兼职教师经费" in text  # a row of the cost table, and a label of its chart
    assert "职业学校项目总投资" in text  # T1 in the targets table

    fonts = _pdf_fonts(response.content, tmp_path)
    cjk = [font for font in fonts if "Noto-Sans-CJK-SC" in font[0]]
    assert cjk, fonts
    assert all(font[-5] == "yes" for font in cjk)  # emb: the glyphs travel with the file
    assert _pdf_pages(response.content, tmp_path) >= 3  # title page, cost, targets


def test_the_pdf_report_in_english(sqlite_client: TestClient, tmp_path: Path):
    sign_in(sqlite_client, "analyst")
    response = sqlite_client.get(f"/reports/dashboard.pdf?year={YEAR}&lang=en")
    assert response.status_code == 200
    text = _pdf_text(response.content, tmp_path)
    assert "Vocational-education policy report 2024" in text
    assert "1. Fiscal cost" in text
    assert money_wan(_cost(sqlite_client).baseline.totals.fiscal_cost, Lang.en) in text


def test_the_reports_page_lists_the_downloads_of_the_chosen_year(sqlite_client: TestClient):
    sign_in(sqlite_client, "admin")
    page = sqlite_client.get("/reports?year=2023")
    assert page.status_code == 200
    for link in ("/reports/dashboard.pdf?year=2023", "/reports/cost.xlsx?year=2023", "/reports/targets.xlsx?year=2023"):
        assert link in page.text
    assert "报表范围：全市" in page.text


def test_a_year_without_data_is_refused_naming_the_years_there_are(sqlite_client: TestClient):
    sign_in(sqlite_client, "admin")
    response = sqlite_client.get("/reports/cost.xlsx?year=1999")
    assert response.status_code == 422
    assert "2023、2024、2025、2026" in response.text


def test_reports_are_refused_to_roles_without_the_cost_view(sqlite_client: TestClient):
    anonymous = sqlite_client.get(f"/reports/dashboard.pdf?year={YEAR}", follow_redirects=False)
    assert anonymous.status_code == 303
    sign_in(sqlite_client, "school")
    for path in ("/reports", "/reports/cost.xlsx", "/reports/targets.xlsx", "/reports/dashboard.pdf"):
        assert sqlite_client.get(path).status_code == 403, path


def test_the_report_command_writes_the_same_workbook_as_the_page(
    sqlite_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """``zhijiao report`` (its line in cli/main.py aside): a county's cost workbook from the command line."""
    database = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_demo, database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    app = typer.Typer()
    app.command()(report)
    out = tmp_path / "cost.xlsx"
    result = CliRunner().invoke(
        app, ["--kind", "cost", "--year", str(YEAR), "--county", DEMO_COUNTY, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with unit_of_work(engine_for(f"sqlite:///{database}")) as session:
        mine = cost_for_year(session, load(), YEAR).baseline.totals.by_county[DEMO_COUNTY]
    assert _fen(_rows(load_workbook(out)["按县（市、区）"])["合计"]) == mine

    refused = CliRunner().invoke(app, ["--kind", "pdf", "--year", "1999", "--out", str(tmp_path / "r.pdf")])
    assert refused.exit_code == 2
    assert "2023、2024、2025、2026" in refused.output
