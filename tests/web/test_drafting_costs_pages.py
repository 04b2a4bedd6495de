"""A draft version's cost on the drafting pages and through the API, on SQLite and PostgreSQL: the drafting staff
set an article's change to the plan in force on the version's page, the page shows the version's cost by year,
payer, article and county beside the plan in force (Chinese and English), the plan's page lists each version's
cost and its 起草说明 carries the 经费测算 paragraph; a refused value writes nothing; the API gives the same."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import api_token
from registry_html import cell_text, query, table_rows
from sqlalchemy.orm import Session
from test_drafting_support import article_keys, as_user, count, new_plan, post

from zhijiao.drafting import costs
from zhijiao.engine.reform import parse_reform
from zhijiao.formatting import money_wan
from zhijiao.language import Lang
from zhijiao.simulation.cost import cost_for_year

CAP = "art13.part_time_share_cap"


def _engine_cost(client: TestClient, reform: dict[str, object]) -> tuple[int, int]:
    """The 2026 baseline and reformed totals as the engine computes them on the same database."""
    policy = client.app.state.policy
    with Session(client.app.state.engine) as session:
        found = cost_for_year(session, policy, 2026, reform=parse_reform(reform, policy))
    assert found.reform is not None
    return found.baseline.totals.fiscal_cost, found.reform.totals.fiscal_cost


def _plan_id(client: TestClient, version_id: int) -> int:
    return int(query(client, "SELECT plan_id FROM draft_versions WHERE id = :v", v=version_id)[0][0])


def test_the_version_page_sets_an_articles_change_and_shows_its_cost_in_both_languages(client: TestClient):
    first = new_plan(client)  # 2026—2028: the registry holds 2026
    key = article_keys(client, first)[12]
    done = post(client, f"/drafting/versions/{first}/articles/{key}/changes",
                {"name": [f"parameter:{CAP}", "", ""], "value": ["32%", "", ""]})  # fmt: skip
    assert done.status_code == 303, done.text[:2000]
    assert query(client, "SELECT article_key, name, value FROM draft_article_changes") == [(key, CAP, 0.32)]
    baseline, reformed = _engine_cost(client, {"parameters": {CAP: 0.32}})
    assert reformed > baseline

    page = client.get(f"/drafting/versions/{first}")
    assert page.status_code == 200
    assert table_rows(page.text, "cost-by-year") == [
        [
            "2026",
            money_wan(baseline, Lang.zh),
            money_wan(reformed, Lang.zh),
            "+" + money_wan(reformed - baseline, Lang.zh),
        ]
    ]
    by_article = {row[0]: row[3] for row in table_rows(page.text, "cost-by-article")}
    assert by_article["第十三条 兼职教师经费"] == "+" + money_wan(reformed - baseline, Lang.zh)
    assert "2027、2028" in cell_text(page.text.split('id="cost-missing-years"', 1)[1].split("</p>", 1)[0])
    article = page.text.split('id="article-12"', 1)[1].split("</article>", 1)[0]
    assert "兼职教师占专兼职教师总数比例上限：30.0% → " in cell_text(article)
    assert "32.0%" in cell_text(article)

    english = client.get(f"/drafting/versions/{first}?lang=en")
    rows = table_rows(english.text, "cost-by-year")
    assert rows == [["2026", money_wan(baseline, Lang.en), money_wan(reformed, Lang.en),
                     "+" + money_wan(reformed - baseline, Lang.en)]]  # fmt: skip
    assert "Cost estimate (against the plan in force)" in english.text
    assert "cap on part-time teachers as a share of all teachers: 30.0% → " in cell_text(english.text)

    plan = client.get(f"/drafting/{_plan_id(client, first)}?lang=zh")  # the language chosen last is kept
    (row,) = table_rows(plan.text, "versions")
    assert money_wan(reformed, Lang.zh) in row[5]
    assert "+" + money_wan(reformed - baseline, Lang.zh) in row[5]
    paragraph = cell_text(plan.text.split('id="cost-estimate"', 1)[1].split("</p>", 1)[0])
    assert (
        f"2026年财政支出{money_wan(reformed, Lang.zh)}，比现行政策增加{money_wan(reformed - baseline, Lang.zh)}"
        in paragraph
    )
    assert "第12条“条款12”（兼职教师占专兼职教师总数比例上限由30.0%调整为32.0%）" in paragraph
    english_plan = client.get(f"/drafting/{_plan_id(client, first)}?lang=en")
    paragraph_en = cell_text(english_plan.text.split('id="cost-estimate-en"', 1)[1].split("</p>", 1)[0])
    assert f"in 2026 it would cost {money_wan(reformed, Lang.en)}" in paragraph_en


def test_a_refused_value_on_the_page_writes_nothing_and_says_which_article_and_parameter(client: TestClient):
    first = new_plan(client)
    key = article_keys(client, first)[3]
    audits = count(client, "SELECT count(*) FROM audit_records")
    refused = post(client, f"/drafting/versions/{first}/articles/{key}/changes",
                   {"name": ["parameter:art03.platform_award.provincial", f"parameter:{CAP}"],
                    "value": ["400000", "150%"]})  # fmt: skip
    assert refused.status_code == 422
    assert "第3条“条款3”的参数 art13.part_time_share_cap" in refused.text
    assert count(client, "SELECT count(*) FROM draft_article_changes") == 0
    assert count(client, "SELECT count(*) FROM audit_records") == audits
    as_user(client, "auditor")  # a reader sees the cost, not the forms
    page = client.get(f"/drafting/versions/{first}")
    assert 'id="cost"' in page.text
    assert 'data-action="changes"' not in page.text
    assert post(client, f"/drafting/versions/{first}/articles/{key}/changes",
                {"name": [f"parameter:{CAP}"], "value": ["0.32"]}).status_code == 403  # fmt: skip


def test_the_api_sets_changes_and_gives_the_versions_cost(client: TestClient):
    first = new_plan(client)
    keys = article_keys(client, first)
    headers = api_token(client, "drafter")
    url = f"/api/v1/drafting/versions/{first}/articles/{keys[2]}/changes"
    body = {"parameters": {}, "options": {"plan_window": {"from": "2026-01-01", "to": "2028-12-31"}}}
    assert client.put(url, json=body, headers=headers).status_code == 200
    url = f"/api/v1/drafting/versions/{first}/articles/{keys[3]}/changes"
    answer = client.put(url, json={"parameters": {"art03.platform_award.provincial": 400000}}, headers=headers)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    window = {"plan_window": {"from": "2026-01-01", "to": "2028-12-31"}}
    baseline, reformed = _engine_cost(client, {"parameters": {"art03.platform_award.provincial": 400000},
                                               "options": window})  # fmt: skip
    assert (found["basis"], found["without_data"]) == ("温政办〔2023〕32号", [2027, 2028])
    assert found["total"]["baseline"] * 100 == baseline
    assert round(found["total"]["difference"] * 100) == reformed - baseline
    assert {c["name"]: c["article_number"] for c in found["changes"]} == {
        "plan_window": 2, "art03.platform_award.provincial": 3,
    }  # fmt: skip
    assert [(e["article_number"], e["difference"] > 0) for e in found["article_effects"]] == [(2, True), (3, True)]

    refused = client.put(url, json={"parameters": {"art03.platform_award.provincial": -1}}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["code"] == "refused_change"
    assert client.get(f"/api/v1/drafting/versions/{first}/cost", headers=headers).json() == found  # nothing written
    estimate = client.get(f"/api/v1/drafting/plans/{_plan_id(client, first)}/cost-estimate", headers=headers).json()
    assert estimate["text"]["zh"].startswith("经费测算：以现行")
    assert estimate["text"]["en"].startswith("Cost estimate: against the plan in force")
    with Session(client.app.state.engine) as session:
        assert costs.version_cost(session, client.app.state.policy, first).difference == reformed - baseline
