"""What a school accountant reads: each result's steps, citations, and why a result is zero or capped."""

from dataclasses import replace

from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.reform import parse_reform
from zhijiao.engine.situation import calculate_situation
from zhijiao.policies.wenzhou_vet_2023 import load

SCHOOL = {
    "id": "S1",
    "county": "瑞安市",
    "school_type": "secondary",
    "ownership": "public",
    "sponsor": "county",
    "double_high": "provincial",
    "students": 1200,
    "base_appropriation_per_student": 10000,
    "full_time_teachers": 100,
    "part_time_teachers": 50,
    "local_avg_teacher_salary": 150000,
}


def steps(situation, plural, key, lang="zh"):
    document = calculate_situation(load(), situation).as_json(explain=True, lang=lang)
    return {s["output"]: s for s in document[plural][key]["explanation"]}


def test_a_step_cites_the_article_parameter_value_and_date():
    step = steps({"year": 2024, "schools": [SCHOOL]}, "schools", "S1")["appropriation_uplift_rate"]
    assert step["article"] == "art20"
    assert step["clauses"] == ["C1"]
    assert step["inputs"] == {"ownership": "public", "double_high": "provincial"}
    assert [(p["id"], p["value"], p["effective_from"]) for p in step["parameters"]] == [
        ("art20.appropriation_uplift.provincial", 0.1, "2023-01-01")
    ]
    assert step["parameters"][0]["citation"]["article"] == "第二十条"
    assert step["text"].startswith("第二十条（C1）生均财政拨款上浮比例")
    assert step["text"].endswith("结果：10%")


def test_a_private_school_is_told_why_it_gets_no_uplift():
    zh = steps({"year": 2024, "schools": [{**SCHOOL, "ownership": "private"}]}, "schools", "S1")
    assert zh["appropriation_uplift_amount"]["value"] == 0
    assert (
        zh["appropriation_uplift_amount"]["why_not"][0]["why"]
        == "民办学校：第二十条“双高”生均拨款上浮仅适用于公办职业学校。"
    )
    en = steps({"year": 2024, "schools": [{**SCHOOL, "ownership": "private"}]}, "schools", "S1", "en")
    assert en["appropriation_uplift_amount"]["why_not"][0]["why"] == (
        "Private school: the Art. 20 double-high uplift applies to public schools only."
    )


def test_a_capped_result_says_how_many_are_not_funded_and_what_would_change_it():
    step = steps({"year": 2024, "schools": [SCHOOL]}, "schools", "S1")["part_time_teacher_funding"]
    assert step["value"] == 6300000
    note = step["why_not"][0]
    assert note["why"] == "聘任兼职教师50人，超过上限42人，超出的8人不纳入经费保障。"
    # 50 part-time teachers need F with ⌊0.3·F/0.7⌋ ≥ 50, i.e. F ≥ 116.67 → 117 full-time teachers.
    assert note["would_change"] == "专任教师增加到117人（再增17人），上限即可覆盖全部50名兼职教师。"


def test_a_certification_before_the_window_explains_the_zero():
    situation = {
        "year": 2022,
        "enterprises": [{"id": "E1", "county": "鹿城区", "certifications": [{"level": "city", "date": "2022-12-31"}]}],
    }
    step = steps(situation, "enterprises", "E1", "en")["integration_subsidy"]
    assert step["value"] == 0
    certification = {s["output"]: s for s in step["details"][0]["steps"]}
    assert certification["in_plan_window"]["why_not"][0]["why"] == (
        "Certified 2022-12-31, before the plan window (2023-01-01 … 2025-12-31): no award."
    )


def test_a_result_that_depends_on_an_option_names_it():
    situation = {"year": 2024, "schools": [{**SCHOOL, "school_type": "technical"}]}
    step = steps(situation, "schools", "S1")["public_expenditure_uplift_amount"]
    assert step["value"] == 0
    # The option as a reader knows it, by its label and its values' labels; its code is for the API.
    assert "生均公用经费上浮适用范围：公办中职学校" in step["why_not"][0]["why"]
    assert "“公办中职学校和技工院校”" in step["why_not"][0]["would_change"]
    assert "public_expenditure_scope" not in step["why_not"][0]["why"]


def test_the_art11_rate_follows_the_date_of_the_calculation():
    before = steps({"date": "2023-03-22", "schools": [{**SCHOOL, "market_service_income": 100}]}, "schools", "S1")
    after = steps({"date": "2023-03-23", "schools": [{**SCHOOL, "market_service_income": 100}]}, "schools", "S1")
    assert before["social_service_incentive_cap"]["value"] == 35
    assert before["social_service_incentive_cap"]["parameters"][0]["effective_from"] is None
    assert after["social_service_incentive_cap"]["value"] == 50
    assert after["social_service_incentive_cap"]["parameters"][0]["effective_from"] == "2023-03-23"


def test_the_rule_set_version_is_stable_and_moves_with_any_change(policy):
    assert policy.rule_set == load().rule_set
    reformed = policy.with_parameters(
        parse_reform({"parameters": {"art11.incentive_rate": 0.6}}, policy).apply(policy.parameters)
    )
    assert reformed.rule_set != policy.rule_set
    award = policy.parameters["art03.platform_award.national"]
    bounded = {**policy.parameters.parameters, award.id: replace(award, maximum=award.maximum // 2)}
    assert policy.with_parameters(ParameterSet(bounded)).rule_set != policy.rule_set  # a bound is policy too


def test_a_certifications_steps_show_what_a_reader_knows_not_the_engines_own_columns():
    situation = {
        "year": 2024,
        "enterprises": [{"id": "E1", "county": "鹿城区", "certifications": [{"level": "city", "date": "2024-05-01"}]}],
    }
    step = steps(situation, "enterprises", "E1")["integration_subsidy"]
    payable = {s["output"]: s for s in step["details"][0]["steps"]}["integration_subsidy_payable"]
    assert set(payable["inputs"]) == {"integration_subsidy_amount", "in_plan_window", "level"}
    assert "__" not in payable["text"]


def test_a_step_names_the_options_it_read_as_a_reader_knows_them():
    certification = {"level": "city", "date": "2023-05-01"}
    situation = {"year": 2023, "enterprises": [{"id": "E1", "county": "鹿城区", "certifications": [certification]}]}
    english = "options: plan window (certification dates that qualify for one-time awards): 2023-01-01 to 2025-12-31."
    for lang, expected in (
        ("zh", "口径：方案实施期（一次性奖补的认定日期范围）：2023-01-01至2025-12-31。"),
        ("en", english),
    ):
        (detail,) = steps(situation, "enterprises", "E1", lang)["integration_subsidy"]["details"]
        window = next(step for step in detail["steps"] if step["output"] == "in_plan_window")
        assert expected in window["text"]
        assert "plan_window" not in window["text"]  # the option's code is for the API, not for readers
