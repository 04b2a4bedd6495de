"""Corrections through the API: one finance officer proposes, another confirms or refuses, the proposer may
withdraw; the ledger entry names both people. Every refusal is a problem document and writes nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import api_token, problem
from sqlalchemy import func, select
from test_fulfilment_support import audit_count, database, paid

from zhijiao.fulfilment.models import LedgerCorrection, LedgerEntry

API = "/api/v1"


def _ledger_rows(client: TestClient) -> int:
    with database(client) as session:
        return session.scalar(select(func.count()).select_from(LedgerEntry)) or 0


def test_a_reversal_is_proposed_by_one_finance_officer_and_recorded_when_another_confirms(sqlite_client: TestClient):
    _award_id, amount, entry_id = paid(sqlite_client)
    finance, second = api_token(sqlite_client, "finance"), api_token(sqlite_client, "finance2")

    proposed = sqlite_client.post(f"{API}/ledger/{entry_id}/reverse", json={"reason": "收款账户有误"}, headers=finance)
    assert proposed.status_code == 201, proposed.text
    correction = proposed.json()
    assert (correction["status"], correction["kind"], correction["payment_id"]) == ("proposed", "reversal", entry_id)
    assert (correction["amount_fen"], correction["proposed_by"], correction["entry_id"]) == (-amount, "finance", None)
    assert _ledger_rows(sqlite_client) == 1  # nothing recorded on one person's word

    listed = sqlite_client.get(f"{API}/corrections", headers=api_token(sqlite_client, "auditor")).json()
    assert [c["id"] for c in listed] == [correction["id"]]
    county = sqlite_client.get(f"{API}/corrections", headers=api_token(sqlite_client, "county"))
    assert [c["id"] for c in county.json()] == [correction["id"]]  # the award is in its county

    before = audit_count(sqlite_client)
    own = sqlite_client.post(f"{API}/corrections/{correction['id']}/confirm?lang=en", headers=finance)
    assert "another finance officer" in problem(own, 403, "not_allowed")["detail"]
    admin = api_token(sqlite_client, "admin")
    problem(sqlite_client.post(f"{API}/corrections/{correction['id']}/confirm", headers=admin), 403, "forbidden")
    assert audit_count(sqlite_client) == before

    confirmed = sqlite_client.post(f"{API}/corrections/{correction['id']}/confirm", headers=second)
    assert confirmed.status_code == 201, confirmed.text
    entry = confirmed.json()
    assert (entry["kind"], entry["amount_fen"], entry["amount_yuan"]) == ("reversal", -amount, f"-{amount / 100:.2f}")
    assert (entry["reverses_id"], entry["proposed_by"], entry["recorded_by"]) == (entry_id, "finance", "finance2")
    assert sqlite_client.get(f"{API}/corrections", headers=finance).json() == []  # none waits now
    done = sqlite_client.get(f"{API}/corrections", params={"status": "confirmed"}, headers=finance).json()
    assert [(c["status"], c["decided_by"], c["entry_id"]) for c in done] == [("confirmed", "finance2", entry["id"])]
    problem(sqlite_client.post(f"{API}/corrections/{correction['id']}/confirm", headers=second), 409,
             "correction_decided")  # fmt: skip
    problem(sqlite_client.post(f"{API}/ledger/{entry_id}/reverse", json={"reason": "x"}, headers=second), 409,
             "already_reversed")  # fmt: skip
    assert _ledger_rows(sqlite_client) == 2


def test_a_correction_is_refused_or_withdrawn_and_the_payment_stands(sqlite_client: TestClient):
    _award_id, amount, entry_id = paid(sqlite_client)
    finance, second = api_token(sqlite_client, "finance"), api_token(sqlite_client, "finance2")
    first = sqlite_client.post(f"{API}/ledger/{entry_id}/reverse", json={"reason": "金额有误"}, headers=finance).json()
    problem(sqlite_client.post(f"{API}/ledger/{entry_id}/reverse", json={"reason": "又一次"}, headers=second), 409,
             "correction_pending")  # fmt: skip
    problem(sqlite_client.post(f"{API}/corrections/{first['id']}/refuse", json={"reason": ""}, headers=second),
             422, "invalid_input")  # fmt: skip
    refused = sqlite_client.post(
        f"{API}/corrections/{first['id']}/refuse", json={"reason": "核对无误"}, headers=second
    ).json()
    assert (refused["status"], refused["decided_by"], refused["decision_note"]) == ("refused", "finance2", "核对无误")

    again = sqlite_client.post(f"{API}/ledger/{entry_id}/reverse", json={"reason": "复查"}, headers=finance).json()
    problem(sqlite_client.post(f"{API}/corrections/{again['id']}/withdraw", headers=second), 403, "not_allowed")
    withdrawn = sqlite_client.post(f"{API}/corrections/{again['id']}/withdraw", headers=finance).json()
    assert (withdrawn["status"], withdrawn["decided_by"]) == ("withdrawn", "finance")
    every = sqlite_client.get(f"{API}/corrections", params={"status": "all"}, headers=finance).json()
    assert [c["status"] for c in every] == ["withdrawn", "refused"]  # newest first
    problem(sqlite_client.get(f"{API}/corrections", params={"status": "done"}, headers=finance), 422, "invalid_input")
    problem(sqlite_client.get(f"{API}/corrections", headers=api_token(sqlite_client, "school")), 403, "forbidden")
    with database(sqlite_client) as session:
        assert session.scalar(select(func.sum(LedgerEntry.amount_fen))) == amount
        assert session.scalar(select(func.count()).select_from(LedgerCorrection)) == 2
