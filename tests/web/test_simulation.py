"""The simulation page as an analyst uses it: change a parameter or an option, see baseline against reform
for every plan year exactly as ``cost_for_year(reform=…)`` gives it, export the same numbers as xlsx;
a wrong value is refused with its field named and nothing is run."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import polars as pl
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import sign_in

from zhijiao.engine.calculate import Comparison
from zhijiao.engine.reform import parse_reform
from zhijiao.language import Lang
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.simulation.cost import cost_for_year
from zhijiao.storage.database import unit_of_work
from zhijiao.web.i18n import money

PLAN_YEARS = (2023, 2024, 2025)
PARAMETERS = (
    "art03.platform_award.provincial",
    "art03.platform_award.national",
    "art07.integration_subsidy.city",
    "art07.integration_subsidy.provincial",
    "art07.integration_subsidy.national",
    "art11.incentive_rate",
    "art13.part_time_share_cap",
    "art20.appropriation_uplift.provincial",
    "art20.appropriation_uplift.national",
    "art20.public_expenditure_base",
    "art20.public_expenditure_uplift",
    "art20.donation_matching_rate",
)


def _expected(client: TestClient, reform: dict[str, object]) -> dict[int, Comparison]:
    policy = load()
    with unit_of_work(client.app.state.engine) as session:
        parsed = parse_reform(reform, policy)
        return {year: cost_for_year(session, policy, year, reform=parsed) for year in PLAN_YEARS}


def _row(page: str, table_id: str, key: str) -> list[str]:
    table = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    found = re.search(rf'<tr data-key="{key}">(.*?)</tr>', table, re.DOTALL)
    assert found, (table_id, key)
    return [c.strip() for c in re.findall(r'<td class="num[^"]*">(.*?)</td>', found.group(1), re.DOTALL)]


def _fen(*amounts: int) -> list[str]:
    return [money(a, Lang.zh) for a in amounts]


def test_the_form_offers_every_parameter_and_every_option_choice(client: TestClient):
    sign_in(client, "analyst")
    page = client.get("/simulation").text
    for pid in PARAMETERS:
        assert f'name="{pid}"' in page, pid
    for option in load().options:
        if option.kind == "date_range":
            assert f'name="{option.name}.from"' in page
            assert f'name="{option.name}.to"' in page
        else:
            for choice in option.choices:
                assert f'<option value="{choice}"' in page, (option.name, choice)
    assert 'id="simulation-result"' not in page  # nothing runs before the form is sent


def test_a_reform_that_moves_money_shows_what_cost_for_year_gives(client: TestClient):
    sign_in(client, "finance")
    query = "run=1&year=2024&art20.donation_matching_rate=0.8&upgrade_payment=difference"
    page = client.get(f"/simulation?{query}").text
    expected = _expected(
        client,
        {"parameters": {"art20.donation_matching_rate": Decimal("0.8")}, "options": {"upgrade_payment": "difference"}},
    )
    base_total = sum(c.baseline.totals.fiscal_cost for c in expected.values())
    reform_total = sum(c.reform.totals.fiscal_cost for c in expected.values())  # type: ignore[union-attr]
    assert reform_total != base_total
    for year, comparison in expected.items():
        base, reform = comparison.baseline.totals.fiscal_cost, comparison.reform.totals.fiscal_cost  # type: ignore[union-attr]
        assert _row(page, "by-year", str(year)) == _fen(base, reform, reform - base)
    assert _row(page, "by-year", "total") == _fen(base_total, reform_total, reform_total - base_total)
    detail = expected[2024]
    for article, base in detail.baseline.totals.by_article.items():
        reform = detail.reform.totals.by_article[article]  # type: ignore[union-attr]
        assert _row(page, "by-article", article) == _fen(base, reform, reform - base)
    for county, base in detail.baseline.totals.by_county.items():
        reform = detail.reform.totals.by_county[county]  # type: ignore[union-attr]
        assert _row(page, "by-county", county) == _fen(base, reform, reform - base)
    assert 'href="/simulation/export.xlsx?run=1&amp;year=2024&amp;art20.donation_matching_rate=0.8' in page


def test_the_art11_rate_changes_the_incentive_pool_but_not_the_fiscal_cost(client: TestClient):
    # Art. 11's pool is paid from schools' own service income: the engine counts no public money for it.
    sign_in(client, "analyst")
    page = client.get("/simulation?run=1&art11.incentive_rate=0.6").text
    expected = _expected(client, {"parameters": {"art11.incentive_rate": Decimal("0.6")}})
    for year, comparison in expected.items():
        base = comparison.baseline.totals.fiscal_cost
        assert comparison.reform.totals.fiscal_cost == base  # type: ignore[union-attr]
        assert _row(page, "by-year", str(year)) == _fen(base, base, 0)
    detail = expected[2025]  # the last plan year is the default detail year
    pool = [
        int(result.frames["school"]["social_service_incentive_cap"].cast(pl.Int64).sum())
        for result in (detail.baseline, detail.reform)
        if result is not None
    ]
    assert pool[1] > pool[0]
    row = re.search(r'<tr data-output="social_service_incentive_cap">(.*?)</tr>', page, re.DOTALL)
    assert row
    assert re.findall(r'<td class="num">(.*?)</td>', row.group(1)) == _fen(pool[0], pool[1], pool[1] - pool[0])
    assert "此改革不改变财政成本" in page


def test_wrong_values_are_refused_with_their_fields_named_and_nothing_runs(client: TestClient):
    sign_in(client, "analyst")
    query = "run=1&art11.incentive_rate=60&art03.platform_award.provincial=abc&art07.integration_subsidy.city=0.001"
    response = client.get(f"/simulation?{query}")
    assert response.status_code == 422
    page = response.text
    problems = page.split('id="problems"', 1)[1].split("</section>", 1)[0]
    assert "art11.incentive_rate" in problems
    assert "请填写 0.6" in problems  # 60 read as the percentage it was meant to be
    assert "art03.platform_award.provincial" in problems
    assert "“abc” 不是数字" in problems
    assert "art07.integration_subsidy.city" in problems  # a thousandth of a fen
    assert 'id="simulation-result"' not in page
    assert 'value="60"' in page  # the form comes back as it was sent
    window = client.get("/simulation?run=1&plan_window.from=2023-02-30&plan_window.to=2025-12-31")
    assert window.status_code == 422
    assert "plan_window" in window.text
    english = client.get("/simulation?run=1&art11.incentive_rate=abc&lang=en")
    assert "art11.incentive_rate" in english.text
    assert "is not a number" in english.text
    assert client.get("/simulation/export.xlsx?run=1&art11.incentive_rate=60").status_code == 422


def test_htmx_gets_the_result_alone(client: TestClient):
    sign_in(client, "analyst")
    response = client.get("/simulation?run=1&art13.part_time_share_cap=0.2", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="simulation-result"' in response.text
    assert "HX-Request" in response.headers["vary"]
    refused = client.get("/simulation?run=1&art13.part_time_share_cap=x", headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert "<html" not in refused.text
    assert "art13.part_time_share_cap" in refused.text


def test_the_export_holds_the_numbers_of_the_page(client: TestClient):
    sign_in(client, "admin")
    query = "run=1&year=2024&art20.donation_matching_rate=0.8"
    response = client.get(f"/simulation/export.xlsx?{query}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    workbook = load_workbook(BytesIO(response.content))
    expected = _expected(client, {"parameters": {"art20.donation_matching_rate": Decimal("0.8")}})

    def fen(value: object) -> int:
        return int(Decimal(str(value)) * 100)

    by_year = {str(r[0]): [fen(v) for v in r[1:4]] for r in workbook["按年度"].iter_rows(min_row=2, values_only=True)}
    for year, comparison in expected.items():
        base, reform = comparison.baseline.totals.fiscal_cost, comparison.reform.totals.fiscal_cost  # type: ignore[union-attr]
        assert by_year[str(year)] == [base, reform, reform - base]
    detail = expected[2024]
    by_article = {r[0]: [fen(v) for v in r[1:4]] for r in workbook["按条款"].iter_rows(min_row=2, values_only=True)}
    base, reform = detail.baseline.totals.fiscal_cost, detail.reform.totals.fiscal_cost  # type: ignore[union-attr]
    assert by_article["合计"] == [base, reform, reform - base]
    changes = list(workbook["改革方案"].iter_rows(values_only=True))
    assert any(r[1] == "art20.donation_matching_rate" and Decimal(str(r[2])) == Decimal("0.8") for r in changes)


def test_the_simulation_speaks_english(client: TestClient):
    sign_in(client, "analyst")
    page = client.get("/simulation?run=1&art20.donation_matching_rate=0.7&lang=en").text
    assert '<html lang="en">' in page
    for text in ("Parameters", "Options", "payment on upgrade to a higher level", "By year", "Export to Excel"):
        assert text in page, text
    assert "修改参数或口径" not in page
