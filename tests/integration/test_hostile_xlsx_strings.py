"""Hostile strings in an xlsx (issue 14): one shared string or one cell of 50 MB, a few KB on disk, is refused
while it is read, naming the cell-length limit and its setting, in memory far below its size — ElementTree held
all of an element's text before anyone could count it. A string exactly at the limit still imports."""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError
from zhijiao.registry.importer import import_table
from zhijiao.registry.models import School
from zhijiao.registry.sheets import CELL_SETTING, read_rows
from zhijiao.registry.tables import BY_NAME
from zhijiao.registry.xlsx_reader import XlsxError, read_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ["学校编号", "学校名称", "所在县（市、区）", "学校类型", "办学性质", "举办者"]
SCHOOL = ["SCH-001", "第1职业学校", "瑞安市", "secondary", "public", "county"]
MB = 1024 * 1024
HUGE = 50 * MB  # characters of the hostile string, for the reader alone
# Through read_rows, a string of 16 MB or more of one letter is refused first by the package's compression ratio
# (sheets.MAX_RATIO): one just under it is what reaches the reader.
UNDER_RATIO = 15 * MB
MEMORY = 5 * MB  # what reading either may cost at most; ElementTree took more than twice the string

Writer = Callable[[zipfile.ZipFile], None]


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int, values: list[str]) -> str:
    cells = "".join(_inline(f"{chr(ord('A') + n)}{number}", value) for n, value in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def _write_huge(archive: zipfile.ZipFile, name: str, head: str, tail: str, size: int) -> None:
    """A part with ``size`` "a"s between head and tail, streamed: the test does not hold the string either."""
    chunk = b"a" * MB
    with archive.open(name, "w", force_zip64=True) as stream:
        stream.write(head.encode())
        for _ in range(size // MB):
            stream.write(chunk)
        stream.write(tail.encode())


def _xlsx(path: Path, sheet: Writer, shared: Writer | None = None) -> Path:
    """A minimal workbook as Excel lays it out, its first sheet (and shared strings) written by the callbacks."""
    shared_rel = f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>' if shared else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>{shared_rel}'
            "</Relationships>",
        )
        sheet(archive)
        if shared:
            shared(archive)
    return path


def _sheet(rows: str) -> Writer:
    def write(archive: zipfile.ZipFile) -> None:
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
        )

    return write


def huge_shared_string(path: Path, size: int = UNDER_RATIO) -> Path:
    """Row 2's name is shared string 1: ``size`` "a"s in one <t>."""
    rows = _row(1, HEADER) + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'

    def shared(archive: zipfile.ZipFile) -> None:
        _write_huge(
            archive,
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN}"><si><t>SCH-001</t></si><si><t>',
            "</t></si></sst>",
            size,
        )

    return _xlsx(path, _sheet(rows), shared)


def huge_inline_string(path: Path, size: int = UNDER_RATIO) -> Path:
    """Row 2's name, cell B2, is an inline string of ``size`` "a"s."""

    def sheet(archive: zipfile.ZipFile) -> None:
        head = f'<worksheet xmlns="{MAIN}"><sheetData>{_row(1, HEADER)}<row r="2">{_inline("A2", "SCH-001")}'
        _write_huge(
            archive,
            "xl/worksheets/sheet1.xml",
            head + '<c r="B2" t="inlineStr"><is><t>',
            "</t></is></c></row></sheetData></worksheet>",
            size,
        )

    return _xlsx(path, sheet)


def _peak(read: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        read()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def _refusal(path: Path) -> tuple[str, int]:
    """What read_rows said of the file, and the memory it took to say it."""
    caught: list[InputError] = []

    def read() -> None:
        with pytest.raises(InputError) as error:
            list(read_rows(path))
        caught.append(error.value)

    peak = _peak(read)
    return "\n".join(caught[0].messages("zh") + caught[0].messages("en")), peak


@pytest.mark.parametrize(
    ("build", "zh", "en"),
    [
        (huge_shared_string, "共享字符串 1 超过 10,000 个字符", "shared string 1 is longer than 10,000 characters"),
        (
            huge_inline_string,
            "第2行 B 列的单元格超过 10,000 个字符",
            "the cell in row 2 column B is longer than 10,000",
        ),
    ],
)
def test_read_rows_refuses_a_huge_string_as_it_is_read_in_little_memory(tmp_path, build, zh, en):
    path = build(tmp_path / "hostile.xlsx")
    message, peak = _refusal(path)
    assert zh in message
    assert en in message
    assert CELL_SETTING in message
    assert peak < MEMORY, f"reading took {peak / MB:.1f} MB"


def test_the_limit_is_the_setting_in_force(tmp_path, monkeypatch):
    monkeypatch.setenv(CELL_SETTING, "20000")
    message, _ = _refusal(huge_shared_string(tmp_path / "hostile.xlsx"))
    assert "共享字符串 1 超过 20,000 个字符（ZHIJIAO_MAX_CELL_CHARS）" in message
    assert "shared string 1 is longer than 20,000 characters (ZHIJIAO_MAX_CELL_CHARS)" in message


@pytest.mark.parametrize(
    ("build", "zh", "en"),
    [
        (huge_shared_string, "共享字符串 1 超过 10,000 个字符", "shared string 1 is longer than 10,000 characters"),
        (
            huge_inline_string,
            "第2行 B 列的单元格超过 10,000 个字符",
            "the cell in row 2 column B is longer than 10,000 characters",
        ),
    ],
)
def test_the_reader_refuses_a_string_of_50_mb_in_little_memory(tmp_path, build, zh, en):
    path = build(tmp_path / "hostile.xlsx", HUGE)
    assert path.stat().st_size < MB

    def read() -> None:
        with pytest.raises(XlsxError) as caught:
            list(read_xlsx(path))  # its own limit: the setting's default
        assert (caught.value.zh, caught.value.en) == (zh, en)

    peak = _peak(read)
    assert peak < MEMORY, f"reading took {peak / MB:.1f} MB"


def test_the_reader_names_the_setting_it_is_given(tmp_path):
    with pytest.raises(XlsxError) as caught:
        list(read_xlsx(huge_inline_string(tmp_path / "hostile.xlsx", MB), max_cell_chars=100, setting="X"))
    assert caught.value.en == "the cell in row 2 column B is longer than 100 characters (X)"
    assert caught.value.zh == "第2行 B 列的单元格超过 100 个字符（X）"


@pytest.mark.parametrize("where", ["shared", "inline", "formula"])
def test_a_string_at_the_limit_is_read_and_one_past_it_refused(tmp_path, monkeypatch, where):
    """Counted as the cell has it: Excel's _x000D_ is one character (a line break), not seven."""
    monkeypatch.setenv(CELL_SETTING, "100")
    at_limit = "甲" * 90 + "_x000D_" * 10  # 100 characters, 160 in the file

    def build(name: str, text: str) -> Path:
        cell = {
            "shared": '<c r="B2" t="s"><v>0</v></c>',
            "inline": _inline("B2", text),
            "formula": f'<c r="B2" t="str"><f>A2&amp;"x"</f><v>{text}</v></c>',
        }[where]
        rows = _row(1, HEADER) + f'<row r="2">{_inline("A2", "SCH-001")}{cell}</row>'

        def shared(archive: zipfile.ZipFile) -> None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>{text}</t></si></sst>')

        return _xlsx(tmp_path / name, _sheet(rows), shared if where == "shared" else None)

    assert list(read_rows(build("at.xlsx", at_limit)))[1][:2] == ["SCH-001", "甲" * 90 + "\r" * 10]
    with pytest.raises(InputError, match="longer than 100 characters"):
        list(read_rows(build("past.xlsx", at_limit + "乙")))


def _schools(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(School)) or 0


@pytest.mark.parametrize("build", [huge_shared_string, huge_inline_string])
def test_importing_a_huge_string_changes_nothing_and_names_the_limit(engine, tmp_path, build):
    path = build(tmp_path / "hostile.xlsx")
    with pytest.raises(InputError) as caught, Session(engine) as session, session.begin():
        import_table(session, BY_NAME["schools"], path)
    assert caught.value.headline["zh"] == "文件未导入"
    message = "\n".join(caught.value.messages("zh") + caught.value.messages("en"))
    assert "超过 10,000 个字符（ZHIJIAO_MAX_CELL_CHARS）" in message
    assert "longer than 10,000 characters (ZHIJIAO_MAX_CELL_CHARS)" in message
    assert _schools(engine) == 0


def test_a_normal_file_with_a_string_at_the_limit_imports(engine, tmp_path, monkeypatch):
    monkeypatch.setenv(CELL_SETTING, "100")  # the schools table's name column takes 100 characters
    name = "温州" * 50
    path = _xlsx(tmp_path / "schools.xlsx", _sheet(_row(1, HEADER) + _row(2, [SCHOOL[0], name, *SCHOOL[2:]])))
    with Session(engine) as session, session.begin():
        import_table(session, BY_NAME["schools"], path)
    with Session(engine) as session:
        assert session.scalar(select(School.name)) == name


def test_a_dtd_is_refused(tmp_path):
    """Entities a DTD declares would let a small part expand far beyond the unpacked size the limit bounds."""
    rows = _row(1, HEADER)

    def sheet(archive: zipfile.ZipFile) -> None:
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<!DOCTYPE worksheet [<!ENTITY a "{"a" * 1000}">]><worksheet xmlns="{MAIN}"><sheetData>{rows}'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>&a;&a;</t></is></c></row></sheetData></worksheet>',
        )

    with pytest.raises(InputError, match=r"worksheets/sheet1.xml has a DTD"):
        list(read_rows(_xlsx(tmp_path / "dtd.xlsx", sheet)))
