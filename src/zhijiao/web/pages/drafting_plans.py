"""The plans under drafting (the 2023 plan's own record among them, read-only), a plan's page — versions by
stage, meetings and revision rounds, consultation rounds, statistics and the generated drafting explanation —
and its downloads: the 意见采纳情况表 as xlsx and PDF, the dispositions to work through offline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.drafting import cost_explanation, costs, meetings, queries, versions
from zhijiao.drafting.errors import Invalid
from zhijiao.drafting.report_pdf import adoption_pdf
from zhijiao.drafting.sheets_dispositions import adoption_workbook, export_dispositions
from zhijiao.drafting.stages import Disposition, Stage
from zhijiao.drafting.statistics import consultation_sentence, drafting_explanation, statistics
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.language import Lang, say
from zhijiao.web import charts
from zhijiao.web.pages.drafting_common import (
    NO_NUL,
    PDF,
    XLSX,
    Id,
    back,
    base,
    download,
    form_choice,
    form_date,
    ids,
    names,
)
from zhijiao.web.pages.drafting_outline import parse_outline
from zhijiao.web.templating import render

router = APIRouter()
Text = Annotated[str, Form(max_length=200, pattern=NO_NUL)]
RoundQuery = Annotated[int | None, Query(alias="round", ge=1, le=2**62)]


@router.get("/drafting")
def index(request: Request, db: Db, user: Principal = require(Permission.view_drafts)) -> Response:
    context = base(request, user) | {"plans": queries.plans(db), "today": versions.wenzhou_today()}
    return render(request, "drafting/index.html", context)


@router.post("/drafting/plans")
def create(
    db: Db,
    code: Annotated[str, Form(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")],
    title: Text,
    period: Annotated[str, Form(max_length=20, pattern=NO_NUL)],
    stage: Annotated[str, Form(max_length=20, pattern=NO_NUL)],
    outline: Annotated[str, Form(max_length=200_000, pattern=NO_NUL)],
    dated: Annotated[str, Form(max_length=10, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    if not title.strip() or not period.strip():
        raise Invalid("请填写方案名称和实施期。", "Give the plan's title and period.")
    chosen = form_choice(stage, Stage, ("阶段", "Stage"))
    texts = parse_outline(outline)
    plan = versions.create_plan(db, user, code=code.strip(), title=title.strip(), period=period.strip())
    first = versions.first_version(db, user, plan, chosen, texts, dated=form_date(dated, ("日期", "date")))
    return back(f"/drafting/versions/{first.id}", "plan")


# Each disposition in the colour the pages give its badge, so the chart reads like the table beside it.
DISPOSITION_COLOURS = {
    "adopted": "#15803d",
    "partially_adopted": "#1d4ed8",
    "not_adopted": "#b91c1c",
    "pending": "#b45309",
}


def _chart(by_disposition: dict[str, int], lang: Lang) -> dict[str, object]:
    shown = [(key, count) for key, count in by_disposition.items() if count]
    options = charts.pie("", {Disposition(key).label(lang): count for key, count in shown})
    series = options["series"][0]
    series["label"] = {"show": False}  # the table beside it gives the numbers; the box is narrow for labels
    for point, (key, _count) in zip(series["data"], shown, strict=True):
        point["itemStyle"] = {"color": DISPOSITION_COLOURS[key]}
    return options


@router.get("/drafting/{plan_id}")
def plan_page(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    plan_id: Id,
    user: Principal = require(Permission.view_drafts),
) -> Response:
    plan = versions.plan(db, plan_id)
    stats = statistics(db, plan_id)
    all_versions = queries.versions_of(db, plan_id)
    context = base(request, user) | {
        "plan": plan,
        "versions": all_versions,
        "by_id": {v.id: v for v in all_versions},
        "meetings": queries.meetings_of(db, plan_id),
        "rounds": queries.rounds_of(db, plan_id),
        "stats": stats,
        "sentence": consultation_sentence(stats) if stats.rounds else "",
        "explanation": drafting_explanation(db, plan_id),
        "cost_paragraph": cost_explanation.paragraph(db, policy, plan_id),
        "cost_paragraph_en": cost_explanation.paragraph(db, policy, plan_id, Lang.en) if lang is Lang.en else "",
        "version_costs": {} if plan.historical else costs.plan_totals(db, policy, plan_id),
        "disposition_chart": _chart(stats.by_disposition, lang),
        "today": versions.wenzhou_today(),
    }
    return render(request, "drafting/plan.html", context)


@router.post("/drafting/{plan_id}/meetings")
def record_meeting(
    db: Db,
    plan_id: Id,
    kind: Annotated[str, Form(max_length=20, pattern=NO_NUL)],
    held_on: Annotated[str, Form(max_length=10, pattern=NO_NUL)] = "",
    chair: Annotated[str, Form(max_length=100, pattern=NO_NUL)] = "",
    participants: Annotated[str, Form(max_length=10_000, pattern=NO_NUL)] = "",
    produced: Annotated[str, Form(max_length=20, pattern=NO_NUL)] = "",
    note: Annotated[str, Form(max_length=2_000, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    chosen = form_choice(kind, meetings.MeetingKind, ("会议类型", "Kind"))
    produced_id = ids([produced])[0] if produced.strip() else None
    meetings.record_meeting(db, user, plan_id, chosen, held_on=form_date(held_on, ("会议日期", "date")),
                            chair=chair, participants=names(participants), produced_version_id=produced_id,
                            note=note)  # fmt: skip
    return back(f"/drafting/{plan_id}", "meeting", "meetings")


def _stem(db: Db, plan_id: int, round_id: int | None, zh: str, en: str, lang: Lang) -> str:
    plan = versions.plan(db, plan_id)
    part = ""
    if round_id is not None:
        found = queries.consultation_round(db, round_id)
        if found.plan_id != plan_id:
            raise Invalid("该轮次不属于此方案。", "The round belongs to another plan.")
        part = say(lang, f"（第{found.number}轮）", f" (round {found.number})")
    return say(lang, f"{plan.period}{zh}{part}", f"{plan.code} {en}{part}")


@router.get("/drafting/{plan_id}/adoption.xlsx")
def adoption_xlsx(
    db: Db, lang: LangDep, plan_id: Id, round_id: RoundQuery = None, _: Principal = require(Permission.view_drafts)
) -> Response:
    stem = _stem(db, plan_id, round_id, "意见采纳情况表", "dispositions table", lang)
    return download(adoption_workbook(db, plan_id, round_id, lang), XLSX, f"{stem}.xlsx")


@router.get("/drafting/{plan_id}/adoption.pdf")
def adoption_pdf_file(
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    plan_id: Id,
    round_id: RoundQuery = None,
    _: Principal = require(Permission.view_drafts),
) -> Response:
    stem = _stem(db, plan_id, round_id, "起草说明及意见采纳情况表", "drafting explanation", lang)
    return download(adoption_pdf(db, plan_id, round_id, lang, policy=policy), PDF, f"{stem}.pdf")


@router.get("/drafting/{plan_id}/dispositions.xlsx")
def dispositions_xlsx(
    db: Db, lang: LangDep, plan_id: Id, round_id: RoundQuery = None, _: Principal = require(Permission.view_drafts)
) -> Response:
    stem = _stem(db, plan_id, round_id, "反馈意见处理", "dispositions", lang)
    return download(export_dispositions(db, plan_id, round_id, lang), XLSX, f"{stem}.xlsx")
