"""The registry commands as an official runs them, against a SQLite file named by DATABASE_URL."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from zhijiao.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")


def test_tables_lists_every_table():
    result = runner.invoke(app, ["tables", "--lang", "en"])
    assert result.exit_code == 0
    for name in ("schools", "enterprise_certifications", "platform_certifications", "national_brands"):
        assert name in result.stdout


def test_import_export_and_a_refused_file(tmp_path):
    schools = tmp_path / "schools.csv"
    schools.write_text(
        "学校编号,学校名称,所在县（市、区）,学校类型,办学性质,举办者\n"
        "S1,瑞安市职业中专,瑞安市,secondary,public,county\nS2,温州职业技术学院,市直属,higher,public,city\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "schools", str(schools)])
    assert result.exit_code == 0, result.output
    assert "已导入 学校：共2行，新增2行，修改0行，未变0行" in result.stdout
    again = runner.invoke(app, ["import", "schools", str(schools), "--lang", "en"])
    assert "2 rows: 0 inserted, 0 updated, 2 unchanged" in again.stdout

    bad = tmp_path / "bad.csv"
    bad.write_text("学校编号,学校名称,所在县（市、区）,学校类型,办学性质,举办者\nS3,某校,杭州,secondary,public,county\n",
                   encoding="utf-8")  # fmt: skip
    refused = runner.invoke(app, ["import", "schools", str(bad)])
    assert refused.exit_code == 2
    assert "第2行 所在县（市、区）: “杭州” 不是温州市的县（市、区）" in refused.stderr

    renamed = tmp_path / "renamed.csv"
    renamed.write_text("学校编号,学校名称\nS1,瑞安市职业中等专业学校\n", encoding="utf-8")  # two columns only
    preview = runner.invoke(app, ["import", "schools", str(renamed), "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert "预览（未写入） 学校：共1行，新增0行，修改1行，未变0行" in preview.stdout
    assert "文件中没有、保持不变的列：所在县（市、区）、学校类型、办学性质、举办者" in preview.stdout
    assert "瑞安市职业中专" in preview.stdout
    assert "瑞安市职业中等专业学校" in preview.stdout
    unchanged = runner.invoke(app, ["import", "schools", str(schools), "--dry-run", "--lang", "en"])
    assert "2 rows: 0 inserted, 0 updated, 2 unchanged" in unchanged.stdout  # the dry run wrote nothing

    # Both imports that wrote (or checked) something are in the audit trail; the refused one and the dry runs not.
    verified = runner.invoke(app, ["audit", "verify", "--lang", "en"])
    assert verified.exit_code == 0, verified.output
    assert "Audit trail intact: 2 records" in verified.stdout

    out = tmp_path / "out.xlsx"
    exported = runner.invoke(app, ["export", "schools", "--out", str(out), "--county", "瑞安市"])
    assert exported.exit_code == 0, exported.output
    assert "已导出 1 行" in exported.stdout


def test_unknown_table_and_county_are_named():
    result = runner.invoke(app, ["export", "teachers", "--out", "x.xlsx", "--lang", "en"])
    assert result.exit_code == 2
    assert "table teachers: unknown table" in result.stderr
    result = runner.invoke(app, ["targets", "--county", "杭州"])
    assert result.exit_code == 2
    assert "“杭州” 不是温州市的县（市、区）" in result.stderr


def test_cost_and_targets_on_an_empty_registry():
    result = runner.invoke(app, ["cost", "--year", "2024", "--by", "payer"])
    assert result.exit_code == 0, result.output
    assert "0.00元" in result.stdout
    result = runner.invoke(app, ["targets"])
    assert result.exit_code == 2
    assert "登记册为空" in result.stderr
    result = runner.invoke(app, ["targets", "--year", "2024", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["target"] for r in rows] == [f"T{n}" for n in range(1, 12)]
    assert rows[0]["status"] == "no_data"


def test_a_name_that_looks_like_a_formula_is_exported_as_text_and_imported_back_the_same(tmp_path):
    from openpyxl import load_workbook  # noqa: PLC0415 -- this test only

    name = '=HYPERLINK("http://example.invalid","瑞安市职业中专")'
    schools = tmp_path / "schools.csv"
    schools.write_text(
        "学校编号,学校名称,所在县（市、区）,学校类型,办学性质,举办者\n"
        f'S1,"{name.replace(chr(34), chr(34) * 2)}",瑞安市,secondary,public,county\n',
        encoding="utf-8",
    )
    assert runner.invoke(app, ["import", "schools", str(schools)]).exit_code == 0
    out = tmp_path / "out.xlsx"
    assert runner.invoke(app, ["export", "schools", "--out", str(out)]).exit_code == 0
    cell = load_workbook(out).worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == (name, "s")  # text, not a formula Excel would run
    again = runner.invoke(app, ["import", "schools", str(out), "--lang", "en"])
    assert "1 rows: 0 inserted, 0 updated, 1 unchanged" in again.stdout, again.output
