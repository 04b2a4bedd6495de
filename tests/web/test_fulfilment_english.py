"""Every fulfilment page in English: none of its Chinese messages is left untranslated on the page, and the
labels that come from data (statuses, entitlements, payers, actions) are in English too."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from personas import sign_in
from sqlalchemy import select
from test_fulfilment_support import COUNTY_CODE, application, database, paid, post

from zhijiao.fulfilment.models import Application
from zhijiao.registry.models import Enterprise
from zhijiao.web import i18n

CATALOG = i18n.LOCALE_DIR / "en" / "fulfilment.po"


def _messages() -> list[str]:
    """The catalog's Chinese messages that are whole phrases (placeholders cut them into pieces)."""
    with CATALOG.open("rb") as handle:
        return [m.id for m in read_po(handle) if m.id and "%(" not in m.id and len(m.id) > 1]


def _left_in_chinese(page: str) -> list[str]:
    visible = re.sub(r"<pre>.*?</pre>|<script.*?</script>", "", page, flags=re.DOTALL)  # records' own data aside
    return [m for m in _messages() if f">{m}<" in visible or f">{m} " in visible or f" {m}<" in visible]


def test_every_fulfilment_page_reads_in_english(sqlite_client: TestClient):
    award_id, _amount, _entry = paid(sqlite_client)
    award = application(sqlite_client, award_id)
    with database(sqlite_client) as session:
        firm = session.get(Enterprise, award.enterprise_id)
        assert firm is not None
        code = firm.code
        pending = session.scalar(
            select(Application.id)
            .where(Application.status == "pending", Application.county_code == COUNTY_CODE)
            .limit(1)
        )
    pages = {
        "admin": ["/awards?view=all", f"/awards/{award_id}", "/batches", f"/batches/{award.batch_id}"],
        "finance": ["/ledger", f"/ledger/statements/enterprise/{code}"],
        "auditor": ["/audit", "/audit/verify"],
        "school": ["/awards", "/awards/new", "/awards/new?entitlement=art03.platform_award"],
        "county": [f"/awards/{pending}"],
    }
    for username, paths in pages.items():
        sign_in(sqlite_client, username)
        for path in paths:
            page = sqlite_client.get(path, params={"lang": "en"}).text
            assert _left_in_chinese(page) == [], (username, path)
    sign_in(sqlite_client, "admin")
    assert len(_left_in_chinese(sqlite_client.get(f"/awards/{award_id}?lang=zh").text)) > 20  # the check sees them
    page = sqlite_client.get(f"/awards/{award_id}?lang=en").text
    for english in ("Art. 7 one-time integration subsidy", "paid", "approved by the city", "History", "Decision"):
        assert english in page, english
    ledger = sqlite_client.get("/ledger?lang=en").text
    assert "county finance" in ledger
    assert "CN¥" in ledger


def test_the_proactive_run_reports_in_english(sqlite_client: TestClient):
    sign_in(sqlite_client, "admin")
    ran = post(sqlite_client, "/awards/proactive?lang=en", {"year": "2024"})
    page = sqlite_client.get(ran.headers["location"] + "&lang=en").text
    found = re.search(r"Proactive awards 2024: (\d+) found in the registry, (\d+) new awards awaiting review", page)
    assert found
    assert found.group(1) == found.group(2)
