"""The plan in time: before a rule's first effective date it produces nothing — no money, no finding — and the
explanation says from when it applies; explanations end with the money added up and who pays it."""

import json
import re

from typer.testing import CliRunner

from zhijiao.api.calculate import EXAMPLE
from zhijiao.cli.main import app
from zhijiao.engine.situation import calculate_situation
from zhijiao.policies.wenzhou_vet_2023 import load

# The API's example school (瑞安市, public secondary, provincial double-high, 1,200 students, 100 full-time and 50
# part-time teachers, 2,000,000 yuan of service income, 1,000,000 yuan of donations spent on capital).
SCHOOL = next(school for school in EXAMPLE["schools"] if school["id"] == "S1")
PLATFORM = {
    "id": "P1",
    "school_id": "S1",
    "kind": "training",
    "certifications": [{"level": "provincial", "date": "2024-03-01"}],
}
# The plan's document number is the name of the source in any language; nothing else may be Chinese in English.
DOCUMENT = "温政办〔2023〕32号"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def calculated(situation, lang="zh"):
    return calculate_situation(load(), situation).as_json(explain=True, lang=lang)


def by_output(document, plural="schools", key="S1"):
    return {step["output"]: step for step in document[plural][key]["explanation"]}


def test_before_the_plan_art13_gives_no_finding_and_no_money():
    document = calculated({"year": 2022, "schools": [SCHOOL]})
    school = document["schools"]["S1"]
    assert school["part_time_teachers_over_cap"] == 0  # 50 part-time teachers, yet no rule to exceed in 2022
    assert school["part_time_teacher_funding"] == 0
    assert school["appropriation_uplift_amount"] == 0
    assert school["donation_matching_min"] == 0
    assert document["totals"]["fiscal_cost"] == 0
    # Art. 11's pool existed before the plan at 35%: a standing rule, still calculated.
    assert school["social_service_incentive_cap"] == 700000


def test_a_rule_not_yet_in_force_says_from_when_it_applies_in_one_language():
    zh = by_output(calculated({"year": 2022, "schools": [SCHOOL]}))
    over = zh["part_time_teachers_over_cap"]
    assert over["in_force"] is False
    assert over["applies_from"] == "2023-01-01"
    assert over["why_not"][0]["why"] == (
        "第十三条自 2023-01-01 起施行（兼职教师占专兼职教师总数比例上限自该日起生效），2022-12-31 尚未施行："
        "本项不计算，不产生经费，也不作核查结论。"
    )
    assert over["text"].endswith("结果：0（本项2023-01-01起施行，此时尚未施行，不计算）")
    en = by_output(calculated({"year": 2022, "schools": [SCHOOL]}, "en"))
    assert en["part_time_teacher_cap"]["why_not"][0]["why"] == (
        "Art. 13 applies from 2023-01-01 (cap on part-time teachers as a share of all teachers in force from then); "
        "on 2022-12-31 it was not yet in force: nothing is calculated, no money, no finding."
    )
    for step in en.values():
        assert not CJK.search(step["text"].replace(DOCUMENT, "")), step["text"]


def test_the_explanation_succeeds_wherever_the_calculation_does(tmp_path):
    # --explain once stopped with "parameter art13.part_time_share_cap is not in force on 2022-12-31".
    path = tmp_path / "2022.json"
    path.write_text(json.dumps({"year": 2022, "schools": [SCHOOL]}, ensure_ascii=False), encoding="utf-8")
    plain = CliRunner().invoke(app, ["calc", str(path)])
    explained = CliRunner().invoke(app, ["calc", "--explain", str(path)])
    assert plain.exit_code == explained.exit_code == 0, explained.output
    assert json.loads(explained.stdout)["schools"]["S1"]["part_time_teachers_over_cap"] == 0


def test_steps_follow_the_articles_and_the_last_adds_up_the_money_and_names_who_pays():
    document = calculated({"year": 2024, "schools": [SCHOOL], "platforms": [PLATFORM]})
    steps = document["schools"]["S1"]["explanation"]
    articles = [int(step["article"][3:]) for step in steps if step["article"]]
    assert articles == sorted(articles)
    assert articles[0] == 11  # Art. 11 before Art. 13 before Art. 20
    total = steps[-1]
    assert total["output"] == "fiscal_cost"
    assert total["clauses"] == ["C14"]
    # 42 funded × 150,000 + 1,200 × 10,000 × 10% + 1,200 × 2,500 × 20% + 50% × 1,000,000
    assert total["value"] == 6300000 + 1200000 + 600000 + 500000
    assert total["by_payer"] == {"瑞安市财政": 8600000}
    assert total["by_article"] == {"art13": 6300000, "art20": 2300000}
    first = "财政支出合计（C14）：第十三条兼职教师经费（同级财政） 6,300,000.00元（瑞安市财政）"
    assert total["text"].startswith(first)
    assert total["text"].endswith("由瑞安市财政 8,600,000.00元支付。结果：8,600,000.00元")
    platform = document["platforms"]["P1"]["explanation"][-1]
    assert platform["by_payer"] == {"温州市财政": 300000}
    english = calculated({"year": 2024, "schools": [SCHOOL]}, "en")["schools"]["S1"]["explanation"][-1]
    assert english["by_payer"] == {"Rui'an City finance": 8600000}


def test_a_sentence_states_the_date_its_parameters_were_read_and_dates_every_one():
    zh = by_output(calculated({"year": 2024, "schools": [SCHOOL]}))
    base = zh["public_expenditure_uplift_amount"]["text"]
    assert "参数（按2024-12-31施行的标准）：" in base
    assert "省定生均公用经费基准标准 2,500.00元（原有标准，起始日期出处未载，温政办〔2023〕32号第二十条）" in base
    assert "公办中职生均公用经费上浮比例 20%（2023-01-01起施行，温政办〔2023〕32号第二十条）" in base
    en = by_output(calculated({"date": "2023-06-30", "schools": [SCHOOL]}, "en"))
    cap = en["social_service_incentive_cap"]
    assert "parameters in force on 2023-06-30: " in cap["text"]
    assert "(in force from 2023-03-23, Art. 11 of 温政办〔2023〕32号)" in cap["text"]
    assert cap["parameters"][0]["cited"] == "Art. 11 of 温政办〔2023〕32号"
