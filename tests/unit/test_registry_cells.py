"""One cell of a registry file as people type it: codes kept exactly as typed or refused, dates in the forms
people write them, choices as codes or labels in either language."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijiao.demo.names import credit_code
from zhijiao.registry.cell_error import CellError
from zhijiao.registry.codes import NATIONAL_MAJOR, REGISTRY_CODE, USCC, parse_code, uscc_check_character
from zhijiao.registry.counties import COUNTY_NAMES
from zhijiao.registry.tables import BY_NAME
from zhijiao.registry.values import convert

COUNTIES = {zh: code for code, (zh, _en) in COUNTY_NAMES.items()}


def cell(table: str, column: str, raw: object) -> object:
    return convert(BY_NAME[table].column(column), raw, COUNTIES)


def refusal(table: str, column: str, raw: object) -> tuple[str, str]:
    with pytest.raises(CellError) as caught:
        cell(table, column, raw)
    return caught.value.zh, caught.value.en


def test_the_check_character_follows_gb_32100():
    # The demo's generator computes check characters by its own code: the two agree on every code it makes.
    for number in range(200):
        code = credit_code("330381", number, old_style=number % 2 == 0)
        assert parse_code(USCC, code) == code
        assert uscc_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("typed", "zh"),
    [
        ("913303027245678901", "统一社会信用代码校验位不符：按 GB 32100-2015 第18位应为 H，实为 1（请核对是否录错）"),
        ("91330381MA2CXYZ12K", "统一社会信用代码不含字符 Z（只用数字和除 I、O、S、V、Z 以外的大写字母）"),
        ("91330302ma07ypm15u", "统一社会信用代码中的字母应为大写"),
        ("9133030", "统一社会信用代码应为18位，实为7位"),
    ],
)
def test_a_malformed_credit_code_says_what_is_wrong(typed, zh):
    assert refusal("enterprises", "code", typed)[0] == zh


def test_a_number_is_a_code_only_when_it_provably_is_one():
    old_style = next(c for n in range(100) if (c := credit_code("330381", n, old_style=True)).isdigit())
    assert cell("enterprises", "code", int(old_style)) == old_style  # an exact integer of 18 digits, check passing
    lost = refusal("enterprises", "code", float(old_style))[0]  # what a spreadsheet's double keeps of it
    assert lost.startswith("该编号已被办公软件转成数字 ")
    assert "末几位已丢失，无法还原" in lost
    assert cell("majors", "national_code", 660103) == "660103"  # six digits, the catalogue's length
    assert cell("majors", "national_code", 660103.0) == "660103"
    assert "应为6位" in refusal("majors", "national_code", 60103)[0]  # 060103 can't be: too short
    for number in (105, 105.0, 3301):  # a school's own code: 105 could have been 0105, 00105 …
        zh, en = refusal("schools", "code", number)
        assert zh.startswith(f"该编号已被办公软件转成数字 {int(number)}，无法确定原来的写法")
        assert zh.endswith("请将该列设置为“文本”格式后重新输入编号，或使用本系统下载的导入模板")
        assert "format the column as Text" in en
    assert cell("schools", "code", "0105") == "0105"
    assert cell("school_years", "school_code", " 0105 ") == "0105"


def test_registry_codes_have_their_shape():
    assert parse_code(REGISTRY_CODE, "SCH-0001") == "SCH-0001"
    assert parse_code(NATIONAL_MAJOR, "570102K") == "570102K"
    for bad in ("SCH 1", "SCH/1", "学校1", "-1", "X" * 41):
        with pytest.raises(CellError):
            parse_code(REGISTRY_CODE, bad)


@pytest.mark.parametrize(
    "typed",
    [
        "2024-03-01",
        "2024/3/1",
        "2024.3.1",
        "2024年3月1日",
        "2024年03月01日",
        "20240301",
        20240301,
        "２０２４－０３－０１",
        "2024-03-01 00:00:00",
        dt.date(2024, 3, 1),
        dt.datetime(2024, 3, 1),  # noqa: DTZ001 -- a spreadsheet's date cell
    ],
)
def test_dates_as_people_type_them(typed):
    assert cell("projects", "started_on", typed) == dt.date(2024, 3, 1)


@pytest.mark.parametrize("typed", ["3/1/2024", "01/03/2024", "24-3-1", "2024-3", "2024年3月", "45352", 45352, "明年"])
def test_a_date_that_could_be_read_two_ways_or_not_at_all_is_refused_with_the_forms(typed):
    zh, en = refusal("projects", "started_on", typed)
    assert "可用写法：2024-03-01、2024/3/1、2024.3.1、2024年3月1日、20240301，或日期格式的单元格" in zh
    assert "accepted: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301, or a date cell" in en


def test_a_day_not_on_the_calendar_and_a_time_of_day_are_refused():
    assert refusal("projects", "started_on", "2023-02-30")[0].startswith("“2023-02-30” 不是日历上的日期")
    assert "带有时刻" in refusal("projects", "started_on", dt.datetime(2024, 3, 1, 9, 30))[0]  # noqa: DTZ001


@pytest.mark.parametrize(
    ("table", "column", "typed", "code"),
    [
        ("schools", "school_type", "中职", "secondary"),
        ("schools", "school_type", "中职学校", "secondary"),
        ("schools", "school_type", "技工院校", "technical"),
        ("schools", "school_type", "Higher Vocational College", "higher"),
        ("schools", "school_type", "secondary", "secondary"),
        ("schools", "ownership", "混合所有制", "mixed"),
        ("schools", "sponsor", "市属", "city"),
        ("schools", "sponsor", "县属", "county"),
        ("school_years", "double_high", "无", "none"),
        ("school_years", "double_high", "国家级", "national"),
        ("school_years", "double_high", "ＮＯＮＥ", "none"),
        ("enterprise_certifications", "level", "省级", "provincial"),
        ("platforms", "kind", "实训平台", "training"),
        ("projects", "kind", "改扩建", "expanded"),
    ],
)
def test_a_choice_is_its_code_or_a_label_in_either_language(table, column, typed, code):
    assert cell(table, column, typed) == code


def test_yes_no_and_counties_in_either_language():
    assert cell("school_years", "meets_national_standard", "是") is True
    assert cell("school_years", "meets_national_standard", "否") is False
    assert cell("school_years", "meets_national_standard", "Yes") is True
    assert cell("schools", "county", "瑞安市") == "330381"
    assert cell("schools", "county", "Rui'an City") == "330381"
    assert cell("schools", "county", "330381") == "330381"
    assert refusal("schools", "sponsor", "省属")[0] == "“省属” 不是可选值（可填：市属、县属）"
    assert refusal("schools", "sponsor", "省属")[1] == "'省属' is not one of the allowed values (city, county)"


def test_numbers_with_separators_and_full_width_digits():
    assert cell("school_years", "base_appropriation_per_student", "11,500") == 1_150_000
    assert cell("school_years", "base_appropriation_per_student", "１１，５００") == 1_150_000
    assert cell("school_years", "social_training_person_times", 3200) == 3200


def test_the_registry_and_the_policy_name_every_county_alike_in_both_languages():
    """The registry keeps the counties by code (zh, en) for its files; the policy labels the places its rules
    name. Two lists for two layers (the registry may not import the policy package): they must agree."""
    from zhijiao.policies.wenzhou_vet_2023.entities import PLACE_LABELS  # noqa: PLC0415
    from zhijiao.registry.counties import COUNTY_NAMES  # noqa: PLC0415

    registry = dict(COUNTY_NAMES.values())
    policy = {label["zh"]: label["en"] for label in PLACE_LABELS.values()}
    assert registry == policy
