"""The last mile through the API (decision 0017): finance releases — instructions, no payment — reads them and
their file, imports the bank's result file (a failure, then a file refused by row with nothing applied), instructs
the failed payment again and imports its confirmation; the batch then reconciles and closes. Account numbers are
whole for finance, masked for the county; each step belongs to finance."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import api_token, problem
from sqlalchemy import func, select
from test_fulfilment_support import COUNTY_CODE, application, batched, database, persona

from returns_file import returns_csv
from zhijiao.fulfilment import bank_exchange
from zhijiao.fulfilment.bank_models import BankReturn
from zhijiao.fulfilment.models import LedgerEntry
from zhijiao.fulfilment.payees import grouped, masked

API = "/api/v1"
COUNTY_PAYER = {"payer": "county", "county": COUNTY_CODE}


def _returns(client: TestClient, headers: dict[str, str], data: bytes, payer: dict[str, str] = COUNTY_PAYER) -> object:
    return client.post(f"{API}/payments/returns", data=payer, files={"file": ("回单.csv", data, "text/csv")},
                       headers=headers)  # fmt: skip


def _standings(client: TestClient, headers: dict[str, str], batch_id: int) -> dict[str, tuple[int, int]]:
    found = client.get(f"{API}/batches/{batch_id}/reconciliation", headers=headers).json()
    return {s: (found[s]["count"], found[s]["total_fen"]) for s in ("instructed", "confirmed", "failed", "outstanding")}


def test_a_payment_fails_is_instructed_again_and_is_confirmed_through_the_api(client: TestClient):
    award_id, amount, batch_id = batched(client)
    finance, county, auditor = (api_token(client, u) for u in ("finance", "county", "auditor"))
    release = client.post(f"{API}/batches/{batch_id}/release", headers=finance).json()
    (sent,) = release["instructions"]
    reference, number = sent["reference"], sent["account_number"]
    assert (sent["status"], sent["kind"], sent["amount_fen"], sent["round"]) == ("outstanding", "transfer", amount, 1)
    owed = client.get(f"{API}/obligations", params={"year": 2024}, headers=finance).json()["totals"]  # at the bank
    assert (owed["instructed_fen"], owed["paid_fen"]) == (amount, 0)
    with database(client) as session:
        whole = bank_exchange.instructions_of(session, batch_id, 1)[0].account_number
        made = bank_exchange.batch_file(session, persona(session, "finance"), batch_id, "transfer", 1)
    assert number == grouped(whole)
    (seen,) = client.get(f"{API}/batches/{batch_id}/instructions", headers=county).json()
    assert seen["account_number"] == masked(whole)
    assert client.get(f"{API}/batches/{batch_id}/instructions/file?kind=transfer&round=1",
                      headers=finance).content == made.data  # fmt: skip
    problem(client.get(f"{API}/batches/{batch_id}/instructions/file", headers=county), 403, "forbidden")
    problem(client.get(f"{API}/batches/{batch_id}/instructions/file?kind=allocation", headers=finance), 422)
    assert _standings(client, auditor, batch_id)["outstanding"] == (1, amount)

    failed = _returns(client, finance, returns_csv((reference, "失败", "", "户名与账号不符")))
    assert failed.status_code == 200, failed.text
    assert [(i["reference"], i["bank_reason"]) for i in failed.json()["failed"]] == [(reference, "户名与账号不符")]
    assert _standings(client, finance, batch_id)["failed"] == (1, amount)
    again = client.post(f"{API}/awards/{award_id}/reinstruct", headers=finance)
    assert again.status_code == 201, again.text
    assert (again.json()["reference"], again.json()["replaces"], again.json()["round"]) == (
        f"{reference}-R1", reference, 2,
    )  # fmt: skip
    problem(client.post(f"{API}/awards/{award_id}/reinstruct", headers=finance), 409, "wrong_state")
    problem(client.post(f"{API}/awards/{award_id}/withdraw-payment", json={"reason": "x"}, headers=finance), 409)

    stale = _returns(client, finance, returns_csv((f"{reference}-R1", "成功", "2025-03-05", ""),
                                                  (reference, "成功", "2025-03-05", "")))  # fmt: skip
    body = problem(stale, 422, "returns_refused")
    assert [p["record"] for p in body["problems"]] == ["第3行"]
    assert reference in body["problems"][0]["message"]
    with database(client) as session:
        assert session.scalar(select(func.count()).select_from(BankReturn)) == 1  # the failure only
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0

    confirmed = _returns(client, finance, returns_csv((f"{reference}-R1", "成功", "2025-03-05", "")))
    assert confirmed.status_code == 200, confirmed.text
    assert [i["bank_date"] for i in confirmed.json()["confirmed"]] == ["2025-03-05"]
    assert len(confirmed.json()["closed_batches"]) == 1
    final = client.get(f"{API}/batches/{batch_id}/reconciliation", headers=auditor).json()
    assert (final["status"], final["settled"], final["confirmed"]["total_fen"]) == ("closed", True, amount)
    assert final["instructed"]["count"] == 1
    assert application(client, award_id).status == "paid"
    statuses = [(i["reference"], i["status"]) for i in client.get(f"{API}/batches/{batch_id}/instructions",
                                                                  headers=finance).json()]  # fmt: skip
    assert statuses == [(reference, "failed"), (f"{reference}-R1", "confirmed")]


def test_the_bank_steps_are_finances_and_a_payer_must_exist(sqlite_client: TestClient):
    award_id, _amount, batch_id = batched(sqlite_client)
    finance, auditor, admin = (api_token(sqlite_client, u) for u in ("finance", "auditor", "admin"))
    (sent,) = sqlite_client.post(f"{API}/batches/{batch_id}/release", headers=finance).json()["instructions"]
    bank_file = returns_csv((sent["reference"], "退票", "2025-03-04", "账户已销户"))
    problem(_returns(sqlite_client, auditor, bank_file), 403, "forbidden")
    problem(_returns(sqlite_client, finance, bank_file, {"payer": "county", "county": "999999"}), 422, "unknown_payer")
    problem(_returns(sqlite_client, finance, bank_file, {"payer": "city", "county": COUNTY_CODE}), 422, "unknown_payer")
    assert _returns(sqlite_client, finance, bank_file).status_code == 200
    problem(sqlite_client.post(f"{API}/awards/{award_id}/reinstruct", headers=admin), 403, "forbidden")
    problem(sqlite_client.post(f"{API}/awards/{award_id}/withdraw-payment", json={"reason": ""}, headers=finance),
            422, "invalid_input")  # fmt: skip
    withdrawn = sqlite_client.post(f"{API}/awards/{award_id}/withdraw-payment", json={"reason": "账户已销户"},
                                   headers=finance)  # fmt: skip
    assert withdrawn.status_code == 200, withdrawn.text
    assert (withdrawn.json()["reference"], withdrawn.json()["status"]) == (sent["reference"], "withdrawn")
    assert application(sqlite_client, award_id).status == "city_approved"
    final = sqlite_client.get(f"{API}/batches/{batch_id}/reconciliation", headers=auditor).json()
    assert (final["status"], final["withdrawn"]["count"], final["settled"]) == ("closed", 1, True)
