"""Payees' accounts on the pages and through the API: finance sees whole numbers and the others who may see a payee
see them masked; one finance officer proposes, another confirms; a refused request writes nothing; every role the
routes admit or refuse. The demo's payees have their accounts, one change waiting."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from personas import api_token, problem, sign_in
from sqlalchemy import func, select
from test_fulfilment_support import audit_count, database, post

from zhijiao.accounts.models import User
from zhijiao.demo.payees import BANKS, load_demo_payees
from zhijiao.fulfilment.models import PayeeAccount
from zhijiao.registry.models import Enterprise, School
from zhijiao.web import i18n

API = "/api/v1"


def _loaded(client: TestClient) -> tuple[str, str, str]:
    """The demo's accounts (tests/conftest.py loads them with the demo); (the demo enterprise's code, the demo
    school's code, a school of another county than the demo county officer's)."""
    with database(client) as session:
        load_demo_payees(session)
        firm = session.scalar(select(Enterprise.code).join(User, User.enterprise_id == Enterprise.id)
                              .where(User.username == "enterprise"))  # fmt: skip
        own = session.scalar(
            select(School.code).join(User, User.school_id == School.id).where(User.username == "school")
        )
        county = session.scalar(select(User.county_code).where(User.username == "county"))
        elsewhere = session.scalar(
            select(School.code).where(School.county_code != county).order_by(School.code).limit(1)
        )
    return str(firm), str(own), str(elsewhere)


def _rows(client: TestClient) -> int:
    with database(client) as session:
        return int(session.scalar(select(func.count()).select_from(PayeeAccount)) or 0)


def test_the_demo_gives_each_payee_an_account_and_leaves_one_change_waiting(sqlite_client: TestClient):
    firm, _own, _elsewhere = _loaded(sqlite_client)
    with database(sqlite_client) as session:
        counted = dict(session.execute(select(PayeeAccount.status, func.count()).group_by(PayeeAccount.status)).all())
        waiting = session.scalar(select(PayeeAccount).where(PayeeAccount.status == "proposed"))
        people = dict(session.execute(select(User.id, User.username)).all())
        budget = session.scalars(select(PayeeAccount.budget_unit_code).where(PayeeAccount.kind == "budget")).all()
        banks = set(session.scalars(select(PayeeAccount.bank_name).where(PayeeAccount.kind == "bank")))
        deciders = {people[i] for i in session.scalars(select(PayeeAccount.decided_by).distinct()) if i}
        assert load_demo_payees(session) == 0  # already there: left alone
    assert counted == {"confirmed": 217, "proposed": 1}
    assert deciders == {"finance2"}
    assert (people[waiting.proposed_by], waiting.reason) == (
        "finance",
        f"单位来函：基本存款账户变更至{waiting.bank_name}",
    )
    assert len(budget) == len(set(budget)) == 50  # each public school its own budget unit
    assert banks <= {name for name, _prefix, _length in BANKS}
    sign_in(sqlite_client, "enterprise")
    page = sqlite_client.get(f"/payees/enterprise/{firm}").text
    assert 'data-masked="yes"' in page
    assert "待财政人员复核" in page


def test_finance_sees_whole_numbers_and_everyone_else_masked(sqlite_client: TestClient):
    firm, own, elsewhere = _loaded(sqlite_client)
    with database(sqlite_client) as session:
        number = session.scalar(select(PayeeAccount.account_number).join(School, School.id == PayeeAccount.school_id)
                                .where(School.code == own, PayeeAccount.status == "confirmed",
                                       PayeeAccount.kind == "bank"))  # fmt: skip
    whole = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    hidden = re.compile(rf"{number[:4]}( \*\*\*\*)+ {number[-4:]}")
    for username in ("finance", "admin"):
        sign_in(sqlite_client, username)
        assert whole in sqlite_client.get(f"/payees/school/{own}").text, username
        assert whole in sqlite_client.get("/payees").text, username
        answer = sqlite_client.get(f"{API}/payees/school/{own}", headers=api_token(sqlite_client, username)).json()
        assert (answer["bank"]["account_number"], answer["bank"]["account_number_masked"]) == (number, False)
    for username in ("county", "school", "auditor", "analyst"):
        sign_in(sqlite_client, username)
        page = sqlite_client.get(f"/payees/school/{own}").text
        assert number not in page.replace(" ", ""), username
        assert hidden.search(page), username
        answer = sqlite_client.get(f"{API}/payees/school/{own}", headers=api_token(sqlite_client, username)).json()
        assert hidden.fullmatch(answer["bank"]["account_number"]), username
        assert answer["bank"]["account_number_masked"]
    sign_in(sqlite_client, "auditor")
    assert number not in sqlite_client.get("/payees").text.replace(" ", "")
    # outside its reach a payee is not found: another county's school, another enterprise, a school for a firm
    sign_in(sqlite_client, "county")
    assert sqlite_client.get(f"/payees/school/{elsewhere}").status_code == 404
    assert elsewhere not in sqlite_client.get("/payees").text
    sign_in(sqlite_client, "school")
    assert sqlite_client.get(f"/payees/enterprise/{firm}").status_code == 404
    assert sqlite_client.get("/payees").status_code == 403  # the list is finance's (and the ledger's readers')
    sign_in(sqlite_client, "drafter")
    assert sqlite_client.get(f"/payees/school/{own}").status_code == 403


def test_a_change_on_the_pages_takes_two_finance_officers(sqlite_client: TestClient):
    _firm, own, _elsewhere = _loaded(sqlite_client)
    sign_in(sqlite_client, "finance")
    before = (_rows(sqlite_client), audit_count(sqlite_client))
    typed = {"kind": "bank", "account_name": "", "bank_name": "温州银行", "account_number": "9050 12", "reason": "x"}
    bad = post(sqlite_client, f"/payees/school/{own}/accounts?lang=en", typed)
    assert bad.status_code == 422
    assert "account name: required; account number: 8 to 30 digits" in bad.text
    assert 'value="9050 12"' in bad.text  # what was typed comes back to be corrected
    assert (_rows(sqlite_client), audit_count(sqlite_client)) == before
    form = {"kind": "bank", "account_name": "温州市职业中等专业学校", "bank_name": "温州银行",
            "account_number": "9050 0012 0190 0123 45", "reason": "学校来函变更基本户"}  # fmt: skip
    proposed = post(sqlite_client, f"/payees/school/{own}/accounts", form)
    assert proposed.status_code == 303
    assert proposed.headers["location"].startswith(f"/payees/school/{own}?done=")
    with database(sqlite_client) as session:
        typed_in = PayeeAccount.account_number == "905000120190012345"
        change = session.scalar(select(PayeeAccount).where(PayeeAccount.status == "proposed", typed_in))
        assert change is not None
    page = sqlite_client.get(f"/payees/school/{own}").text
    assert f'action="/payee-accounts/{change.id}/withdraw"' in page
    assert f'action="/payee-accounts/{change.id}/confirm"' not in page  # not for its proposer
    refused = post(sqlite_client, f"/payee-accounts/{change.id}/confirm")
    assert refused.status_code == 403
    sign_in(sqlite_client, "finance2")
    assert f'action="/payee-accounts/{change.id}/confirm"' in sqlite_client.get("/payees").text
    confirmed = post(sqlite_client, f"/payee-accounts/{change.id}/confirm")
    assert confirmed.status_code == 303
    page = sqlite_client.get(confirmed.headers["location"]).text
    assert "9050 0012 0190 0123 45" in page
    assert 'data-status="superseded"' in page
    assert 'data-status="confirmed"' in page


def test_the_api_proposes_confirms_refuses_and_withdraws_with_stable_codes(client: TestClient):
    """On both engines: the row locks and the superseding of PostgreSQL as well as SQLite's."""
    firm, own, _elsewhere = _loaded(client)
    finance, second = api_token(client, "finance"), api_token(client, "finance2")
    listed = client.get(f"{API}/payees", headers=finance).json()
    assert [p["code"] for p in listed if p["waiting"]] == [firm]
    assert all(p["missing"] == [] for p in listed)
    (waiting,) = next(p for p in listed if p["code"] == firm)["waiting"]
    problem(client.post(f"{API}/payees/enterprise/{firm}/accounts", headers=second,
                               json={"kind": "bank", "account_name": "某", "bank_name": "温州银行",
                                     "account_number": "905000120190000001", "reason": "再改"}),
            409, "payee_account_pending")  # fmt: skip
    own_confirm = client.post(f"{API}/payee-accounts/{waiting['id']}/confirm?lang=en", headers=finance)
    assert "another finance officer" in problem(own_confirm, 403, "not_allowed")["detail"]
    problem(client.post(f"{API}/payee-accounts/{waiting['id']}/refuse", headers=second, json={"note": " "}),
            422, "invalid_payee_account")  # fmt: skip
    problem(client.post(f"{API}/payee-accounts/{waiting['id']}/confirm",
                               headers=api_token(client, "admin")), 403)  # fmt: skip
    refused = client.post(f"{API}/payee-accounts/{waiting['id']}/refuse", headers=second,
                                 json={"note": "来函未加盖公章"})  # fmt: skip
    assert refused.status_code == 200, refused.text
    assert (refused.json()["status"], refused.json()["decided_by"]) == ("refused", "finance2")
    problem(client.post(f"{API}/payee-accounts/{waiting['id']}/confirm", headers=second), 409,
            "payee_account_decided")  # fmt: skip

    before = (_rows(client), audit_count(client))
    budget = {"kind": "budget", "budget_unit_code": "3301", "budget_unit_name": "某企业", "reason": "预算"}
    problem(client.post(f"{API}/payees/enterprise/{firm}/accounts", headers=finance, json=budget), 422,
            "invalid_payee_account")  # fmt: skip
    problem(client.post(f"{API}/payees/school/{own}/accounts", headers=api_token(client, "county"),
                               json=budget), 403, "not_allowed")  # fmt: skip
    problem(client.post(f"{API}/payees/school/{own}/accounts", headers=api_token(client, "school"),
                               json=budget), 403)  # fmt: skip
    assert (_rows(client), audit_count(client)) == before

    admin = api_token(client, "admin")
    changed = budget | {"budget_unit_code": "330381113999", "budget_unit_name": "新编码"}
    created = client.post(f"{API}/payees/school/{own}/accounts", headers=admin, json=changed)
    assert created.status_code == 201, created.text
    account = created.json()
    assert (account["status"], account["proposed_by"], account["supersedes_id"] is not None) == (
        "proposed",
        "admin",
        True,
    )
    problem(client.post(f"{API}/payee-accounts/{account['id']}/withdraw", headers=finance), 403, "not_allowed")
    withdrawn = client.post(f"{API}/payee-accounts/{account['id']}/withdraw", headers=admin).json()
    assert (withdrawn["status"], withdrawn["decided_by"]) == ("withdrawn", "admin")
    history = client.get(f"{API}/payees/school/{own}", headers=finance).json()["history"]
    assert [a["status"] for a in history if a["kind"] == "budget"] == ["withdrawn", "confirmed"]


def test_the_payee_pages_read_in_english(sqlite_client: TestClient):
    firm, own, _elsewhere = _loaded(sqlite_client)
    with (i18n.LOCALE_DIR / "en" / "fulfilment.po").open("rb") as handle:
        messages = [m.id for m in read_po(handle) if m.id and "%(" not in m.id and len(m.id) > 1]
    for username, path in (("finance", "/payees"), ("finance2", f"/payees/enterprise/{firm}"),
                           ("admin", f"/payees/school/{own}"), ("auditor", "/payees")):  # fmt: skip
        sign_in(sqlite_client, username)
        page = sqlite_client.get(path, params={"lang": "en"}).text
        left = [m for m in messages if f">{m}<" in page or f">{m} " in page or f" {m}<" in page]
        assert left == [], (username, path)
        assert "Payee accounts" in page
    page = sqlite_client.get(f"/payees/school/{own}?lang=en").text
    for english in ("bank account", "budget unit", "Current accounts", "Account history", "masked"):
        assert english in page, english
