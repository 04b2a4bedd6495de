"""The xls reader gives, for a workbook LibreOffice saved as Excel 97–2003, the values the xlsx reader gives for
the same sheet saved as xlsx; a file xlrd cannot read is refused in words, never with a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlrd

from zhijiao.registry import xls_reader
from zhijiao.registry.xls_reader import XlsError, read_xls
from zhijiao.registry.xlsx_reader import read_xlsx

OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "office"
XLS = OFFICE / "typed-libreoffice.xls"
EPOCH_1900 = dt.datetime(1899, 12, 30)  # noqa: DTZ001 -- Excel's dates have no time zone
HEADER = ["学校编号", "数字编号", "入学日期", "到校时间", "经费（万元）", "是否公办", "备注", "学校名称", "核对"]


def naive(*parts: int) -> dt.datetime:
    return dt.datetime(*parts)  # noqa: DTZ001


def kinds(row: list[object]) -> list[str]:
    return [type(value).__name__ for value in row]


def test_what_was_typed_reads_as_the_values_a_person_meant():
    rows = list(read_xls(XLS))
    assert rows == [
        HEADER,
        ["0105", 212, naive(2024, 9, 1), dt.time(8, 30), 1234.56, True, None, "温州市职业中等专业学校", "#N/A"],
        [
            "0007",
            3301,
            naive(2023, 3, 15),
            dt.time(17, 45, 30),
            0.1,
            False,
            None,
            "瑞安市职业中等专业学校（“3+2”）",
            "#DIV/0!",
        ],
        [],  # the empty row 4 is still a row, so row 5 is the fifth list
        ["3302", 9.133030272456788e17, naive(2024, 9, 1, 14, 30), None, 11500, None, None, "乐清市"],
    ]
    # equal is not enough: True == 1 and 212 == 212.0, but the importer reads a cell by its type
    assert kinds(rows[1]) == ["str", "int", "datetime", "time", "float", "bool", "NoneType", "str", "str"]
    assert kinds(rows[2])[5] == "bool"
    assert kinds(rows[4])[:2] == ["str", "float"]  # beyond 2**53 a float no longer holds the code exactly


def test_the_xls_and_the_xlsx_of_the_same_sheet_read_alike():
    xls, xlsx = list(read_xls(XLS)), list(read_xlsx(OFFICE / "typed-libreoffice.xlsx"))
    assert xls[:4] == xlsx[:4]
    assert [kinds(row) for row in xls[:4]] == [kinds(row) for row in xlsx[:4]]
    # the one difference is LibreOffice's: it writes 15 significant digits of a double into xlsx, all 17 into xls
    assert xls[4][2:] == xlsx[4][2:]
    assert xls[4][1] == pytest.approx(xlsx[4][1], rel=1e-14)


def test_a_damaged_xls_is_refused_in_both_languages(tmp_path, capsys):
    truncated = tmp_path / "truncated.xls"
    truncated.write_bytes(XLS.read_bytes()[:1024])
    with pytest.raises(XlsError) as caught:
        list(read_xls(truncated))
    assert caught.value.zh == "文件已损坏，或不是 Excel 97–2003 工作簿（.xls）"
    assert caught.value.en.startswith("the file is damaged or is not an Excel 97-2003 workbook (.xls): ")
    garbage = tmp_path / "garbage.xls"
    garbage.write_bytes(XLS.read_bytes()[:512] + bytes(range(256)) * 40)
    with pytest.raises(XlsError, match="damaged"):
        list(read_xls(garbage))
    assert capsys.readouterr() == ("", "")  # xlrd's warnings are not printed into the server's output


def test_an_encrypted_xls_is_refused_with_what_to_do(monkeypatch):
    def encrypted(*_args: object, **_kwargs: object) -> None:
        raise xlrd.XLRDError("Workbook is encrypted")  # what xlrd says of an .xls saved with a password

    monkeypatch.setattr(xlrd, "open_workbook", encrypted)
    with pytest.raises(XlsError) as caught:
        list(read_xls(XLS))
    assert caught.value.zh == "工作簿设置了打开密码（已加密）：请在 Excel 或 WPS 中去掉密码后再导入"
    assert caught.value.en.startswith("the workbook is protected by a password")


def test_an_ole2_file_without_a_workbook_is_an_encrypted_xlsx_or_another_document(tmp_path, monkeypatch):
    def no_workbook(*_args: object, **_kwargs: object) -> None:
        raise xlrd.XLRDError("Can't find workbook in OLE2 compound document")

    monkeypatch.setattr(xlrd, "open_workbook", no_workbook)
    # Excel stores an xlsx with a password as an OLE2 file whose stream "EncryptedPackage" holds the zip
    encrypted_xlsx = tmp_path / "password.xlsx"
    encrypted_xlsx.write_bytes(XLS.read_bytes()[:512] + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(XlsError, match="protected by a password"):
        list(read_xls(encrypted_xlsx))
    document = tmp_path / "letter.xls"
    document.write_bytes(XLS.read_bytes()[:512] + "WordDocument".encode("utf-16-le"))
    with pytest.raises(XlsError, match="an Office file, but not an Excel workbook"):
        list(read_xls(document))


def test_a_workbook_without_a_worksheet_is_refused(monkeypatch):
    class Book:
        nsheets, datemode = 0, 0

        def release_resources(self) -> None:
            pass

    monkeypatch.setattr(xlrd, "open_workbook", lambda *_args, **_kwargs: Book())
    with pytest.raises(XlsError, match="the workbook has no worksheet"):
        list(read_xls(XLS))


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (xlrd.XL_CELL_NUMBER, 212.0, 212),
        (xlrd.XL_CELL_NUMBER, -3.0, -3),
        (xlrd.XL_CELL_NUMBER, 1234.56, 1234.56),
        (xlrd.XL_CELL_NUMBER, 2.0**53 - 1, 2**53 - 1),
        (xlrd.XL_CELL_NUMBER, 2.0**53, 2.0**53),
        (xlrd.XL_CELL_DATE, 45536.5, naive(2024, 9, 1, 12)),
        (xlrd.XL_CELL_DATE, 0.75, dt.time(18)),
        (xlrd.XL_CELL_DATE, 99_999_999.0, 99_999_999),  # beyond the calendar: a number the import can name
        (xlrd.XL_CELL_BOOLEAN, 1, True),
        (xlrd.XL_CELL_BOOLEAN, 0, False),
        (xlrd.XL_CELL_ERROR, 0x0F, "#VALUE!"),
        (xlrd.XL_CELL_ERROR, 0x99, "#ERROR153"),
        (xlrd.XL_CELL_TEXT, "0105", "0105"),
        (xlrd.XL_CELL_EMPTY, "", None),
        (xlrd.XL_CELL_BLANK, "", None),
    ],
)
def test_each_kind_of_cell(kind, value, expected):
    result = xls_reader._value(kind, value, EPOCH_1900)
    assert result == expected
    assert type(result) is type(expected)


def test_dates_of_a_workbook_that_counts_from_1904():
    epoch_1904 = xls_reader._EPOCHS[1]
    serial = 45_536.0 - 1_462  # 2024-09-01: four years and a day fewer than in the 1900 system
    assert xls_reader._value(xlrd.XL_CELL_DATE, serial, epoch_1904) == naive(2024, 9, 1)
    assert xlrd.xldate.xldate_as_datetime(serial, 1) == naive(2024, 9, 1)
