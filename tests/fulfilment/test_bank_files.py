"""The instruction and allocation files zhijiao writes, and the bank's result files it reads back (decision 0017)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from zhijiao.engine.errors import InputError
from zhijiao.fulfilment.bank_files import (
    AllocationRow,
    InstructionRow,
    ReturnRow,
    allocation_file,
    check_references,
    instruction_file,
    read_returns,
)
from zhijiao.fulfilment.bank_layouts import SETTING, PayerLayout, load_layouts
from zhijiao.registry.xlsx_reader import read_xlsx

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bank"
ROWS = [
    InstructionRow(
        "ZJ-12-0001",
        "瑞安市职业中等专业学校",
        "6222 0212 3456 7890 123",
        "中国工商银行瑞安支行",
        12_345_678,
        "第十三条 兼职教师经费 2024",
    ),
    InstructionRow(
        "ZJ-12-0002", "温州市某某科技有限公司", "33050162012345", "中国农业银行温州分行", 500_000, "=第十五条"
    ),
    InstructionRow(
        "ZJ-12-0003-R1", "乐清市某某机电有限公司", "6217001234567890", "浙江乐清农村商业银行", 5, "-退票重发"
    ),
]


def _city() -> PayerLayout:
    return load_layouts().for_payer("city")


def _ruian(monkeypatch: pytest.MonkeyPatch) -> PayerLayout:
    monkeypatch.setenv(SETTING, str(FIXTURES / "ruian_layouts.yaml"))
    return load_layouts().for_payer("瑞安市")


def _sheet(data: bytes, tmp_path: Path) -> list[list[object]]:
    path = tmp_path / "file.xlsx"
    path.write_bytes(data)
    return list(read_xlsx(path))


# ---------------------------------------------------------------------------------------------------------------
# Instruction and allocation files
# ---------------------------------------------------------------------------------------------------------------


def test_the_city_instruction_file_reads_back_as_the_bank_sees_it(tmp_path: Path) -> None:
    data = instruction_file(_city(), ROWS, batch="12")
    rows = _sheet(data, tmp_path)
    assert rows[0] == ["温州市财政局批量代付清单（3笔，合计128456.83元）"]
    assert rows[1] == ["序号", "业务参考号", "收款人户名", "收款账号", "收款行", "金额（元）", "用途"]
    assert rows[2] == [
        1,
        "ZJ-12-0001",
        "瑞安市职业中等专业学校",
        "6222021234567890123",  # text, without spaces: no digit lost to a number cell
        "中国工商银行瑞安支行",
        123456.78,
        "第十三条 兼职教师经费 2024",
    ]
    assert rows[3][4:] == ["中国农业银行温州分行", 5000, "=第十五条"]  # the formula-looking purpose is text
    assert rows[4][5] == 0.05
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
        core = package.read("docProps/core.xml").decode()
        times = {member.date_time for member in package.infolist()}
    assert '<c r="F3" s="3" t="n"><v>123456.78</v></c>' in sheet  # the exact yuan digits, from integer fen
    assert "<v>5000.00</v>" in sheet
    assert "<f>" not in sheet  # no formula anywhere
    assert "1980-01-01T00:00:00Z" in core  # no clock in the document properties
    assert times == {(1980, 1, 1, 0, 0, 0)}  # nor in the package


def test_the_same_rows_give_the_same_bytes() -> None:
    assert instruction_file(_city(), ROWS, batch="12") == instruction_file(_city(), list(ROWS), batch="12")
    assert instruction_file(_city(), ROWS, batch="12") != instruction_file(_city(), ROWS[:2], batch="12")
    allocations = [
        AllocationRow("ZJ-7-0001", "330381001", "瑞安市职业中等专业学校", 880_000, "兼职教师经费", "第十三条")
    ]
    assert allocation_file(_city(), allocations) == allocation_file(_city(), allocations)


def test_a_gbk_csv_instruction_file_with_a_title_and_the_payer_account(monkeypatch: pytest.MonkeyPatch) -> None:
    layout = _ruian(monkeypatch)
    data = instruction_file(layout, ROWS, batch="12")
    assert data == instruction_file(layout, ROWS, batch="12")
    text = data.decode("gbk")  # strictly: every byte is GBK
    assert "\r\n" in text
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[0] == ["瑞安市财政局代发清单 批次12 共3笔 128456.83元"]
    assert lines[1] == ["付款账号", "客户业务编号", "收款户名", "收款账号", "收款行名", "金额", "币种", "附言"]
    assert lines[2] == [
        "33001234500052501234",
        "ZJ-12-0001",
        "瑞安市职业中等专业学校",
        "6222021234567890123",
        "中国工商银行瑞安支行",
        "123456.78",
        "人民币",
        "第十三条 兼职教师经费 2024",
    ]
    assert lines[3][5:] == ["5000.00", "人民币", "'=第十五条"]  # a spreadsheet shows it, does not run it
    assert lines[4][5:] == ["0.05", "人民币", "'-退票重发"]


def test_a_character_gbk_lacks_is_refused_naming_the_payment(monkeypatch: pytest.MonkeyPatch) -> None:
    layout = _ruian(monkeypatch)
    rows = [InstructionRow("ZJ-12-0001", "𠮷野家（温州）餐饮有限公司", "6222021234567890123", "工行", 100, "实习补贴")]
    with pytest.raises(InputError) as caught:
        instruction_file(layout, rows)
    assert caught.value.messages("zh") == [
        "第1笔 收款户名: “𠮷”无法用 GBK 编码写出：请改用 gb18030 或 utf-8，或与银行确认"
    ]


def test_rows_a_bank_cannot_pay_are_refused_together() -> None:
    rows = [
        InstructionRow("ZJ-12-0001", "瑞安市职业中等专业学校", " ", "工行", 100, "第十三条"),
        InstructionRow("ZJ-12-0002", "温州市某某科技有限公司", "33050162", "农行", 0, "第十五条"),
        InstructionRow("ZJ-12-0001", "平阳县职业教育中心", "6228480012345678", "农行", 100, "第十三条"),
    ]
    with pytest.raises(InputError) as caught:
        instruction_file(_city(), rows)
    assert caught.value.messages("en") == [
        "payment 1 (ZJ-12-0001) 收款账号: the account number is empty",
        "payment 2 (ZJ-12-0002) amount: the amount 0 fen is invalid",
        "payment 3 (ZJ-12-0001) reference: the reference repeats payment 1",
    ]


def test_line_breaks_in_a_name_do_not_break_the_bank_file(tmp_path: Path) -> None:
    rows = [InstructionRow("ZJ-1-0001", "温州市\n某某\t公司", "6222", "工行", 100, "第十三条\r\n兼职")]
    assert _sheet(instruction_file(_city(), rows), tmp_path)[2][2:7:4] == ["温州市 某某 公司", "第十三条 兼职"]


def test_the_allocation_file_for_the_budget_system(tmp_path: Path) -> None:
    rows = [
        AllocationRow("ZJ-7-0001", "330381001", "瑞安市职业中等专业学校", 880_000, "兼职教师经费", "第十三条"),
        AllocationRow("ZJ-7-0002", "330326002", "平阳县职业教育中心", 1_234_501, "实训基地建设", "第九条"),
    ]
    sheet = _sheet(allocation_file(_city(), rows), tmp_path)
    assert sheet[0] == ["序号", "业务参考号", "预算单位编码", "预算单位名称", "指标金额（元）", "资金用途", "政策依据"]
    assert sheet[1] == [1, "ZJ-7-0001", "330381001", "瑞安市职业中等专业学校", 8800, "兼职教师经费", "第十三条"]
    assert sheet[2][4] == 12345.01


# ---------------------------------------------------------------------------------------------------------------
# The bank's results
# ---------------------------------------------------------------------------------------------------------------


def test_a_banks_gbk_csv_export_with_a_title_and_a_total_line() -> None:
    data = (FIXTURES / "icbc_returns_gbk.csv").read_bytes()
    read = read_returns(_city(), data, "C:\\Users\\财政局\\Downloads\\代付结果20250304.csv")
    assert read.ok
    assert read.filename == "代付结果20250304.csv"
    assert read.digest == hashlib.sha256(data).hexdigest()
    assert read.header_row == 3
    assert read.headers == {
        "reference": "业务参考号",
        "result": "交易结果",
        "date": "交易日期",
        "reason": "失败原因",
        "amount": "金额（元）",
    }
    assert read.rows == (
        ReturnRow(4, "ZJ-12-0001", "confirmed", "交易成功", dt.date(2025, 3, 1), "", 12_345_678),
        ReturnRow(5, "ZJ-12-0002", "failed", "失败", dt.date(2025, 3, 1), "收款账户已销户", 500_000),
        ReturnRow(6, "ZJ-12-0003", "failed", "退票", dt.date(2025, 3, 3), "户名与账号不符", 80_050),
        ReturnRow(7, "ZJ-12-0004", "confirmed", "成功", dt.date(2025, 3, 2), "", 120_000),  # ="ZJ-12-0004"
    )
    assert read.ignored_rows == (8,)  # 合计
    assert read.refusal() is None


def _excel(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 -- an Excel date has no time zone


def _xlsx_return() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["批量代付交易明细"])
    sheet.merge_cells("A1:F1")
    sheet.append(["客户业务编号", "收款人户名", "交易金额", "处理状态", "处理日期", "失败原因"])
    sheet.append(["ZJ-12-0001", "瑞安市职业中等专业学校", 123456.78, "SUCCESS", _excel(2025, 3, 1, 10, 22, 33), None])
    sheet.append(["ZJ-12-0002", "温州市某某科技有限公司", 5000, "账户不存在", _excel(2025, 3, 2), None])
    sheet.append(["ZJ-12-0003", "乐清市某某机电有限公司", 0.5, "已成功", 20250303, None])
    sheet.append([])
    sheet.append(["经办：张三", None, None, None, None, "复核：李四"])
    for row in sheet.iter_rows(min_row=3, min_col=5, max_col=5):
        row[0].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_banks_xlsx_export() -> None:
    read = read_returns(_city(), _xlsx_return(), "结果.xlsx")
    assert read.ok
    assert read.header_row == 2
    assert read.rows == (
        ReturnRow(3, "ZJ-12-0001", "confirmed", "SUCCESS", dt.date(2025, 3, 1), "", 12_345_678),
        ReturnRow(4, "ZJ-12-0002", "failed", "账户不存在", dt.date(2025, 3, 2), "账户不存在", 500_000),
        ReturnRow(5, "ZJ-12-0003", "confirmed", "已成功", dt.date(2025, 3, 3), "", 50),
    )
    assert read.ignored_rows == (7,)  # the signatures under the results


def test_an_installation_reads_its_own_banks_words(monkeypatch: pytest.MonkeyPatch) -> None:
    layout = _ruian(monkeypatch)
    text = "客户业务编号,收款户名,处理状态,入账日期,备注\r\nZJ-3-0001,平阳县职业教育中心,已入账,2025.3.5,\r\n"
    read = read_returns(layout, text.encode("utf-8-sig"), "result.csv")
    assert read.rows == (ReturnRow(2, "ZJ-3-0001", "confirmed", "已入账", dt.date(2025, 3, 5), "", None),)
    refused = read_returns(layout, text.replace("已入账", "成功").encode(), "result.csv")
    assert [p.message("zh") for p in refused.problems] == [
        "第2行“处理状态”：无法识别的结果“成功”：成功应写作 已入账，失败应写作 失败、已退回"
    ]


def test_every_row_problem_is_named_by_row_and_column() -> None:
    text = (
        "业务参考号,交易结果,交易日期,失败原因,金额\n"
        "ZJ-5-0001,成功,2025-03-01,,100.00\n"
        "ZJ-5-0002,处理中,2025-03-01,,100.00\n"
        ",成功,2025-03-01,,100.00\n"
        "ZJ-5-0003,成功,2025-02-30,,100.00\n"
        "ZJ-5-0001,失败,2025-03-02,户名不符,100.00\n"
        "ZJ-5-0004,,2025-03-01,,100.00\n"
        "ZJ-5-0005,成功,,,100.00\n"
        "ZJ-5-0006,成功,2025-03-01,,12.345\n"
        "ZJ-5-0007,失败,,账户冻结,100.00\n"
        "ZJ-9-0001,成功,20250301,,100.00\n"
    )
    read = read_returns(_city(), text.encode("gbk"), "results.csv")
    assert not read.ok
    assert [(p.row, p.column) for p in read.problems] == [
        (3, "交易结果"),
        (4, "业务参考号"),
        (5, "交易日期"),
        (6, "业务参考号"),
        (7, "交易结果"),
        (8, "交易日期"),
        (9, "金额"),
    ]
    assert read.problems[0].zh.startswith("无法识别的结果“处理中”")
    assert read.problems[1].en == "the reference is missing"
    assert read.problems[2].message("en") == (
        "row 5, 交易日期: '2025-02-30' is not a date (such as 2025-03-01, 2025/3/1, 20250301)"
    )
    assert read.problems[3].zh == "业务参考号“ZJ-5-0001”在第2行和第6行重复"
    assert read.problems[4].en == "the result is missing"
    assert read.problems[5].zh == "成功的付款缺少银行日期"
    assert "金额“12.345”不是以元为单位" in read.problems[6].zh
    # a failure needs no date; the rows without a problem are still read for the preview
    assert [(row.row, row.reference, row.result, row.bank_date) for row in read.rows] == [
        (2, "ZJ-5-0001", "confirmed", dt.date(2025, 3, 1)),
        (10, "ZJ-5-0007", "failed", None),
        (11, "ZJ-9-0001", "confirmed", dt.date(2025, 3, 1)),
    ]
    unknown = check_references(read, {"ZJ-5-0001": 1, "ZJ-5-0007": 2})
    assert [problem.message("zh") for problem in unknown] == [
        "第11行“业务参考号”：业务参考号“ZJ-9-0001”不是本平台发出的付款指令"
    ]
    refusal = read.refusal(unknown)
    assert refusal is not None
    assert len(refusal.problems) == 8
    assert refusal.messages("en")[-1] == (
        "file results.csv row 11 业务参考号: the reference 'ZJ-9-0001' is no payment instruction of zhijiao"
    )


def test_a_file_without_the_header_or_its_date_column_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_returns(_city(), "编号,状态\nZJ-1-0001,成功\n".encode(), "x.csv")
    assert "前 20 行中没有表头" in caught.value.messages("zh")[0]
    with pytest.raises(InputError) as caught:
        read_returns(_city(), "业务参考号,交易结果\nZJ-1-0001,成功\n".encode(), "x.csv")
    assert caught.value.messages("en") == [
        "file x.csv: row 1 is the header but has no date column (交易日期, 处理日期, 记账日期, 入账日期, 日期)"
    ]


# ---------------------------------------------------------------------------------------------------------------
# Hostile and mistaken files, refused as the registry's import refuses them
# ---------------------------------------------------------------------------------------------------------------


def _refused(data: bytes, filename: str) -> str:
    with pytest.raises(InputError) as caught:
        read_returns(_city(), data, filename)
    return caught.value.messages("en")[0]


def test_a_zip_bomb_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIJIAO_MAX_UNPACKED_MB", "1")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (3 * 1024 * 1024))
    assert len(buffer.getvalue()) < 20_000
    assert "unpacks to more than 1 MB (ZHIJIAO_MAX_UNPACKED_MB)" in _refused(buffer.getvalue(), "bomb.xlsx")


def test_a_nul_a_huge_cell_and_a_huge_file_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "holds a NUL character" in _refused(
        "业务参考号,交易结果,交易日期\nZJ\x00,成功,2025-03-01\n".encode(), "nul.csv"
    )
    monkeypatch.setenv("ZHIJIAO_MAX_CELL_CHARS", "100")
    long_reason = "业务参考号,交易结果,交易日期,失败原因\nZJ-1-0001,失败,2025-03-01," + "账" * 101 + "\n"
    assert "row 2 column D" in _refused(long_reason.encode(), "long.csv")
    assert "larger than 20 MB" in _refused(b"x" * (20 * 1024 * 1024 + 1), "big.csv")


def test_files_that_are_no_table_are_refused() -> None:
    assert "web page (HTML)" in _refused(b"<html><table><tr><td>ZJ</td></tr></table></html>", "result.xls")
    assert "not an xlsx file" in _refused(b"PK-not-really", "result.xlsx")
    assert "only .xlsx" in _refused(b"%PDF-1.7", "result.pdf")
    assert "empty" in _refused(b"", "result.csv")
    assert "character encoding is not recognised" in _refused(b"\x81\x00\xff\xfe\xfd" * 3, "x.csv")


def test_a_bank_that_wants_the_amount_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    override = tmp_path / "layouts.yaml"
    override.write_text("永嘉县:\n  instruction:\n    amount: text\n    sheet: 代发\n", encoding="utf-8")
    monkeypatch.setenv(SETTING, str(override))
    data = instruction_file(load_layouts().for_payer("永嘉县"), ROWS)
    assert [row[5] for row in _sheet(data, tmp_path)] == ["金额（元）", "123456.78", "5000.00", "0.05"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert 'name="代发"' in package.read("xl/workbook.xml").decode()
