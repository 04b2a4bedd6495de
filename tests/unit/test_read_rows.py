"""read_rows picks the reader by what the file holds, not by its name, and refuses in words what none can read."""

from __future__ import annotations

import codecs
import random
import shutil
from pathlib import Path

import pytest

from zhijiao.engine.errors import InputError
from zhijiao.registry.sheets import FORMATS, check_format, read_rows

OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "office"
SHARED_OFFICE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "office"
SAVE_AS = (
    "这是网页（HTML）或 XML 格式的表格，不是 Excel 工作簿：请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入",
    (
        "this is a web page (HTML) or XML table, not an Excel workbook: open it in Excel or WPS, save it as .xlsx "
        "and import that file"
    ),
)


def copied(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def cannot_read(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        list(read_rows(path))
    return caught.value.messages("zh") + caught.value.messages("en")


def refused(path: Path, zh: str, en: str) -> list[str]:
    return [f"文件 {path.name}: 无法读取：{zh}", f"file {path.name}: cannot be read: {en}"]


def test_the_four_formats_and_no_other():
    assert FORMATS == (".xlsx", ".xls", ".csv", ".txt")  # .txt: Excel's "Unicode text"
    for name in ("a.xlsx", "a.XLS", "a.csv", "a.txt"):
        check_format(Path(name))
    with pytest.raises(InputError) as caught:
        check_format(Path("schools.pdf"))
    assert caught.value.messages("zh") == ["文件 schools.pdf: 仅支持 .xlsx、.xls、.csv 或 .txt 文件"]
    assert caught.value.messages("en") == ["file schools.pdf: only .xlsx, .xls, .csv and .txt files are supported"]
    with pytest.raises(InputError) as caught:
        check_format(Path("schools.xls"), (".xlsx", ".csv"))
    assert caught.value.messages("zh") == ["文件 schools.xls: 仅支持 .xlsx 或 .csv 文件"]
    assert caught.value.messages("en") == ["file schools.xls: only .xlsx and .csv files are supported"]


def test_each_format_by_its_own_name():
    xls = list(read_rows(OFFICE / "typed-libreoffice.xls"))
    assert xls[1][:3] == ["0105", 212, list(read_rows(OFFICE / "typed-libreoffice.xlsx"))[1][2]]
    assert list(read_rows(OFFICE / "typed-input.csv"))[1][:2] == ["0105", "0212"]


def test_the_gbk_csv_excel_writes(tmp_path):
    source = SHARED_OFFICE / "student_stats-excel-gbk.csv"
    if not source.exists():
        pytest.skip("shared/fixtures is not beside this checkout")
    rows = list(read_rows(source))
    assert rows[0][:3] == ["学校编号", "年度", "在校生数"]
    assert rows[1][:2] == ["0105", "2024"]
    assert list(read_rows(copied(source, tmp_path / "STATS.CSV"))) == rows


def test_a_workbook_under_the_other_workbooks_name_is_read(tmp_path):
    xlsx, xls = OFFICE / "typed-libreoffice.xlsx", OFFICE / "typed-libreoffice.xls"
    assert list(read_rows(copied(xlsx, tmp_path / "named.xls"))) == list(read_rows(xlsx))
    assert list(read_rows(copied(xls, tmp_path / "named.xlsx"))) == list(read_rows(xls))
    assert list(read_rows(copied(xls, tmp_path / "named.csv"))) == list(read_rows(xls))


def test_unicode_text_saved_as_csv(tmp_path):
    rows = list(read_rows(copied(OFFICE / "typed-libreoffice-utf16.txt", tmp_path / "unicode.csv")))
    assert rows[1][:2] == ["0105", "212"]


@pytest.mark.parametrize("name", ["typed-libreoffice-html.xls", "typed-libreoffice-xml2003.xls"])
def test_an_html_or_xml_table_named_xls_is_refused_with_what_to_do(name):
    path = OFFICE / name
    assert cannot_read(path) == refused(path, *SAVE_AS)


@pytest.mark.parametrize(
    "content",
    [
        b"\r\n  <table><tr><td>1</td></tr></table>",
        codecs.BOM_UTF8 + b"<!DOCTYPE html><html></html>",
        codecs.BOM_UTF16_LE + "\n<html><body><table></table></body></html>".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + '<?xml version="1.0"?>'.encode("utf-16-be"),
    ],
)
def test_markup_after_a_bom_or_blank_lines_is_still_markup(tmp_path, content):
    path = tmp_path / "export.xls"
    path.write_bytes(content)
    assert cannot_read(path) == refused(path, *SAVE_AS)


def test_text_under_a_workbooks_name_is_refused(tmp_path):
    xls = tmp_path / "table.xls"
    xls.write_text("编号\t名称\nSCH-001\t某校\n", encoding="gbk")
    assert cannot_read(xls) == refused(
        xls,
        "不是 Excel 工作簿：请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入",
        "not an Excel workbook: open it in Excel or WPS, save it as .xlsx and import that file",
    )
    xlsx = tmp_path / "table.xlsx"
    xlsx.write_text("编号,名称\nSCH-001,某校\n", encoding="utf-8")
    assert cannot_read(xlsx) == refused(
        xlsx, "不是 xlsx 文件（不是 zip 压缩包）", "not an xlsx file (not a zip archive)"
    )


def test_bytes_in_no_encoding_are_refused_in_words_not_with_a_codec_message(tmp_path):
    path = tmp_path / "noise.csv"
    path.write_bytes(random.Random(20240901).randbytes(4096))  # noqa: S311 -- noise that repeats
    messages = cannot_read(path)
    assert messages == refused(
        path,
        "无法识别文件的字符编码（应为 UTF-8 或 GBK/GB18030）",
        "the file's character encoding is not recognised (expected UTF-8 or GBK/GB18030)",
    )
    assert not any("codec" in message or "byte" in message for message in messages)


def test_a_damaged_xls_is_refused_as_an_input_error(tmp_path):
    path = tmp_path / "damaged.xls"
    path.write_bytes((OFFICE / "typed-libreoffice.xls").read_bytes()[:1024])
    zh, en = cannot_read(path)
    assert zh == "文件 damaged.xls: 无法读取：文件已损坏，或不是 Excel 97–2003 工作簿（.xls）"
    assert en.startswith("file damaged.xls: cannot be read: the file is damaged")


@pytest.mark.parametrize("suffix", FORMATS)
def test_an_empty_file_has_no_rows(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert list(read_rows(path)) == []


def test_a_missing_file_is_an_input_error(tmp_path):
    messages = cannot_read(tmp_path / "gone.csv")
    assert messages[0].startswith("文件 gone.csv: 无法读取：")
