"""Reading the registry's pages and database in tests: a table's cells as text, a table's rows as stored."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from zhijiao.demo.names import credit_code
from zhijiao.storage.database import unit_of_work


def new_credit_code(number: int, county: str = "330381") -> str:
    """A well-formed unified social credit code that no demo enterprise has."""
    return credit_code(county, 900_000 + number, old_style=False)


def cell_text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """The body rows of the table with ``table_id``, each as its cells' text."""
    start = page.index(f'id="{table_id}"')
    body = page[start:].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [cell_text(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    ]


def codes(page: str, table: str) -> list[str]:
    """The codes (first column) of a registry list page."""
    return [row[0] for row in table_rows(page, f"registry-{table}") if len(row) > 1]


def query(client: TestClient, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with unit_of_work(client.app.state.engine) as session:
        return [tuple(row) for row in session.execute(text(sql), params)]


def execute(client: TestClient, sql: str, **params: Any) -> None:
    """A change made behind the platform's back, as another official's work would."""
    with unit_of_work(client.app.state.engine) as session:
        session.execute(text(sql), params)


def snapshot(client: TestClient, table: str) -> dict[int, tuple[Any, ...]]:
    """Every row of a table by id: comparing two snapshots shows exactly what a request changed."""
    return {row[0]: row for row in query(client, f"SELECT * FROM {table} ORDER BY id")}  # noqa: S608 -- test tables


def changed(before: dict[int, tuple[Any, ...]], after: dict[int, tuple[Any, ...]]) -> dict[int, tuple[Any, ...]]:
    """Rows that differ or are new (by id); rows removed map to ()."""
    out = {key: row for key, row in after.items() if before.get(key) != row}
    out.update({key: () for key in before if key not in after})
    return out


def form_values(page: str) -> dict[str, str]:
    """The fields of the page's form with the values it would submit (inputs and selected options)."""
    values = {name: html.unescape(value) for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', page)}
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.DOTALL):
        chosen = re.findall(r'<option value="([^"]*)" selected>', options)
        first = re.findall(r'<option value="([^"]*)"', options)
        values[name] = html.unescape(chosen[-1] if chosen else first[0])
    return values


def columns(client: TestClient, table: str) -> list[str]:
    """A table's column names, in the order ``snapshot`` gives its values."""
    with client.app.state.engine.connect() as connection:
        return list(connection.execute(text(f"SELECT * FROM {table} WHERE 1 = 0")).keys())  # noqa: S608


def first_enterprise(client: TestClient, county: str) -> tuple[str, str]:
    """(code, name) of the first enterprise of a county, by code."""
    ((code, name),) = query(
        client,
        "SELECT e.code, e.name FROM enterprises e JOIN counties c ON c.code = e.county_code "
        "WHERE c.name = :county ORDER BY e.code LIMIT 1",
        county=county,
    )
    return str(code), str(name)
