"""The command line as a user runs it: real files in, JSON or tables out, exit codes that scripts can trust."""

import json

import polars as pl
from typer.testing import CliRunner

from zhijiao.cli.main import app

runner = CliRunner()

SITUATION = {
    "year": 2024,
    "options": {"upgrade_payment": "difference"},
    "reform": {"parameters": {"art11.incentive_rate": 0.6}},
    "schools": [
        {
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
            "market_service_income": 2000000,
            "capital_donations": 1000000,
        }
    ],
    "enterprises": [{"id": "E1", "county": "鹿城区", "certifications": [{"level": "city", "date": "2023-05-01"}]}],
    "platforms": [
        {
            "id": "P1",
            "school_id": "S1",
            "kind": "training",
            "certifications": [{"level": "provincial", "date": "2024-06-01"}],
        }
    ],
}


def test_calc_prints_baseline_and_reform_side_by_side(tmp_path):
    path = tmp_path / "situation.json"
    path.write_text(json.dumps(SITUATION, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["calc", str(path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    baseline, reform = out["baseline"], out["reform"]
    school = baseline["schools"]["S1"]
    assert school["appropriation_uplift_amount"] == 1200000
    assert school["public_expenditure_uplift_amount"] == 600000
    assert school["part_time_teacher_cap"] == 42
    assert school["part_time_teacher_funding"] == 6300000
    assert school["social_service_incentive_cap"] == 1000000
    assert reform["schools"]["S1"]["social_service_incentive_cap"] == 1200000
    assert baseline["enterprises"]["E1"]["integration_subsidy"] == 0  # certified in 2023, paid in 2023
    assert baseline["platforms"]["P1"]["platform_award"] == 300000
    assert baseline["totals"]["fiscal_cost"] == 1200000 + 600000 + 6300000 + 500000 + 300000
    assert baseline["totals"]["by_payer"] == {"city": 300000, "county": 8600000}
    assert out["rule_set"].startswith("wenzhou_vet_2023@")
    assert baseline["options"]["upgrade_payment"] == "difference"


def test_options_on_the_command_line_override_the_document(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**SITUATION, "reform": None}), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "calc",
            str(path),
            "--option",
            "public_expenditure_scope=secondary_and_technical",
            "--explain",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["options"]["public_expenditure_scope"] == "secondary_and_technical"
    steps = out["schools"]["S1"]["explanation"]
    assert {s["output"] for s in steps} >= {"appropriation_uplift_rate", "part_time_teacher_cap"}
    assert any(s["text"].startswith("Art. 20 (C1)") for s in steps)


def test_bad_input_exits_2_naming_the_problem_and_prints_nothing_on_stdout(tmp_path):
    path = tmp_path / "s.json"
    bad = {"year": 2024, "schools": [{**SITUATION["schools"][0], "county": "杭州", "students": -1}]}
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["calc", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "school S1 students: must not be negative (-1)" in result.stderr
    assert "school S1 county: '杭州' is not one of" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_option_and_broken_json_are_refused(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**SITUATION, "reform": None}), encoding="utf-8")
    result = runner.invoke(app, ["calc", str(path), "--option", "upgrade_payment=half"])
    assert result.exit_code == 2
    assert "口径 upgrade_payment：“half” 不是可选值（full | difference）" in result.stderr
    result = runner.invoke(app, ["calc", str(path), "--option", "upgrade_payment=half", "--lang", "en"])
    assert "option upgrade_payment: 'half' is not one of full | difference" in result.stderr
    path.write_text('{"year": 2024,', encoding="utf-8")
    result = runner.invoke(app, ["calc", str(path)])
    assert result.exit_code == 2
    assert "不是有效的 JSON" in result.stderr


def test_population_mode_writes_a_table_per_entity_and_totals(tmp_path):
    pl.DataFrame(
        {
            "id": ["S1", "S2"],
            "county": ["瑞安市", "市直属"],
            "school_type": ["secondary", "higher"],
            "ownership": ["public", "public"],
            "sponsor": ["county", "city"],
            "double_high": ["provincial", "national"],
            "students": [1200, 5000],
            "base_appropriation_per_student": ["10000", "20000.5"],
        }
    ).write_parquet(tmp_path / "schools.parquet")
    (tmp_path / "ents.csv").write_text("id,county\nE1,鹿城区\n", encoding="utf-8")
    (tmp_path / "certs.csv").write_text(
        "enterprise_id,level,date\nE1,city,2023-05-01\nE1,national,2024-02-01\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "calc",
            "--schools",
            str(tmp_path / "schools.parquet"),
            "--enterprises",
            str(tmp_path / "ents.csv"),
            "--enterprise-certifications",
            str(tmp_path / "certs.csv"),
            "--year",
            "2024",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    schools = pl.read_csv(out / "schools.csv")
    # S2: 5,000 students × 20,000.50 yuan × 20% (national double-high) = 20,000,500.00, paid by the city
    assert schools["appropriation_uplift_amount"].to_list() == [1200000.0, 20000500.0]
    # E1: the 2023 city certification is paid in 2023; the 2024 national one pays 500,000 in full
    assert pl.read_csv(out / "enterprises.csv")["integration_subsidy"].to_list() == [500000.0]
    totals = json.loads((out / "totals.json").read_text(encoding="utf-8"))
    assert totals["fiscal_cost"] == 1200000 + 600000 + 20000500 + 500000
    assert totals["by_payer"] == {"city": 20000500, "county": 2300000}


def test_population_mode_refuses_a_bad_file_and_writes_nothing(tmp_path):
    (tmp_path / "schools.csv").write_text(
        "id,county,school_type,ownership,sponsor,students\nS1,瑞安市,secondary,public,county,lots\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["calc", "--schools", str(tmp_path / "schools.csv"), "--year", "2024", "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "row 1 (S1) students" in result.stderr
    assert not out.exists()


def test_policy_show_lists_parameters_with_dates_and_citations():
    result = runner.invoke(app, ["policy", "show", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["document"]["number"] == "温政办〔2023〕32号"
    rate = next(p for p in data["parameters"] if p["id"] == "art11.incentive_rate")
    assert [(v["effective_from"], v["value"]) for v in rate["values"]] == [(None, 0.35), ("2023-03-23", 0.5)]
    assert {o["name"] for o in data["options"]} == {
        "upgrade_payment",
        "double_high_scope",
        "public_expenditure_scope",
        "part_time_denominator",
        "plan_window",
        "clawback_on_revocation",
    }
    assert len(data["articles"]) == 20
    table = runner.invoke(app, ["policy", "show", "--lang", "en"])
    assert table.exit_code == 0
    assert "art13.part_time_share_cap" in table.stdout


def test_a_number_json_does_not_allow_is_refused_not_a_traceback(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"year": 2024, "schools": [{"id": "S1", "students": 1e999}]}', encoding="utf-8")
    result = runner.invoke(app, ["calc", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert "1e999 is not a finite number" in result.stderr
    path.write_text('{"year": 2024, "schools": [{"id": "S1", "students": NaN}]}', encoding="utf-8")
    assert "NaN is not a finite number" in runner.invoke(app, ["calc", str(path), "--lang", "en"]).stderr


def test_population_tables_write_formula_looking_ids_as_text(tmp_path):
    """Issue 14: an id a spreadsheet would run gets a leading quote in the CSV written; plain ids and numbers do not."""
    (tmp_path / "ents.csv").write_text(
        'id,county\nE1,鹿城区\n"=HYPERLINK(""http://x"",""y"")",鹿城区\n-5,鹿城区\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["calc", "--enterprises", str(tmp_path / "ents.csv"), "--year", "2024", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    ids = pl.read_csv(out / "enterprises.csv", infer_schema=False)["id"].to_list()
    assert ids == ["E1", '\'=HYPERLINK("http://x","y")', "-5"]


def test_parquet_columns_are_checked_as_the_types_they_are(tmp_path):
    """Issue 15: typed Parquet columns are taken as they are — exact integers and decimals, with the same
    refusals as text (negative, too many places, too large) — and give what the same values as text give."""
    values = {
        "id": ["S1", "S2"],
        "county": ["瑞安市", "市直属"],
        "school_type": ["secondary", "higher"],
        "ownership": ["public", "public"],
        "sponsor": ["county", "city"],
        "double_high": ["provincial", "national"],
    }
    typed = pl.DataFrame(values | {"students": [1200, 5000]}).with_columns(
        pl.Series("base_appropriation_per_student", ["10000", "20000.50"]).cast(pl.Decimal(38, 2))
    )
    typed.write_parquet(tmp_path / "typed.parquet")
    pl.DataFrame(
        values | {"students": ["1200", "5000"], "base_appropriation_per_student": ["10000", "20000.5"]}
    ).write_csv(tmp_path / "text.csv")
    for name in ("typed.parquet", "text.csv"):
        result = runner.invoke(
            app, ["calc", "--schools", str(tmp_path / name), "--year", "2024", "--out", str(tmp_path / name[:4])]
        )
        assert result.exit_code == 0, result.output
    assert pl.read_csv(tmp_path / "type" / "schools.csv").equals(pl.read_csv(tmp_path / "text" / "schools.csv"))
    bad = typed.with_columns(
        pl.Series("students", [-1, 2**62]),
        pl.Series("base_appropriation_per_student", ["1.005", "2"]).cast(pl.Decimal(38, 3)),
    )
    bad.write_parquet(tmp_path / "bad.parquet")
    refused = runner.invoke(
        app,
        [
            "calc",
            "--schools",
            str(tmp_path / "bad.parquet"),
            "--year",
            "2024",
            "--out",
            str(tmp_path / "bad"),
            "--lang",
            "en",
        ],
    )
    assert refused.exit_code == 2
    assert "row 1 (S1) students: expected a non-negative number" in refused.stderr
    assert "row 2 (S2) students" in refused.stderr
    assert (
        "row 1 (S1) base_appropriation_per_student: expected a non-negative number with at most 2 decimal places"
        in refused.stderr
    )
    assert not (tmp_path / "bad").exists()
