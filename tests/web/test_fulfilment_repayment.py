"""A payment finance reverses on the ledger page (one officer proposes, another confirms) goes back to the
city, which decides it again; the second payment is shown as such. Tried in the pages as the officials would."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from personas import sign_in
from test_fulfilment_support import application, database, paid, persona, post

import bank
from zhijiao.fulfilment import payments
from zhijiao.policies.wenzhou_vet_2023 import load


def test_a_reversed_award_is_decided_again_by_the_city_and_paid_a_second_time(sqlite_client: TestClient):
    award_id, amount, entry_id = paid(sqlite_client)
    sign_in(sqlite_client, "finance")
    assert "记入后该奖补退回市级重新审批" in sqlite_client.get("/ledger").text
    assert post(sqlite_client, f"/ledger/{entry_id}/reverse", {"reason": "收款账户有误"}).status_code == 303
    page = sqlite_client.get("/ledger").text
    assert "更正申请待复核" in page
    assert "待另一名财政人员复核" in page
    assert "复核通过并记入台账" not in page  # the proposer is offered no confirmation
    assert application(sqlite_client, award_id).status == "paid"  # nothing moved on one person's word

    sign_in(sqlite_client, "finance2")
    (correction_id,) = re.findall(r'data-correction="(\d+)"', sqlite_client.get("/ledger").text)
    assert post(sqlite_client, f"/ledger/corrections/{correction_id}/confirm").status_code == 303
    assert application(sqlite_client, award_id).status == "county_reviewed"
    assert "提出：市财政局经办人，复核：市财政局复核人" in sqlite_client.get("/ledger").text  # both people, on the row

    sign_in(sqlite_client, "admin")
    page = sqlite_client.get(f"/awards/{award_id}").text
    assert "该奖补的付款已冲正" in page
    assert "收款账户有误" in page
    assert f'action="/awards/{award_id}/city-approve"' in page
    assert post(sqlite_client, f"/awards/{award_id}/city-approve").status_code == 303

    with database(sqlite_client) as session:
        batch = payments.prepare_batch(session, persona(session, "admin"), load(), [award_id], declared_count=1,
                                       declared_total_fen=amount)  # fmt: skip
        (second,) = bank.paid(session, persona(session, "finance"), load(), batch.id)
        assert (second.payment_number, second.amount_fen) == (2, amount)
    sign_in(sqlite_client, "finance")
    assert "第2次付款（此前付款已冲正）" in sqlite_client.get("/ledger").text
    assert application(sqlite_client, award_id).status == "paid"
