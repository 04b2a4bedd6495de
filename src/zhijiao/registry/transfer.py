"""Files in and out of the registry for a signed-in user: the import of an uploaded file (all or nothing,
limited to a county officer's county exactly as ``zhijiao import --county`` is), its export (likewise
limited) and the blank templates. The work is ``importer.import_table``, ``exporter.export_table`` and
``exporter.write_template``; this module adds the user's scope, the savepoint and the audit record."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from zhijiao.audit import record
from zhijiao.authz import Principal
from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.editing import OBJECT_ID_LENGTH
from zhijiao.registry.exporter import export_table, write_template
from zhijiao.registry.importer import FileNotImported, ImportReport, import_table
from zhijiao.registry.spec import TableSpec


def _county(actor: Principal, spec: TableSpec) -> str | None:
    """The county an actor's files are limited to; a school or enterprise user has no county-wide files."""
    scope = actor.scope
    if scope.school_id is not None or scope.enterprise_id is not None:
        where = {"zh": spec.label["zh"], "en": spec.label["en"]}
        raise InputError([Problem(where, "", "您的账号不能导入或导出整表", "your account cannot move whole tables")])
    return scope.county_code


class PreviewOutdated(FileNotImported):
    """The registry changed between the preview a person confirmed and the import: nothing was written."""


def preview_file(session: Session, actor: Principal, spec: TableSpec, path: Path) -> ImportReport:
    """What importing ``path`` would change, with nothing written (a dry run); raises FileNotImported as the import
    would."""
    county = _county(actor, spec)
    savepoint = session.begin_nested()
    try:
        report = import_table(session, spec, path, county=county)
    finally:
        savepoint.rollback()
    report.dry_run = True
    return report


def import_file(
    session: Session, actor: Principal, spec: TableSpec, path: Path, *, confirmed: str | None = None
) -> ImportReport:
    """Imports ``path`` into ``spec``'s table; raises FileNotImported naming every problem, having written nothing
    (the savepoint is rolled back, so the caller's transaction goes on). ``confirmed``: the fingerprint of the
    preview the person accepted; if the import would now change anything else, it raises PreviewOutdated."""
    county = _county(actor, spec)
    with session.begin_nested():
        report = import_table(session, spec, path, county=county)
        if confirmed is not None and report.fingerprint != confirmed:
            where = {"zh": f"文件 {path.name}", "en": f"file {path.name}"}
            raise PreviewOutdated(
                [
                    Problem(
                        where,
                        "",
                        "登记库在预览之后已有变化，导入结果将与预览不同：请查看新的预览后再确认",
                        "the registry changed after the preview, so the import would differ from it: "
                        "review the new preview and confirm again",
                    )
                ]
            )
        record(session, actor, "registry.import", spec.name, path.name[:OBJECT_ID_LENGTH], after=report.summary())
    return report


def export_file(session: Session, actor: Principal, spec: TableSpec, suffix: str, lang: str) -> tuple[bytes, int]:
    """The table (the actor's county's rows for a county officer) as the bytes of an .xlsx or .csv file."""
    county = _county(actor, spec)
    with tempfile.TemporaryDirectory(prefix="zhijiao-export-") as folder:
        path = Path(folder) / f"{spec.name}{suffix}"
        count = export_table(session, spec, path, county=county, lang=lang)
        return path.read_bytes(), count


def template_file(spec: TableSpec, lang: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="zhijiao-template-") as folder:
        path = Path(folder) / f"{spec.name}.xlsx"
        write_template(spec, path, lang=lang)
        return path.read_bytes()
