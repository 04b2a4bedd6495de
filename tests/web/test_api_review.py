"""The API's side of issue 13: before a review or an approval the caller reads the amount it fixes
(``/assessment``); the county chooses which figures stand; the city and finance pass the amount they saw and
are refused, with nothing written, when it moved."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import api_token, problem
from sqlalchemy import func, select
from test_fulfilment_support import COUNTY_CODE, PART_TIME, YEAR, database

from returns_file import returns_csv
from zhijiao.fulfilment.models import LedgerEntry
from zhijiao.registry.models import School, TeacherStats

API = "/api/v1"


def _school(client: TestClient) -> tuple[str, int]:
    """The demo county's first school: its code and its registered part-time teachers."""
    with database(client) as session:
        found = session.execute(
            select(School.code, TeacherStats.part_time)
            .join(TeacherStats, TeacherStats.school_id == School.id)
            .where(School.county_code == COUNTY_CODE, TeacherStats.year == YEAR)
            .order_by(School.code)
            .limit(1)
        ).one()
    return str(found[0]), int(found[1])


def test_a_claim_is_assessed_chosen_frozen_approved_and_paid_at_the_amount_seen(sqlite_client: TestClient):
    client = sqlite_client
    school, county, admin, finance = (api_token(client, name) for name in ("school", "county", "admin", "finance"))
    code, registered = _school(client)
    body = {"entitlement": PART_TIME, "entity_code": code, "year": YEAR, "submit": True,
            "figures": {"part_time_teachers": str(registered + 3)}}  # fmt: skip
    created = client.post(f"{API}/applications", json=body, headers=school)
    assert created.status_code == 201, created.text
    path = f"{API}/applications/{created.json()['id']}"
    problem(client.get(f"{path}/assessment", headers=school), 403)  # the applicant does not assess itself

    seen = client.get(f"{path}/assessment", headers=county).json()
    (differing,) = [f for f in seen["figures"] if f["differs"]]
    assert (differing["name"], differing["claimed"], differing["registry"]) == (
        "part_time_teachers", str(registered + 3), str(registered),
    )  # fmt: skip
    assert seen["differs"] is True
    assert seen["amount_at_stake_fen"] is None
    claimed_fen = seen["on_claimed"]["amount_fen"]
    assert claimed_fen != seen["on_registry"]["amount_fen"]
    assert seen["on_claimed"]["explanation"]

    problem(client.post(f"{path}/county_approve", json={}, headers=county), 422, "figures_basis_required")
    moved = {"figures_basis": "claimed", "shown_amount_fen": seen["on_registry"]["amount_fen"]}
    problem(client.post(f"{path}/county_approve", json=moved, headers=county), 409, "amount_changed")
    chosen = {"figures_basis": "claimed", "shown_amount_fen": claimed_fen, "note": "聘用合同齐全"}
    reviewed = client.post(f"{path}/county_approve", json=chosen, headers=county)
    assert reviewed.json()["status"] == "county_reviewed", reviewed.text

    frozen = client.get(f"{path}/assessment", headers=admin).json()
    assert (frozen["review"]["amount_fen"], frozen["review"]["figures_basis"]) == (claimed_fen, "claimed")
    assert frozen["amount_at_stake_fen"] == claimed_fen
    assert frozen["changed_since_review"] is False
    wrong = client.post(f"{path}/city_approve", json={"shown_amount_fen": claimed_fen - 1}, headers=admin)
    problem(wrong, 409, "amount_changed")
    approved = client.post(f"{path}/city_approve", json={"shown_amount_fen": claimed_fen}, headers=admin).json()
    assert approved["decision"]["amount_fen"] == claimed_fen

    batch = client.post(
        f"{API}/batches",
        json={"application_ids": [approved["id"]], "declared_count": 1, "declared_total_fen": claimed_fen},
        headers=admin,
    )
    assert batch.status_code == 201, batch.text
    release = f"{API}/batches/{batch.json()['id']}/release"
    problem(client.post(release, json={"shown_total_fen": claimed_fen + 100}, headers=finance), 409, "amount_changed")
    with database(client) as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    released = client.post(release, json={"shown_total_fen": claimed_fen}, headers=finance).json()
    assert released["released"] is True
    assert [i["amount_fen"] for i in released["instructions"]] == [claimed_fen]
    result = returns_csv((released["instructions"][0]["reference"], "成功", "2025-03-03", ""))
    settled = client.post(f"{API}/payments/returns", data={"payer": "county", "county": COUNTY_CODE},
                          files={"file": ("回单.csv", result, "text/csv")}, headers=finance)  # fmt: skip
    assert settled.status_code == 200, settled.text
    paid = client.get(f"{API}/ledger", headers=finance).json()["items"]
    assert [e["amount_fen"] for e in paid] == [claimed_fen]
