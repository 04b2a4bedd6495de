"""Hostile files (issue 14), on SQLite and PostgreSQL: a zip bomb, too many rows and an overlong cell are refused
quickly, naming the limit and its setting, with nothing written; a school named as a formula is exported as CSV
text and imports back as the exact name."""

from __future__ import annotations

import csv
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError
from zhijiao.registry.exporter import export_table
from zhijiao.registry.importer import import_table
from zhijiao.registry.models import School
from zhijiao.registry.sheets import CELL_SETTING, ROWS_SETTING, UNPACKED_SETTING, read_rows, write_rows
from zhijiao.registry.tables import BY_NAME
from zhijiao.xlsx_text import keep_text

OFFICE = Path(__file__).parents[1] / "fixtures" / "office"
HEADER = ["学校编号", "学校名称", "所在县（市、区）", "学校类型", "办学性质", "举办者"]
SCHOOLS = [[f"SCH-{n:03}", f"第{n}职业学校", "瑞安市", "secondary", "public", "county"] for n in range(1, 5)]
FORMULA = '=HYPERLINK("http://example.com/x","x")'


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    keep_text(workbook).save(path)  # a name typed as a formula stays text, as Excel keeps text typed after '
    return path


def _bomb(path: Path, megabytes: int) -> Path:
    """A valid workbook whose sheet XML is padded with ``megabytes`` MB of spaces: a few hundred KB on disk."""
    good = _xlsx(path.with_name("good.xlsx"), SCHOOLS[:1])
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with target.open(item.filename, "w", force_zip64=True) as stream:
                stream.write(head + b"<sheetData>")
                for _ in range(megabytes):  # streamed: the test does not hold the padding either
                    stream.write(chunk)
                stream.write(tail)
    return path


def _import(engine: Engine, path: Path) -> None:
    with Session(engine) as session, session.begin():
        import_table(session, BY_NAME["schools"], path)


def _refused(engine: Engine, path: Path) -> str:
    with pytest.raises(InputError) as caught:
        _import(engine, path)
    assert caught.value.headline["zh"] == "文件未导入"
    return "\n".join(caught.value.messages("zh") + caught.value.messages("en"))


def _schools(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(School)) or 0


def test_a_zip_bomb_is_refused_before_it_is_parsed(engine, tmp_path, monkeypatch):
    monkeypatch.setenv(UNPACKED_SETTING, "16")
    path = _bomb(tmp_path / "bomb.xlsx", 40)
    assert path.stat().st_size < 1024 * 1024
    started = time.monotonic()
    message = _refused(engine, path)
    assert time.monotonic() - started < 2  # the sizes are checked, not the XML read
    assert "解压后超过 16 MB" in message
    assert "unpacks to more than 16 MB" in message
    assert UNPACKED_SETTING in message
    assert _schools(engine) == 0


def test_a_zip_bomb_under_the_size_limit_is_refused_by_its_ratio(engine, tmp_path):
    message = _refused(engine, _bomb(tmp_path / "bomb.xlsx", 40))  # the default limit, 200 MB, is not reached
    assert "倍" in message
    assert "times its compressed size" in message
    assert _schools(engine) == 0


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_file_over_the_row_limit_is_refused_and_nothing_is_written(engine, tmp_path, monkeypatch, kind):
    if kind == "xlsx":
        path = _xlsx(tmp_path / "schools.xlsx", SCHOOLS)
    else:
        path = tmp_path / "schools.csv"
        write_rows(path, HEADER, SCHOOLS)
    monkeypatch.setenv(ROWS_SETTING, "4")
    _import(engine, path)  # four rows: at the limit
    assert _schools(engine) == 4
    with Session(engine) as session, session.begin():
        session.query(School).delete()
    monkeypatch.setenv(ROWS_SETTING, "3")
    message = _refused(engine, path)
    assert "超过 3 行" in message
    assert "more than 3 rows" in message
    assert ROWS_SETTING in message
    assert _schools(engine) == 0


def test_an_xls_over_the_row_limit_is_refused(monkeypatch):
    path = OFFICE / "schools-template-typed.xls"  # four data rows
    assert len(list(read_rows(path))) == 5
    monkeypatch.setenv(ROWS_SETTING, "3")
    with pytest.raises(InputError, match="more than 3 rows"):
        list(read_rows(path))


def test_the_row_limit_stops_reading(tmp_path, monkeypatch):
    """The refusal comes at the first row beyond the limit, not after the whole file has been read."""
    path = tmp_path / "long.csv"
    write_rows(path, HEADER, SCHOOLS)
    monkeypatch.setenv(ROWS_SETTING, "2")
    rows = read_rows(path)
    assert [next(rows) for _ in range(3)][2][0] == "SCH-002"
    with pytest.raises(InputError, match="more than 2 rows"):
        next(rows)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_overlong_cell_is_refused_naming_its_row_and_column(engine, tmp_path, monkeypatch, kind):
    rows = [SCHOOLS[0], [*SCHOOLS[1][:1], "长" * 10_001, *SCHOOLS[1][2:]]]
    if kind == "xlsx":
        path = _xlsx(tmp_path / "schools.xlsx", rows)
    else:
        path = tmp_path / "schools.csv"
        write_rows(path, HEADER, rows)
    message = _refused(engine, path)
    assert "第3行 B 列" in message
    assert "row 3 column B" in message
    assert "10,000" in message
    assert CELL_SETTING in message
    assert _schools(engine) == 0
    monkeypatch.setenv(CELL_SETTING, "20000")
    with pytest.raises(InputError, match="longer than 100 characters"):  # the column's own limit then applies
        _import(engine, path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_formula_school_name_is_exported_as_csv_text_and_imports_back(engine, tmp_path, lang):
    names = [FORMULA, "-所谓学校", "@SUM(A1)", "+1+1", "'=已有引号", "温州职业学校"]
    rows = [[f"SCH-{n:03}", name, *SCHOOLS[0][2:]] for n, name in enumerate(names, start=1)]
    _import(engine, _xlsx(tmp_path / "schools.xlsx", rows))
    path = tmp_path / f"schools-{lang}.csv"
    with Session(engine) as session:
        assert export_table(session, BY_NAME["schools"], path, lang=lang) == len(names)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        written = {row[0]: row[1] for row in list(csv.reader(handle))[1:]}
    assert written["SCH-001"] == "'" + FORMULA  # a spreadsheet shows it as text and runs nothing
    assert written["SCH-002"] == "'-所谓学校"
    assert written["SCH-003"] == "'@SUM(A1)"
    assert written["SCH-004"] == "'+1+1"
    assert written["SCH-005"] == "''=已有引号"  # a name that starts with a quote keeps it on the way back
    assert written["SCH-006"] == "温州职业学校"
    with Session(engine) as session, session.begin():
        report = import_table(session, BY_NAME["schools"], path)
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, len(names))
    with Session(engine) as session:
        stored = dict(session.execute(select(School.code, School.name)).all())
    assert [stored[f"SCH-{n:03}"] for n in range(1, len(names) + 1)] == names


def test_negative_numbers_stay_numbers_in_csv(tmp_path):
    path = tmp_path / "numbers.csv"
    write_rows(path, ["a", "b", "c", "d"], [[Decimal(-5), Decimal("-0.50"), "-0.50", -5]])
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == "-5,-0.50,-0.50,-5"
    assert list(read_rows(path))[1] == ["-5", "-0.50", "-0.50", "-5"]


def test_a_bomb_that_understates_its_sizes_is_read_no_further_than_it_declares(tmp_path, monkeypatch):
    """The sizes checked are those the zip's directory declares; one that lies about them is cut off at what it
    declared (zipfile reads no further) and refused as damaged, not unpacked."""
    monkeypatch.setenv(UNPACKED_SETTING, "16")
    path = _bomb(tmp_path / "liar.xlsx", 40)
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory's first entry
    while True:  # find the sheet's entry and declare it 100 KB
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        extra_length = int.from_bytes(data[entry + 30 : entry + 32], "little")
        comment_length = int.from_bytes(data[entry + 32 : entry + 34], "little")
        if data[entry + 46 : entry + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            break
        entry += 46 + name_length + extra_length + comment_length
    assert data[entry + 24 : entry + 28] != b"\xff\xff\xff\xff"  # under 4 GiB: no zip64 field holds the size
    data[entry + 24 : entry + 28] = (100_000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        list(read_rows(path))
    assert time.monotonic() - started < 2
    assert "无法读取" in caught.value.messages("zh")[0]  # zipfile's CRC check, past the declared end
