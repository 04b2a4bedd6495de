"""The ledger, obligations, statements and the audit trail as finance and the auditors read them: a payment,
its claw-back when the certification is revoked (only with the option on), the obligations and their xlsx to
the fen, a county's view of its own county only, and an audit trail whose tampering the check finds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import api_token, sign_in
from sqlalchemy import func, select, text, update
from test_fulfilment_support import (
    COUNTY_CODE,
    YEAR,
    application,
    award_of,
    batched,
    database,
    obligations_table,
    paid,
    persona,
    post,
)

import bank
from zhijiao.accounts.service import add_user
from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Role
from zhijiao.demo.accounts import DEMO_PASSWORD
from zhijiao.fulfilment import applications, corrections, payments
from zhijiao.fulfilment.models import LedgerEntry
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.models import County, Enterprise, EnterpriseCertification


def _ledger_rows(page: str) -> list[tuple[str, str, str]]:
    """(entry id, kind, amount in fen) of the ledger table."""
    return re.findall(
        r'<tr data-ledger="(\d+)" data-kind="([a-z]+)">.*?<td class="num" data-fen="(-?\d+)"', page, re.DOTALL
    )


def _revoke(client: TestClient, award_id: int) -> str:
    """Revokes the certification the award paid for; returns the enterprise's code."""
    award = application(client, award_id)
    with database(client) as session:
        session.execute(
            update(EnterpriseCertification)
            .where(
                EnterpriseCertification.enterprise_id == award.enterprise_id,
                EnterpriseCertification.level == award.level,
            )
            .values(revoked_on=dt.date(YEAR + 1, 3, 1), revocation_reason="复核不合格")
        )
        firm = session.get(Enterprise, award.enterprise_id)
        assert firm is not None
        return firm.code


def test_a_revoked_certification_is_clawed_back_only_with_the_option_on(sqlite_client: TestClient):
    award_id, amount, entry_id = paid(sqlite_client)
    code = _revoke(sqlite_client, award_id)
    sign_in(sqlite_client, "finance")
    page = sqlite_client.get("/ledger").text
    assert 'id="clawback"' in page
    assert "方案未规定认定被撤销后已兑现的一次性奖补是否追回" in page  # the option's reason, from the package
    off = post(sqlite_client, "/ledger/clawbacks", {"as_of": f"{YEAR + 1}-12-31", "option": "off"})
    assert off.headers["location"] == "/ledger?done=clawback&clawed=0&option=off#corrections"
    on = post(sqlite_client, "/ledger/clawbacks", {"as_of": f"{YEAR + 1}-12-31", "option": "on"})
    assert on.headers["location"] == "/ledger?done=clawback&clawed=1&option=on#corrections"
    page = sqlite_client.get(on.headers["location"]).text
    assert "新提出1条追回申请" in page
    assert [kind for _id, kind, _fen in _ledger_rows(page)] == ["payment"]  # proposed, not yet recorded
    (correction_id,) = re.findall(r'data-correction="(\d+)" data-kind="clawback"', page)
    sign_in(sqlite_client, "finance2")
    confirmed = post(sqlite_client, f"/ledger/corrections/{correction_id}/confirm")
    assert confirmed.headers["location"] == "/ledger?done=confirmed_clawback#corrections"
    page = sqlite_client.get(confirmed.headers["location"]).text
    assert "已复核并记入追回记录" in page
    rows = _ledger_rows(page)
    assert [(kind, int(fen)) for _id, kind, fen in rows] == [("clawback", -amount), ("payment", amount)]
    assert f"已由台账号 {rows[0][0]} 冲减" in page
    assert "复核不合格" in page
    net = re.search(r'id="ledger-net" data-fen="(-?\d+)"', page)
    assert net
    assert net.group(1) == "0"
    obligations = sqlite_client.get(f"/ledger?year={YEAR}").text  # the claw-back counts in the payment's year
    reversed_ = re.search(
        r'<tfoot>.*?data-measure="reversed" data-fen="(-?\d+)"', obligations_table(obligations), re.DOTALL
    )
    assert reversed_
    assert int(reversed_.group(1)) == -amount
    statement = sqlite_client.get(f"/ledger/statements/enterprise/{code}").text
    assert re.search(r'id="balance" data-fen="0"', statement)
    assert statement.count("<tr data-ledger=") == 2
    again = post(sqlite_client, "/ledger/clawbacks", {"as_of": f"{YEAR + 1}-12-31", "option": "on"})
    assert again.headers["location"].endswith("clawed=0&option=on#corrections")  # each payment once
    assert entry_id == int(rows[1][0])


def test_the_obligations_workbook_holds_the_pages_figures_exactly(sqlite_client: TestClient):
    _award_id, amount, _entry = paid(sqlite_client)
    sign_in(sqlite_client, "auditor")
    assert "2025年奖补兑现情况" in sqlite_client.get("/ledger").text  # by default the plan's last year with data
    page = sqlite_client.get(f"/ledger?year={YEAR}").text
    footer = dict(
        re.findall(r'data-measure="([a-z]+)" data-fen="(-?\d+)"', obligations_table(page).split("<tfoot>", 1)[1])
    )
    assert int(footer["paid"]) == amount
    assert int(footer["due"]) > 0
    assert int(footer["instructed"]) == 0  # the bank confirmed it: paid, no longer with the bank
    for lang, header in (("zh", "已到账（元）"), ("en", "paid (yuan)")):
        workbook = sqlite_client.get(f"/ledger/obligations.xlsx?year={YEAR}&lang={lang}")
        assert workbook.headers["content-disposition"].startswith("attachment;")
        rows = list(load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True))
        assert rows[0][7] == header
        total = rows[-1]
        for column, measure in ((4, "due"), (5, "approved"), (6, "instructed"), (7, "paid"), (8, "reversed")):
            assert Decimal(str(total[column])) * 100 == int(footer[measure]), measure


def test_a_county_officer_sees_its_own_countys_money_only(sqlite_client: TestClient):
    """An award of another county, reviewed by that county's own officer and paid, is not in 瑞安's ledger."""
    ours, amount, _entry = paid(sqlite_client)
    theirs = award_of(sqlite_client, other=True)
    other_county = application(sqlite_client, theirs).county_code
    with database(sqlite_client) as session:
        name = session.scalar(select(County.name).where(County.code == other_county))
        add_user(session, username="county2", password=DEMO_PASSWORD, role=Role.county_officer, county=name)
    with database(sqlite_client) as session:
        applications.county_approve(session, persona(session, "county2"), load(), theirs)
        decision = applications.city_approve(session, persona(session, "admin"), load(), theirs)
        batch = payments.prepare_batch(session, persona(session, "admin"), load(), [theirs], declared_count=1,
                                       declared_total_fen=decision.amount_fen)  # fmt: skip
        bank.paid(session, persona(session, "finance"), load(), batch.id)
        codes = dict(session.execute(select(LedgerEntry.id, LedgerEntry.county_code)).all())
    assert sorted(codes.values()) == sorted([COUNTY_CODE, other_county])
    sign_in(sqlite_client, "county")
    page = sqlite_client.get("/ledger").text
    assert [(kind, int(fen)) for _id, kind, fen in _ledger_rows(page)] == [("payment", amount)]
    assert 'name="county"' not in page.split('id="ledger"', 1)[1]  # no county to choose
    with database(sqlite_client) as session:
        firm = session.scalar(
            select(Enterprise.code).join(LedgerEntry, LedgerEntry.enterprise_id == Enterprise.id)
            .where(LedgerEntry.county_code == other_county)
        )  # fmt: skip
    assert sqlite_client.get(f"/ledger/statements/enterprise/{firm}").status_code == 404
    assert sqlite_client.get(f"/ledger/statements/enterprise/{firm}/export.xlsx").status_code == 404
    batches = sqlite_client.get("/batches").text
    assert batches.count("<tr data-batch=") == 1  # its county finance's batch, not the other's
    assert application(sqlite_client, ours).county_code == COUNTY_CODE

    # A correction proposed on the other county's payment, and the exports: none of it reaches 瑞安's officer.
    with database(sqlite_client) as session:
        their_payment = session.scalar(select(LedgerEntry.id).where(LedgerEntry.county_code == other_county))
        corrections.propose(session, persona(session, "finance"), their_payment, "收款账户有误")
    assert 'data-correction="' not in sqlite_client.get("/ledger").text
    county = api_token(sqlite_client, "county")
    assert sqlite_client.get("/api/v1/corrections", headers=county).json() == []
    assert sqlite_client.get("/api/v1/corrections", headers=api_token(sqlite_client, "county2")).json() != []
    exported = load_workbook(io.BytesIO(sqlite_client.get("/ledger/export.xlsx").content)).active
    assert [row[0] for row in exported.iter_rows(min_row=2, values_only=True)][:-1] == [int(_ledger_rows(page)[0][0])]


def test_the_audit_trail_is_browsed_exported_and_checked(sqlite_client: TestClient):
    award_id, _amount, _entry = paid(sqlite_client)
    number = application(sqlite_client, award_id).number
    sign_in(sqlite_client, "auditor")
    page = sqlite_client.get("/audit?area=batch").text
    assert set(re.findall(r'<tr data-record="\d+" data-action="([a-z_.]+)">', page)) == {
        "batch.prepare",
        "batch.release",
        "batch.close",  # the bank confirmed its one payment: reconciled
    }
    page = sqlite_client.get(f"/audit?object={number}").text
    actions = re.findall(r'data-action="([a-z_.]+)"', page)
    assert actions == ["application.bank_confirm", "application.release", "application.schedule_payment",
                       "application.city_approve", "application.county_approve", "application.create"]  # fmt: skip
    assert "&#34;status&#34;: &#34;instructed&#34;" in page  # the after of the release, shown
    assert "&#34;status&#34;: &#34;paid&#34;" in page  # and of the bank's confirmation
    exported = sqlite_client.get(f"/audit/export.csv?object={number}")
    assert exported.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert table[0][:4] == ["序号", "时间（UTC）", "操作人", "操作"]
    assert [row[3].split()[0] for row in table[1:]] == list(reversed(actions))
    workbook = load_workbook(io.BytesIO(sqlite_client.get(f"/audit/export.xlsx?object={number}&lang=en").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "id"
    assert len(rows) == 1 + len(actions)
    verified = sqlite_client.get("/audit/verify").text
    assert 'data-intact="true"' in verified

    with database(sqlite_client) as session:  # someone edits the trail behind the platform's back
        victim = session.scalar(select(AuditRecord.id).where(AuditRecord.action == "application.city_approve"))
        session.execute(text("DROP TRIGGER audit_records_no_update"))
        session.execute(
            text("UPDATE audit_records SET payload = replace(payload, 'admin', 'nobody') WHERE id = :id"),
            {"id": victim},
        )
    broken = sqlite_client.get("/audit/verify")
    assert f'data-intact="false" data-record="{victim}"' in broken.text
    assert f"第{victim}条记录的内容被改动" in broken.text


def test_an_approval_on_changed_registry_data_is_sent_back_not_paid(sqlite_client: TestClient):
    award_id, _amount, batch_id = batched(sqlite_client)
    award = application(sqlite_client, award_id)
    with database(sqlite_client) as session:  # the certification's date is corrected after the approval
        certification = session.scalar(
            select(EnterpriseCertification).where(
                EnterpriseCertification.enterprise_id == award.enterprise_id,
                EnterpriseCertification.level == award.level,
            )
        )
        assert certification is not None
        certification.certified_on -= dt.timedelta(days=1)
    sign_in(sqlite_client, "finance")
    released = post(sqlite_client, f"/batches/{batch_id}/release")
    assert released.headers["location"] == f"/batches/{batch_id}?done=cancelled"
    page = sqlite_client.get(released.headers["location"]).text
    assert 'id="batch-status">已取消' in page
    assert f"<li>{award.number}</li>" in page.split('id="stale"', 1)[1]
    after = application(sqlite_client, award_id)
    assert (after.status, after.needs_re_review, after.batch_id) == ("submitted", True, None)  # the county's again
    assert 'id="re-review"' in sqlite_client.get(f"/awards/{award_id}").text
    with database(sqlite_client) as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_an_award_sent_back_is_paid_once_it_is_approved_again(sqlite_client: TestClient):
    award_id, _amount, batch_id = batched(sqlite_client)
    award = application(sqlite_client, award_id)
    with database(sqlite_client) as session:
        firm = session.get(Enterprise, award.enterprise_id)
        assert firm is not None
        firm.name += "（更名）"  # any change of the registry record the decision was computed from
    sign_in(sqlite_client, "finance")
    assert post(sqlite_client, f"/batches/{batch_id}/release").headers["location"].endswith("done=cancelled")
    sign_in(sqlite_client, "county")  # reviewed again, on the data as they are now
    post(sqlite_client, f"/awards/{award_id}/county-approve")
    sign_in(sqlite_client, "admin")
    page = sqlite_client.get(f"/awards/{award_id}").text
    reviewed = re.search(r'data-action="city_approve" data-amount-fen="(\d+)"', page)
    assert reviewed is not None  # the approve button stands beside the amount it fixes
    post(sqlite_client, f"/awards/{award_id}/city-approve", {"shown_fen": reviewed.group(1)})
    assert application(sqlite_client, award_id).status == "city_approved"
    assert f'<tr data-award="{award.number}">' in sqlite_client.get("/batches?payer=county:330381").text
