"""Spreadsheets on a round's page: the replies template, replies imported from xlsx or CSV, dispositions
imported back. A file is checked whole: a refused file answers 422 with every problem by row, column and
reason on the round's page, and nothing is written."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.drafting import queries
from zhijiao.drafting.errors import Invalid
from zhijiao.drafting.sheets import import_replies, replies_template
from zhijiao.drafting.sheets_dispositions import import_dispositions
from zhijiao.engine.errors import InputError
from zhijiao.http.deps import Db, LangDep, require
from zhijiao.language import Lang, say
from zhijiao.web.pages.drafting_common import XLSX, Id, back, download
from zhijiao.web.pages.drafting_rounds import round_context
from zhijiao.web.templating import render

router = APIRouter()
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a round's replies are a few hundred rows
CHUNK = 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"  # an xlsx file is a zip archive
SUFFIXES = (".xlsx", ".csv")
Upload = Annotated[UploadFile, File()]


@router.get("/drafting/rounds/{round_id}/replies-template.xlsx")
def template(db: Db, lang: LangDep, round_id: Id, _: Principal = require(Permission.view_drafts)) -> Response:
    found = queries.consultation_round(db, round_id)
    name = say(lang, f"第{found.number}轮征求意见反馈表.xlsx", f"round-{found.number}-replies.xlsx")
    return download(replies_template(db, round_id, lang), XLSX, name)


def _saved(upload: UploadFile, folder: FilePath) -> FilePath:
    """The upload in ``folder`` under a safe name, or refused: not xlsx or CSV, too large, empty, not what it says."""
    name = FilePath((upload.filename or "").replace("\\", "/")).name
    suffix = FilePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise Invalid("仅支持 .xlsx 或 .csv 文件。", "Only .xlsx and .csv files can be imported.")
    stem = "".join(c for c in FilePath(name).stem if c.isalnum() or c in "-_（）()")[:80] or "upload"
    path = folder / f"{stem}{suffix}"
    size, head, binary = 0, b"", False
    with path.open("wb") as target:
        while chunk := upload.file.read(CHUNK):
            head, size = head or chunk[: len(XLSX_MAGIC)], size + len(chunk)
            binary = binary or b"\x00" in chunk
            if size > MAX_UPLOAD_BYTES:
                limit = MAX_UPLOAD_BYTES // (1024 * 1024)
                raise Invalid(f"文件超过 {limit} MB。", f"The file is larger than {limit} MB.")
            target.write(chunk)
    if size == 0:
        raise Invalid("文件为空。", "The file is empty.")
    if (suffix == ".xlsx" and head != XLSX_MAGIC) or (suffix == ".csv" and binary):
        raise Invalid("文件内容与扩展名不符。", "The file's content does not match its extension.")
    return path


def _refused(request: Request, db: Db, lang: Lang, round_id: int, user: Principal, error: InputError,
             which: str) -> Response:  # fmt: skip
    context = round_context(request, db, lang, round_id, user, error.messages(lang.value), which)
    return render(request, "drafting/round.html", context, status_code=422)


@router.post("/drafting/rounds/{round_id}/replies/import")
def replies_import(
    request: Request,
    db: Db,
    lang: LangDep,
    round_id: Id,
    file: Upload,
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    folder = FilePath(tempfile.mkdtemp(prefix="zhijiao-replies-"))
    try:
        path = _saved(file, folder)
        try:
            import_replies(db, user, round_id, path)
        except InputError as error:  # nothing was written: the service checks the whole file first
            return _refused(request, db, lang, round_id, user, error, "replies")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return back(f"/drafting/rounds/{round_id}", "import", "replies")


@router.post("/drafting/rounds/{round_id}/dispositions/import")
def dispositions_import(
    request: Request,
    db: Db,
    lang: LangDep,
    round_id: Id,
    file: Upload,
    user: Principal = require(Permission.propose_disposition),
) -> Response:
    found = queries.consultation_round(db, round_id)
    folder = FilePath(tempfile.mkdtemp(prefix="zhijiao-dispositions-"))
    try:
        path = _saved(file, folder)
        try:
            import_dispositions(db, user, found.plan_id, path, round_id)
        except InputError as error:  # rolled back to before the file: nothing was written
            return _refused(request, db, lang, round_id, user, error, "dispositions")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return back(f"/drafting/rounds/{round_id}", "dispositions", "items")
