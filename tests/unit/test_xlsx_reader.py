"""The streaming xlsx reader gives the values openpyxl's read-only mode gives, in memory that does not grow."""

from __future__ import annotations

import datetime as dt
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from zhijiao.engine.errors import InputError
from zhijiao.registry.sheets import read_rows
from zhijiao.registry.xlsx_reader import XlsxError, from_serial, is_date_format, read_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def naive(*parts: int) -> dt.datetime:
    return dt.datetime(*parts)  # noqa: DTZ001 -- Excel's dates and times have no time zone


def trimmed(rows: list[list[object]]) -> list[list[object]]:
    """Rows without trailing empty cells: openpyxl pads every row to the widest, the reader to its last cell."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    return out


def ours(path: Path) -> list[list[object]]:
    return trimmed(list(read_xlsx(path)))


def openpyxl_rows(path: Path) -> list[list[object]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return trimmed([list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)])
    finally:
        workbook.close()


def shared_strings_copy(source: Path, target: Path) -> Path:
    """The workbook as Excel and WPS save it: every inline string moved to xl/sharedStrings.xml (openpyxl writes
    inline strings only)."""
    strings: dict[str, int] = {}

    def index(match: re.Match[str]) -> str:
        number = strings.setdefault(match[3], len(strings))
        return f'<c r="{match[1]}"{match[2]} t="s"><v>{number}</v></c>'

    inline = re.compile(r'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>')
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename).decode()
            if item.filename == "xl/worksheets/sheet1.xml":
                data = inline.sub(index, data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    "</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            new.writestr(item.filename, data)
        items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
        # the last entry as Excel writes rich text: runs with their fonts, and a phonetic guide that is no text
        items += (
            '<si><r><rPr><b/></rPr><t>温州</t></r><r><t xml:space="preserve"> 职教 </t></r>'
            "<rPh sb='0' eb='2'><t>ウンシュウ</t></rPh></si>"
        )
        new.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" uniqueCount="{len(strings) + 1}">{items}</sst>')
    return target


def workbook_of_every_kind(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["编号", "名称", "金额", "比例", "是否", "日期", "时间", "时长", "备注"])
    sheet.append(["SCH-001", "瑞安市职业中等专业学校", 12345, 0.35, True, dt.date(2023, 5, 1), None, None, "甲"])
    sheet.append(["SCH-002", None, 1.5e10, -2.25, False, naive(2024, 2, 29, 13, 45, 30), dt.time(8, 30)])
    sheet["H3"] = dt.timedelta(hours=30, minutes=15)
    sheet.cell(row=6, column=2, value="跳过第4、5行")  # rows 4 and 5 are not stored at all
    sheet.cell(row=6, column=6, value=dt.date(2025, 1, 15)).number_format = 'yyyy"年"m"月"d"日"'
    sheet.cell(row=7, column=1, value=660103)
    sheet.cell(row=7, column=6, value=dt.date(2023, 6, 1)).number_format = "mm-dd-yy"  # built-in format 14
    sheet.cell(row=7, column=9, value="  前后空格  ")
    sheet.cell(row=9, column=12, value="稀疏的列")
    workbook.save(path)
    return path


def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path):
    path = workbook_of_every_kind(tmp_path / "kinds.xlsx")
    rows = ours(path)
    assert rows == openpyxl_rows(path)
    assert rows[1][:6] == ["SCH-001", "瑞安市职业中等专业学校", 12345, 0.35, True, naive(2023, 5, 1)]
    assert rows[2][5:8] == [naive(2024, 2, 29, 13, 45, 30), dt.time(8, 30), dt.timedelta(hours=30, minutes=15)]
    assert rows[3] == rows[4] == []  # skipped rows are empty, so the n-th row is still row n
    assert rows[5] == [None, "跳过第4、5行", None, None, None, naive(2025, 1, 15)]
    assert rows[6][5] == naive(2023, 6, 1)
    assert rows[8] == [None] * 11 + ["稀疏的列"]


def test_a_file_as_zhijiao_exports_it(tmp_path):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业")
    sheet.append(["统一社会信用代码", "企业名称", "所在县（市、区）", "行业"])
    for number in range(50):
        sheet.append([f"913303{number:012d}", f"温州某{number}有限公司", "鹿城区", None if number % 7 else "鞋服"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    assert ours(path) == openpyxl_rows(path)
    assert len(ours(path)) == 51


def test_shared_strings_and_rich_text(tmp_path):
    path = shared_strings_copy(workbook_of_every_kind(tmp_path / "inline.xlsx"), tmp_path / "shared.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        rich = len(re.findall("<si>", archive.read("xl/sharedStrings.xml").decode())) - 1
    assert 't="s"' in sheet
    assert "inlineStr" not in sheet
    path_with_rich_text = tmp_path / "rich.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(path_with_rich_text, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename).decode()
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace("</sheetData>", f'<row r="10"><c r="A10" t="s"><v>{rich}</v></c></row></sheetData>')
                data = data.replace('<dimension ref="A1:L9" />', '<dimension ref="A1:L10" />')
            new.writestr(item.filename, data)
    rows = ours(path_with_rich_text)
    assert rows == openpyxl_rows(path_with_rich_text)
    assert rows[0][0] == "编号"
    assert rows[9] == ["温州 职教 "]  # runs joined, whitespace kept, the phonetic guide left out
    assert ours(path) == ours(tmp_path / "inline.xlsx")


def test_inline_rich_text_is_its_runs_joined(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = CellRichText(["温州", TextBlock(InlineFont(b=True), "职业"), "教育"])
    path = tmp_path / "rich.xlsx"
    workbook.save(path)
    assert ours(path) == [["温州职业教育"]] == openpyxl_rows(path)


def package(path: Path, sheets: dict[str, str], *, workbook_pr: str = "", styles: str = "") -> Path:
    """A workbook written by hand: ``sheets`` maps a part name under xl/ to its <sheetData> content, in the
    order the workbook lists them (the part names deliberately not sheet1, sheet2, …)."""
    listed = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, len(sheets) + 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="{part}"/>' for i, part in enumerate(sheets, 1)
    )
    overrides = "".join(f'<Override PartName="/xl/{part}" ContentType="{SHEET_TYPE}"/>' for part in sheets)
    files = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE_REL}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}'
        f"<sheets>{listed}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE_REL}">{rels}'
        f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}">{styles}'
        '<fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="14"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    }
    files |= {f"xl/{part}": f'<worksheet xmlns="{MAIN}"><sheetData>{data}</sheetData></worksheet>'
              for part, data in sheets.items()}  # fmt: skip
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_the_first_worksheet_is_the_workbooks_first_whatever_its_part_is_called(tmp_path):
    path = package(
        tmp_path / "order.xlsx",
        {"worksheets/data.xml": '<row r="1"><c r="A1" t="inlineStr"><is><t>第一张</t></is></c></row>',
         "worksheets/sheet1.xml": '<row r="1"><c r="A1" t="inlineStr"><is><t>第二张</t></is></c></row>'},
    )  # fmt: skip
    assert ours(path) == [["第一张"]] == openpyxl_rows(path)


def test_formulas_errors_and_cells_without_references(tmp_path):
    cells = (
        '<row r="1"><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c><c r="D1" t="b"><v>0</v></c></row>'
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"x"&amp;"y"</f><v>xy</v></c>'
        '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2" t="b"><f>TRUE()</f><v>1</v></c>'
        '<c r="E2"><f>NOW()</f></c><c r="F2" s="0"/><c r="G2"><v>1.25E-3</v></c></row>'
    )
    path = package(tmp_path / "formulas.xlsx", {"worksheets/s.xml": cells})
    assert ours(path) == openpyxl_rows(path)
    assert ours(path) == [["a", 2, None, False], [2, "xy", "#DIV/0!", True, None, None, 0.00125]]


def test_dates_of_the_1904_system_and_of_chinese_built_in_formats(tmp_path):
    cells = '<row r="1"><c r="A1" s="2"><v>0</v></c><c r="B1" s="2"><v>43221.5</v></c><c r="C1"><v>43221</v></c></row>'
    path = package(tmp_path / "1904.xlsx", {"worksheets/s.xml": cells}, workbook_pr='<workbookPr date1904="1"/>')
    assert ours(path) == openpyxl_rows(path) == [[dt.time(0), naive(2022, 5, 2, 12), 43221]]
    # numFmtId 31 is 2023年5月1日 in Chinese Excel; openpyxl knows only the formats of every locale
    chinese = '<row r="1"><c r="A1" s="1"><v>45047</v></c><c r="B1" s="2"><v>45047</v></c></row>'
    path = package(tmp_path / "zh.xlsx", {"worksheets/s.xml": chinese})
    assert ours(path) == [[naive(2023, 5, 1), naive(2023, 5, 1)]]
    assert openpyxl_rows(path) == [[45047, naive(2023, 5, 1)]]


def test_a_custom_format_overrides_a_built_in_number_and_dxfs_do_not_count(tmp_path):
    styles = (
        '<numFmts count="1"><numFmt numFmtId="14" formatCode="0.00"/></numFmts>'
        '<dxfs count="1"><dxf><numFmt numFmtId="31" formatCode="0"/></dxf></dxfs>'
    )
    cells = '<row r="1"><c r="A1" s="2"><v>45047</v></c><c r="B1" s="1"><v>45047</v></c></row>'
    path = package(tmp_path / "custom.xlsx", {"worksheets/s.xml": cells}, styles=styles)
    assert ours(path) == [[45047, naive(2023, 5, 1)]]


def test_excel_escapes_are_decoded(tmp_path):
    cells = '<row r="1"><c r="A1" t="inlineStr"><is><t>第一行_x000D_\n第二行，字面的 _x005F_x0041_</t></is></c></row>'
    path = package(tmp_path / "escapes.xlsx", {"worksheets/s.xml": cells})
    assert ours(path) == [["第一行\r\n第二行，字面的 _x0041_"]]


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("yyyy-mm-dd", True),
        ('yyyy"年"m"月"d"日";@', True),
        ("[$-804]aaaa;@", False),
        ("[h]:mm:ss", True),
        ('#,##0.00"元"', False),
        ("[Red]0.00", False),
        ("0.00E+00", False),
        ("General", False),
        (r"0\d", False),
    ],
)
def test_date_formats_are_recognised_by_their_tokens(code, is_date):
    assert is_date_format(code) is is_date


def test_serials_convert_as_openpyxl_converts_them():
    epoch = naive(1899, 12, 30)
    assert from_serial(1, epoch) == naive(1900, 1, 1)  # before Excel's fictitious 29 February 1900
    assert from_serial(61, epoch) == naive(1900, 3, 1)
    assert from_serial(45047.75, epoch) == naive(2023, 5, 1, 18)
    assert from_serial(1.5, epoch, elapsed=True) == dt.timedelta(days=1, hours=12)


def test_a_date_beyond_the_calendar_stays_a_number(tmp_path):
    cells = '<row r="1"><c r="A1" s="2"><v>99999999</v></c></row>'
    assert ours(package(tmp_path / "far.xlsx", {"worksheets/s.xml": cells})) == [[99999999]]


def test_rows_out_of_order_are_refused(tmp_path):
    cells = '<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>'
    with pytest.raises(XlsxError, match="row 2 comes after row 3"):
        ours(package(tmp_path / "order.xlsx", {"worksheets/s.xml": cells}))


def cannot_read(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        list(read_rows(path))
    return caught.value.messages("zh") + caught.value.messages("en")


def test_files_that_are_not_xlsx_are_refused_by_name(tmp_path):
    text = tmp_path / "table.xlsx"
    text.write_text("编号,名称\nSCH-001,某校\n", encoding="utf-8")
    assert cannot_read(text) == [
        "文件 table.xlsx: 无法读取：不是 xlsx 文件（不是 zip 压缩包）",
        "file table.xlsx: cannot be read: not an xlsx file (not a zip archive)",
    ]
    empty_zip = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "no workbook here")
    assert "file empty.xlsx: cannot be read: xl/workbook.xml is missing" in cannot_read(empty_zip)
    broken = package(tmp_path / "broken.xlsx", {"worksheets/s.xml": '<row r="1"><c r="A1"><v>1</v></row>'})
    assert any(m.startswith("file broken.xlsx: cannot be read: malformed XML") for m in cannot_read(broken))
    bad_number = package(tmp_path / "number.xlsx", {"worksheets/s.xml": '<row r="1"><c r="A1"><v>x</v></c></row>'})
    assert any(m.startswith("file number.xlsx: cannot be read: invalid content") for m in cannot_read(bad_number))


def test_memory_does_not_grow_with_the_rows(tmp_path):
    def peak(rows: int) -> int:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for number in range(rows):
            sheet.append([f"913303{number:012d}", f"温州某{number}有限公司", "鹿城区", number])
        path = tmp_path / f"{rows}.xlsx"
        workbook.save(path)
        tracemalloc.start()
        try:
            for _ in read_xlsx(path):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(2_000), peak(20_000)
    assert large - small < 100_000  # openpyxl kept ~80 bytes a row: 1.4 MB more here
