"""The command line names worked examples in the language asked for."""

from typer.testing import CliRunner

from zhijiao.cli.main import app
from zhijiao.engine.cases import load_cases
from zhijiao.policies.wenzhou_vet_2023 import load

runner = CliRunner()
CASES = load_cases(load())


def _words(text: str) -> str:
    return " ".join(text.split())


def test_policy_test_in_english_names_every_example_in_english() -> None:
    result = runner.invoke(app, ["policy", "test", "--lang", "en"])
    assert result.exit_code == 0, result.stdout[-2000:]
    shown = _words(result.stdout)
    assert f"{len(CASES)} passed, 0 failed" in shown
    for case in CASES:
        assert _words(case.name_en) in shown
        assert case.name not in result.stdout


def test_examples_table_in_english_has_no_chinese_case_names_and_in_chinese_keeps_them() -> None:
    english = runner.invoke(app, ["examples", "--lang", "en"])
    assert english.exit_code == 0
    assert "Platform with no certification at all: award 0 yuan" in english.stdout
    assert not [c.name for c in CASES if c.name in english.stdout]
    chinese = runner.invoke(app, ["examples"])
    assert chinese.exit_code == 0
    assert "平台没有任何认定，奖励为0元" in chinese.stdout
    assert "Platform with no certification at all" not in chinese.stdout
