"""Rule prose states no number a parameter owns: a reform explains itself in its own numbers.

Every text a rule shows a reader (its label and formula, its why-not notes, the labels of the
parameters and options it names) is walked in Chinese and English; a digit may appear only inside a
placeholder, which the engine fills with the value in force for the calculation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from types import FunctionType, ModuleType
from typing import Any

import pytest

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.explain_text import prose
from zhijiao.engine.model import PLACEHOLDER, Note, placeholders
from zhijiao.engine.rules import Formula, RuleContext, rule
from zhijiao.engine.situation import calculate_situation
from zhijiao.engine.units import Unit
from zhijiao.policies import wenzhou_vet_2023
from zhijiao.policies.wenzhou_vet_2023 import load

LANGS = ("zh", "en")
DIGIT = re.compile(r"[0-9０-９]")
# The allow-list, kept to one entry: an English article reference ("Art. 20") is a name, not a number;
# Chinese ones are written in numerals (第二十条) and clause ids stay in their own field.
ALLOWED = re.compile(r"\bArt\. \d+\b")
CAP = "art13.part_time_share_cap"

SCHOOL = {
    "id": "S1",
    "county": "瑞安市",
    "school_type": "secondary",
    "ownership": "public",
    "sponsor": "county",
    "double_high": "none",
    "students": 1200,
    "base_appropriation_per_student": 10000,
    "full_time_teachers": 100,
    "part_time_teachers": 50,
    "local_avg_teacher_salary": 150000,
}


def _is_label(value: object) -> bool:
    return (
        isinstance(value, Mapping)
        and bool(value)
        and set(value) <= set(LANGS)
        and all(isinstance(text, str) for text in value.values())
    )


def _parts(value: object) -> Iterator[tuple[str, object]]:
    """The parts of a value that may hold prose, each named for where it is."""
    if isinstance(value, Mapping):
        yield from ((f"[{key!r}]", item) for key, item in value.items())
    elif isinstance(value, list | tuple):
        yield from ((f"[{index}]", item) for index, item in enumerate(value))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from ((f".{f.name}", getattr(value, f.name)) for f in dataclasses.fields(value))


def _texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    """(where, text) for each text of prose reachable from a value: a rule's label and formula, a note's
    templates, the labels a note is filled with."""
    if isinstance(value, Note):
        for part in ("zh", "en", "change_zh", "change_en"):
            yield f"{where}.{part}", getattr(value, part)
    elif _is_label(value):
        assert isinstance(value, Mapping)
        yield from ((f"{where}.{lang}", text) for lang, text in value.items())
    else:
        for suffix, part in _parts(value):
            yield from _texts(part, where + suffix)


def package_prose() -> dict[str, str]:
    """Every text of the policy package's modules, rules and declarations, keyed by where it is written."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(wenzhou_vet_2023.__path__, f"{wenzhou_vet_2023.__name__}."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("__") or isinstance(value, type | ModuleType | FunctionType):
                continue  # code, not prose
            if isinstance(value, Formula) or (isinstance(value, list) and all(isinstance(v, Formula) for v in value)):
                continue  # walked below as the policy loaded it, once
            found.update(_texts(value, f"{info.name.removeprefix('zhijiao.policies.')}.{name}"))
    policy = load()
    for formula in policy.formulas:
        found.update(_texts(formula, f"rule {formula.node}"))
    for parameter in policy.parameters:
        found.update(_texts(dict(parameter.label), f"parameter {parameter.id}.label"))
    for option in policy.options:
        found.update(_texts(dict(option.label), f"option {option.name}.label"))
        for choice, label in option.choices.items():
            found.update(_texts(dict(label), f"option {option.name}.{choice}"))
    return {where: text for where, text in found.items() if text}


def notes() -> dict[str, Note]:
    out = {}
    for info in pkgutil.walk_packages(wenzhou_vet_2023.__path__, f"{wenzhou_vet_2023.__name__}."):
        module = importlib.import_module(info.name)
        out.update({f"{info.name}.{name}": v for name, v in vars(module).items() if isinstance(v, Note)})
    return out


PROSE = package_prose()


def test_the_walk_sees_rules_notes_and_the_labels_notes_are_filled_with():
    walked = " ".join(PROSE)
    for expected in (
        "rule school.part_time_teacher_cap.formula.zh",
        "art13_part_time_teachers.rules.OVER_CAP.change_en",
        "art20_funding.rules.NOT_DOUBLE_HIGH.change_zh",
        "wenzhou_vet_2023.explain_notes.NOT_GIVEN.zh",
        "wenzhou_vet_2023.certification_awards.NOTHING_DUE.en",
        "art20_funding.rules.DOUBLE_HIGH_UPLIFT.en",  # a label a note is filled with
        "art07_integration_subsidy.rules.TEXT.what.zh",
        "rule enterprise_certification.integration_subsidy_amount.formula.en",  # one of a family of rules
        "option part_time_denominator.label.en",
    ):
        assert expected in walked, expected
    assert len(notes()) >= 10


@pytest.mark.parametrize("where", sorted(PROSE))
def test_no_digit_outside_a_placeholder(where):
    text = PROSE[where]
    stray = DIGIT.findall(ALLOWED.sub("", PLACEHOLDER.sub("", text)))
    assert not stray, f"{where}: {text!r} writes {''.join(stray)} instead of a placeholder"
    assert "{" not in PLACEHOLDER.sub("", text), f"{where}: an unclosed placeholder in {text!r}"
    assert "}" not in PLACEHOLDER.sub("", text), f"{where}: an unopened placeholder in {text!r}"


def test_zh_and_en_state_the_same_numbers():
    def names(text: str) -> list[tuple[str, str]]:
        return sorted((p.name, p.sign) for p in placeholders(text))

    for formula in load().formulas:
        for part in (formula.label, formula.formula):
            assert names(part.get("zh", "")) == names(part.get("en", "")), formula.node
    for where, note in notes().items():
        assert names(note.zh) == names(note.en), where
        assert names(note.change_zh) == names(note.change_en), where


def test_every_placeholder_fills_in():
    """A name with a dot is a parameter of the policy; any other is a value the note is filled with."""
    policy = load()
    on = dt.date(2024, 12, 31)
    for formula in policy.formulas:
        for lang in LANGS:
            for part in (formula.label, formula.formula):
                text = prose(part.get(lang, ""), lang, policy.parameters, on)
                assert "{" not in text, (formula.node, text)
    for where, note in notes().items():
        for text in (note.zh, note.en, note.change_zh, note.change_en):
            values = {p.name: "x" for p in placeholders(text) if "." not in p.name}
            for p in placeholders(text):
                assert "." not in p.name or p.name in policy.parameters, f"{where}: unknown parameter {p.name}"
            assert "{" not in prose(text, "zh", policy.parameters, on, values), where


def explanation(document: Mapping[str, Any], plural: str = "schools", key: str = "S1") -> dict[str, Any]:
    return {step["output"]: step for step in document[plural][key]["explanation"]}


@pytest.mark.parametrize("lang", LANGS)
def test_a_reform_of_the_part_time_share_cap_explains_itself_with_its_own_rate(lang):
    reform = {"name": "narrower cap", "parameters": {CAP: 0.25}}
    document = calculate_situation(load(), {"year": 2024, "schools": [SCHOOL]}, reform=reform)
    shown = document.as_json(explain=True, lang=lang)
    baseline = explanation(shown["baseline"])["part_time_teacher_cap"]
    reformed = explanation(shown["reform"])["part_time_teacher_cap"]
    assert (baseline["value"], reformed["value"]) == (42, 33)  # ⌊0.3 × 100 ÷ 0.7⌋, ⌊0.25 × 100 ÷ 0.75⌋
    assert "≤ 30%" in baseline["formula"]
    assert "⌊30% × " in baseline["formula"]
    assert "÷ 70%⌋" in baseline["formula"]
    assert "≤ 25%" in reformed["formula"]
    assert "⌊25% × " in reformed["formula"]
    assert "÷ 75%⌋" in reformed["formula"]
    for number in ("30%", "70%"):
        assert number not in reformed["text"], reformed["text"]
    assert reformed["text"].count("25%") == 3  # twice in the formula, once as the parameter's value


def test_a_reformed_cap_changes_the_why_not_note_with_it():
    reform = {"parameters": {CAP: 0.25}}
    document = calculate_situation(load(), {"year": 2024, "schools": [SCHOOL]}, reform=reform)
    note = explanation(document.as_json(explain=True)["reform"])["funded_part_time_teachers"]["why_not"][0]
    assert note["why"] == "聘任兼职教师50人，超过上限33人，超出的17人不纳入经费保障。"
    # 50 part-time teachers need F with ⌊0.25·F ÷ 0.75⌋ ≥ 50, i.e. F ≥ 150.
    assert note["would_change"] == "专任教师增加到150人（再增50人），上限即可覆盖全部50名兼职教师。"


@pytest.mark.parametrize(
    ("lang", "baseline", "reformed"),
    [
        ("zh", "入选省级“双高计划”上浮10%，全国上浮20%。", "入选省级“双高计划”上浮15%，全国上浮20%。"),
        (
            "en",
            "Selection into the provincial plan uplifts by 10%, the national plan by 20%.",
            "Selection into the provincial plan uplifts by 15%, the national plan by 20%.",
        ),
    ],
)
def test_a_why_not_note_states_the_reformed_rates(lang, baseline, reformed):
    reform = {"parameters": {"art20.appropriation_uplift.provincial": 0.15}}
    document = calculate_situation(load(), {"year": 2024, "schools": [SCHOOL]}, reform=reform)
    shown = document.as_json(explain=True, lang=lang)
    for side, expected in (("baseline", baseline), ("reform", reformed)):
        step = explanation(shown[side])["appropriation_uplift_rate"]
        assert step["why_not"][0]["would_change"] == expected


def test_prose_uses_the_values_in_force_on_the_date_of_the_calculation():
    reform = {"parameters": {CAP: [{"effective_from": "2024-07-01", "value": 0.25}]}}
    formulas = []
    for day in ("2024-06-30", "2024-07-01"):
        shown = calculate_situation(load(), {"date": day, "schools": [SCHOOL]}, reform=reform).as_json(explain=True)
        formulas.append(explanation(shown["reform"])["part_time_teacher_cap"]["formula"])
    assert formulas == [
        "满足 兼职 ÷（专任 + 兼职）≤ 30% 的最大整数，即 ⌊30% × 专任 ÷ 70%⌋",
        "满足 兼职 ÷（专任 + 兼职）≤ 25% 的最大整数，即 ⌊25% × 专任 ÷ 75%⌋",
    ]


def test_an_amount_rule_states_the_amounts_in_force_on_each_certification_date():
    certifications = [{"level": "city", "date": "2023-05-01"}, {"level": "provincial", "date": "2024-05-01"}]
    situation = {"year": 2024, "enterprises": [{"id": "E1", "county": "鹿城区", "certifications": certifications}]}
    reform = {
        "parameters": {"art07.integration_subsidy.provincial": [{"effective_from": "2024-01-01", "value": 250000}]}
    }
    shown = calculate_situation(load(), situation, reform=reform).as_json(explain=True, lang="en")
    details = explanation(shown["reform"], "enterprises", "E1")["integration_subsidy"]["details"]
    formulas = [next(s["formula"] for s in d["steps"] if s["output"] == "integration_subsidy_amount") for d in details]
    dated = " (as in force on the certification date)"
    assert formulas == [
        "city 50,000.00 yuan, provincial 200,000.00 yuan, national 500,000.00 yuan" + dated,
        "city 50,000.00 yuan, provincial 250,000.00 yuan, national 500,000.00 yuan" + dated,
    ]


def test_prose_fills_labels_by_language_and_names_a_parameter_not_in_force():
    parameters = load().parameters
    on = dt.date(2024, 1, 1)
    template = "{who}：{1 - art13.part_time_share_cap} / {1 + art20.public_expenditure_uplift}"
    assert prose(template, "en", parameters, on, {"who": {"zh": "学校", "en": "school"}}) == "school：70% / 120%"
    assert prose("{art11.incentive_rate}", "zh", parameters, dt.date(2023, 3, 22)) == "35%"
    # Before any value of the cap took effect, the rule is stated by the parameter's name, not a number.
    assert prose(f"≤ {{{CAP}}}", "zh", parameters, dt.date(2022, 1, 1)) == "≤ 兼职教师占专兼职教师总数比例上限"
    assert prose(f"≤ {{{CAP}}}", "en", parameters, None) == "≤ cap on part-time teachers as a share of all teachers"


def test_a_placeholder_that_names_nothing_is_refused():
    parameters = load().parameters
    with pytest.raises(PolicyError, match=r"unknown parameter art99\.nothing"):
        prose("{art99.nothing}", "zh", parameters, dt.date(2024, 1, 1))
    with pytest.raises(PolicyError, match="cannot read the placeholder"):
        placeholders("{2 * art13.part_time_share_cap}")


def test_a_rule_may_state_only_the_parameters_it_declares():
    with pytest.raises(PolicyError, match=r"art13\.part_time_share_cap, which it does not declare"):

        @rule(entity="school", unit=Unit.COUNT, article="art13", label={"zh": "≤ {art13.part_time_share_cap}"})
        def undeclared(students: Any, ctx: RuleContext) -> Any:  # noqa: ARG001 -- the rule contract
            return students
