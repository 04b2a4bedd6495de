"""CSV fields a spreadsheet would run as formulas are written as text (OWASP: a leading single quote), and read
back exactly (issue 14)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from zhijiao.cli.calc import _csv_safe
from zhijiao.xlsx_text import csv_cell, csv_row, csv_text


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://example.com","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=", "-", "-5+A1", "+-"],
)
def test_formula_looking_text_is_quoted_and_read_back(text):
    assert csv_cell(text) == "'" + text
    assert csv_text("'" + text) == text


@pytest.mark.parametrize("value", ["-5", "-0.50", "+3", "-1,000.25", "-1e5", "-.5", "温州", "", "a=b", "'quoted"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert csv_cell(value) == value
    assert csv_text(value) == value


def test_non_text_values_are_left_alone():
    assert csv_row([None, -5, Decimal("-0.50"), 1.5, "=x"]) == ["", -5, Decimal("-0.50"), 1.5, "'=x"]


def test_only_a_quote_before_formula_looking_text_is_taken_off():
    assert csv_text("'温州") == "'温州"
    assert csv_text("'-5") == "'-5"  # csv_cell never quotes a number
    assert csv_text("''=x") == "'=x"  # a name that really began with '=x


def test_the_calculation_csv_quotes_as_the_registry_does():
    """``zhijiao calc --format csv`` quotes text columns in polars, without a Python call per row: the same
    cells as ``csv_cell``."""
    values = ['=HYPERLINK("x")', "-5", "'-5", "''=x", "'=x", "+1+1", "@a", "\tx", "-0.50", "S1", None, "-", ".5"]
    table = pl.DataFrame({"id": values, "amount": list(range(len(values)))})
    written = _csv_safe(table.lazy()).collect()
    assert written["id"].to_list() == [None if v is None else csv_cell(v) for v in values]
    assert written["amount"].to_list() == table["amount"].to_list()
