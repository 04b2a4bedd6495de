"""The public policy calculator, used as a school accountant or an enterprise would: figures typed into the
form, each entitlement read off the page. Expected amounts are the policy package's worked examples
(cases.yaml), derived by hand from the plan, not from the engine."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from zhijiao.cli.platform import create_app
from zhijiao.engine.cases import Case, load_cases
from zhijiao.language import Lang
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.web import i18n
from zhijiao.web.pages.calculator_situation import situation_query

POLICY = load()
CASES = load_cases(POLICY)
PLURALS = {e.plural: e.name for e in POLICY.top_entities()}

_ENTITY = re.compile(r'<article class="entity" data-entity="(\w+)" data-key="[^"]*">(.*?)</article>', re.DOTALL)
_OUTPUT = re.compile(r'<tr data-output="(\w+)">\s*<td>[^<]*</td>\s*<td class="num" data-value="([^"]*)">([^<]*)</td>')


def _case(name_part: str) -> Case:
    (case,) = [c for c in CASES if name_part in c.name]
    return case


def _results(html: str) -> dict[str, list[dict[str, Decimal]]]:
    """Each entity's outputs as the page states them (data-value), in the order of the page."""
    found: dict[str, list[dict[str, Decimal]]] = {}
    for entity, body in _ENTITY.findall(html):
        found.setdefault(entity, []).append({name: Decimal(value) for name, value, _shown in _OUTPUT.findall(body)})
    return found


def _totals(html: str) -> dict[str, Any]:
    fiscal = re.search(r'data-total="fiscal_cost">.*?data-value="([^"]+)"', html, re.DOTALL)
    assert fiscal is not None
    totals: dict[str, Any] = {"fiscal_cost": Decimal(fiscal.group(1))}
    totals["by_payer"] = {k: Decimal(v) for k, v in re.findall(r'data-payer="(\w+)">.*?data-value="([^"]+)"', html)}
    for name in ("by_article", "by_county"):
        part = re.search(rf'data-breakdown="{name}">(.*?)</p>', html, re.DOTALL)
        spans = re.findall(r'data-key="([^"]+)" data-value="([^"]+)"', part.group(1)) if part else []
        totals[name] = {k: Decimal(v) for k, v in spans}
    return totals


def _field(html: str, name: str) -> str:
    start = html.index(f'data-field="{name}"')
    return unescape(html[start : html.find("data-field=", start + 12)])


def _school_form(school: Mapping[str, Any], year: int) -> dict[str, str]:
    """What a school accountant types: each figure in its field, the year chosen."""
    form = {"entity": "school", "action": "calculate", "period": "year", "year": str(year)}
    form |= {name: str(value) for name, value in school.items() if name != "id"}
    return form


def _expected_against_page(case: Case, html: str) -> None:
    """Every expected value of the case is what the page shows, records matched in order per kind."""
    page = _results(html)
    for plural, records in case.expect.items():
        if plural == "totals":
            totals = _totals(html)
            for name, value in records.items():
                if isinstance(value, Mapping):
                    for key, amount in value.items():
                        assert totals[name].get(key, Decimal(0)) == Decimal(str(amount)), (case.name, name, key)
                else:
                    assert totals[name] == Decimal(str(value)), (case.name, name)
            continue
        order = [item["id"] for item in case.situation[plural]]
        for ident, outputs in records.items():
            shown = page[PLURALS[plural]][order.index(ident)]
            for output, value in outputs.items():
                assert shown[output] == Decimal(str(value)), (case.name, ident, output)


def test_a_public_secondary_school_sees_exactly_the_amounts_of_the_worked_example(client: TestClient):
    case = _case("公办中职学校为省级“双高”建设单位，1200名学生")
    (school,) = case.situation["schools"]
    assert (school["ownership"], school["school_type"]) == ("public", "secondary")
    page = client.get("/calculator", params=_school_form(school, case.situation["year"]))
    assert page.status_code == 200
    html = page.text
    (shown,) = _results(html)["school"]
    expected = case.expect["schools"][school["id"]]
    assert {k: shown[k] for k in expected} == {k: Decimal(str(v)) for k, v in expected.items()}
    assert shown["appropriation_uplift_amount"] == Decimal(1_200_000)  # 1200 × 10000 × 10%
    # As the accountant reads them: money in yuan to the fen, and the article each comes from.
    row = html[html.index('data-output="appropriation_uplift_amount"') :]
    assert i18n.money(120_000_000, Lang.zh) in row[:400]
    assert "第二十条" in row[:600]
    assert _totals(html)["fiscal_cost"] == Decimal(str(case.expect["totals"]["fiscal_cost"]))
    assert _totals(html)["by_payer"] == {"county": Decimal(1_800_000)}
    # The explanation in plain Chinese, citing the article, its parameters with dates, and the rule set.
    assert "第二十条（C3）生均财政拨款上浮新增支出 = " in html
    assert "“双高计划”生均财政拨款上浮比例（省级） 10%（2023-01-01起施行，温政办〔2023〕32号第二十条）" in html
    assert POLICY.rule_set in html


def test_a_private_school_is_told_why_art20_gives_it_nothing(client: TestClient):
    case = _case("民办中职学校即使为省级“双高”")
    (school,) = case.situation["schools"]
    html = client.get("/calculator", params=_school_form(school, case.situation["year"])).text
    (shown,) = _results(html)["school"]
    assert shown["appropriation_uplift_amount"] == 0
    assert shown["public_expenditure_uplift_amount"] == 0
    assert shown["donation_matching_min"] == Decimal(500_000)  # matching has no ownership condition
    why = re.search(r'data-why-not="appropriation_uplift_amount">(.*?)</tr>', html, re.DOTALL)
    assert why is not None
    assert "民办学校：第二十条“双高”生均拨款上浮仅适用于公办职业学校。" in why.group(1)
    why = re.search(r'data-why-not="public_expenditure_uplift_amount">(.*?)</tr>', html, re.DOTALL)
    assert why is not None
    assert "民办学校：第二十条生均公用经费上浮仅适用于公办职业学校。" in why.group(1)
    assert 'data-why-not="donation_matching_min"' not in html


def test_an_enterprise_with_several_certifications_and_a_chosen_option(client: TestClient):
    case = _case("逐级升级（补差口径）：市级→省级→国家级，2024年省级补差")
    (enterprise,) = case.situation["enterprises"]
    form = {"entity": "enterprise", "action": "calculate", "period": "year", "year": str(case.situation["year"])}
    form |= {"county": enterprise["county"], "enterprise_certification.rows": str(len(enterprise["certifications"]))}
    for number, certification in enumerate(enterprise["certifications"], start=1):
        form[f"enterprise_certification.{number}.level"] = certification["level"]
        form[f"enterprise_certification.{number}.date"] = certification["date"]
    form["option.upgrade_payment"] = case.situation["options"]["upgrade_payment"]
    html = client.get("/calculator", params=form).text
    (shown,) = _results(html)["enterprise"]
    assert shown["integration_subsidy"] == Decimal(
        str(case.expect["enterprises"][enterprise["id"]]["integration_subsidy"])
    )
    assert shown["integration_subsidy"] == Decimal(150_000)  # 200,000 less the 50,000 of the city level
    assert "高一级仅补差额" in html  # the option in effect, by its label
    assert "一次性奖补在认定当年（2023年）兑现，不计入2024年。" in html  # why the city level adds nothing
    assert _totals(html)["by_county"] == {enterprise["county"]: Decimal(150_000)}


def test_a_date_instead_of_a_year_uses_the_parameters_in_force_that_day(client: TestClient):
    for name, expected in (("方案印发前一日（2023-03-22）", 350_000), ("方案印发当日（2023-03-23）", 500_000)):
        case = _case(name)
        (school,) = case.situation["schools"]
        form = _school_form(school, 2023) | {"period": "date", "date": case.situation["date"]}
        (shown,) = _results(client.get("/calculator", params=form).text)["school"]
        assert shown["social_service_incentive_cap"] == Decimal(expected)


@pytest.fixture
def plan_2023_client(sqlite_engine: Engine) -> Iterator[TestClient]:
    """The worked examples are 温政办〔2023〕32号's: the page under that plan alone (the demo's plans in turn apply
    its successor from 2026, so a 2026 example would be answered by the successor)."""
    with TestClient(create_app(sqlite_engine, demo=True, policy=POLICY), base_url="http://testserver") as client:
        yield client


def test_every_worked_example_the_form_can_hold_gives_its_expected_result(plan_2023_client: TestClient):
    held = [(c, situation_query(POLICY, c.situation)) for c in CASES if not c.expect_error]
    held = [(c, q) for c, q in held if q is not None]
    assert len(held) >= 60
    assert POLICY.root is not None
    assert {c.source.split("/")[0] for c, _q in held} == {f.parent.name for f in POLICY.root.rglob("cases.yaml")}
    for case, query in held:
        page = plan_2023_client.get("/calculator", params=query)
        assert page.status_code == 200, (case.name, page.text[:500])
        _expected_against_page(case, page.text)


def test_invalid_input_is_refused_field_by_field_and_nothing_is_calculated(client: TestClient):
    form = _school_form(
        {"county": "杭州市", "school_type": "secondary", "ownership": "public", "sponsor": "county", "students": "-5"},
        2024,
    )
    form |= {"base_appropriation_per_student": "一万", "period": "date", "date": "2024-02-30"}
    page = client.get("/calculator", params=form)
    assert page.status_code == 422
    assert 'id="result"' not in page.text
    assert "输入有误，未进行计算" in page.text
    assert "不能为负数（-5）" in _field(page.text, "students")
    assert "应为数字" in _field(page.text, "base_appropriation_per_student")
    assert "“杭州市” 不是可选值" in _field(page.text, "county")
    assert "“2024-02-30” 不是日期" in _field(page.text, "date")
    assert "field-error" not in _field(page.text, "school_type")
    assert 'value="一万"' in page.text  # what was typed stays, to be corrected
    english = client.get("/calculator", params=form | {"lang": "en"})
    assert english.status_code == 422
    assert "must not be negative (-5)" in _field(english.text, "students")
    assert "expected a number" in _field(english.text, "base_appropriation_per_student")


def test_a_certification_with_a_date_that_is_not_a_date_is_named_in_its_row(client: TestClient):
    form = {
        "entity": "enterprise",
        "action": "calculate",
        "year": "2024",
        "county": "鹿城区",
        "enterprise_certification.rows": "2",
        "enterprise_certification.1.level": "city",
        "enterprise_certification.1.date": "2023-05-01",
        "enterprise_certification.2.level": "municipal",
        "enterprise_certification.2.date": "2023-02-30",
        "option.upgrade_payment": "sometimes",
    }
    page = client.get("/calculator", params=form)
    assert page.status_code == 422
    assert 'id="result"' not in page.text
    assert "field-error" not in _field(page.text, "enterprise_certification.1.date")
    assert "“municipal” 不是可选值" in _field(page.text, "enterprise_certification.2.level")
    assert "“2023-02-30” 不是日期" in _field(page.text, "enterprise_certification.2.date")
    assert "“sometimes” 不是可选值" in _field(page.text, "option.upgrade_payment")


@pytest.mark.parametrize("entity", ["enterprise", "school"])
def test_rows_are_added_without_losing_what_was_typed(client: TestClient, entity: str):
    group = "enterprise_certification" if entity == "enterprise" else "platform.1.platform_certification"
    form = {"entity": entity, "county": "瑞安市", f"{group}.rows": "2", f"{group}.1.level": "national"}
    page = client.get("/calculator", params=form | {"action": f"add:{group}"})
    assert page.status_code == 200
    assert 'id="result"' not in page.text
    assert f'name="{group}.rows" value="3"' in page.text
    assert f'name="{group}.3.date"' in page.text
    assert '<option value="national" selected>' in page.text
    assert '<option value="瑞安市" selected>' in page.text


def test_htmx_gets_the_form_and_result_without_the_page_around_them(client: TestClient):
    case = _case("公办中职学校为省级“双高”建设单位，1200名学生")
    (school,) = case.situation["schools"]
    page = client.get("/calculator", params=_school_form(school, 2024), headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<div id="calculator">') or '<div id="calculator">' in page.text[:200]
    assert "<html" not in page.text
    assert 'id="result"' in page.text
    full = client.get("/calculator")
    assert 'hx-get="/calculator"' in full.text
    assert 'action="/calculator"' in full.text  # the same form works without JavaScript


def test_the_calculator_in_english(client: TestClient):
    case = _case("民办中职学校即使为省级“双高”")
    (school,) = case.situation["schools"]
    html = client.get("/calculator", params=_school_form(school, 2024) | {"lang": "en"}).text
    assert "Policy calculator" in html
    assert "Total fiscal cost" in html
    assert "Private school: the Art. 20 double-high uplift applies to public schools only." in html
    assert "Art. 20 (C3) added cost of the appropriation uplift" in html
    assert "CN¥500,000.00" in html
