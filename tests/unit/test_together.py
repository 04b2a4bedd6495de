"""Documents calculated together answer exactly as each does alone: every worked example and every refused
input of the suite, mixed in one call, with ids that collide across documents."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from zhijiao.engine import together
from zhijiao.engine.cases import cases_in, load_cases
from zhijiao.engine.errors import InputError, PolicyError
from zhijiao.engine.together import SEPARATOR, answer_alone, answer_together
from zhijiao.policies.wenzhou_vet_2023 import load

CASES = load_cases(load())
REFUSED = cases_in(Path(__file__).parents[1] / "policies" / "refused_input.yaml", "refused_input.yaml")
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


def _comparable(answer: object) -> object:
    """An answer, or a refusal by its kind and every problem it names (record, field, both languages)."""
    if isinstance(answer, InputError):
        return ("refused", [(p.record, p.field, p.zh, p.en) for p in answer.problems])
    if isinstance(answer, PolicyError):
        return ("policy", answer.message("zh"), answer.message("en"))
    return answer


def _school(ident: str, students: int, **more: Any) -> dict[str, Any]:
    return {**SCHOOL, "id": ident, "students": students, **more}


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many documents each pass of the engine calculated (a merged document counts its parts)."""
    seen: list[int] = []
    calculate = together.calculate_situation

    def counted(policy: Any, document: Any, **kwargs: Any) -> Any:
        records = [r for plural in ("schools", "enterprises", "platforms") for r in document.get(plural, [])]
        ids = [r.get("id", "") for r in records if isinstance(r, dict)]
        seen.append(len({i.split(SEPARATOR)[0] for i in ids if isinstance(i, str) and SEPARATOR in i}) or 1)
        return calculate(policy, document, **kwargs)

    monkeypatch.setattr(together, "calculate_situation", counted)
    return seen


def test_every_worked_example_and_refusal_together_answers_as_alone(policy):
    documents = [case.situation for case in CASES + REFUSED]
    alone = [_comparable(answer_alone(policy, d)) for d in documents]
    assert [_comparable(a) for a in answer_together(policy, documents)] == alone
    shuffled = list(range(len(documents))) * 2  # every document twice, so every id collides with its twin
    random.Random(15).shuffle(shuffled)  # noqa: S311 -- an order to test, not a secret
    answers = answer_together(policy, [documents[i] for i in shuffled])
    assert [_comparable(a) for a in answers] == [alone[i] for i in shuffled]


def test_documents_of_one_year_and_options_are_one_pass(policy, passes):
    documents = [{"year": 2024, "schools": [_school("S1", 100 * n)]} for n in range(1, 9)]
    answers = answer_together(policy, documents)
    assert passes == [8]  # before the comparisons below add passes of their own
    amounts = [a["schools"]["S1"]["per_student_appropriation"] for a in answers]
    assert amounts == [answer_alone(policy, d)["schools"]["S1"]["per_student_appropriation"] for d in documents]
    # Each document's totals are its own: 8 different schools, 8 different fiscal costs, each as alone.
    costs = [a["totals"]["fiscal_cost"] for a in answers]
    assert len(set(costs)) == 8
    assert costs == [answer_alone(policy, d)["totals"]["fiscal_cost"] for d in documents]


def test_a_refused_document_answers_for_itself_and_its_neighbours_are_calculated(policy, passes):
    good = {"year": 2024, "schools": [_school("S1", 1000)]}
    repeated = {"year": 2024, "schools": [_school("S1", 1000), _school("S1", 2000)]}
    orphan = {"year": 2024, "platforms": [{"id": "P1", "school_id": "S9", "kind": "training"}]}
    answers = answer_together(policy, [good, repeated, orphan, good])
    made = list(passes)  # before the comparisons below add passes of their own
    assert answers[0] == answers[3] == answer_alone(policy, good)
    assert _comparable(answers[1]) == _comparable(answer_alone(policy, repeated))
    assert _comparable(answers[2]) == _comparable(answer_alone(policy, orphan))
    # The refusals name the ids as sent, never the prefix the pass gave them.
    assert [p.record["en"] for p in answers[1].problems] == ["school S1"]
    assert "S9" in answers[2].problems[0].en
    assert SEPARATOR not in answers[2].problems[0].en
    assert made == [4, 1, 1, 1, 1]  # tried together first, then each alone


def test_references_resolve_within_their_own_document_only(policy):
    """Two documents each with school S1 and a platform of S1: each platform counts its own school."""
    first = {
        "year": 2024,
        "schools": [_school("S1", 1000)],
        "platforms": [
            {"id": "P1", "school_id": "S1", "kind": "training",
             "certifications": [{"level": "provincial", "date": "2024-06-01"}]},
        ],
    }  # fmt: skip
    second = {"year": 2024, "schools": [_school("S1", 3000)], "platforms": []}
    answers = answer_together(policy, [first, second])
    assert answers == [answer_alone(policy, first), answer_alone(policy, second)]
    assert set(answers[0]["platforms"]) == {"P1"}
    assert answers[1]["platforms"] == {}


def test_different_years_options_and_reforms_are_not_mixed(policy, passes):
    documents: list[dict[str, Any]] = [
        {"year": 2024, "schools": [_school("S1", 1000)]},
        {"year": 2023, "schools": [_school("S1", 1000)]},
        {"date": "2024-06-30", "schools": [_school("S1", 1000)]},
        {"year": 2024, "options": {"upgrade_payment": "difference"}, "schools": [_school("S1", 1000)]},
        {"year": 2024, "reform": {"parameters": {}}, "schools": [_school("S1", 1000)]},
        {"year": 2024, "schools": [_school("S2", 2000)]},
    ]
    answers = answer_together(policy, documents)
    made = sorted(passes)
    assert [_comparable(a) for a in answers] == [_comparable(answer_alone(policy, d)) for d in documents]
    assert made == [1, 1, 1, 1, 2]  # only the two 2024 documents with default options share a pass


def test_an_id_containing_the_separator_stays_its_own(policy):
    odd = {"year": 2024, "schools": [_school(f"0{SEPARATOR}S1", 1000), _school("S1", 2000)]}
    plain = {"year": 2024, "schools": [_school("S1", 3000)]}
    assert answer_together(policy, [plain, odd]) == [answer_alone(policy, plain), answer_alone(policy, odd)]
