"""The ledger and a recipient's statement as xlsx: the rows the filter selects, exact yuan, who proposed and
who confirmed each correction, the net and the running balance, headers in the user's language."""

from __future__ import annotations

import io
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import api_token, sign_in
from test_fulfilment_support import database, paid, persona

from zhijiao.fulfilment import corrections
from zhijiao.policies.wenzhou_vet_2023 import load

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REASON = "=收款账户有误"  # looks like a formula to Excel: it must stay text


def _reversed(client: TestClient) -> tuple[int, int, str]:
    """(amount in fen, payment id, "kind/code" of the recipient) of a payment finance reversed, by two people."""
    _award_id, amount, entry_id = paid(client)
    with database(client) as session:
        proposal = corrections.propose(session, persona(session, "finance"), entry_id, REASON)
        corrections.confirm(session, persona(session, "finance2"), load(), proposal.id)
    names = client.get("/api/v1/ledger", headers=api_token(client, "auditor")).json()["items"]
    item = next(item for item in names if item["id"] == entry_id)
    return amount, entry_id, f"{item['entity_kind']}/{item['entity_code']}"


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []  # no formula
    return list(sheet.iter_rows(values_only=True))


def test_the_ledger_export_holds_every_filtered_row_with_both_people_and_the_net(sqlite_client: TestClient):
    amount, entry_id, _code = _reversed(sqlite_client)
    sign_in(sqlite_client, "auditor")
    header, payment, reversal, net = _rows(sqlite_client.get("/ledger/export.xlsx"))
    assert header[0] == "台账号"
    column = {name: i for i, name in enumerate(header)}
    assert (payment[0], payment[column["类型"]], payment[column["被冲减台账号"]]) == (entry_id, "拨付", reversal[0])
    assert payment[column["金额（元）"]] == Decimal(amount) / 100
    assert reversal[column["金额（元）"]] == -Decimal(amount) / 100
    assert (reversal[column["冲减台账号"]], reversal[column["说明"]]) == (entry_id, REASON)
    assert (reversal[column["提出人"]], reversal[column["记账人（复核人）"]]) == ("finance", "finance2")
    assert payment[column["拨付批次"]].startswith("PB")
    assert (net[0], net[column["金额（元）"]]) == ("净额", 0)
    assert "导出筛选结果" in sqlite_client.get("/ledger").text

    only = _rows(sqlite_client.get("/ledger/export.xlsx?kind=reversal"))
    assert [row[0] for row in only[1:-1]] == [reversal[0]]


def test_the_api_export_in_english_and_the_statement_with_its_running_balance(sqlite_client: TestClient):
    amount, entry_id, payee = _reversed(sqlite_client)
    finance = api_token(sqlite_client, "finance")
    header, *rows, net = _rows(sqlite_client.get("/api/v1/ledger.xlsx?lang=en&kind=payment", headers=finance))
    assert header[0] == "entry"
    assert [row[0] for row in rows] == [entry_id]
    assert net[0] == "net"

    statement = _rows(sqlite_client.get(f"/api/v1/statements/{payee}/export.xlsx", headers=finance))
    assert statement[0][-1] == "累计（元）"
    assert [row[-1] for row in statement[1:-1]] == [Decimal(amount) / 100, 0]  # the running balance
    sign_in(sqlite_client, "finance")
    assert _rows(sqlite_client.get(f"/ledger/statements/{payee}/export.xlsx")) == statement
    assert "statement-xlsx" in sqlite_client.get(f"/ledger/statements/{payee}").text
    school = api_token(sqlite_client, "school")
    assert sqlite_client.get(f"/api/v1/statements/{payee}/export.xlsx", headers=school).status_code == 403
    nobody = f"/api/v1/statements/{payee.split('/')[0]}/NOPE/export.xlsx"
    assert sqlite_client.get(nobody, headers=finance).status_code == 404
