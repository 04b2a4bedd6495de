"""Dispositions as spreadsheets: exported with every item (the file officials work through offline), imported
back — only the disposition, its reason and the change are read, each row through the same rule as the page
(``dispositions.propose``), the whole file or nothing — and the 意见采纳情况表, the per-item table of the
drafting explanation, whose rows the PDF shares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, require
from zhijiao.drafting import dispositions
from zhijiao.drafting.errors import Invalid, Refused
from zhijiao.drafting.queries import ItemView, consultation_round, items
from zhijiao.drafting.sheets import WRAP, Column, Problems, read_table, saved, sheet
from zhijiao.drafting.stages import UNIT_KIND_LABELS, Disposition, UnitKind
from zhijiao.drafting.statistics import UNKNOWN_ARTICLE, UNKNOWN_UNIT, WHOLE_TEXT, consultation_sentence, statistics
from zhijiao.drafting.versions import check_not_historical, plan
from zhijiao.language import Lang, say

UNKNOWN_TEXT = ("（原始记录未载明）", "(not in the record)")

DISPOSITION_COLUMNS = (
    Column("id", "编号", "No.", required=True, width=8),
    Column("round", "轮次", "Round", width=6),
    Column("unit", "单位", "Unit", width=24),
    Column("unit_kind", "单位类型", "Unit type", width=14),
    Column("article", "原稿条款", "Article (version sent)", width=18),
    Column("article_now", "现稿条款", "Article (latest version)", width=18),
    Column("text", "意见内容", "Comment", width=60),
    Column("disposition", "处理意见", "Disposition", required=True, width=12),
    Column("reason", "理由", "Reason", width=40),
    Column("change", "修改情况", "Change made", width=40),
    Column("proposed_by", "提出人", "Proposed by", width=12),
    Column("confirmed_by", "确认人", "Confirmed by", width=12),
)


def _label(view: ItemView, lang: Lang, *, now: bool) -> str:
    article = view.carried_to if now else view.written_on
    if article is not None:
        return say(lang, f"第{article.number}条 {article.title}", f"Art. {article.number} {article.title}")
    if view.item.article_key is not None:  # written on an article that the latest version no longer has
        return say(lang, "（已删除）", "(removed)")
    if not view.text_known:
        return say(lang, UNKNOWN_ARTICLE, "(article not in the record)")
    return say(lang, WHOLE_TEXT, "whole text")


def _unit(view: ItemView, lang: Lang) -> tuple[str, str]:
    if view.unit_name is None:
        return say(lang, UNKNOWN_UNIT, "(unit not in the record)"), ""
    kind = UNIT_KIND_LABELS.get(UnitKind(view.unit_kind or UnitKind.other.value), {})
    return view.unit_name, kind.get(lang.value, "")


def _text(view: ItemView, lang: Lang) -> str:
    return view.item.text if view.item.text is not None else say(lang, *UNKNOWN_TEXT)


def disposition_label(value: str, lang: Lang) -> str:
    return Disposition(value).label(lang)


def export_dispositions(session: Session, plan_id: int, round_id: int | None = None, lang: Lang = Lang.zh) -> bytes:
    """Every item of the plan (or one round) with its disposition: the file ``import_dispositions`` reads back."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    out = sheet(workbook, say(lang, "处理意见", "Dispositions"), [c.label(lang) for c in DISPOSITION_COLUMNS],
                [c.width for c in DISPOSITION_COLUMNS])  # fmt: skip
    for view in items(session, plan_id=plan_id, round_id=round_id):
        unit, kind = _unit(view, lang)
        out.append([view.item.id, view.round_number, unit, kind, _label(view, lang, now=False),
                    _label(view, lang, now=True), _text(view, lang), disposition_label(view.item.disposition, lang),
                    view.item.reason or "", view.item.change or "", view.proposed_by or "",
                    view.confirmed_by or ""])  # fmt: skip
    out.freeze_panes = "B2"
    return saved(workbook)


@dataclass
class DispositionsReport:
    rows: int = 0
    proposed: int = 0
    unchanged: int = 0


def _choice(written: str) -> Disposition | None:
    for disposition in Disposition:
        if written.casefold() in {disposition.value, disposition.zh, disposition.en.casefold()}:
            return disposition
    return None


@dataclass(frozen=True)
class _Row:
    number: int
    item_id: int
    disposition: Disposition
    reason: str
    change: str
    head: str  # the disposition column as the file heads it


def _rows(path: Path, known: dict[int, ItemView], problems: Problems) -> list[_Row]:
    rows, seen = [], set()
    for number, values, heads in read_table(path, DISPOSITION_COLUMNS, problems):
        written_id, written = values["id"], values["disposition"]
        item_id = int(written_id) if written_id.isdigit() else None
        if item_id is None:
            problems.add(number, heads["id"], f"“{written_id}”不是意见编号", f"{written_id!r} is not an item number")
        elif item_id not in known:
            problems.add(number, heads["id"], f"没有编号为{item_id}的意见", f"there is no item {item_id} here")
        elif item_id in seen:
            problems.add(number, heads["id"], f"编号{item_id}重复", f"item {item_id} appears twice")
        disposition = _choice(written)
        if disposition is None:
            choices = "、".join(disposition.zh for disposition in Disposition)
            problems.add(number, heads["disposition"], f"“{written}”不是处理意见（可填：{choices}）",
                         f"{written!r} is not a disposition")  # fmt: skip
        if item_id is None or item_id not in known or item_id in seen or disposition is None:
            continue
        seen.add(item_id)
        rows.append(_Row(number, item_id, disposition, values["reason"], values["change"], heads["disposition"]))
    return rows


def import_dispositions(
    session: Session, actor: Principal | None, plan_id: int, path: Path, round_id: int | None = None
) -> DispositionsReport:
    """Proposes the file's dispositions, as the page does one by one; any refused row refuses the file."""
    if actor is not None:
        require(actor, Permission.propose_disposition)
    plan(session, plan_id)
    check_not_historical(session, actor, plan_id)
    if round_id is not None and consultation_round(session, round_id).plan_id != plan_id:
        raise Invalid("该轮次不属于此方案。", "The round belongs to another plan.")
    known = {view.item.id: view for view in items(session, plan_id=plan_id, round_id=round_id)}
    problems = Problems()
    rows = _rows(path, known, problems)
    if not rows and not problems:
        problems.whole(path.name, "文件没有数据行。", "The file has no rows.")
    problems.raise_any()
    report = DispositionsReport(rows=len(rows))
    with session.begin_nested() as savepoint:
        for row in rows:
            item = known[row.item_id].item
            if (item.disposition, item.reason or "", item.change or "") == (row.disposition.value, row.reason,
                                                                            row.change):  # fmt: skip
                report.unchanged += 1
                continue
            try:
                dispositions.propose(session, actor, row.item_id, row.disposition, row.reason, change=row.change)
            except Refused as refused:  # the page's rule, row by row: every refusal listed
                problems.add(row.number, row.head, refused.zh, refused.en)
                continue
            report.proposed += 1
        if problems:
            savepoint.rollback()
    problems.raise_any()
    return report


@dataclass(frozen=True)
class AdoptionRow:
    number: int
    unit: str
    article: str  # as written, and where it is now when that differs
    text: str
    disposition: str
    reason: str


def adoption_rows(
    session: Session, plan_id: int, round_id: int | None = None, lang: Lang = Lang.zh
) -> list[AdoptionRow]:
    """The 意见采纳情况表: one row per item, numbered, with the article where it now is."""
    out = []
    for number, view in enumerate(items(session, plan_id=plan_id, round_id=round_id), start=1):
        article = _label(view, lang, now=False)
        then, now = view.written_on, view.carried_to
        if then is not None and now is not None and then.number != now.number:
            article += say(lang, f"（现第{now.number}条）", f" (now Art. {now.number})")
        elif view.removed:
            article += say(lang, "（已删除）", " (removed)")
        reason = view.item.reason or ""
        if view.item.change:
            reason = f"{reason} {say(lang, '修改情况：', 'Change: ')}{view.item.change}".strip()
        unit, _kind = _unit(view, lang)
        out.append(AdoptionRow(number, unit, article, _text(view, lang),
                               disposition_label(view.item.disposition, lang), reason))  # fmt: skip
    return out


def adoption_title(session: Session, plan_id: int, lang: Lang) -> str:
    title = plan(session, plan_id).title
    return say(lang, f"《{title}》征求意见采纳情况表", f"Feedback and its disposition: {title}")


def adoption_workbook(session: Session, plan_id: int, round_id: int | None = None, lang: Lang = Lang.zh) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    header = [
        say(lang, "序号", "No."),
        say(lang, "单位", "Unit"),
        say(lang, "条款", "Article"),
        say(lang, "意见内容", "Comment"),
        say(lang, "采纳情况", "Disposition"),
        say(lang, "理由及修改情况", "Reason"),
    ]
    out = sheet(workbook, say(lang, "意见采纳情况表", "Dispositions"), [adoption_title(session, plan_id, lang)],
                [6, 24, 22, 60, 12, 48])  # fmt: skip
    out.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    out["A1"].font, out["A1"].alignment = Font(bold=True, size=14), Alignment(horizontal="center")
    stats = statistics(session, plan_id)
    out.append([consultation_sentence(stats) if lang is Lang.zh else _english_sentence(stats.by_disposition)])
    out.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    out.append(header)
    for cell in out[3]:
        cell.font = Font(bold=True)
    for row in adoption_rows(session, plan_id, round_id, lang):
        out.append([row.number, row.unit, row.article, row.text, row.disposition, row.reason])
    for row_cells in out.iter_rows(min_row=4):
        for cell in row_cells:
            cell.alignment = WRAP
    out.freeze_panes = "A4"
    out.print_title_rows = "3:3"
    return saved(workbook)


def _english_sentence(by_disposition: dict[str, int]) -> str:
    total = sum(by_disposition.values())
    return (
        f"{total} items: {by_disposition.get('adopted', 0)} adopted, "
        f"{by_disposition.get('partially_adopted', 0)} partially adopted, "
        f"{by_disposition.get('not_adopted', 0)} not adopted, {by_disposition.get('pending', 0)} pending."
    )
