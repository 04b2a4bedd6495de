"""Spreadsheets of a consultation, as units and officials exchange them: the replies units send back
(imported whole or not at all, every problem named by row, column and reason, like the registry's imports),
and the template to fill. Dispositions and the 意见采纳情况表 are in ``sheets_dispositions``.

A reply row is one item: the unit (its name in the unit directory), the article number on the version
sent (blank: the text as a whole) and the text. A unit that answered "无意见" has one row with that text
and no article. Rows already recorded (same unit, article and text) are not added again, so importing the
same file twice changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, require
from zhijiao.drafting import consultation as replies_service
from zhijiao.drafting.errors import Refused
from zhijiao.drafting.models import FeedbackItem, RoundUnit, Unit
from zhijiao.drafting.queries import consultation_round
from zhijiao.drafting.stages import ReplyStatus
from zhijiao.drafting.versions import articles, check_not_historical
from zhijiao.engine.errors import InputError, Problem
from zhijiao.engine.explain_text import from_chinese_number
from zhijiao.language import Lang, say
from zhijiao.registry.sheets import read_rows
from zhijiao.xlsx_text import keep_text

MAX_ROWS = 5_000  # far above a round's replies (the 2023 plan had 75 items from 39 units)
MAX_PROBLEMS = 200
MAX_TEXT = 5_000
NO_COMMENTS = frozenset({"无意见", "没有意见", "no comments", "none"})
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    en: str
    required: bool = False
    width: int = 16

    def label(self, lang: Lang) -> str:
        return say(lang, self.zh, self.en)


REPLY_COLUMNS = (
    Column("unit", "单位", "Unit", required=True, width=28),
    Column("article", "条款", "Article", width=10),
    Column("text", "意见内容", "Comment", required=True, width=80),
)


def header_index(columns: Sequence[Column]) -> dict[str, Column]:
    """Every header a column is known by: its Chinese and English names, its key, and "中文（English）"."""
    known: dict[str, Column] = {}
    for column in columns:
        for text in (column.zh, column.en, column.name, f"{column.zh}（{column.en}）", f"{column.zh} ({column.en})"):
            known[text.casefold()] = column
    return known


def _where(number: int) -> dict[str, str]:
    return {"zh": f"第{number}行", "en": f"row {number}"}


@dataclass
class Problems:
    """Problems in row order, each named by row, the column as the file heads it, and the reason."""

    found: list[tuple[int, Problem]] = field(default_factory=list)

    def add(self, number: int, column: str, zh: str, en: str) -> None:
        self.found.append((number, Problem(_where(number), column, zh, en)))

    def whole(self, file_name: str, zh: str, en: str) -> None:
        self.found.append((0, Problem({"zh": f"文件 {file_name}", "en": f"file {file_name}"}, "", zh, en)))

    def raise_any(self) -> None:
        if self.found:
            ordered = [problem for _, problem in sorted(self.found, key=lambda pair: pair[0])]
            raise InputError(ordered[:MAX_PROBLEMS])

    def __len__(self) -> int:
        return len(self.found)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    return str(value).strip()


def _header(
    cells: list[object], columns: Sequence[Column], problems: Problems
) -> tuple[dict[int, Column], dict[str, str]]:
    known = header_index(columns)
    positions: dict[int, Column] = {}
    headings: dict[str, str] = {}
    for index, raw in enumerate(cells):
        text = cell_text(raw)
        column = known.get(text.casefold()) if text else None
        if text and column is None:
            problems.add(1, text, "未知列", "unknown column")
        elif column is not None and column.name in headings:
            problems.add(1, text, "列重复", "duplicated column")
        elif column is not None:
            positions[index], headings[column.name] = column, text
    for column in columns:
        if column.required and column.name not in headings:
            problems.add(1, f"{column.zh}（{column.en}）", "缺少必填列", "required column is missing")
    return positions, headings


def read_table(
    path: Path, columns: Sequence[Column], problems: Problems
) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    """Rows after the header as (row number, values by column name, header text by column name); blank rows
    are skipped. Unknown, repeated and missing columns are problems of the header (row 1)."""
    rows = iter(read_rows(path))
    header = next(rows, None)
    if header is None:
        problems.whole(path.name, "文件为空，没有表头。", "The file is empty: it has no header.")
        return
    positions, headings = _header(header, columns, problems)
    if problems:
        return
    for number, cells in enumerate(rows, start=2):
        values = {column.name: "" for column in columns}
        for index, column in positions.items():
            if index < len(cells):
                values[column.name] = cell_text(cells[index])
        if any(values.values()):
            yield number, values, headings


_ARTICLE = re.compile(r"^第?\s*([0-9]+|[零〇一二两三四五六七八九十百]+)\s*条?$")


def article_number(text: str) -> int | None:
    """13, "13", "第13条", "第十三条" → 13; anything else None."""
    match = _ARTICLE.match(text.strip())
    if match is None:
        return None
    digits = match.group(1)
    return from_chinese_number(digits)


@dataclass
class RepliesReport:
    rows: int = 0
    added: int = 0
    unchanged: int = 0  # rows already recorded
    no_comments: int = 0  # units whose reply is "无意见"
    units: int = 0


@dataclass
class _UnitRows:
    comments: list[tuple[int, replies_service.Comment]] = field(default_factory=list)
    no_comments_row: int | None = None


@dataclass
class _ReplyReader:
    """Checks each row of a replies file against the round: its units, the articles of the version sent."""

    by_name: dict[str, Unit]
    addressed: dict[int, str]  # unit id → its reply so far
    numbers: set[int]
    problems: Problems
    rows: dict[int, _UnitRows] = field(default_factory=lambda: defaultdict(_UnitRows))
    text_head: str = REPLY_COLUMNS[2].zh

    def unit(self, number: int, name: str, head: str) -> Unit | None:
        unit = self.by_name.get(name)
        if not name:
            self.problems.add(number, head, "单位为空", "is required")
        elif unit is None:
            self.problems.add(
                number, head, f"单位“{name}”不在单位名录中", f"unit {name!r} is not in the unit directory"
            )
        elif unit.id not in self.addressed:
            self.problems.add(number, head, f"本轮未向“{unit.name}”征求意见", f"this round was not sent to {unit.name}")
            return None
        return unit

    def article(self, number: int, written: str, head: str) -> tuple[int | None, bool]:
        """The article number, and whether the cell is good (blank is good: the text as a whole)."""
        if not written:
            return None, True
        article = article_number(written)
        if article is None:
            self.problems.add(number, head, f"“{written}”不是条款序号", f"{written!r} is not an article number")
            return None, False
        if article not in self.numbers:
            self.problems.add(number, head, f"征求意见稿没有第{article}条（共{len(self.numbers)}条）",
                              f"the version sent has no article {article} (it has {len(self.numbers)})")  # fmt: skip
            return None, False
        return article, True

    def text(self, number: int, text: str, head: str) -> bool:
        if not text:
            self.problems.add(number, head, "意见内容为空", "the comment is empty")
        elif len(text) > MAX_TEXT:
            self.problems.add(number, head, f"意见内容超过{MAX_TEXT}字", f"longer than {MAX_TEXT} characters")
        return bool(text) and len(text) <= MAX_TEXT

    def row(self, number: int, values: dict[str, str], heads: dict[str, str]) -> None:
        self.text_head = heads["text"]
        unit = self.unit(number, values["unit"], heads["unit"])
        article, article_ok = self.article(number, values["article"], heads.get("article", ""))
        text_ok = self.text(number, values["text"], heads["text"])
        if unit is None or not text_ok:
            return
        if values["text"].casefold() in NO_COMMENTS:
            if values["article"]:
                self.problems.add(number, heads["text"], "“无意见”不应对应具体条款",
                                  "'no comments' is a reply to the whole text, not to an article")  # fmt: skip
            self.rows[unit.id].no_comments_row = number
        elif article_ok:
            self.rows[unit.id].comments.append((number, replies_service.Comment(article, values["text"])))

    def finish(self) -> None:
        """A unit cannot both comment and have no comments, in the file or against what it already sent."""
        for unit_id, found in self.rows.items():
            if found.no_comments_row is None:
                continue
            if found.comments:
                self.problems.add(found.no_comments_row, self.text_head, "同一单位既有意见又答复“无意见”",
                                  "the same unit has items and 'no comments'")  # fmt: skip
            elif self.addressed.get(unit_id) == ReplyStatus.items.value:
                self.problems.add(found.no_comments_row, self.text_head, "该单位本轮已提交过意见，不能再答复“无意见”",
                                  "this unit already sent items in this round")  # fmt: skip


def _read_replies(
    session: Session, round_id: int, version_id: int, path: Path, problems: Problems
) -> tuple[dict[int, _UnitRows], int]:
    query = select(RoundUnit.unit_id, RoundUnit.reply).where(RoundUnit.round_id == round_id)
    reader = _ReplyReader(
        by_name={u.name: u for u in session.scalars(select(Unit))},
        addressed=dict(session.execute(query).all()),
        numbers={a.number for a in articles(session, version_id)},
        problems=problems,
    )
    count = 0
    for number, values, heads in read_table(path, REPLY_COLUMNS, problems):
        count += 1
        if count > MAX_ROWS:
            problems.add(number, "", f"行数超过{MAX_ROWS}行。", f"More than {MAX_ROWS} rows.")
            break
        reader.row(number, values, heads)
    reader.finish()
    if count == 0 and not problems:
        problems.whole(path.name, "文件没有数据行。", "The file has no rows.")
    return reader.rows, count


def import_replies(session: Session, actor: Principal | None, round_id: int, path: Path) -> RepliesReport:
    """The replies of a file, recorded by drafting staff; nothing at all if any row is wrong."""
    if actor is not None:
        require(actor, Permission.edit_drafts)
    sent = consultation_round(session, round_id)
    check_not_historical(session, actor, sent.plan_id)
    problems = Problems()
    by_unit, count = _read_replies(session, round_id, sent.version_id, path, problems)
    problems.raise_any()
    report = RepliesReport(rows=count, units=len(by_unit))
    existing = {
        (i.unit_id, i.article_number, i.text)
        for i in session.scalars(select(FeedbackItem).where(FeedbackItem.round_id == round_id))
    }
    replied = dict(
        session.execute(select(RoundUnit.unit_id, RoundUnit.reply).where(RoundUnit.round_id == round_id)).all()
    )
    with session.begin_nested() as savepoint:
        try:
            for unit_id, found in sorted(by_unit.items()):
                if found.no_comments_row is not None:
                    report.no_comments += 1
                    if replied.get(unit_id) != ReplyStatus.no_comments.value:
                        replies_service.record_reply(session, actor, round_id, unit_id, [], no_comments=True)
                    continue
                fresh = [c for _, c in found.comments if (unit_id, c.article_number, c.text) not in existing]
                report.unchanged += len(found.comments) - len(fresh)
                unique = list(dict.fromkeys(fresh))
                report.unchanged += len(fresh) - len(unique)
                if unique:
                    replies_service.record_reply(session, actor, round_id, unit_id, unique)
                    report.added += len(unique)
        except Refused as refused:  # checked above; a rule the service adds later still refuses the whole file
            savepoint.rollback()
            raise InputError([Problem({"zh": f"文件 {path.name}", "en": f"file {path.name}"}, "", refused.zh,
                                      refused.en)]) from None  # fmt: skip
    return report


def sheet(workbook: Workbook, title: str, header: Sequence[str], widths: Iterable[int]) -> Worksheet:
    created: Worksheet = workbook.create_sheet(title[:31])
    created.append(list(header))
    for cell in created[created.max_row]:
        cell.font = BOLD
    for index, width in enumerate(widths):
        created.column_dimensions[chr(ord("A") + index)].width = width
    return created


def saved(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    keep_text(workbook).save(buffer)
    return buffer.getvalue()


def replies_template(session: Session, round_id: int, lang: Lang = Lang.zh) -> bytes:
    """The file to fill: the reply columns, then a sheet naming the units of the round and the articles sent."""
    sent = consultation_round(session, round_id)
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    sheet(workbook, say(lang, "反馈意见", "Replies"), [c.label(lang) for c in REPLY_COLUMNS],
          [c.width for c in REPLY_COLUMNS])  # fmt: skip
    about = sheet(
        workbook, say(lang, "说明", "About"), [say(lang, "列", "Column"), say(lang, "填写要求", "How")], [14, 90]
    )
    how = (
        say(lang, "单位名称，须与下方名录一致（必填）", "The unit's name, as in the list below (required)"),
        say(
            lang, "所提意见针对的条款序号，如 13 或 第13条；针对全文的留空", "The article number; blank: the whole text"
        ),
        say(lang, "一行一条意见（必填）；无意见的单位填“无意见”，条款留空", "One item a row; a unit with none: 无意见"),
    )
    for column, text in zip(REPLY_COLUMNS, how, strict=True):
        about.append([column.label(lang), text])
    about.append([])
    about.append([say(lang, "征求意见单位", "Units consulted")])
    query = select(Unit.name).join(RoundUnit, RoundUnit.unit_id == Unit.id).where(RoundUnit.round_id == round_id)
    for name in session.scalars(query.order_by(Unit.name)):
        about.append(["", name])
    about.append([])
    about.append([say(lang, "征求意见稿条款", "Articles of the version sent")])
    for article in articles(session, sent.version_id):
        about.append([say(lang, f"第{article.number}条", f"Article {article.number}"), article.title])
    for row in about.iter_rows():
        for cell in row:
            cell.alignment = WRAP
    return saved(workbook)
