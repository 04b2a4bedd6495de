"""Import and export: the template of every table, each table as xlsx or CSV (a county officer's county
only), and the upload of a file in two steps. The upload is checked whole and previewed — per column the values
that would be added, changed, cleared or left, with the rows — or refused with every problem by row, column and
reason; nothing is written until the person confirms the preview, and the import then writes exactly what was
shown (or shows a new preview if the registry changed meanwhile). Uploads are limited in size: xlsx, xls or CSV."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.engine.errors import InputError, Problem
from zhijiao.http.deps import Db, LangDep, request_lang, require
from zhijiao.http.params import download
from zhijiao.language import Lang, say
from zhijiao.registry import queries
from zhijiao.registry.import_changes import ImportReport
from zhijiao.registry.sheets import FORMATS, MEDIA_TYPES
from zhijiao.registry.spec import TableSpec
from zhijiao.registry.tables import BY_NAME, TABLES, table_named
from zhijiao.registry.transfer import PreviewOutdated, export_file, import_file, preview_file, template_file
from zhijiao.registry.uploads import (
    CHUNK,
    MAX_UPLOAD_BYTES,
    UploadRefused,
    clean_name,
    discard,
    save_upload,
    stage,
    staged,
    too_large,
)
from zhijiao.web.pages.registry_view import area_context, column_label, display
from zhijiao.web.templating import render

router = APIRouter()

PREVIEW_SHOWN = 200  # changed rows a page lists; the counts cover every row
Table = Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$")]


def _page(
    request: Request,
    db: Db,
    user: Principal,
    *,
    problems: list[str] | None = None,
    report: ImportReport | None = None,
    token: str = "",
    chosen: str = "",
    file_name: str = "",
    notice: str = "",
    status: int = 200,
) -> Response:
    spec = BY_NAME.get(chosen)
    context = area_context(user) | {
        "tables": TABLES,
        "own": queries.scope_label(db, user.scope),
        "problems": problems or [],
        "report": report,
        "spec": spec,
        "shown_changes": report.changes[:PREVIEW_SHOWN] if report else [],
        "token": token,
        "chosen": chosen,
        "file_name": file_name,
        "notice": notice,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "accepted": ",".join(FORMATS),
        "column_label": lambda name: column_label(spec.column(name), request_lang(request)) if spec else name,
        "cell": lambda name, value: _cell(spec, name, value, request_lang(request)),
    }
    return render(request, "registry/files.html", context, status_code=status)


def _cell(spec: TableSpec | None, name: str, value: object, lang: Lang) -> str:
    if spec is None:
        return str(value)
    return display(spec.column(name), value, lang) if value is not None else say(lang, "（空）", "(blank)")


@router.get("/registry/files")
def files(request: Request, db: Db, user: Principal = require(Permission.export_registry)) -> Response:
    return _page(request, db, user)


@router.get("/registry/files/{table}/template")
def template(table: Table, lang: LangDep, _: Principal = require(Permission.export_registry)) -> Response:
    spec = table_named(table)
    return _file(template_file(spec, lang.value), f"{spec.name}-template", ".xlsx")


@router.get("/registry/files/{table}/export")
def export(
    db: Db,
    lang: LangDep,
    table: Table,
    file_format: Annotated[str, Query(alias="format", pattern="^(xlsx|csv)$")] = "xlsx",
    user: Principal = require(Permission.export_registry),
) -> Response:
    spec = table_named(table)
    suffix = f".{file_format}"
    content, _count = export_file(db, user, spec, suffix, lang.value)
    return _file(content, spec.name, suffix)


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
    """The first step: the file is checked whole and its preview shown; nothing is written."""
    spec = table_named(table)
    declared = request.headers.get("content-length", "")
    name = clean_name(file.filename or "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + CHUNK:
        refusal = too_large()
        return _page(request, db, user, problems=[say(lang, refusal.zh, refusal.en)], chosen=table, status=413)
    folder = FilePath(tempfile.mkdtemp(prefix="zhijiao-import-"))
    try:
        try:
            path = save_upload(file.file, file.filename or "", folder)
        except UploadRefused as refused:
            message = say(lang, refused.zh, refused.en)
            return _page(request, db, user, problems=[message], chosen=table, file_name=name, status=refused.status)
        try:
            report = preview_file(db, user, spec, path)
        except InputError as refused:
            return _page(
                request, db, user, problems=_lines(refused.problems, lang), chosen=table, file_name=name, status=422
            )
        token = stage(path, user_id=user.user_id, table=spec.name) if report.changed_rows else ""
        return _page(request, db, user, report=report, token=token, chosen=table, file_name=path.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.post("/registry/files/import/confirm")
def confirm(
    request: Request,
    db: Db,
    lang: LangDep,
    table: Annotated[str, Form(max_length=40)],
    token: Annotated[str, Form(max_length=64)],
    fingerprint: Annotated[str, Form(max_length=64)],
    user: Principal = require(Permission.import_registry),
) -> Response:
    """The second step: the confirmed preview is imported, exactly as shown."""
    spec = table_named(table)
    path = staged(token, user_id=user.user_id, table=spec.name)
    if path is None:
        message = say(
            lang,
            "待确认的文件已过期或不存在，请重新上传。",
            "The file waiting for confirmation has expired or does not exist: upload it again.",
        )
        return _page(request, db, user, problems=[message], chosen=table, status=410)
    try:
        report = import_file(db, user, spec, path, confirmed=fingerprint)
    except PreviewOutdated as outdated:
        try:
            report = preview_file(db, user, spec, path)
        except InputError as refused:
            discard(token)
            return _page(request, db, user, problems=_lines(refused.problems, lang), chosen=table,
                         file_name=path.name, status=422)  # fmt: skip
        notice = outdated.problems[0].message(lang.value)
        return _page(request, db, user, report=report, token=token, chosen=table, file_name=path.name,
                     notice=notice, status=409)  # fmt: skip
    except InputError as refused:
        discard(token)
        return _page(request, db, user, problems=_lines(refused.problems, lang), chosen=table,
                     file_name=path.name, status=422)  # fmt: skip
    discard(token)
    return _page(request, db, user, report=report, chosen=table, file_name=path.name)


@router.post("/registry/files/import/cancel")
def cancel(
    request: Request,
    db: Db,
    lang: LangDep,
    table: Annotated[str, Form(max_length=40)],
    token: Annotated[str, Form(max_length=64)],
    user: Principal = require(Permission.import_registry),
) -> Response:
    spec = table_named(table)
    if staged(token, user_id=user.user_id, table=spec.name) is not None:
        discard(token)
    notice = say(lang, "已取消，未导入任何数据。", "Cancelled: nothing was imported.")
    return _page(request, db, user, chosen=table, notice=notice)


def _file(content: bytes, name: str, suffix: str) -> Response:
    return download(content, MEDIA_TYPES[suffix], f"{name}{suffix}")
