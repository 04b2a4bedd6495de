"""The worked examples of the package, each a test; and together they exercise every clause and option value."""

from pathlib import Path

import pytest

from zhijiao.engine.cases import cases_in, check_case, load_cases
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.policies.wenzhou_vet_2023.entitlements import FULFILMENT_OPTIONS

CASES = load_cases(load())
REFUSED = cases_in(Path(__file__).with_name("refused_input.yaml"), "refused_input.yaml")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.source.split('/')[0]}:{c.name}" for c in CASES])
def test_worked_example(policy, case):
    assert check_case(policy, case) == []


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_refused_input(policy, case):
    assert case.expect_error  # each names the words its message must contain
    assert check_case(policy, case) == []


def test_there_are_at_least_forty_worked_examples_and_none_is_a_refusal():
    assert len(CASES) >= 40
    # Readers see the worked examples beside each article; the refusals are the contract's tests, kept here.
    assert [c.name for c in CASES if c.expect_error] == []


def _expected_outputs(case) -> set[str]:
    runs = [case.expect.get("baseline", {}), case.expect.get("reform", {}), case.expect]
    return {
        name
        for run in runs
        for plural in ("schools", "enterprises", "platforms")
        for outputs in (run.get(plural) or {}).values()
        for name in outputs
    }


def test_every_clause_is_exercised_by_a_worked_example(policy):
    by_output = {f.output: f for f in policy.formulas}
    covered = {clause for case in CASES for name in _expected_outputs(case) for clause in by_output[name].clauses}
    covered |= (
        {"C14"} if any("totals" in c.expect or "totals" in c.expect.get("baseline", {}) for c in CASES) else set()
    )
    assert covered >= {f"C{n}" for n in range(1, 15)}, sorted({f"C{n}" for n in range(1, 15)} - covered)


def test_every_option_value_is_exercised_where_it_matters(policy):
    """An option value counts only in a case that checks an output whose rules depend on that option."""
    producers = {f.output: f for f in policy.formulas}

    def depends(output: str) -> set[str]:
        formula = producers[output]
        seen = set(formula.options)
        for name in formula.reads:
            if name in producers and producers[name].entity == formula.entity:
                seen |= depends(name)
        source = getattr(formula, "source_entity", "")
        for child in (f for f in policy.formulas if f.entity == source):
            seen |= set(child.options)
        return seen

    covered = set()
    for case in (c for c in CASES if not c.expect_error):
        chosen = policy.options.resolve(case.situation.get("options") or {})
        reform_options = (case.situation.get("reform") or {}).get("options") or {}
        for name in _expected_outputs(case):
            for option in depends(name):
                covered.add((option, str(chosen[option])))
                if option in reform_options:
                    covered.add((option, str(reform_options[option])))
    # The fulfilment's options change no calculation; tests/fulfilment/test_clawback.py exercises them.
    wanted = {(o.name, v) for o in policy.options for v in o.choices if o.name not in FULFILMENT_OPTIONS}
    assert wanted <= covered, sorted(wanted - covered)
    window = policy.options.options["plan_window"]
    assert ("plan_window", str(window.default)) in covered
    assert any(opt == "plan_window" and value != str(window.default) for opt, value in covered)
