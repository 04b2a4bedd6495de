"""Bad input is refused whole, with every problem named by record and field, in Chinese and English."""

import pytest

from zhijiao.engine.errors import InputError
from zhijiao.engine.inputs import frames_from_files, frames_from_situation

SCHOOL = {"id": "S1", "county": "瑞安市", "school_type": "secondary", "ownership": "public", "sponsor": "county"}


def refused(policy, situation) -> InputError:
    with pytest.raises(InputError) as caught:
        frames_from_situation(policy.entities, situation)
    return caught.value


@pytest.mark.parametrize(
    ("change", "zh", "en"),
    [
        ({"county": "杭州市"}, "学校 S1 county: “杭州市” 不是可选值", "school S1 county: '杭州市' is not one of"),
        ({"students": -5}, "学校 S1 students: 不能为负数（-5）", "school S1 students: must not be negative (-5)"),
        ({"students": True}, "应为数字，实为 True", "expected a number, got True"),
        ({"students": "1200"}, "应为数字，实为 '1200'", "expected a number, got '1200'"),
        ({"students": 12.5}, "应为整数", "expected a whole number"),
        ({"capital_donations": 10.001}, "小数位超过 2 位", "more than 2 decimal places"),
        (
            {"school_type": "university"},
            "“university” 不是可选值",
            "'university' is not one of higher (higher vocational college), secondary (secondary vocational school)",
        ),
        ({"studnets": 3}, "学校 S1 studnets: 未知字段", "school S1 studnets: unknown field"),
    ],
)
def test_a_bad_school_value_is_named(policy, change, zh, en):
    error = refused(policy, {"schools": [{**SCHOOL, **change}]})
    assert any(zh in m for m in error.messages("zh")), error.messages("zh")
    assert any(en in m for m in error.messages("en")), error.messages("en")


def test_every_problem_is_reported_not_just_the_first(policy):
    error = refused(
        policy,
        {
            "schools": [{**SCHOOL, "students": -1, "sponsor": "province"}],
            "enterprises": [
                {
                    "id": "E1",
                    "county": "鹿城区",
                    "certifications": [
                        {"level": "municipal", "date": "2023-01-01"},
                        {"level": "city", "date": "2023-02-30"},
                    ],
                }
            ],
        },
    )
    assert error.messages("en") == [
        "school S1 sponsor: 'province' is not one of city, county",
        "school S1 students: must not be negative (-1)",
        "enterprise E1 certification #1 level: 'municipal' is not one of city, provincial, national",
        "enterprise E1 certification #2 date: '2023-02-30' is not a date (YYYY-MM-DD)",
    ]


def test_missing_required_fields_and_duplicate_ids(policy):
    error = refused(policy, {"schools": [{"id": "S1", "county": "瑞安市"}]})
    assert {m.split(":")[0] for m in error.messages("en")} == {
        "school S1 school_type",
        "school S1 ownership",
        "school S1 sponsor",
    }
    error = refused(policy, {"schools": [SCHOOL, SCHOOL]})
    assert error.messages("zh") == ["学校 S1 id: 编号重复"]


def test_a_platform_must_belong_to_a_school_in_the_input(policy):
    error = refused(policy, {"platforms": [{"id": "P1", "school_id": "S9", "kind": "training"}]})
    assert error.messages("en") == ["platform P1 school_id: refers to school S9, which is not in the input"]


def test_population_files_are_validated_row_by_row(policy, tmp_path):
    good = tmp_path / "schools.csv"
    good.write_text(
        "id,county,school_type,ownership,sponsor,students,base_appropriation_per_student\n"
        "S1,瑞安市,secondary,public,county,1200,10000.50\n"
        "S2,鹿城区,higher,private,city,,\n",
        encoding="utf-8",
    )
    frames = frames_from_files(policy.entities, {"school": str(good)})
    assert frames["school"]["base_appropriation_per_student"].to_list() == [1_000_050, None]
    assert frames["school"]["students"].to_list() == [1200, None]

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,county,school_type,ownership,sponsor,students\n"
        "S1,瑞安市,secondary,public,county,-3\n"
        "S2,杭州市,secondary,public,county,12.5\n"
        "S3,瑞安市,secondary,public,,100\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        frames_from_files(policy.entities, {"school": str(bad)})
    messages = caught.value.messages("en")
    assert any("row 1 (S1) students" in m and "'-3'" in m for m in messages), messages
    assert any("row 2 (S2) county" in m and "杭州市" in m for m in messages), messages
    assert any("row 2 (S2) students" in m for m in messages), messages
    assert any("row 3 (S3) sponsor: is required" in m for m in messages), messages


def test_unknown_and_missing_columns_are_named(policy, tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("id,county,studnets\nS1,瑞安市,5\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        frames_from_files(policy.entities, {"school": str(path)})
    zh = caught.value.messages("zh")
    assert f"文件 {path} studnets: 未知列" in zh
    assert f"文件 {path} school_type: 缺少必填列" in zh


def test_digits_other_than_ascii_are_refused_not_read_as_blank(policy, tmp_path):
    """Full-width digits (an IME left on) look like a number but do not convert: refused by name, never taken
    as a blank cell."""
    path = tmp_path / "schools.csv"
    path.write_text(
        "id,county,school_type,ownership,sponsor,students\nS1,瑞安市,secondary,public,county,１２００\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        frames_from_files(policy.entities, {"school": str(path)})
    assert [m for m in caught.value.messages("en") if "students" in m] == [
        f"{path} row 1 (S1) students: expected a non-negative number with at most 0 decimal places: '１２００'"
    ]


def test_a_repeated_id_in_a_file_is_named_with_the_value_problems(policy, tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text(
        "id,county,school_type,ownership,sponsor,students\n"
        "S1,瑞安市,secondary,public,county,-1\n"
        "S1,瑞安市,secondary,public,county,5\n"
        ",瑞安市,secondary,public,county,5\n"
        ",瑞安市,secondary,public,county,6\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        frames_from_files(policy.entities, {"school": str(path)})
    messages = caught.value.messages("en")
    assert "school S1 id: duplicated id" in messages
    assert any("row 1 (S1) students" in m for m in messages), messages
    assert sum("id: is required" in m for m in messages) == 2  # blank ids are missing, not repeated
    assert not any("None" in m for m in messages), messages
