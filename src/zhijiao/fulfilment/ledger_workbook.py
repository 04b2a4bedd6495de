"""The ledger as the xlsx finance officers and auditors take away (台账导出, 对账单): every row a filter selects,
or one entity's rows with the running balance; exact yuan from integer fen; names, numbers and batches
resolved; for each correction, who proposed it and who confirmed it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.formatting import WENZHOU_TIME
from zhijiao.fulfilment import labels, queries
from zhijiao.fulfilment.models import LedgerEntry, PaymentBatch
from zhijiao.language import Lang, say
from zhijiao.money import yuan
from zhijiao.storage.base import aware
from zhijiao.xlsx_text import keep_text

YUAN_FORMAT = "#,##0.00"
COLUMNS = (
    ("台账号", "entry"),
    ("记录时间（北京时间）", "recorded at (Beijing time)"),
    ("类型", "kind"),
    ("第几次付款", "payment no."),
    ("单位类型", "recipient kind"),
    ("单位代码", "recipient code"),
    ("单位名称", "recipient"),
    ("县（市、区）", "county"),
    ("条款", "article"),
    ("年度", "year"),
    ("认定级别", "level"),
    ("申报编号", "application"),
    ("拨付批次", "batch"),
    ("付款方", "payer"),
    ("金额（元）", "amount (yuan)"),
    ("冲减台账号", "corrects entry"),
    ("被冲减台账号", "corrected by"),
    ("说明", "reason"),
    ("提出人", "proposed by"),
    ("记账人（复核人）", "recorded (confirmed) by"),
)
AMOUNT = 14  # the amount's column, 0-based; the running balance follows the last column


def _local(moment: dt.datetime) -> dt.datetime:
    """Wenzhou's wall-clock time, without a zone (xlsx has none); stored times are UTC."""
    return aware(moment).astimezone(WENZHOU_TIME).replace(tzinfo=None)


def _batches(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = select(PaymentBatch.id, PaymentBatch.number).where(PaymentBatch.id.in_(wanted))
    return {int(i): str(number) for i, number in session.execute(query)}


def ledger_workbook(
    session: Session,
    policy: Policy,
    entries: Sequence[LedgerEntry],
    lang: Lang,
    title: tuple[str, str],
    *,
    running: bool = False,
) -> bytes:
    """One sheet: a header, a row per entry in the order given, and the net; ``running`` adds the balance. The
    articles are named as ``policy`` names them."""
    names = queries.entity_names(session, [(e.school_id, e.enterprise_id, e.platform_id) for e in entries])
    numbers = queries.application_numbers(session, [e.application_id for e in entries])
    corrected = queries.corrected(session, [e.id for e in entries])
    users = queries.usernames(session, [u for e in entries for u in (e.proposed_by, e.recorded_by)])
    batches = _batches(session, [e.batch_id for e in entries])
    counties = queries.counties(session)
    articles = labels.article_labels(policy)

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 -- a new workbook has its first sheet
    sheet.title = say(lang, *title)[:31]
    headers = [say(lang, zh, en) for zh, en in COLUMNS]
    sheet.append(headers + ([say(lang, "累计（元）", "balance (yuan)")] if running else []))
    balance = 0
    for e in entries:
        entity = names.get((e.school_id, e.enterprise_id, e.platform_id))
        balance += e.amount_fen
        article = articles.get(e.article)
        row: list[object] = [
            e.id,
            _local(e.recorded_at),
            labels.LEDGER_KINDS[e.kind][lang.value],
            e.payment_number,
            labels.ENTITY_KINDS[entity.kind][lang.value] if entity else "",
            entity.code if entity else "",
            entity.name if entity else "",
            counties.get(e.county_code, e.county_code),
            article[lang.value] if article else e.article,
            e.year,
            e.level or "",
            numbers.get(e.application_id, "") if e.application_id else "",
            batches.get(e.batch_id, "") if e.batch_id else "",
            labels.PAYERS[e.payer][lang.value],
            yuan(e.amount_fen),
            e.reverses_id or "",
            corrected.get(e.id, ""),
            e.reason or "",
            users.get(e.proposed_by, "") if e.proposed_by else "",
            users.get(e.recorded_by, "") if e.recorded_by else "",
        ]
        sheet.append(row + ([yuan(balance)] if running else []))
    net = sum(e.amount_fen for e in entries)
    sheet.append([say(lang, "净额", "net")] + [""] * (AMOUNT - 1) + [yuan(net)])
    for cells in sheet.iter_rows(min_row=2):
        cells[1].number_format = "yyyy-mm-dd hh:mm:ss"
        cells[AMOUNT].number_format = YUAN_FORMAT
        if running and len(cells) > len(COLUMNS):
            cells[len(COLUMNS)].number_format = YUAN_FORMAT
    sheet.freeze_panes = "B2"
    buffer = BytesIO()
    keep_text(book).save(buffer)
    return buffer.getvalue()
