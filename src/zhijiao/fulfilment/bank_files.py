"""The files of the last mile (decision 0017), without the database: the instruction file zhijiao gives the
payer's agent bank (代付), the allocation file it gives the budget system (预算指标), and the bank's result file
read back, each in the payer's layout (``bank_layouts``).

An outgoing file is a function of its rows: the same rows give the same bytes, so a file written again can be
compared with the one sent (xlsx keeps no clock time: its package and its document properties carry a fixed one).
Amounts go from integer fen to exact yuan text, never through a float. A returned file is read by the registry's
bounded readers (``registry.sheets.read_rows``): the same limits, the same refusals of hostile files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from zhijiao.engine.errors import InputError, Problem
from zhijiao.fulfilment.bank_layouts import FileLayout, PayerLayout, ReturnLayout, header_key
from zhijiao.money import FEN_PER_YUAN, MAX_FEN, fen_to_yuan, yuan_to_fen
from zhijiao.refusals import Invalid
from zhijiao.registry.sheets import check_format, read_rows
from zhijiao.registry.uploads import MAX_UPLOAD_BYTES, clean_name
from zhijiao.xlsx_text import csv_row

if TYPE_CHECKING:
    from openpyxl import Workbook

# The time an xlsx zhijiao writes says it was made: the zip's own minimum, so that no clock enters the bytes.
FIXED_TIME: Final = dt.datetime(1980, 1, 1)  # noqa: DTZ001 -- a document property without zone, as Excel writes
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_HEADER_SEARCH: Final = 20  # rows above the header (titles, the bank's account, the period) banks put at most
_WIDTHS: Final = {"account_name": 30, "account_number": 24, "bank_name": 28, "purpose": 40, "budget_unit_name": 30}
_WIDTH: Final = 14
_TOTALS: Final = ("合计", "总计", "小计", "共计")  # a bank's line under its results, often in the reference column


# ---------------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstructionRow:
    """One payment instruction as the bank's file shows it: its details frozen when the batch was prepared."""

    reference: str  # ZJ-{batch}-{seq:04d}, or …-R{n} for a re-instruction
    account_name: str  # 收款人户名
    account_number: str  # 收款账号
    bank_name: str  # 收款行（开户银行）
    amount_fen: int
    purpose: str  # 用途/附言, citing the article
    bank_code: str = ""  # 收款行行号 (CNAPS), for a bank whose file asks for it


@dataclass(frozen=True)
class AllocationRow:
    """One allocation (预算指标) to a public school's budget unit, for the budget system."""

    reference: str
    budget_unit_code: str
    budget_unit_name: str
    amount_fen: int
    purpose: str
    article: str  # the plan's article it pays, e.g. 第十三条


_REQUIRED: Final = {
    "reference": ("业务参考号", "reference"),
    "account_name": ("收款人户名", "account name"),
    "account_number": ("收款账号", "account number"),
    "budget_unit_code": ("预算单位编码", "budget unit code"),
}


def instruction_file(layout: PayerLayout, rows: Sequence[InstructionRow], *, batch: str = "") -> bytes:
    """The instruction file of ``rows`` in the payer's layout (``layout.instruction``), rows in the order given.
    InputError naming the reference and the column of every row that cannot be written (an empty account, an
    amount not above zero, a character the file's encoding lacks, a reference twice)."""
    account = layout.payer_account
    payer = {
        "payer_account_name": account.account_name if account else "",
        "payer_account_number": account.account_number if account else "",
        "payer_bank_name": account.bank_name if account else "",
    }
    lines = [
        _Line(
            row.amount_fen,
            {
                "reference": row.reference,
                "account_name": row.account_name,
                "account_number": "".join(row.account_number.split()),  # banks want the digits without spaces
                "bank_name": row.bank_name,
                "bank_code": row.bank_code,
                "purpose": row.purpose,
                **payer,
            },
        )
        for row in rows
    ]
    return _write(layout.instruction, lines, batch)


def allocation_file(layout: PayerLayout, rows: Sequence[AllocationRow], *, batch: str = "") -> bytes:
    """The allocation (预算指标) file of ``rows`` in the payer's layout (``layout.allocation``)."""
    lines = [
        _Line(
            row.amount_fen,
            {
                "reference": row.reference,
                "budget_unit_code": row.budget_unit_code,
                "budget_unit_name": row.budget_unit_name,
                "purpose": row.purpose,
                "article": row.article,
            },
        )
        for row in rows
    ]
    return _write(layout.allocation, lines, batch)


class _Line(NamedTuple):
    amount_fen: int
    texts: dict[str, str]  # field → text


def _plain(text: str) -> str:
    """One line of text: a line break or a control character in a name would break the bank's parser."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def _write(layout: FileLayout, lines: list[_Line], batch: str) -> bytes:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    cells: list[list[object]] = []
    for number, (amount, texts) in enumerate(lines, start=1):
        reference = _plain(texts["reference"])
        where = {"zh": f"第{number}笔（{reference}）", "en": f"payment {number} ({reference})"}
        for column in layout.columns:
            if column.field in _REQUIRED and not _plain(texts[column.field]):
                zh, en = _REQUIRED[column.field]
                problems.append(Problem(where, column.header, f"{zh}为空", f"the {en} is empty"))
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_FEN:
            problems.append(
                Problem(where, "amount", f"金额 {amount!r} 分无效", f"the amount {amount!r} fen is invalid")
            )
        if reference in seen:
            problems.append(
                Problem(
                    where,
                    "reference",
                    f"业务参考号与第{seen[reference]}笔重复",
                    f"the reference repeats payment {seen[reference]}",
                )
            )
        seen.setdefault(reference, number)
        cells.append([_cell(column.field, column.value, amount, texts, number) for column in layout.columns])
    if problems:
        raise InputError(problems)
    title = None
    if layout.title is not None:
        total = fen_to_yuan(sum(line.amount_fen for line in lines))
        title = _plain(layout.title.format(count=len(lines), total=total, batch=batch))
    if layout.format == "xlsx":
        return _xlsx(layout, title, cells)
    return _csv(layout, title, cells)


def _cell(field: str | None, value: str, amount_fen: int, texts: dict[str, str], number: int) -> object:
    if field is None:
        return value
    if field == "sequence":
        return number
    if field == "amount":
        return Decimal(amount_fen) / FEN_PER_YUAN  # exact: 12345678 → 123456.78
    return _plain(texts[field])


def _csv(layout: FileLayout, title: str | None, cells: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # the Windows line end every bank's parser takes
    if title is not None:
        writer.writerow(csv_row([title]))
    writer.writerow(csv_row([column.header for column in layout.columns]))
    for row in cells:
        writer.writerow(csv_row([f"{value:.2f}" if isinstance(value, Decimal) else value for value in row]))
    problems = [] if title is None else _unencodable(layout.encoding, title, "title", "")
    for column in layout.columns:
        problems.extend(_unencodable(layout.encoding, column.header, "header", column.header))
    for number, row in enumerate(cells, start=1):
        for column, value in zip(layout.columns, row, strict=True):
            if isinstance(value, str):
                problems.extend(_unencodable(layout.encoding, value, number, column.header))
    if problems:
        raise InputError(problems)
    return buffer.getvalue().encode(layout.encoding)


def _unencodable(encoding: str, text: str, number: int | Literal["title", "header"], header: str) -> list[Problem]:
    try:
        text.encode(encoding)
    except UnicodeEncodeError as error:
        character = text[error.start]
        where = {
            "title": {"zh": "标题", "en": "the title"},
            "header": {"zh": "表头", "en": "the header"},
        }.get(str(number), {"zh": f"第{number}笔", "en": f"payment {number}"})
        return [
            Problem(
                where,
                header,
                f"“{character}”无法用 {encoding.upper()} 编码写出：请改用 gb18030 或 utf-8，或与银行确认",
                f"{character!r} cannot be written in {encoding.upper()}: use gb18030 or utf-8, or ask the bank",
            )
        ]
    return []


def _xlsx(layout: FileLayout, title: str | None, cells: list[list[object]]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 -- openpyxl (and numpy) only when a workbook is written
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 -- a new workbook has one sheet
    sheet.title = layout.sheet
    first = 1
    if title is not None:
        sheet.cell(1, 1, title).font = Font(bold=True)
        first = 2
    for index, column in enumerate(layout.columns, start=1):
        sheet.cell(first, index, column.header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column.field or "", _WIDTH)
    for offset, row in enumerate(cells, start=1):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(first + offset, index)
            if isinstance(value, Decimal):
                cell.value = f"{value:.2f}"
                # The exact digits as the number's text in the file (<v>1234.56</v>); openpyxl would write a
                # Decimal through "%.16g" of a float.
                if layout.amount == "number":
                    cell.data_type = "n"
                cell.number_format = "0.00" if layout.amount == "number" else "@"
            elif isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # text, even if it starts with "=": no formula runs in the bank's Excel
                cell.number_format = "@"  # an account number stays text when someone edits the cell
            elif isinstance(value, int):  # the sequence number
                cell.value = value
    workbook.properties.creator = "zhijiao"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    return _packed(workbook)


def _packed(workbook: Workbook) -> bytes:
    """The workbook's package with no clock in it. openpyxl's ``save`` stamps the time of saving into the
    document properties and every zip member, so its ExcelWriter is used directly and the zip written again."""
    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415

    first = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED)).save()  # save closes the archive
    second = io.BytesIO()
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(second, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(member))
    return second.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Reading the bank's results
# ---------------------------------------------------------------------------------------------------------------

Result = Literal["confirmed", "failed"]


@dataclass(frozen=True)
class ReturnRow:
    row: int  # the row's number in the file, as the bank's Excel shows it
    reference: str
    result: Result
    result_text: str  # the bank's word, as written
    bank_date: dt.date | None  # None only when the layout reads no date or a failure has none
    reason: str  # the bank's reason; for a failure without one, its result word (退票, 账户不存在 …)
    amount_fen: int | None  # when the file has an amount column, to compare with the instruction


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str  # the header as the file writes it
    zh: str
    en: str

    def problem(self, filename: str) -> Problem:
        where = {"zh": f"文件 {filename} 第{self.row}行", "en": f"file {filename} row {self.row}"}
        return Problem(where, self.column, self.zh, self.en)

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"第{self.row}行“{self.column}”：{self.zh}"
        return f"row {self.row}, {self.column}: {self.en}"


@dataclass(frozen=True)
class ReturnsRead:
    filename: str
    digest: str  # SHA-256 of the file's bytes, hex: which file a result came from
    header_row: int
    headers: Mapping[str, str]  # item (reference, result, date, reason, amount) → its header in the file
    rows: tuple[ReturnRow, ...]  # the rows read without a problem, in the file's order
    problems: tuple[RowProblem, ...]  # by row; if any, the file is to be refused whole
    ignored_rows: tuple[int, ...]  # no payment's: without a result, and a total (合计…) or without date and amount

    @property
    def ok(self) -> bool:
        return not self.problems

    def refusal(self, more: Sequence[RowProblem] = ()) -> InputError | None:
        """The problems (and ``more``, e.g. ``check_references``'s) as the InputError to refuse the file with,
        in row order; None when there are none."""
        problems = sorted([*self.problems, *more], key=lambda problem: problem.row)
        if not problems:
            return None
        return InputError([problem.problem(self.filename) for problem in problems])


def check_references(read: ReturnsRead, known: Mapping[str, object]) -> tuple[RowProblem, ...]:
    """A problem for each row whose reference is not in ``known`` (the instructions of zhijiao, by reference)."""
    column = read.headers["reference"]
    return tuple(
        RowProblem(
            row.row,
            column,
            f"业务参考号“{row.reference}”不是本平台发出的付款指令",
            f"the reference {row.reference!r} is no payment instruction of zhijiao",
        )
        for row in read.rows
        if row.reference not in known
    )


def _file_error(name: str, zh: str, en: str) -> InputError:
    return InputError([Problem({"zh": f"文件 {name}", "en": f"file {name}"}, "", zh, en)])


def read_returns(layout: PayerLayout, data: bytes, filename: str) -> ReturnsRead:
    """The bank's result file (xlsx, xls or CSV in GBK/GB18030 or UTF-8, the content deciding) read whole.
    Per-row problems are in the result; InputError for a file that cannot be read at all (too large, hostile,
    no header row)."""
    name = clean_name(filename)
    check_format(Path(name))
    if not data:
        raise _file_error(name, "文件为空", "the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise _file_error(name, f"文件超过 {limit} MB", f"the file is larger than {limit} MB")
    digest = hashlib.sha256(data).hexdigest()
    with tempfile.TemporaryDirectory(prefix="zhijiao-returns-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        rows = read_rows(path)
        try:
            return _Returns(layout.returns, name, digest).read(rows)
        finally:
            getattr(rows, "close", lambda: None)()  # a refusal mid-file leaves no reader holding the file open


class _Returns:
    def __init__(self, layout: ReturnLayout, name: str, digest: str) -> None:
        self.layout, self.name, self.digest = layout, name, digest
        self.problems: list[RowProblem] = []

    def read(self, rows: Iterator[list[object]]) -> ReturnsRead:
        header_row, columns = self.header(rows)
        headers = {item: header for item, (_, header) in columns.items()}
        read: list[ReturnRow] = []
        ignored: list[int] = []
        first: dict[str, int] = {}
        for number, values in enumerate(rows, start=header_row + 1):
            if all(_text(value) == "" for value in values):
                continue
            cells = {item: values[index] if index < len(values) else None for item, (index, _) in columns.items()}
            reference, result = _reference(cells["reference"]), _text(cells["result"])
            if not result and (
                reference.startswith(_TOTALS) or not (_text(cells.get("date")) or _text(cells.get("amount")))
            ):
                ignored.append(number)
                continue
            if reference in first:
                self.problem(
                    number,
                    headers["reference"],
                    f"业务参考号“{reference}”在第{first[reference]}行和第{number}行重复",
                    f"the reference {reference!r} is in row {first[reference]} and row {number}",
                )
                continue
            if reference:
                first[reference] = number
            row = self.row(number, reference, result, cells, headers)
            if row is not None:
                read.append(row)
        return ReturnsRead(
            self.name, self.digest, header_row, headers, tuple(read), tuple(self.problems), tuple(ignored)
        )

    def header(self, rows: Iterator[list[object]]) -> tuple[int, dict[str, tuple[int, str]]]:
        """The header row's number and, for each item the file has, its column's index and header text."""
        for number, values in enumerate(rows, start=1):
            keys = [header_key(_text(value)) for value in values]
            columns = {}
            for item in ("reference", "result", "date", "reason", "amount"):
                for name in self.layout.headers(item):
                    if header_key(name) in keys:
                        index = keys.index(header_key(name))
                        columns[item] = (index, _text(values[index]))
                        break
            if "reference" in columns and "result" in columns:
                if self.layout.date and "date" not in columns:
                    raise _file_error(
                        self.name,
                        f"第{number}行是表头，但没有日期列（{'、'.join(self.layout.date)}）",
                        f"row {number} is the header but has no date column ({', '.join(self.layout.date)})",
                    )
                return number, columns
            if number >= _HEADER_SEARCH:
                break
        references, results = "、".join(self.layout.reference), "、".join(self.layout.result)
        raise _file_error(
            self.name,
            f"前 {_HEADER_SEARCH} 行中没有表头：应有参考号列（{references}）和结果列（{results}）",
            f"no header in the first {_HEADER_SEARCH} rows: it needs a reference column "
            f"({', '.join(self.layout.reference)}) and a result column ({', '.join(self.layout.result)})",
        )

    def problem(self, row: int, column: str, zh: str, en: str) -> None:
        self.problems.append(RowProblem(row, column, zh, en))

    def row(
        self, number: int, reference: str, result: str, cells: dict[str, object], headers: dict[str, str]
    ) -> ReturnRow | None:
        before = len(self.problems)
        if not reference:
            self.problem(number, headers["reference"], "缺少业务参考号", "the reference is missing")
        outcome = self.outcome(number, result, headers["result"])
        bank_date = self.bank_date(number, cells, headers, outcome) if "date" in cells else None
        amount_fen = None
        if _text(cells.get("amount")):
            try:
                amount_fen = yuan_to_fen(_text(cells["amount"]), ("金额", "the amount"))
            except Invalid as error:
                self.problem(number, headers["amount"], error.zh, error.en)
        reason = _text(cells.get("reason"))
        if outcome == "failed" and not reason:
            reason = result
        if outcome is None or len(self.problems) > before:
            return None
        return ReturnRow(number, reference, outcome, result, bank_date, reason, amount_fen)

    def outcome(self, number: int, result: str, header: str) -> Result | None:
        key = header_key(result)
        if key in self.layout.success:
            return "confirmed"
        if key in self.layout.failure:
            return "failed"
        if not result:
            self.problem(number, header, "缺少交易结果", "the result is missing")
            return None
        success, failure = sorted(self.layout.success), sorted(self.layout.failure)
        self.problem(
            number,
            header,
            f"无法识别的结果“{result}”：成功应写作 {'、'.join(success)}，失败应写作 {'、'.join(failure)}",
            f"unknown result {result!r}: success is one of {', '.join(success)}; failure one of {', '.join(failure)}",
        )
        return None

    def bank_date(
        self, number: int, cells: dict[str, object], headers: dict[str, str], outcome: Result | None
    ) -> dt.date | None:
        raw = cells["date"]
        bank_date = _date(raw)
        if bank_date is None and _text(raw):
            self.problem(
                number,
                headers["date"],
                f"“{_text(raw)}”不是日期（如 2025-03-01、2025/3/1、20250301）",
                f"{_text(raw)!r} is not a date (such as 2025-03-01, 2025/3/1, 20250301)",
            )
        elif bank_date is None and outcome == "confirmed":
            self.problem(number, headers["date"], "成功的付款缺少银行日期", "a payment made has no bank date")
        return bank_date


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return " ".join(str(value).split())


_EXCEL_TEXT: Final = re.compile(r'="(.*)"')  # ="ZJ-…": how some systems keep a CSV field as text in Excel


def _reference(value: object) -> str:
    text = _text(value)
    wrapped = _EXCEL_TEXT.fullmatch(text)
    return (wrapped.group(1) if wrapped else text).strip().lstrip("'").strip()


_SEPARATED: Final = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(:\d{2})?.*)?"
)
_COMPACT: Final = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*\d{6}|\s*\d{2}:\d{2}:\d{2})?")


def _date(value: object) -> dt.date | None:
    """The bank's date from a date cell, or text such as 2025-03-01, 2025/3/1, 2025年3月1日, 20250301 (a time
    after it is left out); None if it is none of these."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    match = _SEPARATED.fullmatch(text) or _COMPACT.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


__all__ = [
    "AllocationRow",
    "InstructionRow",
    "ReturnRow",
    "ReturnsRead",
    "RowProblem",
    "allocation_file",
    "check_references",
    "instruction_file",
    "read_returns",
]
