"""Issue 15: ``zhijiao serve --workers N`` runs N worker processes, each building its own app and connection
pool from the environment; the demo is loaded once, by the command, before they start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from zhijiao.cli.main import app as cli
from zhijiao.cli.platform import DEMO_VARIABLE, served_app
from zhijiao.registry.models import School
from zhijiao.storage.database import engine_for, unit_of_work


def test_workers_serve_the_app_factory_on_the_database_the_command_prepared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    import uvicorn  # noqa: PLC0415 -- patched for this test only

    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: ran.update(kwargs, target=target))
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["serve", "--demo", "--workers", "3", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert (ran["target"], ran["factory"], ran["workers"]) == ("zhijiao.cli.platform:served_app", True, 3)
    assert "use PostgreSQL in production" in result.output
    with unit_of_work(engine_for(url)) as session:
        assert session.scalar(select(func.count()).select_from(School))  # the demo, loaded once before the workers
    monkeypatch.setenv(DEMO_VARIABLE, "1")
    with TestClient(served_app(), base_url="http://testserver") as worker:  # what each worker builds
        assert worker.app.state.demo is True
        assert worker.get("/api/v1/plan").status_code == 200
    engine_for(url).dispose()


def test_one_worker_serves_the_app_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import uvicorn  # noqa: PLC0415

    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: ran.update(kwargs, target=target))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'one.sqlite3'}")
    assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    assert "workers" not in ran
    assert ran["target"].title.startswith("职教政策落实平台")
