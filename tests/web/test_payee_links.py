"""A school or an enterprise finds its payee accounts from its own record's page, and so do the officials who may
see them; the page they lead to shows the account masked for them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from personas import sign_in


def _own_record(client: TestClient) -> str:
    landing = client.get("/", follow_redirects=False)
    assert landing.status_code == 303
    return str(landing.headers["location"]).split("?", 1)[0]


def test_a_school_and_an_enterprise_reach_their_payee_accounts_from_their_record(sqlite_client: TestClient):
    for username, kind in (("school", "school"), ("enterprise", "enterprise")):
        sign_in(sqlite_client, username)
        record = _own_record(sqlite_client)
        code = record.rsplit("/", 1)[1]
        page = sqlite_client.get(record).text
        link = re.search(r'<a href="([^"]+)" id="payee-link">', page)
        assert link is not None, username
        assert link.group(1) == f"/payees/{kind}/{code}"
        accounts = sqlite_client.get(link.group(1))
        assert accounts.status_code == 200
        assert "**** " in accounts.text  # masked: only finance sees whole numbers
        sqlite_client.cookies.clear()


def test_a_county_officer_reaches_the_accounts_of_its_countys_payees(sqlite_client: TestClient):
    sign_in(sqlite_client, "county")
    listing = sqlite_client.get("/registry/schools").text
    own = re.search(r'href="(/registry/schools/[^"/?]+)[?"]', listing)
    assert own is not None
    assert 'id="payee-link"' in sqlite_client.get(own.group(1)).text  # its county's school: the link is there
