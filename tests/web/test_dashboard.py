"""The dashboard as the officials who read it: a year's fiscal cost to the fen, by article, payer and
county, as ``zhijiao cost`` gives it; a county officer sees its own county's money only."""

from __future__ import annotations

import re

import polars as pl
from fastapi.testclient import TestClient
from personas import sign_in

from zhijiao.language import Lang
from zhijiao.monitoring.targets import latest_year
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.simulation.cost import cost_for_year, label
from zhijiao.storage.database import unit_of_work
from zhijiao.web.i18n import money

COUNTY = "瑞安市"  # the demo county officer's county


DEFAULT_YEAR = 2025  # the demo holds 2023–2026; the plan runs 2023–2025: its latest year is shown first


def _cost(client: TestClient, year: int | None = None):
    with unit_of_work(client.app.state.engine) as session:
        assert latest_year(session) == DEFAULT_YEAR + 1
        chosen = year or DEFAULT_YEAR
        return chosen, cost_for_year(session, load(), chosen).baseline.totals


def _cells(page: str, table: str) -> dict[str, str]:
    """data-key → the baseline cell of one cost table of the page."""
    body = page.split(f'data-dimension="{table}"', 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r'<tr data-key="([^"]+)">\s*<td>[^<]*</td>\s*<td class="num">([^<]+)</td>', body))


def test_anonymous_users_are_sent_to_sign_in(client: TestClient):
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/dashboard"


def test_the_dashboard_shows_the_latest_years_fiscal_cost_to_the_fen(client: TestClient):
    sign_in(client, "finance")
    year, totals = _cost(client)
    page = client.get("/dashboard").text
    assert f"{year}年" in page
    assert totals.fiscal_cost > 0
    assert money(totals.fiscal_cost, Lang.zh) in page
    assert sum(totals.by_county.values()) == totals.fiscal_cost  # the page's three tables add up alike
    for dimension, amounts in (
        ("article", totals.by_article),
        ("payer", totals.by_payer),
        ("county", totals.by_county),
    ):
        shown = _cells(page, dimension)
        assert shown == {key: money(fen, Lang.zh) for key, fen in amounts.items()} | {
            "total": money(totals.fiscal_cost, Lang.zh)
        }
    for target in [f"T{n}" for n in range(1, 12)]:
        assert f">{target}</a>" in page
    assert 'data-chart="chart-county-options"' in page


def test_a_chosen_year_shows_that_years_cost_and_a_year_without_data_is_refused(client: TestClient):
    sign_in(client, "auditor")
    _, totals = _cost(client, 2024)
    page = client.get("/dashboard?year=2024").text
    assert _cells(page, "article")["total"] == money(totals.fiscal_cost, Lang.zh)
    refused = client.get("/dashboard?year=1999")
    assert refused.status_code == 422
    assert "1999" in refused.text
    assert "2024" in refused.text  # the years that can be chosen
    assert client.get("/dashboard?year=abc").status_code == 422


def test_a_county_officer_sees_only_its_countys_money(client: TestClient):
    sign_in(client, "county")
    _, totals = _cost(client)
    page = client.get("/dashboard").text
    mine = totals.by_county[COUNTY]
    assert f"本页财政成本仅含{COUNTY}" in page
    assert _cells(page, "county") == {COUNTY: money(mine, Lang.zh), "total": money(mine, Lang.zh)}
    items = totals.items.filter(pl.col("county") == COUNTY)
    by_article = {str(k): int(v) for k, v in items.group_by("article").agg(pl.col("amount").sum()).iter_rows()}
    assert sum(by_article.values()) == mine
    assert _cells(page, "article") == {k: money(v, Lang.zh) for k, v in by_article.items()} | {
        "total": money(mine, Lang.zh)
    }
    assert money(totals.fiscal_cost, Lang.zh) not in page  # not the city's total
    for other, fen in totals.by_county.items():
        if other != COUNTY:
            assert money(fen, Lang.zh) not in page, other
    assert "鹿城区" not in page.split('<main id="main">', 1)[1]
    assert "全市" in page  # the city-wide targets, as context
    assert "（背景）" in page


def test_the_dashboard_speaks_english(client: TestClient):
    sign_in(client, "analyst")
    _, totals = _cost(client)
    page = client.get("/dashboard?lang=en").text
    assert '<html lang="en">' in page
    for text in ("Total fiscal cost", "By article", "By payer", "By county", "Targets", "achieved"):
        assert text in page, text
    assert label("article", "art13", "en") in page
    assert money(totals.fiscal_cost, Lang.en) in page
    assert "财政成本合计" not in page
