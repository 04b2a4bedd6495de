"""Database roles in production (decision 0013): one role owns the tables and migrates them, the app's login
only reads and writes rows. Only a table's owner (or a superuser) can ``ALTER TABLE … DISABLE TRIGGER``, so
an app that owns nothing cannot switch off the triggers that keep the ledger, the audit trail and the reviews
append-only. PostgreSQL only: SQLite has no roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, make_url, text

from zhijiao.refusals import Invalid

# Migration 0003's trigger function, which refuses whatever change it guards. The tables it guards are the
# append-only tables: the single list is the database's own triggers, so a later migration that guards a new
# table with it is granted correctly without a second list to keep in step.
REFUSE_CHANGE = "zhijiao_refuse_change"
MIGRATION_TABLE = "alembic_version"  # the app reads which revision the schema is at; only the owner writes it

ORDINARY = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY = "SELECT, INSERT"
READ_ONLY = "SELECT"
SEQUENCES = "USAGE, SELECT"  # nextval() for the serial keys, nothing more (no setval)
TABLE_KINDS = ("r", "p")  # pg_class.relkind: ordinary and partitioned tables
SEQUENCE_KINDS = ("S",)


class RoleSetupError(Invalid):
    """A set-up the grants cannot be made for, in the operator's two languages."""


@dataclass(frozen=True)
class Grants:
    app_role: str
    ordinary: list[str]
    append_only: list[str]
    sequences: int


@dataclass
class RoleReport:
    """Who owns the tables, who the app is, and whether the app could switch a guard off."""

    app_role: str
    superuser: bool
    owners: dict[str, list[str]] = field(default_factory=dict)
    app_owns: list[str] = field(default_factory=list)  # tables the app owns, or whose owner it can become
    append_only: list[str] = field(default_factory=list)
    append_only_changeable: list[str] = field(default_factory=list)  # table-wide UPDATE, DELETE or TRUNCATE

    @property
    def could_disable_triggers(self) -> bool:
        return self.superuser or bool(self.app_owns)


def app_role_of(url: str) -> str:
    """The role the app logs in as: the user of its database URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise RoleSetupError(
            "设置了 ZHIJIAO_OWNER_DATABASE_URL 时，DATABASE_URL 必须是 PostgreSQL 数据库",
            "with ZHIJIAO_OWNER_DATABASE_URL set, DATABASE_URL must be a PostgreSQL database",
        )
    if not parsed.username:
        raise RoleSetupError("DATABASE_URL 中未写明用户名（应用角色）", "DATABASE_URL names no user (the app's role)")
    return parsed.username


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _schema(connection: Connection) -> str:
    schema = connection.scalar(text("SELECT current_schema()"))
    if not schema:
        raise RoleSetupError("search_path 中没有可用的模式", "the search_path names no usable schema")
    return str(schema)


def append_only_tables(connection: Connection) -> list[str]:
    """The tables of the current schema a migration guarded with the refusing trigger."""
    query = text(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE p.proname = :function AND c.relnamespace = to_regnamespace(current_schema()) ORDER BY c.relname"
    )
    return list(connection.scalars(query, {"function": REFUSE_CHANGE}))


def _owned(connection: Connection, kinds: tuple[str, ...]) -> list[str]:
    """The relations of the current schema the connected role owns: the ones it may grant on."""
    query = text(
        "SELECT relname FROM pg_class WHERE relnamespace = to_regnamespace(current_schema()) "
        "AND relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) "
        "AND relkind = ANY(:kinds) ORDER BY relname"
    )
    return list(connection.scalars(query, {"kinds": list(kinds)}))


def check_roles(connection: Connection, app_role: str) -> None:
    """Refuses a set-up where granting makes no sense: an app role that does not exist, or is the owner."""
    if connection.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = :role"), {"role": app_role}) == 0:
        raise RoleSetupError(f"应用角色 {app_role} 不存在", f"the app role {app_role} does not exist")
    if connection.scalar(text("SELECT current_user")) == app_role:
        raise RoleSetupError(
            f"应用角色 {app_role} 就是表的所有者：DATABASE_URL 与 ZHIJIAO_OWNER_DATABASE_URL 须使用不同的角色",
            f"the app role {app_role} is the tables' owner: DATABASE_URL and ZHIJIAO_OWNER_DATABASE_URL "
            "must log in as different roles",
        )


def _grant(connection: Connection, privileges: str, relation: str, role: str) -> None:
    # Revoked first, so the app holds exactly this, whatever an earlier grant or default privilege gave it.
    connection.execute(text(f"REVOKE ALL ON {relation} FROM {role}"))
    connection.execute(text(f"GRANT {privileges} ON {relation} TO {role}"))


def _table_privileges(table: str, guarded: set[str]) -> str:
    if table == MIGRATION_TABLE:
        return READ_ONLY
    if table in guarded:
        return APPEND_ONLY  # writers wait on advisory locks (storage.locks), not row locks that need UPDATE
    return ORDINARY


def grant_app_role(connection: Connection, app_role: str) -> Grants:
    """Grants the app role what it needs on the tables the connected owner owns, and nothing more. Run after
    every upgrade: default privileges would give a new append-only table the ordinary grant."""
    check_roles(connection, app_role)
    schema, role = _quote(connection, _schema(connection)), _quote(connection, app_role)
    guarded = set(append_only_tables(connection))
    connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {role}"))
    tables = _owned(connection, TABLE_KINDS)
    for table in tables:
        privileges = _table_privileges(table, guarded)
        _grant(connection, privileges, f"TABLE {schema}.{_quote(connection, table)}", role)
    sequences = _owned(connection, SEQUENCE_KINDS)
    for sequence in sequences:
        _grant(connection, SEQUENCES, f"SEQUENCE {schema}.{_quote(connection, sequence)}", role)
    ordinary = [t for t in tables if t not in guarded and t != MIGRATION_TABLE]
    return Grants(app_role, ordinary, sorted(guarded & set(tables)), len(sequences))


def app_can_migrate(engine: Engine) -> bool:
    """Whether the app's own login may run the migrations: it may create tables in its schema and owns (or can
    become the owner of) the tables already there. Always on SQLite, which has no roles."""
    if engine.dialect.name != "postgresql":
        return True
    query = text(
        "SELECT coalesce(has_schema_privilege(current_schema(), 'CREATE'), false) AS may_create, "
        "(SELECT pg_has_role(relowner, 'MEMBER') FROM pg_class "
        " WHERE relnamespace = to_regnamespace(current_schema()) AND relname = :migrations) AS owns"
    )
    with engine.connect() as connection:
        row = connection.execute(query, {"migrations": MIGRATION_TABLE}).one()
    return bool(row.may_create) and row.owns is not False  # no migration table yet: nothing to own


def role_report(engine: Engine) -> RoleReport | None:
    """The check an operator runs after deployment, as the app's own login; None on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    tables = text(
        "SELECT relname, pg_get_userbyid(relowner) AS owner, pg_has_role(relowner, 'MEMBER') AS app_owns, "
        "has_table_privilege(oid, 'UPDATE, DELETE, TRUNCATE') AS changeable "
        "FROM pg_class WHERE relnamespace = to_regnamespace(current_schema()) AND relkind = ANY(:kinds) "
        "ORDER BY relname"
    )
    with engine.connect() as connection:
        me = connection.execute(text("SELECT rolname, rolsuper FROM pg_roles WHERE rolname = current_user")).one()
        report = RoleReport(app_role=me.rolname, superuser=me.rolsuper)
        report.append_only = append_only_tables(connection)
        for row in connection.execute(tables, {"kinds": list(TABLE_KINDS)}):
            report.owners.setdefault(row.owner, []).append(row.relname)
            if row.app_owns:
                report.app_owns.append(row.relname)
            if row.relname in report.append_only and row.changeable:
                report.append_only_changeable.append(row.relname)
    return report
