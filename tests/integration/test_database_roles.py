"""In production the app's login owns no table (decision 0013): the owner migrates and grants, the app reads and
writes rows. On a real PostgreSQL, with a real owner role and a real app role: the app cannot switch the
append-only triggers off, is refused UPDATE and DELETE on the guarded tables by privilege, still runs the
platform (a payment released through the API), does not migrate a database behind head but says who must, and
``zhijiao db roles`` tells an operator which set-up they have."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, make_url, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Principal
from zhijiao.cli.main import app as cli
from zhijiao.cli.platform import create_app
from zhijiao.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from zhijiao.demo.payees import load_demo_payees
from zhijiao.demo.registry import generate
from zhijiao.drafting.history_2023 import load_2023
from zhijiao.fulfilment import applications, proactive, returns
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.models import Application, LedgerEntry
from zhijiao.fulfilment.returns import BankResult
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import OWNER_URL_VARIABLE, unit_of_work
from zhijiao.storage.migrate import alembic_config, current_revisions, ensure_schema, head_revisions, upgrade_as_owner
from zhijiao.storage.roles import append_only_tables

POSTGRES = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL")
INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE: permission denied, must be owner
GUARDED = {  # table: a column
    "ledger_entries": "amount_fen",
    "audit_records": "payload",
    "reviews": "amount_fen",
    "plan_texts": "body",  # the plan's official text: every load kept (migration 0011)
    "plan_text_sections": "body",
    "bank_returns": "reason",  # the bank's result for an instruction, never changed (migration 0013)
}
API = "/api/v1"
YEAR = 2024
COUNTY_CODE = "330381"  # 瑞安市, the demo county officer's county
SUBSIDY = "art07.integration_subsidy"
_numbers = itertools.count()
PASSWORD = "not-for-the-log"  # noqa: S105 -- a test URL's password, to check it is never printed
WIDE = {"COLUMNS": "400"}  # rich wraps at 80 columns when not at a terminal; a line per fact is easier to check
runner = CliRunner()


def _postgres() -> str:
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: run them through `make test`")
        pytest.skip("no PostgreSQL: run through `make test`")
    return POSTGRES


@dataclass
class Cluster:
    """Roles and databases made for one test (or module) on the throwaway server, dropped afterwards."""

    admin: Engine
    roles: list[str] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)

    def role(self, kind: str) -> str:
        name = f"zhijiao_{kind}_{os.getpid()}_{next(_numbers)}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        self.roles.append(name)
        return name

    def database(self, owner: str) -> str:
        """A database owned by ``owner``, whose public schema only its owner may create tables in (the default
        from PostgreSQL 15 on, made explicit for older servers)."""
        name = f"zhijiao_roles_{os.getpid()}_{next(_numbers)}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" OWNER "{owner}"'))
        self.databases.append(name)
        with self.engine(name, "postgres").connect() as connection:
            connection.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
            connection.commit()
        return name

    def url(self, database: str, role: str) -> str:
        return make_url(_postgres()).set(database=database, username=role).render_as_string(hide_password=False)

    def engine(self, database: str, role: str) -> Engine:
        engine = create_engine(self.url(database, role))
        self.engines.append(engine)
        return engine

    def drop(self) -> None:
        for engine in self.engines:
            engine.dispose()
        with self.admin.connect() as connection:
            for name in self.databases:  # FORCE: the commands' cached engines may still hold a connection
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for name in self.roles:
                connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        self.admin.dispose()


def _cluster() -> Iterator[Cluster]:
    admin = create_engine(make_url(_postgres()).set(database="postgres"), isolation_level="AUTOCOMMIT")
    made = Cluster(admin)
    try:
        yield made
    finally:
        made.drop()


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    yield from _cluster()


@dataclass(frozen=True)
class Deployment:
    """A database set up as in production: migrated and granted by its owner, the app a separate login."""

    owner: Engine
    app: Engine
    owner_url: str
    app_url: str


def _deploy(cluster: Cluster, revision: str = "head") -> Deployment:
    owner, app = cluster.role("owner"), cluster.role("app")
    database = cluster.database(owner)
    deployment = Deployment(
        cluster.engine(database, owner), cluster.engine(database, app), cluster.url(database, owner),
        cluster.url(database, app),
    )  # fmt: skip
    upgrade_as_owner(deployment.owner, deployment.app_url, revision)
    return deployment


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployment]:
    """The demo city, filled by the owner after it migrated and granted."""
    for cluster in _cluster():
        deployment = _deploy(cluster)
        with unit_of_work(deployment.owner) as session:
            generate(session)
            load_2023(session, load())
            create_demo_accounts(session)
        yield deployment


def _refusal(error: pytest.ExceptionInfo[DBAPIError]) -> str:
    return str(getattr(error.value.orig, "sqlstate", ""))


def _refused(engine: Engine, statement: str, **values: object) -> pytest.ExceptionInfo[DBAPIError]:
    with engine.connect() as connection, pytest.raises(DBAPIError) as error:
        connection.execute(text(statement), values)
    return error


# --- (a) the app cannot switch a guard off ----------------------------------------------------------------


def test_the_append_only_tables_are_the_ones_the_migrations_guard(deployed: Deployment):
    with deployed.app.connect() as connection:
        assert set(append_only_tables(connection)) == set(GUARDED)


@pytest.mark.parametrize("table", sorted(GUARDED))
def test_the_app_role_cannot_disable_the_triggers(deployed: Deployment, table: str):
    error = _refused(deployed.app, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert _refusal(error) == INSUFFICIENT_PRIVILEGE
    assert "must be owner" in str(error.value)


def test_the_app_role_cannot_turn_every_trigger_off_for_its_session(deployed: Deployment):
    # replica mode skips ordinary triggers; only a superuser (or a role granted it) may set it
    error = _refused(deployed.app, "SET session_replication_role = replica")
    assert _refusal(error) == INSUFFICIENT_PRIVILEGE


# --- (b) UPDATE and DELETE on the guarded tables are refused by privilege, before any trigger -------------------


@pytest.mark.parametrize(("table", "column"), sorted(GUARDED.items()))
def test_the_app_role_may_not_update_or_delete_a_guarded_table(deployed: Deployment, table: str, column: str):
    update = f"UPDATE {table} SET {column} = {column}"  # noqa: S608 -- names from the test's own list
    for statement in (update, f"DELETE FROM {table}", f"TRUNCATE {table}"):  # noqa: S608
        error = _refused(deployed.app, statement)
        assert _refusal(error) == INSUFFICIENT_PRIVILEGE, statement
        assert f"permission denied for table {table}" in str(error.value), statement


def test_the_app_role_reads_the_schema_version_but_cannot_move_it(deployed: Deployment):
    assert current_revisions(deployed.app) == head_revisions()
    error = _refused(deployed.app, "UPDATE alembic_version SET version_num = version_num")
    assert _refusal(error) == INSUFFICIENT_PRIVILEGE


# --- (c) the platform works as the app role ----------------------------------------------------------------


def _persona(session: Session, username: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return principal_of(user)


def _token(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(f"{API}/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _reviewed_award(engine: Engine) -> int:
    """A proactive Art. 7 award of the county officer's county, reviewed by it, through the services."""
    with unit_of_work(engine) as session:
        proactive.run(session, _persona(session, "admin"), load(), YEAR)
    with unit_of_work(engine) as session:
        award_id = session.scalar(
            select(Application.id)
            .where(Application.county_code == COUNTY_CODE, Application.entitlement == SUBSIDY)
            .order_by(Application.id)
        )
        assert award_id is not None
        applications.county_approve(session, _persona(session, "county"), load(), award_id)
        load_demo_payees(session)  # the payees' accounts, by two finance officers: as the app writes them
    return award_id


def _release_through_the_api(client: TestClient, award_id: int) -> int:
    admin, finance = _token(client, "admin"), _token(client, "finance")
    decided = client.post(f"{API}/applications/{award_id}/city_approve", headers=admin)
    assert decided.status_code == 200, decided.text
    amount = decided.json()["decision"]["amount_fen"]
    body = {"application_ids": [award_id], "declared_count": 1, "declared_total_fen": amount}
    batch = client.post(f"{API}/batches", json=body, headers=admin)
    assert batch.status_code == 201, batch.text
    release = client.post(f"{API}/batches/{batch.json()['id']}/release", headers=finance)
    assert release.status_code == 200, release.text
    assert release.json()["released"] is True
    return int(amount)


def test_the_platform_releases_a_payment_as_the_app_role(deployed: Deployment):
    award_id = _reviewed_award(deployed.app)
    with TestClient(create_app(deployed.app), base_url="http://testserver") as client:
        amount = _release_through_the_api(client, award_id)
    with unit_of_work(deployed.app) as session:  # the bank's file, applied as the app: results, ledger, states
        (sent,) = session.scalars(select(PaymentInstruction).where(PaymentInstruction.application_id == award_id))
        result = BankResult(2, sent.reference, "confirmed", dt.date(YEAR, 12, 20))
        returns.settle(session, _persona(session, "finance"), load(), [result], "0" * 64)
    with unit_of_work(deployed.app) as session:
        entries = session.scalars(select(LedgerEntry).where(LedgerEntry.application_id == award_id)).all()
        released = session.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.action == "application.release")
        )
    assert [(e.kind, e.amount_fen) for e in entries] == [("payment", amount)]
    assert released == 1
    # Not even the key: the app holds no UPDATE at all on the ledger (its writers wait on advisory locks).
    error = _refused(deployed.app, "UPDATE ledger_entries SET id = id WHERE id = :id", id=entries[0].id)
    assert "permission denied" in str(error.value)
    error = _refused(deployed.app, "UPDATE bank_returns SET reason = 'x' WHERE instruction_id = :id", id=sent.id)
    assert "permission denied" in str(error.value)  # nor on the bank's results


# --- (d) the app does not migrate a database behind head; it says who must ---------------------------------------


def _previous_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    (head,) = head_revisions()
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)
    return previous


def _says_run_the_owners_upgrade(message: str) -> None:
    assert "zhijiao db upgrade" in message
    assert OWNER_URL_VARIABLE in message
    assert message.index("数据库结构不是最新版本") < message.index("The database schema is not the newest")


@pytest.mark.parametrize("owner_url_set", [True, False], ids=["owner-url-set", "app-cannot-create-tables"])
def test_the_app_role_does_not_migrate_a_database_behind_head(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch, owner_url_set: bool
):
    previous = _previous_revision()
    deployment = _deploy(cluster, previous)
    monkeypatch.delenv(OWNER_URL_VARIABLE, raising=False)
    if owner_url_set:
        monkeypatch.setenv(OWNER_URL_VARIABLE, deployment.owner_url)
    with pytest.raises(SystemExit) as stopped:
        ensure_schema(deployment.app)
    assert isinstance(stopped.value.code, str)  # printed by Python on exit, with status 1
    _says_run_the_owners_upgrade(stopped.value.code)
    assert current_revisions(deployment.owner) == (previous,)


def _zhijiao(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "zhijiao"
    return subprocess.run([command, *arguments], env=env, capture_output=True, text=True, check=False)  # noqa: S603


def test_a_command_on_a_database_behind_head_ends_with_the_message_not_a_traceback(cluster: Cluster, tmp_path: Path):
    deployment = _deploy(cluster, _previous_revision())
    env = {k: v for k, v in os.environ.items() if k != OWNER_URL_VARIABLE} | {"DATABASE_URL": deployment.app_url}
    done = _zhijiao("export", "schools", "--out", str(tmp_path / "schools.csv"), env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    _says_run_the_owners_upgrade(done.stderr)
    assert not (tmp_path / "schools.csv").exists()

    # The server trusts local logins, so the password is ignored: here it only must not be printed.
    owner_url = make_url(deployment.owner_url).set(password=PASSWORD).render_as_string(hide_password=False)
    upgraded = _zhijiao("db", "upgrade", env=env | {OWNER_URL_VARIABLE: owner_url})
    assert upgraded.returncode == 0, upgraded.stderr
    assert "granted the app role" in upgraded.stdout or "已授权应用角色" in upgraded.stdout
    assert PASSWORD not in upgraded.stdout + upgraded.stderr
    assert _zhijiao("export", "schools", "--out", str(tmp_path / "schools.csv"), env=env).returncode == 0


# --- (e) zhijiao db roles: the operator's check after deployment --------------------------------------------


def _roles(database_url: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["db", "roles", "--lang", "en"], env=WIDE | {"DATABASE_URL": database_url})
    return result.exit_code, result.output


def test_db_roles_fails_when_the_app_owns_its_tables(cluster: Cluster):
    app = cluster.role("app")
    url = cluster.url(cluster.database(app), app)
    upgraded = runner.invoke(cli, ["db", "upgrade"], env={"DATABASE_URL": url, OWNER_URL_VARIABLE: None})
    assert upgraded.exit_code == 0, upgraded.output  # the zero-set-up default: the app's login migrates
    code, output = _roles(url)
    assert code == 1, output
    assert f"the app connects as: {app}" in output
    assert "ledger_entries" in output.split("tables the app owns:")[1].splitlines()[0]
    assert "could disable" in output


def test_db_roles_passes_once_the_owner_migrated_and_granted(cluster: Cluster):
    owner, app = cluster.role("owner"), cluster.role("app")
    database = cluster.database(owner)
    env: dict[str, str | None] = {
        "DATABASE_URL": cluster.url(database, app),
        OWNER_URL_VARIABLE: cluster.url(database, owner),
    }
    upgraded = runner.invoke(cli, ["db", "upgrade", "--lang", "en"], env=WIDE | env)
    assert upgraded.exit_code == 0, upgraded.output
    assert f"granted the app role {app}" in upgraded.output
    code, output = _roles(cluster.url(database, app))
    assert code == 0, output
    assert f"the app connects as: {app}" in output
    assert f"tables owned by (tables): {owner} (" in output
    assert "tables the app owns: none" in output

    # An extra grant (a hand-made one, or default privileges) shows; the next upgrade takes it back.
    with cluster.engine(database, owner).begin() as connection:
        connection.execute(text(f'GRANT ALL ON ledger_entries TO "{app}"'))
    assert "may update or delete the append-only tables ledger_entries" in _roles(cluster.url(database, app))[1]
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    code, output = _roles(cluster.url(database, app))
    assert (code, "may update or delete" in output) == (0, False)


def test_db_roles_fails_for_a_superuser_login(cluster: Cluster):
    owner, app = cluster.role("owner"), cluster.role("app")
    database = cluster.database(owner)
    upgrade_as_owner(cluster.engine(database, owner), cluster.url(database, app))
    code, output = _roles(cluster.url(database, "postgres"))
    assert code == 1, output
    assert "the app role is a superuser: yes" in output


def test_db_upgrade_refuses_an_app_role_that_is_the_owner(cluster: Cluster):
    owner = cluster.role("owner")
    database = cluster.database(owner)
    url = cluster.url(database, owner)
    env = WIDE | {"DATABASE_URL": url, OWNER_URL_VARIABLE: url}
    result = runner.invoke(cli, ["db", "upgrade", "--lang", "en"], env=env)
    assert result.exit_code == 2, result.output
    assert "must log in as different roles" in result.output
    assert current_revisions(cluster.engine(database, owner)) == ()  # refused before migrating anything
