"""The templates' guide says what every column of every registry table means, in both languages, and nothing more."""

import re

import pytest

from zhijiao.registry.column_guide import MEANINGS, meaning
from zhijiao.registry.tables import TABLES

# Han characters, CJK punctuation and full-width forms: what an English meaning must not contain.
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
COLUMNS = [(table.name, column.name) for table in TABLES for column in table.columns]


@pytest.mark.parametrize(("table", "column"), COLUMNS)
def test_every_column_has_a_meaning_in_both_languages(table: str, column: str):
    zh, en = meaning(table, column, "zh"), meaning(table, column, "en")
    assert (zh, en) == MEANINGS[table][column]
    assert zh.strip(), f"{table}.{column}: no Chinese meaning"
    assert en.strip(), f"{table}.{column}: no English meaning"
    assert HAN.search(zh), f"{table}.{column}: the Chinese meaning has no Chinese characters: {zh!r}"
    assert not CHINESE.search(en), f"{table}.{column}: the English meaning has Chinese in it: {en!r}"


def test_no_meaning_for_a_table_or_column_that_is_not_there():
    known = {table.name: {column.name for column in table.columns} for table in TABLES}
    assert set(MEANINGS) <= set(known), f"tables not in TABLES: {sorted(set(MEANINGS) - set(known))}"
    stray = [f"{table}.{column}" for table, columns in MEANINGS.items() for column in columns.keys() - known[table]]
    assert not stray, f"meanings for columns not in TABLES: {stray}"
