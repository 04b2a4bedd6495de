"""Import and export: the template of every table, each table as xlsx or CSV (a county officer's county
only), and the upload of a file, checked whole: the report of what changed, or every problem by row,
column and reason with nothing written. Uploads are limited in size and must be xlsx or UTF-8 CSV."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response

from zhijiao.accounts.roles import Permission
from zhijiao.accounts.service import Principal
from zhijiao.engine.errors import InputError, Problem
from zhijiao.language import Lang
from zhijiao.registry.importer import ImportReport
from zhijiao.registry.spec import TableSpec
from zhijiao.registry.tables import BY_NAME, TABLES
from zhijiao.registry.transfer import export_file, import_file, template_file
from zhijiao.web.deps import Db, LangDep, require
from zhijiao.web.errors import NotFound
from zhijiao.web.pages.registry_view import area_context, scope_label
from zhijiao.web.templating import render

router = APIRouter()

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # far above a county's yearly files (10⁵ rows of xlsx is about 4 MB)
CHUNK = 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"  # an xlsx file is a zip archive
MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}
Table = Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$")]


def _spec(table: str) -> TableSpec:
    spec = BY_NAME.get(table)
    if spec is None:
        raise NotFound("没有该登记表。", "There is no such registry table.")
    return spec


def _download(content: bytes, name: str, suffix: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}{suffix}"', "Cache-Control": "no-store"}
    return Response(content, media_type=MEDIA[suffix], headers=headers)


def _page(
    request: Request,
    db: Db,
    user: Principal,
    *,
    problems: list[str] | None = None,
    report: ImportReport | None = None,
    chosen: str = "",
    file_name: str = "",
    status: int = 200,
) -> Response:
    context = area_context(user) | {
        "tables": TABLES,
        "own": scope_label(db, user),
        "problems": problems or [],
        "report": report,
        "chosen": chosen,
        "file_name": file_name,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "registry/files.html", context, status_code=status)


@router.get("/registry/files")
def files(request: Request, db: Db, user: Principal = require(Permission.export_registry)) -> Response:
    return _page(request, db, user)


@router.get("/registry/files/{table}/template")
def template(table: Table, lang: LangDep, _: Principal = require(Permission.export_registry)) -> Response:
    spec = _spec(table)
    return _download(template_file(spec, lang.value), f"{spec.name}-template", ".xlsx")


@router.get("/registry/files/{table}/export")
def export(
    db: Db,
    lang: LangDep,
    table: Table,
    file_format: Annotated[str, Query(alias="format", pattern="^(xlsx|csv)$")] = "xlsx",
    user: Principal = require(Permission.export_registry),
) -> Response:
    spec = _spec(table)
    suffix = f".{file_format}"
    content, _count = export_file(db, user, spec, suffix, lang.value)
    return _download(content, spec.name, suffix)


def _saved(upload: UploadFile, folder: FilePath, lang: Lang) -> tuple[FilePath | None, str, int]:
    """The upload copied to ``folder`` under its own name, or a reason it is refused (and the status)."""
    name = FilePath("".join(c for c in (upload.filename or "") if c.isprintable()).replace("\\", "/")).name[-100:]
    suffix = FilePath(name).suffix.lower()
    zh = lang is Lang.zh
    if suffix not in MEDIA:
        return None, "仅支持 .xlsx 或 .csv 文件。" if zh else "Only .xlsx and .csv files can be imported.", 415
    path = folder / (name if FilePath(name).stem else f"upload{suffix}")
    size, binary, head = 0, False, b""
    with path.open("wb") as target:
        while chunk := upload.file.read(CHUNK):
            head = head or chunk[: len(XLSX_MAGIC)]
            size += len(chunk)
            binary = binary or b"\x00" in chunk  # text never holds NUL; PostgreSQL could not store it
            if size > MAX_UPLOAD_BYTES:
                limit = MAX_UPLOAD_BYTES // (1024 * 1024)
                return None, f"文件超过 {limit} MB。" if zh else f"The file is larger than {limit} MB.", 413
            target.write(chunk)
    if size == 0:
        return None, "文件为空。" if zh else "The file is empty.", 422
    if suffix == ".xlsx" and head != XLSX_MAGIC:
        return None, "该文件不是 xlsx 工作簿。" if zh else "The file is not an xlsx workbook.", 415
    if suffix == ".csv" and binary:
        return None, "该文件不是文本 CSV。" if zh else "The file is not a text CSV.", 415
    return path, "", 200


def _lines(problems: list[Problem], lang: Lang) -> list[str]:
    return [problem.message(lang.value) for problem in problems]


@router.post("/registry/files/import")
def upload(
    request: Request,
    db: Db,
    lang: LangDep,
    table: Annotated[str, Form(max_length=40)],
    file: Annotated[UploadFile, File()],
    user: Principal = require(Permission.import_registry),
) -> Response:
    spec = _spec(table)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + CHUNK:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        message = f"文件超过 {limit} MB。" if lang is Lang.zh else f"The file is larger than {limit} MB."
        return _page(request, db, user, problems=[message], chosen=table, status=413)
    folder = FilePath(tempfile.mkdtemp(prefix="zhijiao-import-"))
    try:
        path, refusal, status = _saved(file, folder, lang)
        name = path.name if path else (file.filename or "")
        if path is None:
            return _page(request, db, user, problems=[refusal], chosen=table, file_name=name, status=status)
        try:
            report = import_file(db, user, spec, path)
        except InputError as refused:
            return _page(
                request, db, user, problems=_lines(refused.problems, lang), chosen=table, file_name=name, status=422
            )
        return _page(request, db, user, report=report, chosen=table, file_name=name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
