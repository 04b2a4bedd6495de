"""Registry commands: ``zhijiao db upgrade``, ``db roles``, ``tables``, ``import``, ``export``, ``template``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import make_url

from zhijiao import audit
from zhijiao.cli.common import LangOption, err, user_errors
from zhijiao.engine.errors import InputError, Problem
from zhijiao.language import Lang, say
from zhijiao.registry.counties import resolve_county
from zhijiao.registry.exporter import export_table, write_template
from zhijiao.registry.import_changes import ImportReport
from zhijiao.registry.importer import import_table
from zhijiao.registry.spec import TableSpec
from zhijiao.registry.tables import BY_NAME, TABLES
from zhijiao.registry.values import as_text
from zhijiao.storage.database import database_url, engine_for, get_engine, owner_database_url, unit_of_work
from zhijiao.storage.migrate import ensure_schema, upgrade_as_owner
from zhijiao.storage.roles import Grants, RoleReport, RoleSetupError, role_report

out = Console()
db_app = typer.Typer(help="数据库 / the database", no_args_is_help=True)

CountyOption = Annotated[str | None, typer.Option(help="仅限本县（市、区）/ limit to one county")]


def _shown(url: str) -> str:
    """A database URL as printed: never its password, which would stay in a terminal's or a job's log."""
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def _role_errors(lang: Lang) -> Iterator[None]:
    try:
        yield
    except RoleSetupError as error:
        err.print(say(lang, f"[bold red]无法授权：[/]{error.zh}", f"[bold red]Cannot grant:[/] {error.en}"))
        raise typer.Exit(2) from None


@db_app.command("upgrade")
def db_upgrade(lang: LangOption = Lang.zh) -> None:
    """迁移到最新结构；设置了 ZHIJIAO_OWNER_DATABASE_URL 时以表的所有者迁移，并授予应用角色所需权限 / migrate the
    database to the newest schema; with ZHIJIAO_OWNER_DATABASE_URL set, as the tables' owner, then grant the app's
    role (DATABASE_URL) what it needs."""
    owner_url = owner_database_url()
    if owner_url is None:  # the app's own login migrates, or says who must
        ensure_schema()
        url = _shown(database_url())
        out.print(say(lang, f"数据库已是最新结构：{url}", f"database at the newest schema: {url}"))
        return
    with _role_errors(lang):
        grants = upgrade_as_owner(engine_for(owner_url), database_url())
    url = _shown(owner_url)
    out.print(say(lang, f"已以表的所有者迁移到最新结构：{url}", f"migrated to the newest schema as the owner: {url}"))
    _print_grants(grants, lang)


def _print_grants(grants: Grants, lang: Lang) -> None:
    role, ordinary, guarded = grants.app_role, len(grants.ordinary), ", ".join(grants.append_only)
    out.print(
        say(
            lang,
            f"已授权应用角色 {role}：{ordinary} 张表可查询、新增、修改、删除；"
            f"只追加的表（{guarded}）只能查询、新增和锁定行；{grants.sequences} 个序列可取号",
            f"granted the app role {role}: read and write on {ordinary} tables; read, insert and lock rows only on "
            f"the append-only tables ({guarded}); {grants.sequences} sequences",
        )
    )


@db_app.command("roles")
def db_roles(lang: LangOption = Lang.zh) -> None:
    """检查应用角色能否停用触发器（部署后运行；能则退出码为1）/ check, as the app's login, who owns the tables and
    whether the app could disable a trigger (run after deployment; exit code 1 if it could)."""
    report = role_report(get_engine())
    if report is None:
        out.print(say(lang, "SQLite 没有数据库角色，无需检查", "SQLite has no database roles: nothing to check"))
        return
    _print_roles(report, lang)
    if not report.owners:  # an empty schema passes no check: the deployment is not finished
        failed = say(lang, "尚无数据表：请先运行 zhijiao db upgrade", "No tables yet: run zhijiao db upgrade first")
    elif report.could_disable_triggers:
        failed = say(lang, "应用角色可以停用只追加表的触发器", "The app role could disable the append-only triggers")
    else:
        out.print(
            say(lang, "应用角色不拥有任何表，无法停用触发器", "The app role owns no table: it cannot disable a trigger")
        )
        return
    out.print(f"[bold red]{failed}[/]")
    raise typer.Exit(1)


def _names(tables: list[str], lang: Lang) -> str:
    return ", ".join(tables) if tables else say(lang, "无", "none")


def _print_roles(report: RoleReport, lang: Lang) -> None:
    owners = "; ".join(f"{owner} ({len(tables)})" for owner, tables in sorted(report.owners.items()))
    superuser = say(lang, "是", "yes") if report.superuser else say(lang, "否", "no")
    lines = [
        (f"应用连接的角色：{report.app_role}", f"the app connects as: {report.app_role}"),
        (f"表的所有者（表数）：{owners or '无'}", f"tables owned by (tables): {owners or 'none'}"),
        (f"应用角色是超级用户：{superuser}", f"the app role is a superuser: {superuser}"),
        (f"应用角色拥有的表：{_names(report.app_owns, lang)}", f"tables the app owns: {_names(report.app_owns, lang)}"),
        (f"只追加的表：{_names(report.append_only, lang)}", f"append-only tables: {_names(report.append_only, lang)}"),
    ]
    if report.append_only_changeable:  # still guarded by the triggers, but by one refusal instead of two
        changeable = ", ".join(report.append_only_changeable)
        zh = f"注意：应用角色可修改或删除只追加的表 {changeable}（仅由触发器拦截）；请运行 zhijiao db upgrade 重新授权"
        en = (
            f"note: the app role may update or delete the append-only tables {changeable} (only the trigger "
            "refuses); run zhijiao db upgrade to grant again"
        )
        lines.append((zh, en))
    for zh, en in lines:
        out.print(say(lang, zh, en), markup=False)


def _spec(name: str, lang: Lang) -> TableSpec:
    spec = BY_NAME.get(name)
    if spec is None:
        where = {"zh": "表", "en": "table"}
        known = ", ".join(BY_NAME)
        with user_errors(lang):
            raise InputError([Problem(where, name, f"未知的表（可用：{known}）", f"unknown table (known: {known})")])
    assert spec is not None  # noqa: S101 -- user_errors exits above
    return spec


def tables(lang: LangOption = Lang.zh) -> None:
    """列出可导入导出的表 / list the tables that import and export."""
    table = Table(title=say(lang, "登记表", "Registry tables"))
    table.add_column(say(lang, "表", "table"), no_wrap=True)
    for zh, en in (("名称", "name"), ("主键", "key"), ("列", "columns")):
        table.add_column(say(lang, zh, en))
    for spec in TABLES:
        columns = ", ".join(c.zh if lang is Lang.zh else c.name for c in spec.columns)
        table.add_row(spec.name, spec.label[lang.value], " + ".join(spec.key), columns)
    out.print(table)


SHOWN_VALUES = 30  # changed values the terminal lists; the counts cover every row


def import_(
    table: Annotated[str, typer.Argument(help="表名 / table")],
    file: Annotated[Path, typer.Argument(help=".xlsx、.xls 或 .csv / .xlsx, .xls or .csv")],
    county: CountyOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只预览将要发生的变化，不写入 / preview, write nothing")
    ] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """导入（全部校验通过才写入；文件中没有的列保持不变）/ import a file: all rows valid or nothing written; columns
    the file lacks are left as they are."""
    spec = _spec(table, lang)
    engine = ensure_schema()
    with (
        user_errors(lang),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err.console,
        ) as progress,
    ):
        task = progress.add_task(say(lang, f"导入 {spec.label['zh']}", f"importing {spec.name}"), total=None)
        with unit_of_work(engine) as session:
            report = import_table(
                session, spec, file, county=county, progress=lambda n: progress.update(task, completed=n)
            )
            if dry_run:
                report.dry_run = True
                session.rollback()
            else:
                # From the command line the actor is the system: whoever ran it had the database's credentials.
                audit.record(session, None, "registry.import", spec.name, file.name[:60],
                             after=report.summary() | {"county": county, "via": "cli"})  # fmt: skip
    _print_report(spec, report, lang)


def _print_report(spec: TableSpec, report: ImportReport, lang: Lang) -> None:
    zh = lang is Lang.zh
    heading = (
        say(lang, "预览（未写入）", "Preview (nothing written)") if report.dry_run else say(lang, "已导入", "Imported")
    )
    out.print(
        f"{heading} {spec.label['zh'] if zh else spec.name}："
        + say(
            lang,
            f"共{report.rows}行，新增{report.inserted}行，修改{report.updated}行，未变{report.unchanged}行",
            f" {report.rows} rows: {report.inserted} inserted, {report.updated} updated, {report.unchanged} unchanged",
        )
    )
    if report.untouched:
        names = "、".join(spec.column(n).zh for n in report.untouched) if zh else ", ".join(report.untouched)
        out.print(
            say(
                lang, f"文件中没有、保持不变的列：{names}", f"columns the file does not have, left as they are: {names}"
            )
        )
    counts = Table(title=say(lang, "各列变化", "Changes by column"))
    for title in (("列", "column"), ("新增", "added"), ("修改", "changed"), ("清空", "cleared"), ("未变", "unchanged")):
        counts.add_column(title[0] if zh else title[1], justify="left" if title[1] == "column" else "right")
    for name, column in report.counts.items():
        label = spec.column(name).zh if zh else name
        counts.add_row(label, *(f"{n:,}" for n in (column.added, column.changed, column.cleared, column.unchanged)))
    out.print(counts)
    if report.changes:
        _print_changes(spec, report, lang)


def _print_changes(spec: TableSpec, report: ImportReport, lang: Lang) -> None:
    zh = lang is Lang.zh
    rows = Table(title=say(lang, "变化的值", "Values that change"))
    for zh_title, en_title in (
        ("行", "row"),
        ("记录", "record"),
        ("列", "column"),
        ("原值", "before"),
        ("新值", "after"),
    ):
        rows.add_column(zh_title if zh else en_title)
    shown = 0
    for change in report.changes:
        for cell in change.cells:
            if shown == SHOWN_VALUES:
                break
            column = spec.column(cell.column)
            rows.add_row(
                str(change.number),
                change.key + (say(lang, "（新增）", " (new)") if change.action == "insert" else ""),
                column.zh if zh else column.name,
                as_text(column, cell.before, lang.value),
                as_text(column, cell.after, lang.value),
            )
            shown += 1
    out.print(rows)
    total = sum(c.touched for c in report.counts.values())
    if total > shown:
        out.print(say(lang, f"另有{total - shown}个值的变化未列出", f"{total - shown} more changed values not listed"))


def export(
    table: Annotated[str, typer.Argument(help="表名 / table")],
    out_path: Annotated[Path, typer.Option("--out", help=".xlsx 或 .csv / .xlsx or .csv")],
    county: CountyOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """导出为 xlsx 或 CSV / export a table as xlsx or CSV."""
    spec = _spec(table, lang)
    engine = ensure_schema()
    with user_errors(lang), unit_of_work(engine) as session:
        code = resolve_county(session, county) if county else None
        count = export_table(session, spec, out_path, county=code, lang=lang.value)
    out.print(say(lang, f"已导出 {count} 行到 {out_path}", f"exported {count} rows to {out_path}"))


def template(
    table: Annotated[str, typer.Argument(help="表名 / table")],
    out_path: Annotated[Path, typer.Option("--out", help=".xlsx 或 .csv / .xlsx or .csv")],
    lang: LangOption = Lang.zh,
) -> None:
    """下载导入模板 / write the import template of a table."""
    spec = _spec(table, lang)
    with user_errors(lang):
        write_template(spec, out_path, lang=lang.value)
    out.print(say(lang, f"模板已写入 {out_path}", f"template written to {out_path}"))


def demo(
    scale: Annotated[int, typer.Option(min=1, help="倍数 / how many times the city")] = 1,
    lang: LangOption = Lang.zh,
) -> None:
    """填充演示数据（温州，2023—2026年）/ fill the database with the demo dataset."""
    from zhijiao.demo.registry import generate  # noqa: PLC0415 -- the generator's name lists load only here

    engine = ensure_schema()
    with user_errors(lang), unit_of_work(engine) as session:
        summary = generate(session, scale=scale)
    table = Table(title=say(lang, f"演示数据（×{scale}）：{database_url()}", f"Demo data (×{scale}): {database_url()}"))
    table.add_column(say(lang, "表", "table"), no_wrap=True)
    table.add_column(say(lang, "行数", "rows"), justify="right")
    for name, rows in summary.as_dict().items():
        label = BY_NAME[name].label[lang.value] if name in BY_NAME else name
        table.add_row(label, f"{rows:,}")
    out.print(table)
