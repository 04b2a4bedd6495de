"""The plan's official text on the pages: anyone reads it (with every earlier load, superseded); an official loads
it — pastes it or uploads a .txt or .docx, reviews it article by article beside what the drafting explanation
says, and confirms. The preview stores nothing; the confirmation sends the previewed text back with its digest,
so what is stored is exactly what was reviewed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from zhijiao.authz import Permission, Principal
from zhijiao.engine.explain_text import chinese_number
from zhijiao.engine.policy import Policy
from zhijiao.http.deps import Db, LangDep, PolicyDep, public, require
from zhijiao.language import Lang, say
from zhijiao.plan_text.reading import MAX_FILE_BYTES, MAX_TEXT_CHARS, SUFFIXES, TextRefused, read_file
from zhijiao.plan_text.review import Status
from zhijiao.plan_text.service import (
    DocumentFacts,
    OfficialText,
    SectionText,
    checked_facts,
    current,
    history,
    load,
    preview,
)
from zhijiao.refusals import Invalid, Refused
from zhijiao.web.pages import plan_format as fmt
from zhijiao.web.templating import render

router = APIRouter()
Field = Annotated[str, Form(max_length=300)]
STATUS_LABELS = {
    Status.same: fmt.N_("一致"),
    Status.differs: fmt.N_("标题不同"),
    Status.new: fmt.N_("起草说明未载，以正式文本为准"),
    Status.missing: fmt.N_("正式文本中没有"),
    Status.extra: fmt.N_("方案中没有这一条"),
}


def _facts_form(policy: Policy, **given: str) -> dict[str, str]:
    """The form's values: what the official typed, else the plan's own facts."""
    document = policy.metadata.get("document") or {}
    issued = document.get("issued")
    defaults = {
        "number": str(document.get("number") or ""),
        "title": str((document.get("title") or {}).get("zh") or ""),
        "issued": issued.isoformat() if isinstance(issued, dt.date) else "",
        "source": "",
    }
    return defaults | {key: value for key, value in given.items() if value}


def _facts(form: dict[str, str], file_name: str | None) -> DocumentFacts:
    try:
        issued = dt.date.fromisoformat(form.get("issued", ""))
    except ValueError:
        raise Invalid("请填写印发日期（年-月-日）。", "Give the date of issue (YYYY-MM-DD).") from None
    return checked_facts(DocumentFacts(form["number"], form["title"], issued, form["source"], file_name))


def _groups(official: OfficialText) -> list[tuple[SectionText | None, list[tuple[str, str, SectionText]]]]:
    """The text as it reads: each part followed by its articles; articles before any part first."""
    placed = [
        (fmt.article_key(a.number), f"第{chinese_number(a.number)}条", a) for a in official.articles
    ]  # the text's own words, in Chinese on either language's page
    groups: list[tuple[SectionText | None, list[tuple[str, str, SectionText]]]] = []
    loose = [item for item in placed if official.part(item[2].part_number or 0) is None]
    if loose:
        groups.append((None, loose))
    groups.extend((part, [item for item in placed if item[2].part_number == part.number]) for part in official.parts)
    return groups


@router.get("/plan/text")
def official_text(request: Request, db: Db, policy: PolicyDep, _: Principal | None = public()) -> Response:
    found = current(db, policy.name)
    context = {
        "official": found,
        "loads": history(db, policy.name),
        "document": policy.metadata.get("document") or {},
        "groups": _groups(found) if found else [],
        "part_names": {p.number: f"第{chinese_number(p.number)}部分" for p in found.parts} if found else {},
    }
    return render(request, "plan/text.html", context)


@router.get("/plan/text/load")
def load_form(request: Request, policy: PolicyDep, _: Principal = require(Permission.load_plan_text)) -> Response:
    context = {"form": _facts_form(policy), "error": None, "max_mb": MAX_FILE_BYTES // (1024 * 1024),
               "suffixes": " ".join(SUFFIXES)}  # fmt: skip
    return render(request, "plan/text_load.html", context)


def _uploaded(file: UploadFile | None) -> tuple[bytes, str] | None:
    if file is None or not file.filename:
        return None
    return file.file.read(MAX_FILE_BYTES + 1), file.filename


def _review_context(
    policy: Policy, lang: Lang, text: str, form: dict[str, str], file_name: str | None
) -> dict[str, Any]:
    return {
        "review": preview(policy, text),
        "form": form,
        "file_name": file_name or "",
        "status_labels": {status.value: fmt.translate(lang, label) for status, label in STATUS_LABELS.items()},
    }


@router.post("/plan/text/preview")
def preview_page(
    request: Request,
    policy: PolicyDep,
    lang: LangDep,
    number: Field = "",
    title: Field = "",
    issued: Annotated[str, Form(max_length=10)] = "",
    source: Field = "",
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    _: Principal = require(Permission.load_plan_text),
) -> Response:
    form = _facts_form(policy, number=number, title=title, issued=issued, source=source)
    try:
        upload = _uploaded(file)
        if upload is None and not text.strip():
            raise TextRefused(
                "请粘贴方案正文，或选择 .txt、.docx 文件。", "Paste the plan's text, or choose a .txt or .docx file."
            )
        if upload is not None:
            text = read_file(*upload)
        _facts(form, upload[1] if upload else None)
        context = _review_context(policy, lang, text, form, upload[1] if upload else None)
    except Refused as error:
        context = {"form": form, "error": say(lang, error.zh, error.en), "max_mb": MAX_FILE_BYTES // (1024 * 1024),
                   "suffixes": " ".join(SUFFIXES), "text": text if len(text) <= MAX_TEXT_CHARS else ""}  # fmt: skip
        return render(request, "plan/text_load.html", context, status_code=422)
    return render(request, "plan/text_preview.html", context)


@router.post("/plan/text/confirm")
def confirm(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    text: Annotated[str, Form()],
    digest: Annotated[str, Form(max_length=64)],
    number: Field = "",
    title: Field = "",
    issued: Annotated[str, Form(max_length=10)] = "",
    source: Field = "",
    file_name: Annotated[str, Form(max_length=200)] = "",
    user: Principal = require(Permission.load_plan_text),
) -> Response:
    form = _facts_form(policy, number=number, title=title, issued=issued, source=source)
    try:
        load(db, user, policy, text, _facts(form, file_name or None), digest)
    except Refused as error:  # nothing was written
        context = _review_context(policy, lang, text, form, file_name or None) | {
            "error": say(lang, error.zh, error.en)
        }
        return render(request, "plan/text_preview.html", context, status_code=422)
    return RedirectResponse("/plan/text?loaded=1", status_code=303)
