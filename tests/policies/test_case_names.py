"""Every worked example has an English name that an English reader can follow, and the loader insists on it."""

import re
from pathlib import Path

import pytest

from zhijiao.engine.cases import Case, cases_in, load_cases
from zhijiao.engine.errors import PolicyError
from zhijiao.policies.wenzhou_vet_2023 import load

CASES = load_cases(load())
# Chinese a translation may keep: a word quoted from the source text and a cited document number.
_QUOTED = re.compile(r"“[^”]*”|\S*〔\d{4}〕\d+号")
_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def test_there_are_worked_examples_to_name() -> None:
    assert len(CASES) >= 90
    assert {c.source.split("/")[0] for c in CASES} == {
        "art03_platform_award",
        "art07_integration_subsidy",
        "art11_social_service",
        "art13_part_time_teachers",
        "art20_funding",
    }


@pytest.mark.parametrize("case", CASES, ids=[f"{c.source.split('/')[0]}:{c.name}" for c in CASES])
def test_every_worked_example_has_an_english_name_without_chinese(case: Case) -> None:
    assert case.name_en.strip() == case.name_en != ""
    unquoted = _QUOTED.sub("", case.name_en)
    assert _CHINESE.findall(unquoted) == [], case.name_en
    assert case.title("en") == case.name_en
    assert case.title("zh") == case.name


def test_english_names_tell_the_examples_of_an_article_apart() -> None:
    by_article: dict[str, list[str]] = {}
    for case in CASES:
        by_article.setdefault(case.source.split("/")[0], []).append(case.name_en)
    for article, names in by_article.items():
        assert len(set(names)) == len(names), article


def test_english_names_keep_the_figures_and_places_of_the_chinese_name() -> None:
    by_name = {c.name: c.name_en for c in CASES}
    art13 = by_name[
        "专任教师100人、兼职教师42人恰好在上限（⌊30÷0.7⌋＝42），全部42人纳入保障，年薪12万元，经费504万元由县级财政承担"
    ]
    for kept in ("120,000 yuan", "5.04 million yuan", "⌊30 ÷ 0.7⌋ = 42", "county finance"):
        assert kept in art13
    art07 = by_name["鹿城区企业2023-05-01获市级产教融合型企业认定，2023年一次性补助5万元，由鹿城区财政承担"]
    for kept in ("Lucheng District", "2023-05-01", "50,000 yuan"):
        assert kept in art07
    literal = by_name["先国家级（2023年）后市级（2024年），全额口径下市级仍分别给予5万元"]
    assert "full-amount option" in literal
    assert "“分别给予”" in literal


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_worked_example_without_an_english_name_does_not_load_and_the_message_names_file_and_case(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "- name: 平台没有任何认定，奖励为0元\n  year: 2024\n  platforms: []\n")
    with pytest.raises(PolicyError) as refused:
        cases_in(path, "art03_platform_award/cases.yaml", english=True)
    assert str(path) in str(refused.value)
    assert "平台没有任何认定，奖励为0元" in str(refused.value)
    assert "name_en" in str(refused.value)
    assert "缺少英文名称" in refused.value.message("zh")


def test_a_blank_english_name_is_refused_too(tmp_path: Path) -> None:
    path = _write(tmp_path, '- name: 平台没有任何认定，奖励为0元\n  name_en: "  "\n  year: 2024\n')
    with pytest.raises(PolicyError, match="needs an English name"):
        cases_in(path, "cases.yaml")


def test_the_english_name_is_not_taken_for_part_of_the_situation(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "- name: 平台没有任何认定，奖励为0元\n  name_en: A platform with no certification\n  year: 2024\n"
    )
    (case,) = cases_in(path, "cases.yaml", english=True)
    assert case.name_en == "A platform with no certification"
    assert dict(case.situation) == {"year": 2024}
