"""The CSV reader reads every text table Chinese office software writes, without asking for its encoding."""

from __future__ import annotations

import codecs
import random
import tracemalloc
from pathlib import Path

import pytest

from zhijiao.registry.csv_reader import CsvError, detect_encoding, read_csv, sniff_delimiter

SHARED_OFFICE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "office"
OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "office"
UNKNOWN = (
    "无法识别文件的字符编码（应为 UTF-8 或 GBK/GB18030）",
    "the file's character encoding is not recognised (expected UTF-8 or GBK/GB18030)",
)
STUDENT_STATS = [
    [
        "学校编号",
        "年度",
        "在校生数",
        "招生数",
        "毕业生数",
        "留温就业毕业生数",
        "中高职一体化在校生数",
        "中本一体化在校生数",
        "“3+2”在校生数",
        "“3+4”在校生数",
        "公费出国留学人数",
        "受资助学生数",
    ],
    ["0105", "2024", "1860", "640", "590", "410", "220", "0", "60", "12", "2", "150"],
    ["0212", "2024", "920", "330", "280", "190", "0", "0", "0", "0", "0", "60"],
]


def written(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def refusal(path: Path) -> tuple[str, str]:
    with pytest.raises(CsvError) as caught:
        list(read_csv(path))
    return caught.value.zh, caught.value.en


def test_a_gbk_csv_as_excel_on_chinese_windows_saves_it():
    path = SHARED_OFFICE / "student_stats-excel-gbk.csv"
    if not path.exists():
        pytest.skip("shared/fixtures is not beside this checkout")
    assert b"\r\n" in path.read_bytes()
    assert detect_encoding(path) == "gb18030"
    assert list(read_csv(path)) == STUDENT_STATS  # no "\r" left at the ends of the rows


def test_utf8_with_and_without_a_bom(tmp_path):
    text = "编号,名称\r\nSCH-001,温州市职业中等专业学校\r\n"
    rows = [["编号", "名称"], ["SCH-001", "温州市职业中等专业学校"]]
    with_bom = written(tmp_path / "bom.csv", codecs.BOM_UTF8 + text.encode())
    assert detect_encoding(with_bom) == "utf-8-sig"
    assert list(read_csv(with_bom)) == rows  # the BOM is not part of the first heading
    without = written(tmp_path / "plain.csv", text.encode())
    assert detect_encoding(without) == "utf-8"
    assert list(read_csv(without)) == rows


def test_utf8_is_validated_in_chunks_without_breaking_a_character_across_them(tmp_path):
    # 1 MiB chunks: a three-byte character put across the first boundary, so that a decoder that is not
    # incremental would call a valid UTF-8 file GB18030.
    header, line = "名称\n".encode(), b"a" * 63 + b"\n"
    lines, rest = divmod((1 << 20) - 1 - len(header), len(line))
    path = written(tmp_path / "long.csv", header + line * lines + b"b" * rest + "温州\n".encode())
    assert path.read_bytes()[(1 << 20) - 1 : (1 << 20) + 2] == "温".encode()
    assert detect_encoding(path) == "utf-8"
    rows = list(read_csv(path))
    assert rows[0] == ["名称"]
    assert rows[-1] == ["b" * rest + "温州"]


def test_a_utf8_file_whose_last_character_is_cut_off_is_not_utf8(tmp_path):
    path = written(tmp_path / "cut.csv", "名称\n温州".encode()[:-1])
    with pytest.raises(CsvError, match="not recognised"):
        detect_encoding(path)


def test_gb18030_characters_that_gbk_lacks(tmp_path):
    name = "𠀀𡈽乡"  # four-byte GB18030 characters, as rare characters of place and personal names are
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    path = written(tmp_path / "gb18030.csv", f"名称,县\r\n{name},乐清市\r\n".encode("gb18030"))
    assert detect_encoding(path) == "gb18030"
    assert list(read_csv(path)) == [["名称", "县"], [name, "乐清市"]]


def test_utf16_unicode_text_with_tabs_as_libreoffice_saves_it():
    path = OFFICE / "typed-libreoffice-utf16.txt"
    assert path.read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert detect_encoding(path) == "utf-16"
    rows = list(read_csv(path))
    assert rows[0] == [
        "学校编号",
        "数字编号",
        "入学日期",
        "到校时间",
        "经费（万元）",
        "是否公办",
        "备注",
        "学校名称",
        "核对",
    ]
    assert rows[1] == ["0105", "212", "2024-09-01", "08:30:00", "1234.56", "TRUE", "", "温州市职业中等专业学校", "#N/A"]
    assert rows[2][7] == "瑞安市职业中等专业学校（“3+2”）"
    assert rows[3] == [""] * 9
    assert len(rows) == 5


def test_utf16_big_endian_with_a_bom(tmp_path):
    path = written(tmp_path / "be.csv", codecs.BOM_UTF16_BE + "编号\t名称\r\n1\t某校\r\n".encode("utf-16-be"))
    assert list(read_csv(path)) == [["编号", "名称"], ["1", "某校"]]


def test_a_semicolon_delimited_file_keeps_decimal_commas(tmp_path):
    path = written(tmp_path / "semicolon.csv", "编号;名称;金额\n1;某校;1,5\n".encode())
    assert list(read_csv(path)) == [["编号", "名称", "金额"], ["1", "某校", "1,5"]]


def test_quoted_fields_crlf_and_line_breaks_inside_quotes(tmp_path):
    content = '"名称","备注"\r\n"某校, 鹿城","第一行\r\n第二行"\r\n"说""引号""",\r\n\r\n最后,行\r\n'
    path = written(tmp_path / "quoted.csv", content.encode("gb18030"))
    assert list(read_csv(path)) == [
        ["名称", "备注"],
        ["某校, 鹿城", "第一行\r\n第二行"],
        ['说"引号"', ""],
        [],  # a blank line is an empty row, so the rows after it keep their numbers
        ["最后", "行"],
    ]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("编号,名称,县", ","),
        ("编号\t名称\t县", "\t"),
        ("编号;名称;县", ";"),
        ('"编号,名称";县;年度', ";"),  # commas inside quotes do not count
        ("编号", ","),  # one column: nothing to tell, comma
        ("编号,名称;县", ","),  # a tie: comma
        ("编号\t名称;县;年度", ";"),
    ],
)
def test_the_delimiter_is_sniffed_from_the_header(header, delimiter):
    assert sniff_delimiter(header + "\r\n") == delimiter


def test_bytes_in_no_known_encoding_are_refused_in_both_languages(tmp_path):
    noise = random.Random(20240901).randbytes(4096)  # noqa: S311 -- noise that repeats
    for encoding in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            noise.decode(encoding)
    assert refusal(written(tmp_path / "noise.csv", noise)) == UNKNOWN


def test_a_bom_that_the_rest_of_the_file_belies_is_refused(tmp_path):
    path = written(tmp_path / "lying.csv", codecs.BOM_UTF8 + "名称\n".encode() + "温州".encode("gbk"))
    assert refusal(path) == UNKNOWN


def test_a_nul_character_is_refused(tmp_path):
    path = written(tmp_path / "nul.csv", b"code,name\r\nX1,a\x00b\r\n")
    assert refusal(path) == (
        "第2行含有空字符（NUL），这不是文本文件",
        "line 2 holds a NUL character: not a text file",
    )


def test_a_quote_never_closed_is_named(tmp_path):
    path = written(tmp_path / "open.csv", ('名称\n某校\n"' + "很长" * 70_000 + "\n").encode())
    zh, en = refusal(path)
    assert zh.startswith("从第3行起的一个字段超过 131,072 个字符")
    assert en == 'a field from line 3 on is longer than 131,072 characters: perhaps a quote (") is not closed'


def test_an_empty_file_has_no_rows(tmp_path):
    assert list(read_csv(written(tmp_path / "empty.csv", b""))) == []
    assert list(read_csv(written(tmp_path / "bom-only.csv", codecs.BOM_UTF8))) == []


def test_memory_does_not_grow_with_the_file(tmp_path):
    def peak(rows: int) -> int:
        path = tmp_path / f"{rows}.csv"
        with path.open("w", encoding="gbk", newline="") as handle:
            handle.write("统一社会信用代码,企业名称,县\r\n")
            for number in range(rows):
                handle.write(f"913303{number:012d},温州某{number}有限公司,鹿城区\r\n")
        tracemalloc.start()
        try:
            for _ in read_csv(path):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(30_000), peak(90_000)  # 1.4 MB and 4.2 MB of GBK, read in 1 MiB chunks
    assert large - small < 100_000
