"""The worked examples beside an article are named in the page's language."""

from html import unescape

from fastapi.testclient import TestClient

from zhijiao.engine.cases import load_cases
from zhijiao.policies.wenzhou_vet_2023 import load

ART13 = [c for c in load_cases(load()) if c.source.startswith("art13_")]


def test_the_english_article_page_names_its_worked_examples_in_english(sqlite_client: TestClient) -> None:
    page = sqlite_client.get("/plan/articles/art13?lang=en")
    assert page.status_code == 200
    html = unescape(page.text)
    assert html.count('<details class="case">') == len(ART13) >= 5
    assert (
        "100 full-time teachers and 42 part-time teachers, exactly at the cap (⌊30 ÷ 0.7⌋ = 42): all 42 are funded"
        " at an annual salary of 120,000 yuan, funding 5.04 million yuan paid by county finance" in html
    )
    assert "专任教师100人、兼职教师42人恰好在上限" not in html
    for case in ART13:
        assert case.name_en in html
        assert case.name not in html


def test_the_chinese_article_page_keeps_the_chinese_names(sqlite_client: TestClient) -> None:
    html = unescape(sqlite_client.get("/plan/articles/art13?lang=zh").text)
    for case in ART13:
        assert case.name in html
        assert case.name_en not in html


def test_an_english_name_with_an_apostrophe_is_shown_whole(sqlite_client: TestClient) -> None:
    html = unescape(sqlite_client.get("/plan/articles/art03?lang=en").text)
    assert "A Rui'an City school's training platform newly certified provincial on 2024-06-01" in html
