"""Obligations as the xlsx finance officers reconcile against: exact yuan (two decimals) from integer fen."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from zhijiao.fulfilment.obligations import MEASURES, Line, totals
from zhijiao.language import Lang, say
from zhijiao.money import yuan
from zhijiao.xlsx_text import keep_text

HEADERS = {
    "payer": ("付款方", "payer"),
    "article": ("条款", "article"),
    "county": ("县（市、区）", "county"),
    "year": ("年度", "year"),
    "due": ("应兑现（元）", "due (yuan)"),
    "approved": ("已审批（元）", "approved (yuan)"),
    "instructed": ("已发出支付指令未到账（元）", "instructed, not yet confirmed (yuan)"),
    "paid": ("已到账（元）", "paid (yuan)"),
    "reversed": ("冲正及追回（元）", "reversed (yuan)"),
    "outstanding": ("已审批未到账（元）", "approved, not yet paid (yuan)"),
}
PAYERS = {"city": ("市财政", "city finance"), "county": ("县（市、区）财政", "county finance")}
YUAN_FORMAT = "#,##0.00"


def write_obligations(lines: list[Line], path: Path, lang: Lang = Lang.zh) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 -- a new workbook has its first sheet
    sheet.title = say(lang, "兑现情况", "obligations")
    sheet.append([say(lang, *HEADERS[h]) for h in HEADERS])
    for line in lines:
        sheet.append(
            [say(lang, *PAYERS[line.payer]), line.article, line.county, line.year]
            + [yuan(line.amounts[m]) for m in MEASURES]
            + [yuan(line.outstanding)]
        )
    total = totals(lines)
    outstanding = total.get("approved", 0) - total.get("paid", 0) - total.get("reversed", 0)
    sheet.append(
        [say(lang, "合计", "total"), "", "", ""] + [yuan(total.get(m, 0)) for m in MEASURES] + [yuan(outstanding)]
    )
    for row in sheet.iter_rows(min_row=2, min_col=5):
        for cell in row:
            cell.number_format = YUAN_FORMAT
    keep_text(book).save(path)
