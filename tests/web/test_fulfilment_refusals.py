"""What the fulfilment pages must refuse, tried as the personas would: another county's award (404, its
existence not disclosed), a step of another role (403: the proposer never approves, the approver never
releases), a step out of order (409), a batch that does not add up (refused whole), a form without its
CSRF token, a bad document. Each refusal changes nothing: the audit trail is as long as before."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from personas import sign_in
from sqlalchemy import func, select
from test_fulfilment_support import (
    PART_TIME,
    YEAR,
    application,
    approved,
    audit_count,
    award_numbers,
    award_of,
    batched,
    database,
    paid,
    post,
    reviewed,
    run_proactive,
)

from zhijiao.fulfilment.models import Application, LedgerCorrection, LedgerEntry, PaymentBatch
from zhijiao.registry.models import School


def test_a_county_officer_neither_sees_nor_acts_on_another_countys_award(sqlite_client: TestClient):
    run_proactive(sqlite_client)
    theirs = award_of(sqlite_client, other=True)
    number = application(sqlite_client, theirs).number
    before = audit_count(sqlite_client)
    sign_in(sqlite_client, "county")
    assert number not in award_numbers(sqlite_client.get("/awards?view=all").text)
    assert number not in award_numbers(sqlite_client.get(f"/awards?view=all&q={number}").text)
    assert sqlite_client.get(f"/awards/{theirs}").status_code == 404
    for step, data in (("county-approve", {}), ("county-reject", {"reason": "x"}), ("return", {"reason": "x"})):
        response = post(sqlite_client, f"/awards/{theirs}/{step}", data)
        assert response.status_code == 404, step
        assert "未找到该申报" in response.text
    assert application(sqlite_client, theirs).status == "pending"
    assert audit_count(sqlite_client) == before


@pytest.mark.parametrize(
    ("username", "step", "data"),
    [
        ("school", "county-approve", {}),  # whoever proposes does not review…
        ("enterprise", "county-reject", {"reason": "x"}),
        ("county", "city-approve", {}),  # …the reviewer does not approve…
        ("finance", "city-approve", {}),
        ("admin", "county-approve", {}),  # …the approver does not review
        ("auditor", "city-reject", {"reason": "x"}),
    ],
)
def test_a_step_is_refused_to_every_role_that_does_not_take_it(
    sqlite_client: TestClient, username: str, step: str, data: dict[str, str]
):
    award_id = reviewed(sqlite_client) if step.startswith("city") else award_of_after_proactive(sqlite_client)
    status, before = application(sqlite_client, award_id).status, audit_count(sqlite_client)
    sign_in(sqlite_client, username)
    response = post(sqlite_client, f"/awards/{award_id}/{step}", data)
    assert response.status_code == 403
    assert application(sqlite_client, award_id).status == status
    assert audit_count(sqlite_client) == before


def award_of_after_proactive(client: TestClient) -> int:
    run_proactive(client)
    return award_of(client)


def test_money_moves_only_between_two_people(sqlite_client: TestClient):
    """The city approves and prepares, and cannot release; finance releases, and cannot prepare or approve."""
    award_id, amount, batch_id = batched(sqlite_client)
    sign_in(sqlite_client, "admin")
    assert post(sqlite_client, f"/batches/{batch_id}/release").status_code == 403
    assert 'id="release-batch"' not in sqlite_client.get(f"/batches/{batch_id}").text
    sign_in(sqlite_client, "finance")
    form = {"application_ids": [str(award_id)], "declared_count": "1", "declared_total": f"{amount / 100:.2f}"}
    assert post(sqlite_client, "/batches", form).status_code == 403
    assert post(sqlite_client, "/awards/proactive", {"year": str(YEAR)}).status_code == 403
    with database(sqlite_client) as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
        assert session.scalar(select(func.count()).select_from(PaymentBatch)) == 1


def test_steps_out_of_order_are_refused_as_conflicts(sqlite_client: TestClient):
    award_id = reviewed(sqlite_client)
    sign_in(sqlite_client, "county")
    again = post(sqlite_client, f"/awards/{award_id}/county-approve")
    assert again.status_code == 409
    assert "县级已审核" in again.text  # the state it is in, named
    pending = award_of(sqlite_client, entitlement="art03.platform_award", other=True)
    sign_in(sqlite_client, "admin")
    assert post(sqlite_client, f"/awards/{pending}/city-approve").status_code == 409  # not reviewed yet
    assert application(sqlite_client, pending).status == "pending"


def test_a_released_batch_is_not_released_again_and_a_payment_is_reversed_once(sqlite_client: TestClient):
    award_id, amount, entry_id = paid(sqlite_client)
    batch_id = application(sqlite_client, award_id).batch_id
    sign_in(sqlite_client, "finance")
    assert post(sqlite_client, f"/batches/{batch_id}/release").status_code == 409
    assert post(sqlite_client, f"/ledger/{entry_id}/reverse", {"reason": " "}).status_code == 422  # a reason needed
    proposed = post(sqlite_client, f"/ledger/{entry_id}/reverse", {"reason": "收款账户有误"})
    assert proposed.headers["location"] == "/ledger?done=proposed#corrections"
    assert post(sqlite_client, f"/ledger/{entry_id}/reverse", {"reason": "again"}).status_code == 409  # one waits
    with database(sqlite_client) as session:
        correction_id = session.scalar(select(LedgerCorrection.id))
    before = audit_count(sqlite_client)
    assert post(sqlite_client, f"/ledger/corrections/{correction_id}/confirm").status_code == 403  # not one's own
    assert post(sqlite_client, f"/ledger/corrections/{correction_id}/refuse", {"note": "x"}).status_code == 403
    assert audit_count(sqlite_client) == before

    sign_in(sqlite_client, "finance2")
    assert post(sqlite_client, f"/ledger/corrections/{correction_id}/withdraw").status_code == 403  # not theirs
    confirmed = post(sqlite_client, f"/ledger/corrections/{correction_id}/confirm")
    assert confirmed.headers["location"] == "/ledger?done=confirmed_reversal#corrections"
    assert post(sqlite_client, f"/ledger/corrections/{correction_id}/confirm").status_code == 409
    assert post(sqlite_client, f"/ledger/{entry_id}/reverse", {"reason": "again"}).status_code == 409
    with database(sqlite_client) as session:
        amounts = session.scalars(select(LedgerEntry.amount_fen).order_by(LedgerEntry.id)).all()
    assert amounts == [amount, -amount]


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("one fen more", "不是以元为单位"),
        ("+0.01", "不符，整批不予受理"),
        ("0.001", "不是以元为单位"),
    ],
)
def test_a_batch_that_does_not_add_up_is_refused_whole(sqlite_client: TestClient, total: str, message: str):
    award_id, amount = approved(sqlite_client)
    declared = f"{(amount + 1) / 100:.2f}" if total == "+0.01" else total
    before = audit_count(sqlite_client)
    sign_in(sqlite_client, "admin")
    form = {"payer": "county:330381", "application_ids": [str(award_id)], "declared_count": "1",
            "declared_total": declared}  # fmt: skip
    response = post(sqlite_client, "/batches", form)
    assert response.status_code == 422
    assert message in response.text
    if total == "+0.01":  # the sums in yuan as the officer typed them, never in fen
        assert f"¥{(amount + 1) / 100:,.2f}" in response.text
        assert f"{amount + 1}分" not in response.text
    assert 'id="prepare-form"' in response.text  # the form again, the figures kept
    assert f'value="{declared}"' in response.text
    with database(sqlite_client) as session:
        assert session.scalar(select(func.count()).select_from(PaymentBatch)) == 0
    assert application(sqlite_client, award_id).status == "city_approved"
    assert audit_count(sqlite_client) == before


def test_a_form_without_its_csrf_token_changes_nothing(sqlite_client: TestClient):
    award_id = award_of_after_proactive(sqlite_client)
    sign_in(sqlite_client, "county")
    response = sqlite_client.post(f"/awards/{award_id}/county-approve", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert application(sqlite_client, award_id).status == "pending"


def test_a_school_sees_only_its_own_and_none_of_the_money_pages(sqlite_client: TestClient):
    run_proactive(sqlite_client)
    anyone = award_of(sqlite_client)
    sign_in(sqlite_client, "school")
    assert sqlite_client.get(f"/awards/{anyone}").status_code == 404
    for path in ("/ledger", "/batches", "/audit", "/audit/verify", "/ledger/obligations.xlsx"):
        assert sqlite_client.get(path).status_code == 403, path
    sign_in(sqlite_client, "enterprise")
    assert sqlite_client.get("/awards/new?entitlement=art13.part_time_teacher_funding").status_code == 200
    assert "第十三条" not in sqlite_client.get("/awards/new").text.split('id="entitlements"', 1)[1].split("</nav>")[0]
    sqlite_client.cookies.clear()
    response = sqlite_client.get("/awards", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/awards")


def test_a_document_that_is_not_what_its_name_says_refuses_the_whole_application(sqlite_client: TestClient):
    sign_in(sqlite_client, "school")
    response = post(
        sqlite_client,
        "/awards/new",
        {"entitlement": PART_TIME, "year": str(YEAR), "action": "submit"},
        files=[("files", ("证明.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))],
    )
    assert response.status_code == 422
    assert "不是 .pdf 文件" in response.text
    with database(sqlite_client) as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 0  # the draft went with it


def test_a_second_claim_to_the_same_award_shows_the_form_again(sqlite_client: TestClient):
    sign_in(sqlite_client, "school")
    form = {"entitlement": PART_TIME, "year": str(YEAR), "fig.part_time_teachers": "34", "action": "draft"}
    assert post(sqlite_client, "/awards/new", form).status_code == 303
    again = post(sqlite_client, "/awards/new", form)
    assert again.status_code == 422
    assert "不能重复申报" in again.text
    assert 'value="34"' in again.text  # what was typed is kept
    bad = post(sqlite_client, "/awards/new", form | {"fig.part_time_teachers": "-3", "year": str(YEAR + 1)})
    assert bad.status_code == 422
    assert "不是非负数" in bad.text
    with database(sqlite_client) as session:
        schools = session.scalars(select(Application.school_id)).all()
        assert len(schools) == 1
        assert session.get(School, schools[0]) is not None
