"""``zhijiao targets`` on the demo registry with one county's 2024 figures blanked: that county's T5, T7 and T9
say 无数据 / no data, in the table and in the JSON, where the city's rows keep their values."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhijiao.cli.main import app
from zhijiao.registry.models import County, School, SchoolYear, TeacherStats
from zhijiao.storage.database import engine_for

runner = CliRunner()
COUNTY, YEAR = "瑞安市", 2024
BLANKED = ("T5", "T7", "T9")


def blank(engine: Engine, county: str, year: int) -> None:
    """Every figure of T5, T7 and T9 left blank for the county's schools in ``year``, as an import may leave them."""
    schools = select(School.id).join(County, School.county_code == County.code).where(County.name == county)
    with Session(engine) as session, session.begin():
        session.execute(
            update(TeacherStats)
            .where(TeacherStats.school_id.in_(schools), TeacherStats.year == year)
            .values(double_qualified_trained=None)
        )
        session.execute(
            update(SchoolYear)
            .where(SchoolYear.school_id.in_(schools), SchoolYear.year == year)
            .values(social_training_person_times=None, meets_national_standard=None)
        )


@pytest.fixture
def blanked(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    blank(demo_engine, COUNTY, YEAR)
    url = demo_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    yield demo_engine
    engine_for(url).dispose()  # the command's engine, kept for the process: let PostgreSQL drop the database


@pytest.mark.usefixtures("blanked")
def test_the_json_says_no_data_for_the_blanked_county():
    result = runner.invoke(app, ["targets", "--year", str(YEAR), "--county", COUNTY, "--json"])
    assert result.exit_code == 0, result.output
    rows = {(r["target"], r["county"]): r for r in json.loads(result.stdout)}
    for target in BLANKED:
        mine = rows[(target, COUNTY)]
        assert (mine["value"], mine["share"], mine["expected"], mine["status"]) == (None, None, None, "no_data")
        assert rows[(target, "全市")]["value"] is not None  # the other counties' figures
    assert rows[("T6", COUNTY)]["value"] not in {None, "0"}  # graduates were not blanked


@pytest.mark.usefixtures("blanked")
@pytest.mark.parametrize(("lang", "words", "behind"), [("zh", "无数据", "滞后"), ("en", "no data", "behind")])
def test_the_table_says_no_data_never_zero_or_behind(lang: str, words: str, behind: str):
    result = runner.invoke(app, ["targets", "--year", str(YEAR), "--county", COUNTY, "--lang", lang])
    assert result.exit_code == 0, result.output
    for target in BLANKED:
        line = next(ln for ln in result.stdout.splitlines() if re.match(rf"│ {target}\s+│.*│ {COUNTY}\s+│", ln))
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        assert cells[3] == "—", line  # the value: not 0
        assert cells[5] == "—", line  # the share: not 0 %
        assert words in line, line
        assert behind not in line, line
    assert f"{words}{'：' if lang == 'zh' else ':'}" in result.stdout  # the note saying what no data means
