"""The last mile through the pages (decision 0017): finance releases a batch — the bank gets instructions, the
ledger nothing yet — downloads the bank's file, imports the bank's result file, instructs a failed payment again
and imports its confirmation; a file with a row zhijiao cannot apply is refused whole, naming the row. Account
numbers are whole for finance and masked for a county officer."""

from __future__ import annotations

import re

from english_pages import chinese_left, data_runs
from fastapi.testclient import TestClient
from personas import sign_in
from sqlalchemy import func, select
from test_fulfilment_support import COUNTY_CODE, application, batched, database, persona, post

import bank
from returns_file import returns_csv
from zhijiao.fulfilment import bank_exchange
from zhijiao.fulfilment.bank_models import BankReturn
from zhijiao.fulfilment.models import LedgerEntry, PaymentBatch
from zhijiao.fulfilment.payees import grouped, masked
from zhijiao.web.i18n import Lang, money

PAYER = f"county:{COUNTY_CODE}"


def _reconciliation(page: str) -> dict[str, tuple[int, int]]:
    """standing → (count, total fen) of the batch page's reconciliation."""
    table = page.split('id="reconciliation-table"', 1)[1].split("</table>", 1)[0]
    found = re.findall(r'data-standing="([a-z]+)">.*?data-count="(\d+)".*?data-fen="(\d+)"', table, re.DOTALL)
    return {standing: (int(count), int(fen)) for standing, count, fen in found}


def _instruction_rows(page: str) -> dict[str, tuple[str, str]]:
    """reference → (status, account as shown) of the batch page's instructions."""
    table = page.split('id="instruction-rows"', 1)[1].split("</table>", 1)[0]
    found = re.findall(r'data-reference="([^"]+)" data-status="([a-z]+)">.*?<td data-account>([^<]*)</td>', table,
                       re.DOTALL)  # fmt: skip
    return {reference: (status, account) for reference, status, account in found}


def _upload(client: TestClient, data: bytes, payer: str = PAYER) -> object:
    return post(client, "/payments/returns", {"payer": payer}, files={"file": ("回单.csv", data, "text/csv")})


def _released(client: TestClient) -> tuple[int, int, int, str]:
    """(award id, amount, batch id, reference): finance released the batch through its page."""
    award_id, amount, batch_id = batched(client)
    sign_in(client, "finance")
    page = client.get(f"/batches/{batch_id}").text
    assert f"确认发出支付指令 1 笔，合计 {money(amount, Lang.zh)}" in page
    released = post(client, f"/batches/{batch_id}/release")
    assert released.headers["location"] == f"/batches/{batch_id}?done=released"
    with database(client) as session:
        (instruction,) = bank.instructions_of(session, batch_id)
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0  # nothing paid until the bank says
    return award_id, amount, batch_id, instruction.reference


def test_a_released_batch_shows_its_reconciliation_with_accounts_whole_only_for_finance(client: TestClient):
    award_id, amount, batch_id, reference = _released(client)
    page = client.get(f"/batches/{batch_id}?done=released").text
    assert "支付指令已发出" in page.split('id="done"', 1)[1].split("</p>", 1)[0]
    assert _reconciliation(page) == {
        "instructed": (1, amount), "confirmed": (0, 0), "failed": (0, 0), "withdrawn": (0, 0),
        "outstanding": (1, amount),
    }  # fmt: skip
    with database(client) as session:
        (instruction,) = bank.instructions_of(session, batch_id)
        number, name = instruction.account_number, instruction.account_name
    assert number is not None
    assert name is not None
    assert _instruction_rows(page) == {
        reference: ("outstanding", f"{name} · {instruction.bank_name} · {grouped(number)}")
    }
    assert f'href="/awards/{award_id}"' in page.split('id="instruction-rows"', 1)[1]
    link = f"/batches/{batch_id}/instructions/file?kind=transfer&amp;round=1"
    assert link in page
    download = client.get(link.replace("&amp;", "&"))
    assert download.status_code == 200
    with database(client) as session:
        made = bank_exchange.batch_file(session, persona(session, "finance"), batch_id, "transfer", 1)
    assert download.content == made.data  # the same bytes each time it is asked for
    assert download.headers["content-type"].startswith(made.media_type)

    obligations = client.get("/ledger?year=2024").text.split('id="obligations-table"', 1)[1].split("</table>", 1)[0]
    assert '<th class="num">已发出支付指令未到账</th>' in obligations
    footer = dict(re.findall(r'data-measure="([a-z]+)" data-fen="(-?\d+)"', obligations.split("<tfoot>", 1)[1]))
    assert (int(footer["instructed"]), int(footer["paid"])) == (amount, 0)  # with the bank, not yet paid

    sign_in(client, "county")
    shown = client.get(f"/batches/{batch_id}").text
    assert _instruction_rows(shown)[reference][1] == f"{name} · {instruction.bank_name} · {masked(number)}"
    assert number not in shown
    assert grouped(number) not in shown
    assert "/instructions/file" not in shown  # the files are finance's
    assert client.get(link.replace("&amp;", "&"), follow_redirects=False).status_code == 403
    sign_in(client, "auditor")
    assert _reconciliation(client.get(f"/batches/{batch_id}").text)["outstanding"] == (1, amount)
    assert client.get("/payments/returns").status_code == 403


def test_a_failed_payment_is_instructed_again_and_then_confirmed(client: TestClient):
    award_id, amount, batch_id, reference = _released(client)
    failed = _upload(client, returns_csv((reference, "失败", "", "户名与账号不符")))
    assert failed.status_code == 200, failed.text
    assert f'<tr data-reference="{reference}">' in failed.text.split('id="returns-failed"', 1)[1]
    assert "户名与账号不符" in failed.text
    assert application(client, award_id).status == "payment_failed"

    page = client.get(f"/batches/{batch_id}").text
    assert _reconciliation(page)["failed"] == (1, amount)
    waiting = page.split('id="failed-rows"', 1)[1].split("</table>", 1)[0]
    assert f'data-failed="{reference}"' in waiting
    with database(client) as session:
        (instruction,) = bank.instructions_of(session, batch_id)
    assert grouped(instruction.account_number) in waiting  # the account a new instruction would use, whole
    assert re.search(r'href="/payees/enterprise/[^"]+"', waiting)
    again = post(client, f"/awards/{award_id}/reinstruct")
    assert again.headers["location"] == f"/batches/{batch_id}?done=reinstructed#instructions"
    page = client.get(f"/batches/{batch_id}").text
    rows = _instruction_rows(page)
    assert {r: status for r, (status, _account) in rows.items()} == {
        reference: "failed",
        f"{reference}-R1": "outstanding",
    }
    assert f"<td>{reference}</td></tr>" in page  # the new instruction names the one it replaces
    assert 'data-round="2" data-kind="transfer"' in page
    assert client.get(f"/batches/{batch_id}/instructions/file?kind=transfer&round=2").status_code == 200

    confirmed = _upload(client, returns_csv((f"{reference}-R1", "成功", "2025-03-05", "")))
    assert confirmed.status_code == 200, confirmed.text
    closed = confirmed.text.split('id="returns-closed"', 1)[1]
    with database(client) as session:
        batch = session.get(PaymentBatch, batch_id)
        assert batch is not None
        assert batch.status == "closed"
        entry = session.scalar(select(LedgerEntry))
        assert entry is not None
        assert (entry.amount_fen, entry.application_id, str(entry.value_date)) == (amount, award_id, "2025-03-05")
    assert f'data-batch="{batch.number}"' in closed
    assert application(client, award_id).status == "paid"
    page = client.get(f"/batches/{batch_id}").text
    assert _reconciliation(page)["confirmed"] == (1, amount)
    assert _reconciliation(page)["instructed"] == (1, amount)  # counted once, by its latest instruction
    assert 'id="failed-payments"' not in page


def test_a_returns_file_with_a_row_it_cannot_apply_is_refused_whole(client: TestClient):
    award_id, amount, batch_id, reference = _released(client)
    refused = _upload(
        client,
        returns_csv((reference, "成功", "2025-03-05", ""), ("PB2099-999999-0001", "成功", "2025-03-05", "")),
    )
    assert refused.status_code == 422
    problems = refused.text.split('id="returns-problems"', 1)[1].split("</section>", 1)[0]
    assert "第3行" in problems
    assert "PB2099-999999-0001" in problems
    assert "第2行" not in problems
    with database(client) as session:
        (instruction,) = bank.instructions_of(session, batch_id)
        assert instruction.status == "outstanding"
        assert session.scalar(select(func.count()).select_from(BankReturn)) == 0
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    assert application(client, award_id).status == "instructed"
    assert _reconciliation(client.get(f"/batches/{batch_id}").text)["outstanding"] == (1, amount)


def test_a_failed_payment_withdrawn_with_its_reason_goes_back_and_closes_the_batch(sqlite_client: TestClient):
    award_id, _amount, batch_id, reference = _released(sqlite_client)
    _upload(sqlite_client, returns_csv((reference, "退票", "2025-03-04", "账户已销户")))
    assert post(sqlite_client, f"/awards/{award_id}/withdraw-payment", {"reason": " "}).status_code == 422
    withdrawn = post(sqlite_client, f"/awards/{award_id}/withdraw-payment", {"reason": "企业账户已销户，待新账户确认"})
    assert withdrawn.headers["location"] == f"/batches/{batch_id}?done=payment_withdrawn#instructions"
    page = sqlite_client.get(withdrawn.headers["location"]).text
    assert "该笔支付已撤回" in page
    assert _instruction_rows(page)[reference][0] == "withdrawn"
    assert 'id="batch-status">已对账结清<' in page
    assert application(sqlite_client, award_id).status == "city_approved"
    sign_in(sqlite_client, "auditor")  # the auditor reads, and is refused the actions
    assert post(sqlite_client, f"/awards/{award_id}/reinstruct").status_code == 403


def test_the_returns_page_offers_every_payer_and_refuses_an_unknown_one(sqlite_client: TestClient):
    sign_in(sqlite_client, "finance")
    form = sqlite_client.get("/payments/returns").text
    assert '<option value="city"' in form
    assert f'<option value="{PAYER}"' in form
    assert "瑞安市财政" in form
    refused = _upload(sqlite_client, returns_csv(("X-1", "成功", "2025-03-05", "")), payer="county:999999")
    assert refused.status_code == 422
    assert "请选择付款方" in refused.text


def test_the_bank_pages_read_in_english(sqlite_client: TestClient):
    award_id, _amount, batch_id, reference = _released(sqlite_client)
    failed = _upload(sqlite_client, returns_csv((reference, "失败", "", "户名与账号不符")))
    assert failed.status_code == 200
    bad = returns_csv(("ZJ-X", "成功", "2025-03-05", ""))
    refused = post(sqlite_client, "/payments/returns?lang=en", {"payer": PAYER},
                   files={"file": ("回单.csv", bad, "text/csv")})  # fmt: skip
    # the data, the bank's own words, the file's name and its column's header, as the file has them
    allowed = data_runs(sqlite_client.app.state.engine) | {"户名与账号不符", "回单", "业务参考号"}
    pages = {
        "batch": sqlite_client.get(f"/batches/{batch_id}?lang=en").text,
        "returns": sqlite_client.get("/payments/returns?lang=en").text,
        "refused": refused.text,
    }
    for name, page in pages.items():
        left, _links = chinese_left(page, allowed)
        assert left == set(), name
    assert "Failed payments, waiting for finance" in pages["batch"]
    assert "Instruct again" in pages["batch"]
    assert "Result file not imported" in pages["refused"]
    assert f"/awards/{award_id}/reinstruct" in pages["batch"]


def test_the_batches_page_and_the_api_reconcile_by_payer_with_the_payments_behind_each_figure(client: TestClient):
    _award_id, amount, _batch_id, reference = _released(client)
    imported = _upload(client, returns_csv((reference, "退票", "2025-03-03", "账户已销户")))
    assert imported.status_code == 200
    assert 'id="returns-failed"' in imported.text
    page = client.get("/batches").text
    table = page.split('id="reconciliation-by-payer"', 1)[1].split("</table>", 1)[0]
    row = table.split(f'data-payer="{PAYER}"', 1)[1].split("</tr>", 1)[0]
    cells = dict(re.findall(r'data-standing="([a-z]+)" data-count="(\d+)"', row))
    assert (cells["instructed"], cells["failed"], cells["confirmed"]) == ("1", "1", "0")
    assert reference in row  # the payment behind the figure
    token = client.post("/api/v1/auth/token", json={"username": "finance", "password": "wenzhou-demo-2023"})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    (county,) = [p for p in client.get("/api/v1/reconciliation", headers=headers).json()
                 if p["payer_county_code"] == COUNTY_CODE]  # fmt: skip
    assert (county["failed"]["count"], county["failed"]["total_fen"]) == (1, amount)
    assert county["references"]["failed"] == [reference]
