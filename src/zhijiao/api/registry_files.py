"""Registry files over the API: a table's template and export, and the import of a file.

``POST /registry/files/{table}/import?dry_run=true`` answers what the import would change (per column the values
added, changed, cleared and left, the changed rows, a fingerprint) and writes nothing; without ``dry_run`` the file
is imported. ``confirm=<fingerprint>`` makes the import conditional on the preview: if the registry changed since,
the answer is 409 and nothing is written. A refused file is a problem document listing every problem by row, column
and reason.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, UploadFile
from fastapi.responses import Response

from zhijiao.api.responses import CalcJSON, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.engine.errors import InputError
from zhijiao.http.deps import Db, LangDep, require
from zhijiao.http.errors import AppError
from zhijiao.http.params import download
from zhijiao.registry.import_changes import ImportReport
from zhijiao.registry.sheets import MEDIA_TYPES
from zhijiao.registry.tables import table_named
from zhijiao.registry.transfer import PreviewOutdated, export_file, import_file, preview_file, template_file
from zhijiao.registry.uploads import UploadRefused, save_upload

router = APIRouter(prefix="/registry/files", tags=["registry files"])
TableName = Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$", description="a registry table, e.g. schools")]
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPES[".xlsx"]: {}, MEDIA_TYPES[".csv"]: {}}, "description": "the file"}
}


class FileRefused(AppError):
    status = 422
    code = "file_not_imported"


class PreviewChanged(AppError):
    status = 409
    code = "preview_outdated"


class UploadNotAccepted(AppError):
    code = "upload_refused"

    def __init__(self, refusal: UploadRefused) -> None:
        super().__init__(refusal.zh, refusal.en)
        self.status = refusal.status


@router.get(
    "/{table}/template",
    summary="A table's import template (xlsx: text-formatted code columns, drop-downs, a guide sheet)",
    response_class=Response,
    responses=FILE_RESPONSES | problem_responses(401, 403, 404, 422),
)
def template(table: TableName, lang: LangDep, _: Principal = require(Permission.export_registry)) -> Response:
    spec = table_named(table)
    return _file(template_file(spec, lang.value), f"{spec.name}-template", ".xlsx")


@router.get(
    "/{table}/export",
    summary="A table as xlsx or CSV, with labels in the request's language (a county officer: its county's rows)",
    response_class=Response,
    responses=FILE_RESPONSES | problem_responses(401, 403, 404, 422),
)
def export(
    table: TableName,
    db: Db,
    lang: LangDep,
    file_format: Annotated[str, Query(alias="format", pattern="^(xlsx|csv)$")] = "xlsx",
    user: Principal = require(Permission.export_registry),
) -> Response:
    spec = table_named(table)
    content, _count = export_file(db, user, spec, f".{file_format}", lang.value)
    return _file(content, spec.name, f".{file_format}")


def _report(report: ImportReport) -> dict[str, object]:
    changes = [
        {
            "row": change.number,
            "key": change.key,
            "action": change.action,
            "cells": [{"column": c.column, "before": c.before, "after": c.after} for c in change.cells],
        }
        for change in report.changes
    ]
    return report.summary() | {"changes": changes, "changes_listed": len(changes)}


@router.post(
    "/{table}/import",
    summary="Import an xlsx, xls or CSV file (all or nothing); dry_run=true previews it and writes nothing",
    response_class=CalcJSON,
    responses=problem_responses(401, 403, 404, 409, 413, 415, 422),
)
def import_(
    table: TableName,
    db: Db,
    file: Annotated[UploadFile, File(description=".xlsx, .xls or .csv; Chinese or English headers")],
    dry_run: Annotated[bool, Query(description="preview only: nothing is written")] = False,
    confirm: Annotated[
        str | None,
        Query(
            pattern="^[0-9a-f]{64}$", description="the fingerprint of a dry run: import only if nothing else changes"
        ),
    ] = None,
    user: Principal = require(Permission.import_registry),
) -> dict[str, object]:
    spec = table_named(table)
    folder = FilePath(tempfile.mkdtemp(prefix="zhijiao-import-"))
    try:
        try:
            path = save_upload(file.file, file.filename or "", folder)
        except UploadRefused as refusal:
            raise UploadNotAccepted(refusal) from None
        try:
            if dry_run:
                return _report(preview_file(db, user, spec, path))
            return _report(import_file(db, user, spec, path, confirmed=confirm))
        except PreviewOutdated as outdated:
            raise PreviewChanged(
                "登记库在预览之后已有变化，未导入。", "The registry changed after the preview; nothing was imported.",
                outdated.problems,
            ) from None  # fmt: skip
        except InputError as refused:
            raise FileRefused(
                "文件未导入，未写入任何数据。", "File not imported; nothing was written.", refused.problems
            ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _file(content: bytes, name: str, suffix: str) -> Response:
    return download(content, MEDIA_TYPES[suffix], f"{name}{suffix}")
