"""The fulfilment API as the personas use it: a school applies with a document, the county reviews, the
city approves and batches, finance releases and the bank confirms; the ledger, obligations, xlsx and statement
then agree with the decision to the fen, and the audit trail holds every step. Refusals are problem documents."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import api_token, problem
from sqlalchemy import func, select
from test_fulfilment_support import (
    COUNTY_CODE,
    PART_TIME,
    YEAR,
    approved,
    audit_count,
    award_of,
    database,
    engine_amount,
    reviewed,
    run_proactive,
)

from returns_file import returns_csv
from zhijiao.fulfilment.models import Application, PaymentBatch
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.models import School

API = "/api/v1"
PDF = b"%PDF-1.7\n% a scanned contract\n%%EOF\n"


def _school_code(client: TestClient) -> str:
    with database(client) as session:
        code = session.scalar(
            select(School.code).where(School.county_code == COUNTY_CODE).order_by(School.code).limit(1)
        )
    assert code is not None
    return code


def _apply(client: TestClient, school: dict[str, str], code: str) -> dict:
    body = {"entitlement": PART_TIME, "entity_code": code, "year": YEAR, "figures": {"part_time_teachers": "34"},
            "claimed_fen": 123456, "note": "兼职教师34人"}  # fmt: skip
    created = client.post(f"{API}/applications", json=body, headers=school)
    assert created.status_code == 201, created.text
    draft = created.json()
    assert (draft["status"], draft["claimed_fen"], draft["claimed_yuan"]) == ("draft", 123456, "1234.56")
    assert draft["figures"] == {"part_time_teachers": "34"}
    assert set(draft["actions"]) == {"submit", "withdraw", "attach"}
    return draft


def _finance_reads_the_payment(client: TestClient, finance: dict[str, str], code: str, due: int, yuan: str) -> None:
    """The ledger, the obligations (JSON and xlsx) and the school's statement all hold the payment, to the fen."""
    ledger = client.get(f"{API}/ledger", params={"year": YEAR}, headers=finance).json()
    assert (ledger["total"], ledger["net_fen"], ledger["net_yuan"]) == (1, due, yuan)
    assert [(e["kind"], e["payment_number"], e["amount_fen"]) for e in ledger["items"]] == [("payment", 1, due)]
    obligations = client.get(f"{API}/obligations", params={"year": YEAR}, headers=finance).json()
    assert obligations["totals"]["paid_fen"] == due
    (line,) = [x for x in obligations["lines"] if x["article"] == "art13" and x["county"] == "瑞安市"]
    assert (line["paid_fen"], line["approved_fen"], line["outstanding_fen"], line["instructed_fen"]) == (due, due, 0, 0)
    assert line["due_fen"] >= due
    workbook = client.get(f"{API}/obligations.xlsx", params={"year": YEAR}, headers=finance)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (rows[0][6], rows[0][7]) == ("已发出支付指令未到账（元）", "已到账（元）")
    assert (Decimal(str(rows[-1][6])), Decimal(str(rows[-1][7])) * 100) == (0, due)  # the total row, exact
    statement = client.get(f"{API}/statements/school/{code}", headers=finance).json()
    assert (statement["balance_fen"], len(statement["entries"])) == (due, 1)


def test_an_application_goes_from_the_school_to_the_ledger_through_the_api(client: TestClient):
    school, county = api_token(client, "school"), api_token(client, "county")
    admin, finance, auditor = api_token(client, "admin"), api_token(client, "finance"), api_token(client, "auditor")
    code = _school_code(client)
    draft = _apply(client, school, code)
    number, path = draft["number"], f"{API}/applications/{draft['id']}"

    attached = client.post(f"{path}/attachments", files={"file": ("合同.pdf", PDF, "application/pdf")}, headers=school)
    assert attached.status_code == 201, attached.text
    assert attached.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert client.get(attached.json()["url"], headers=school).content == PDF
    assert client.post(f"{path}/submit", headers=school).json()["status"] == "submitted"

    queue = client.get(f"{API}/applications", params={"todo": "true"}, headers=county).json()
    assert [item["number"] for item in queue["items"]] == [number]
    reviewed_ = client.post(f"{path}/county_approve", json={"note": "材料齐全"}, headers=county).json()
    assert (reviewed_["status"], reviewed_["review_note"]) == ("county_reviewed", "材料齐全")

    due = engine_amount(client, PART_TIME, code, None)
    decided = client.post(f"{path}/city_approve", headers=admin).json()
    decision = decided["decision"]
    assert decision["amount_fen"] == decided["decided_fen"] == due > 0
    assert Decimal(decision["amount_yuan"]) * 100 == due
    assert decision["rule_set"] == load().rule_set
    assert decision["inputs"]["schools"][0]["id"] == code
    assert any(step["article"] == "art13" and step["text"] for step in decision["explanation"])

    batch = client.post(f"{API}/batches", json={"application_ids": [draft["id"]], "declared_count": 1,
                                                "declared_total_fen": due}, headers=admin)  # fmt: skip
    assert batch.status_code == 201, batch.text
    assert (batch.json()["payer"], batch.json()["rows_total_fen"]) == ("county", due)
    release = client.post(f"{API}/batches/{batch.json()['id']}/release", headers=finance).json()
    assert release["released"] is True
    (sent,) = release["instructions"]
    assert (sent["amount_fen"], sent["application_number"], sent["status"]) == (due, number, "outstanding")
    assert client.get(f"{API}/ledger", params={"year": YEAR}, headers=finance).json()["total"] == 0  # not paid yet
    bank_file = returns_csv((sent["reference"], "成功", "2025-03-03", ""))
    settled = client.post(f"{API}/payments/returns", data={"payer": "county", "county": COUNTY_CODE},
                          files={"file": ("回单.csv", bank_file, "text/csv")}, headers=finance)  # fmt: skip
    assert settled.status_code == 200, settled.text
    assert [i["reference"] for i in settled.json()["confirmed"]] == [sent["reference"]]
    (entry,) = client.get(f"{API}/ledger", params={"year": YEAR}, headers=finance).json()["items"]
    assert (entry["amount_fen"], entry["application_number"], entry["entity_code"]) == (due, number, code)

    _finance_reads_the_payment(client, finance, code, due, decision["amount_yuan"])

    trail = client.get(f"{API}/audit", params={"object": number, "per_page": 100}, headers=auditor).json()
    assert [r["action"] for r in reversed(trail["items"])] == [
        "application.create", "attachment.add", "application.submit", "application.county_approve",
        "application.city_approve", "application.schedule_payment", "application.release",
        "application.bank_confirm",
    ]  # fmt: skip
    verified = client.get(f"{API}/audit/verify", headers=auditor).json()
    assert verified["intact"] is True
    assert verified["first_break"] is None
    mine = client.get(path, headers=school).json()
    assert (mine["status"], mine["payments"][0]["amount_fen"]) == ("paid", due)
    assert [h["actor"] for h in mine["history"]] == [
        "school",
        "school",
        "school",
        "county",
        "admin",
        "admin",
        "finance",
        "finance",  # who imported the bank's confirmation
    ]


def test_requests_are_strict_and_refusals_are_problem_documents(sqlite_client: TestClient):
    school = api_token(sqlite_client, "school")
    code = _school_code(sqlite_client)
    good = {"entitlement": PART_TIME, "entity_code": code, "year": YEAR}
    for bad in ({"year": "2024"}, {"year": True}, {"claimed_fen": 1.5}, {"claimed_fen": -1}, {"color": "red"},
                {"figures": {"part_time_teachers": 34}}):  # fmt: skip
        problem(sqlite_client.post(f"{API}/applications", json=good | bad, headers=school), 422, "invalid_input")
    outside = sqlite_client.post(f"{API}/applications", json=good | {"year": 2030}, headers=school)
    assert "2030" in problem(outside, 422, "invalid")["detail"]  # no registry year to compute it from
    level = sqlite_client.post(f"{API}/applications", json=good | {"level": "city"}, headers=school)
    problem(level, 422, "invalid")  # Art. 13 is yearly: it names no level
    unknown = sqlite_client.post(f"{API}/applications", json=good | {"figures": {"students": "9"}}, headers=school)
    assert "students" in problem(unknown, 422, "invalid")["detail"]
    with database(sqlite_client) as session:
        other = session.scalar(select(School.code).where(School.code != code).limit(1))
    refused = sqlite_client.post(f"{API}/applications?lang=en", json=good | {"entity_code": other}, headers=school)
    assert problem(refused, 403, "not_allowed")["detail"] == "You can apply only for your own school or enterprise."
    assert sqlite_client.post(f"{API}/applications", json=good, headers=school).status_code == 201
    problem(sqlite_client.post(f"{API}/applications", json=good, headers=school), 409, "duplicate")
    problem(sqlite_client.get(f"{API}/applications"), 401, "not_signed_in")
    with database(sqlite_client) as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1


def test_a_county_officer_reaches_only_its_county_through_the_api(sqlite_client: TestClient):
    run_proactive(sqlite_client)
    theirs, ours = award_of(sqlite_client, other=True), award_of(sqlite_client)
    county = api_token(sqlite_client, "county")
    before = audit_count(sqlite_client)
    problem(sqlite_client.get(f"{API}/applications/{theirs}", headers=county), 404, "not_found")
    problem(sqlite_client.post(f"{API}/applications/{theirs}/county_approve", headers=county), 404, "not_found")
    problem(sqlite_client.post(f"{API}/applications/{theirs}/county_reject", json={"reason": "x"}, headers=county),
             404, "not_found")  # fmt: skip
    listed = sqlite_client.get(f"{API}/applications", params={"per_page": 200}, headers=county).json()
    assert {item["county_code"] for item in listed["items"]} == {COUNTY_CODE}
    assert ours in {item["id"] for item in listed["items"]}
    assert audit_count(sqlite_client) == before


def test_each_step_belongs_to_one_role_and_comes_in_its_order(sqlite_client: TestClient):
    award_id = reviewed(sqlite_client)
    path = f"{API}/applications/{award_id}"
    county, admin, finance = (api_token(sqlite_client, u) for u in ("county", "admin", "finance"))
    problem(sqlite_client.post(f"{path}/city_approve", headers=county), 403, "forbidden")  # the reviewer
    problem(sqlite_client.post(f"{path}/county_approve", headers=county), 409, "wrong_state")
    problem(sqlite_client.post(f"{path}/county_approve", headers=admin), 403, "forbidden")
    problem(sqlite_client.post(f"{path}/city_reject", json={"reason": ""}, headers=admin), 422, "invalid_input")
    amount = sqlite_client.post(f"{path}/city_approve", headers=admin).json()["decided_fen"]
    problem(sqlite_client.post(f"{path}/city_approve", headers=admin), 409, "wrong_state")
    body = {"application_ids": [award_id], "declared_count": 1, "declared_total_fen": amount}
    problem(
        sqlite_client.post(f"{API}/batches", json=body, headers=finance), 403, "forbidden"
    )  # finance never prepares
    mismatch = sqlite_client.post(f"{API}/batches", json=body | {"declared_total_fen": amount - 1}, headers=admin)
    problem(mismatch, 422, "declaration_mismatch")
    batch = sqlite_client.post(f"{API}/batches", json=body, headers=admin).json()
    problem(sqlite_client.post(f"{API}/batches/{batch['id']}/release", headers=admin), 403, "forbidden")
    assert sqlite_client.post(f"{API}/batches/{batch['id']}/release", headers=finance).json()["released"] is True
    problem(sqlite_client.post(f"{API}/batches/{batch['id']}/release", headers=finance), 409, "wrong_state")
    with database(sqlite_client) as session:
        assert session.scalar(select(func.count()).select_from(PaymentBatch)) == 1


def test_a_proactive_run_through_the_api_creates_nothing_twice(sqlite_client: TestClient):
    admin = api_token(sqlite_client, "admin")
    first = sqlite_client.post(f"{API}/proactive", json={"year": YEAR}, headers=admin).json()
    again = sqlite_client.post(f"{API}/proactive", json={"year": YEAR}, headers=admin).json()
    assert first["found"] == len(first["created"]) > 0
    assert (again["created"], again["skipped"]) == ([], first["found"])
    problem(sqlite_client.post(f"{API}/proactive", json={"year": YEAR}, headers=api_token(sqlite_client, "county")),
             403, "forbidden")  # fmt: skip


def test_an_approved_award_is_shown_with_its_frozen_decision_to_whoever_reaches_it(sqlite_client: TestClient):
    award_id, amount = approved(sqlite_client)
    for username in ("county", "auditor", "analyst"):
        answer = sqlite_client.get(f"{API}/applications/{award_id}", headers=api_token(sqlite_client, username))
        assert answer.json()["decision"]["amount_fen"] == amount, username
    english = sqlite_client.get(f"{API}/applications/{award_id}?lang=en", headers=api_token(sqlite_client, "county"))
    assert english.json()["status_label"] == "approved by the city"
    assert english.json()["actions"] == []  # the county has nothing more to do with it
