"""Issue 15: a one-situation ``zhijiao calc`` loads only what it uses — the engine and the policy, no database,
workbook or web library — and answers exactly what the whole command line answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from zhijiao.cli.main import app

SITUATION = {"year": 2024, "schools": [{"id": "S1", "county": "瑞安市", "school_type": "secondary",
             "ownership": "public", "sponsor": "county", "students": 1200, "base_appropriation_per_student": 10000,
             "full_time_teachers": 100, "part_time_teachers": 50, "local_avg_teacher_salary": 150000}]}  # fmt: skip
UNUSED = ("sqlalchemy", "openpyxl", "fastapi", "alembic", "numpy", "zhijiao.registry", "zhijiao.fulfilment")


def _console_script(*arguments: str) -> subprocess.CompletedProcess[str]:
    """What the installed ``zhijiao`` runs, with every import it makes listed on stderr."""
    code = "import sys; from zhijiao.cli.entry import main; sys.argv = ['zhijiao', *sys.argv[1:]]; main()"
    command = [sys.executable, "-X", "importtime", "-c", code, *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 -- our own interpreter


def test_calc_loads_no_database_workbook_or_web_library(tmp_path: Path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(SITUATION), encoding="utf-8")
    ran = _console_script("calc", str(path))
    assert ran.returncode == 0, ran.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in ran.stderr.splitlines() if line.startswith("import time:")}
    assert "polars" in imported
    assert [name for name in UNUSED if name in imported] == []
    whole = CliRunner().invoke(app, ["calc", str(path)])
    assert whole.exit_code == 0, whole.output
    assert json.loads(ran.stdout) == json.loads(whole.stdout)
    assert json.loads(ran.stdout)["schools"]["S1"]["part_time_teacher_funding"] > 0


def test_other_commands_and_help_still_load_the_whole_command_line():
    ran = _console_script("--help")
    assert ran.returncode == 0
    for command in ("calc", "import", "serve", "audit", "awards"):
        assert command in ran.stdout
    bad = _console_script("calc", "--no-such-option")
    assert bad.returncode == 2
