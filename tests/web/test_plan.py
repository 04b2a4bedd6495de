"""The plan pages, as anyone reads them without signing in: the document, its parts and articles, each
article's dated and cited numbers, and what changed between two dates. Expected values come from the
policy package's own files."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

from fastapi.testclient import TestClient

from zhijiao.engine.cases import load_cases
from zhijiao.engine.parameters import OPEN_START, Parameter
from zhijiao.language import Lang
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.web import i18n

POLICY = load()


def _block(html: str, attribute: str, value: str) -> str:
    """The element carrying ``attribute="value"`` up to the next element carrying the same attribute."""
    start = html.index(f'{attribute}="{value}"')
    following = html.find(f"{attribute}=", start + len(attribute) + len(value) + 3)
    return html[start : following if following != -1 else len(html)]


def _rate(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def test_the_plan_page_shows_the_document_its_7_parts_20_articles_breakthroughs_and_targets(client: TestClient):
    page = client.get("/plan")
    assert page.status_code == 200
    html = page.text
    document = POLICY.metadata["document"]
    assert document["number"] in html
    assert document["issuer"]["zh"] in html
    assert "2023年3月23日" in html  # issued
    assert "2023年1月1日" in html
    assert "2025年12月31日" in html
    assert re.findall(r'data-part="(\d+)"', html) == [str(n) for n in range(1, 8)]
    assert "第一部分" in html
    assert "总体要求" in html
    articles = re.findall(r'<tr data-article="(art\d\d)">', html)
    assert articles == [f"art{n:02d}" for n in range(1, 21)]
    assert "第二十条" in html
    assert "加大经费保障" in html
    # What a non-computing article does instead, and the clauses a computing one implements.
    assert "目标T11监测一体化培养比例逐年提升" in _block(html, "data-article", "art04")
    art20 = _block(html, "data-article", "art20")
    assert all(f"<code>{c}</code>" in art20 for c in ("C1", "C2", "C3", "C4", "C5", "C11"))
    assert "15个政策突破点" in html
    assert all(area["zh"] in html for area in POLICY.metadata["breakthroughs"]["areas"])
    assert re.findall(r'data-target="(T\d+)"', html) == [f"T{n}" for n in range(1, 12)]
    assert "约 100亿元" in _block(html, "data-target", "T1")
    assert "不少于 70" in _block(html, "data-target", "T3")
    assert POLICY.rule_set in html


def test_an_article_page_shows_each_parameter_value_with_its_date_and_citation(client: TestClient):
    html = client.get("/plan/articles/art11").text
    assert "第十一条 加强职业教育社会培训" in html
    assert "按照不高于收入总数50%的比例核定社会服务性激励绩效总额" in html  # the article's text
    parameter = POLICY.parameters["art11.incentive_rate"]
    block = _block(html, "data-parameter", "art11.incentive_rate")
    rows = block.split("<tr data-effective-from=")[1:]
    assert len(rows) == len(parameter.values) == 2
    for row, entry in zip(rows, parameter.values, strict=True):
        value = parameter.value_on(entry.effective_from)
        assert _rate(value) in row
        assert entry.citation.document in row
        assert entry.citation.article in row
        assert entry.citation.note in row
        if entry.effective_from == OPEN_START:
            assert row.startswith('""')
            assert "原有标准" in row
        else:
            assert row.startswith(f'"{entry.effective_from.isoformat()}"')
            assert i18n.date(entry.effective_from, Lang.zh) in row
    assert "35%" in rows[0]
    assert "50%" in rows[1]
    assert "2023年3月23日" in rows[1]
    assert "现行" in rows[1]  # the value in force today
    assert "现行" not in rows[0]
    rule = _block(html, "data-rule", "social_service_incentive_cap")
    assert "核定比例 × 市场委托社会培训和企业服务收入" in rule
    assert "C6" in rule


def test_an_article_page_shows_its_options_with_defaults_and_reasons_and_its_worked_examples(client: TestClient):
    html = client.get("/plan/articles/art13").text
    option = POLICY.options.options["part_time_denominator"]
    block = _block(html, "data-option", "part_time_denominator")
    assert option.label["zh"] in block
    assert option.choices[str(option.default)]["zh"] in block  # the default, named
    assert option.why["zh"] in block
    for key in ("art13.part_time_share_cap",):
        assert f'data-parameter="{key}"' in html
    cases = [c for c in load_cases(POLICY) if c.source.startswith("art13_")]
    assert len(cases) >= 5
    assert html.count('<details class="case">') == len(cases)
    for case in cases:
        assert case.name in html
    assert 'href="/calculator?entity=school&amp;action=calculate' in html


def test_an_article_that_computes_nothing_says_what_the_system_does_instead(client: TestClient):
    html = client.get("/plan/articles/art18").text
    assert "本条不计算金额" in html
    assert "登记册记录国际“中本一体”" in html
    unknown = client.get("/plan/articles/art09").text
    assert "起草说明未披露本条内容" in unknown


def test_article_addresses(client: TestClient):
    short = client.get("/plan/articles/art3", follow_redirects=False)
    assert short.status_code == 308
    assert short.headers["location"] == "/plan/articles/art03"
    assert client.get("/plan/articles/art21").status_code == 404
    assert client.get("/plan/articles/nothing").status_code == 404


def test_what_changed_between_2023_03_22_and_2023_03_23_is_the_art11_rate(client: TestClient):
    html = client.get("/plan/changes", params={"from": "2023-03-22", "to": "2023-03-23"}).text
    assert re.findall(r'<tr data-parameter="([\w.]+)">', html) == ["art11.incentive_rate"]
    row = _block(html, "data-parameter", "art11.incentive_rate")
    before, after = row.split('class="before"')[1].split('class="after"')
    assert "35%" in before
    assert "“原先的政策是按35%”" in before
    assert "50%" in after
    assert "2023年3月23日" in after
    assert "方案印发之日起“不高于收入总数50%”" in after


def test_the_change_view_lists_every_parameter_whose_value_differs(client: TestClient):
    start, end = dt.date(2022, 12, 31), dt.date(2024, 1, 1)
    html = client.get("/plan/changes", params={"from": start.isoformat(), "to": end.isoformat()}).text
    listed = re.findall(r'<tr data-parameter="([\w.]+)">', html)

    def in_force(parameter: Parameter, day: dt.date) -> int | None:
        entry = parameter.entry_on(day)
        return None if entry is None else entry.scaled

    expected = [p.id for p in POLICY.parameters if in_force(p, start) != in_force(p, end)]
    assert listed == expected
    # The Art. 20 uplifts and the Art. 13 cap took effect on 2023-01-01; Art. 11 changed on 2023-03-23.
    assert set(listed) >= {"art11.incentive_rate", "art13.part_time_share_cap", "art20.donation_matching_rate"}
    assert "art20.public_expenditure_base" not in listed  # the same standing value on both days
    assert "未施行" in _block(html, "data-parameter", "art13.part_time_share_cap")
    same = client.get("/plan/changes", params={"from": "2024-01-01", "to": "2024-12-31"}).text
    assert "两个日期有效的参数完全相同" in same


def test_a_date_that_is_not_a_date_is_refused_beside_its_field(client: TestClient):
    page = client.get("/plan/changes", params={"from": "2023-02-30", "to": "2023-03-23"})
    assert page.status_code == 422
    field = _block(page.text, "data-field", "from")
    assert "“2023-02-30” 不是日期" in field
    assert 'id="changes"' not in page.text
    english = client.get("/plan/changes", params={"from": "2023-03-22", "to": "soon", "lang": "en"})
    assert english.status_code == 422
    assert '"soon" is not a date' in unescape(_block(english.text, "data-field", "to"))


def test_the_plan_pages_in_english(client: TestClient):
    html = client.get("/plan", params={"lang": "en"}).text
    assert "The seven parts" in html
    assert "Part 1" in html
    assert "General requirements" in html
    assert "Art. 20" in html
    assert "Increasing funding" in html
    assert "15 policy breakthroughs" in html
    assert "¥10 billion" in html
    article = client.get("/plan/articles/art11").text  # the language chosen stays chosen
    assert "In force from" in article
    assert "March 23, 2023" in article
    assert "The text exists in Chinese only." in article
    changes = client.get("/plan/changes", params={"from": "2023-03-22", "to": "2023-03-23"}).text
    assert "In force on March 22, 2023" in changes
