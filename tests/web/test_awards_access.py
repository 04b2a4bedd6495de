"""Each role sees what its work needs (issue 14): drafting staff and consulted units see no award and no amount,
on the pages or through the API; the roles of fulfilment still do."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import api_token, problem, sign_in
from test_fulfilment_support import approved

API = "/api/v1"


def test_drafting_staff_and_consulted_units_see_no_award(sqlite_client: TestClient):
    award_id, amount = approved(sqlite_client)
    for username in ("drafter", "unit"):
        token = api_token(sqlite_client, username)
        problem(sqlite_client.get(f"{API}/applications", headers=token), 403)
        problem(sqlite_client.get(f"{API}/applications/{award_id}", headers=token), 403)
        client = sign_in(sqlite_client, username)
        assert client.get("/awards", follow_redirects=False).status_code == 403
        page = client.get(f"/awards/{award_id}", follow_redirects=False)
        assert page.status_code == 403
        assert str(amount // 100) not in page.text
        assert 'href="/awards"' not in client.get("/drafting" if username == "drafter" else "/consultations").text
    for username in ("admin", "county", "finance", "auditor"):
        answer = sqlite_client.get(f"{API}/applications/{award_id}", headers=api_token(sqlite_client, username))
        assert answer.json()["decision"]["amount_fen"] == amount, username
