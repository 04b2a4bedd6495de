"""Every clause and option of clauses.md is accounted for: implemented by a rule, or noted with a reason."""

import re
from pathlib import Path

import pytest

from zhijiao.policies.wenzhou_vet_2023 import ROOT
from zhijiao.policies.wenzhou_vet_2023.entitlements import FULFILMENT_OPTIONS

CATALOGUE = (ROOT / "clauses.md").read_text(encoding="utf-8")
SHARED = Path(__file__).resolve().parents[3] / "shared" / "policy" / "clauses.md"

PARAMETER_IDS = [
    "art03.platform_award.provincial",
    "art03.platform_award.national",
    "art07.integration_subsidy.city",
    "art07.integration_subsidy.provincial",
    "art07.integration_subsidy.national",
    "art11.incentive_rate",
    "art13.part_time_share_cap",
    "art20.appropriation_uplift.provincial",
    "art20.appropriation_uplift.national",
    "art20.public_expenditure_base",
    "art20.public_expenditure_uplift",
    "art20.donation_matching_rate",
]


def catalogue_clauses() -> dict[str, str]:
    """C-id → output name, from the 'Computational clauses' table."""
    return dict(re.findall(r"^\| (C\d+) \| [^|]+ \| `(\w+)`", CATALOGUE, flags=re.MULTILINE))


def catalogue_options() -> dict[str, str]:
    """option → default, from the 'Options' table (plan_window's default is a date range)."""
    options = {}
    for name, cell in re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|", CATALOGUE, flags=re.MULTILINE):
        quoted = re.search(r"`([^`]+)`", cell)
        options[name] = quoted.group(1) if quoted else cell.strip()
    return options


def test_the_package_copy_of_the_catalogue_is_the_shared_one():
    if not SHARED.exists():
        pytest.skip("shared/policy is not beside this checkout")
    assert SHARED.read_text(encoding="utf-8") == CATALOGUE


def test_the_catalogue_parses_to_the_fourteen_clauses():
    assert list(catalogue_clauses()) == [f"C{n}" for n in range(1, 15)]


def test_every_clause_has_a_rule_or_a_note(policy):
    implemented = {clause for f in policy.formulas for clause in f.clauses}
    noted = {cid for cid, entry in policy.metadata["clauses"].items() if entry.get("note")}
    for clause, output in catalogue_clauses().items():
        assert clause in implemented or clause in noted, f"{clause} ({output}) has no rule and no note"
        if clause in implemented:
            producers = {f.output for f in policy.formulas if clause in f.clauses and not f.internal}
            assert output in producers, f"{clause}: no rule produces {output} (found {producers})"


def test_fiscal_cost_sums_exactly_the_money_clauses(policy):
    # C14: the sum of C3, C5, C9, C11, C12, C13 — not C6, which is the school's own income.
    outputs = catalogue_clauses()
    expected = {outputs[c] for c in ("C3", "C5", "C9", "C11", "C12", "C13")}
    assert {item.output for item in policy.cost_items} == expected


def test_every_option_exists_with_the_catalogue_default(policy):
    options = catalogue_options()
    assert set(options) | set(FULFILMENT_OPTIONS) == {o.name for o in policy.options}
    for name, default in options.items():
        shown = str(policy.options.options[name].default)
        assert shown == default.replace(" … ", "..").strip(), name


def test_the_issue_parameter_ids_exist_with_units_and_citations(policy):
    for parameter_id in PARAMETER_IDS:
        parameter = policy.parameters[parameter_id]
        assert parameter.values, parameter_id
        assert all(v.citation.document == "温政办〔2023〕32号" for v in parameter.values), parameter_id


def test_articles_that_compute_nothing_say_what_the_system_does(policy):
    articles = {a["number"]: a for a in policy.metadata["articles"]}
    assert sorted(articles) == list(range(1, 21))
    for number in (4, 6, 8, 10, 18):
        assert not articles[number].get("computes")
        assert articles[number]["system"]["zh"], number
        assert articles[number]["system"]["en"], number
    for number, article in articles.items():
        assert article.get("computes") or article.get("system"), f"article {number} is neither computed nor noted"


def test_every_computing_article_keeps_its_text_numbers_rules_and_cases_together(policy):
    for article in policy.metadata["articles"]:
        if not article.get("computes"):
            continue
        folder = ROOT / article["folder"]
        for name in ("text.zh.md", "parameters.yaml", "rules.py", "cases.yaml"):
            assert (folder / name).exists(), f"{folder.name}/{name}"
        rules_of_article = {c for f in policy.formulas if f.article == folder.name[:5] for c in f.clauses}
        assert set(article["computes"]) <= rules_of_article, folder.name


def test_document_facts(policy):
    meta = policy.metadata
    assert meta["document"]["number"] == "温政办〔2023〕32号"
    assert str(meta["document"]["issued"]) == "2023-03-23"
    assert len(meta["parts"]) == 7
    assert meta["breakthroughs"]["count"] == 15
    assert [t["id"] for t in meta["targets"]] == [f"T{n}" for n in range(1, 12)]
    assert meta["drafting"]["consultation"] == {
        "rounds": 2,
        "units": 39,
        "items": 75,
        "adopted": 11,
        "partially_adopted": 57,
        "not_adopted": 7,
    }
