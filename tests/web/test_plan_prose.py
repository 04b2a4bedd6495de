"""Rule text on the plan page and in the plan API comes from the parameters, never a placeholder left unfilled."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient


def test_the_article_page_states_the_cap_in_force(client: TestClient):
    page = html.unescape(client.get("/plan/articles/art13").text)
    assert "满足 兼职 ÷（专任 + 兼职）≤ 30% 的最大整数，即 ⌊30% × 专任 ÷ 70%⌋" in page
    assert not re.search(r"\{[a-z0-9_ .+-]+\}", page)


def test_the_plan_api_names_each_parameter_of_a_formula(client: TestClient):
    plan = client.get("/api/v1/plan").json()
    formulas = [r["formula"] for a in plan["articles"] for r in a["rules"]]
    assert formulas
    assert not any("{" in text for f in formulas for text in f.values())
    art13 = next(a for a in plan["articles"] if a["key"] == "art13")
    cap = next(r for r in art13["rules"] if r["output"] == "part_time_teacher_cap")
    assert "%" not in cap["formula"]["zh"]  # no date in the plan API: the parameter by its name, not its value
