"""From entitlement to payment through the pages, as the officials do it: the city runs the proactive
awards, the county officer reviews one, the city approves it and puts it in a batch, finance releases
the batch and the bank confirms it; the ledger then holds the decision's amount to the fen. And a school
applies for Art. 13 through the form, with a supporting document."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from personas import sign_in
from sqlalchemy import func, select
from test_fulfilment_support import (
    COUNTY_CODE,
    PART_TIME,
    SUBSIDY,
    YEAR,
    application,
    award_links,
    award_numbers,
    database,
    engine_amount,
    obligations_table,
    post,
    redirected_id,
    status_of,
)

import bank
from returns_file import returns_csv
from zhijiao import audit
from zhijiao.accounts.service import add_user
from zhijiao.authz import Role
from zhijiao.demo.accounts import DEMO_PASSWORD
from zhijiao.fulfilment.compute import entitlements_of, registry_result
from zhijiao.fulfilment.models import Application, Decision, LedgerEntry, PaymentBatch
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.models import Enterprise, School
from zhijiao.web.i18n import Lang, money

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _proactive_found(client: TestClient) -> int:
    with database(client) as session:
        return sum(1 for e in entitlements_of(registry_result(session, load(), YEAR)) if e.entitlement.proactive)


def _city_runs_proactive_awards(client: TestClient) -> None:
    """Every entitlement of the year needing no application becomes an award."""
    sign_in(client, "admin")
    ran = post(client, "/awards/proactive", {"year": str(YEAR)})
    assert ran.status_code == 303
    expected = _proactive_found(client)
    assert expected > 0
    page = client.get(ran.headers["location"]).text
    assert f"按登记数据发现{expected}项，新生成{expected}项待审核奖补" in page


def _county_reviews_a_subsidy(client: TestClient) -> tuple[int, str, str, str]:
    """The county officer's queue holds its county's proactive awards, and only those; it passes one on.
    Returns the award's id, number, level and enterprise code."""
    sign_in(client, "county")
    queue = client.get("/awards").text
    with database(client) as session:
        pending = session.scalars(
            select(Application.number).where(Application.status == "pending", Application.county_code == COUNTY_CODE)
        ).all()
        subsidy = session.execute(
            select(Application.id, Application.number, Application.level, Enterprise.code)
            .join(Enterprise, Enterprise.id == Application.enterprise_id)
            .where(Application.county_code == COUNTY_CODE, Application.entitlement == SUBSIDY)
            .order_by(Application.id)
        ).first()
    assert sorted(award_numbers(queue)) == sorted(pending)
    assert subsidy is not None
    award_id, number, level, enterprise_code = subsidy
    assert award_links(queue)[number] == award_id
    reviewed = post(client, f"/awards/{award_id}/county-approve", {"note": "认定材料已核"})
    assert reviewed.headers["location"] == f"/awards/{award_id}?done=county_approve"
    page = client.get(reviewed.headers["location"]).text
    assert status_of(page) == "county_reviewed"
    assert "认定材料已核" in page
    return award_id, number, level, enterprise_code


def _city_approves_and_prepares_a_batch(client: TestClient, award_id: int, number: str, due: int) -> int:
    """The amount approved is the engine's, frozen with its explanation; the batch declares it in yuan."""
    sign_in(client, "admin")
    approved = post(client, f"/awards/{award_id}/city-approve")
    page = client.get(approved.headers["location"]).text
    assert status_of(page) == "city_approved"
    assert f'id="decision-amount" data-fen="{due}">{money(due, Lang.zh)}<' in page
    assert 'data-step="integration_subsidy"' in page  # the frozen steps, in plain Chinese
    assert "第七条" in page.split('id="decision-steps"', 1)[1]
    batches = client.get(f"/batches?payer=county:{COUNTY_CODE}").text
    assert f'<tr data-award="{number}">' in batches
    yuan = f"{due // 100:,}.{due % 100:02d}"
    form = {"payer": f"county:{COUNTY_CODE}", "application_ids": [str(award_id)], "declared_count": "1",
            "declared_total": yuan}  # fmt: skip
    batch_id = redirected_id(post(client, "/batches", form), "/batches/")
    assert 'id="release-batch"' not in client.get(f"/batches/{batch_id}").text  # not the preparer's to release
    return batch_id


def test_a_proactive_award_is_paid_through_the_pages_of_three_officials(client: TestClient):
    _city_runs_proactive_awards(client)
    award_id, number, level, enterprise_code = _county_reviews_a_subsidy(client)
    due = engine_amount(client, SUBSIDY, enterprise_code, level)
    batch_id = _city_approves_and_prepares_a_batch(client, award_id, number, due)

    # Finance releases it: one instruction to the bank, nothing in the ledger until the bank's result confirms
    # it; then one ledger row, the decision's amount to the fen, dated by the bank.
    sign_in(client, "finance")
    assert 'id="release-batch"' in client.get(f"/batches/{batch_id}").text
    released = post(client, f"/batches/{batch_id}/release")
    assert released.headers["location"] == f"/batches/{batch_id}?done=released"
    standing = re.search(r'data-standing="outstanding">.*?data-count="(\d+)".*?data-fen="(\d+)"',
                         client.get(released.headers["location"]).text, re.DOTALL)  # fmt: skip
    assert standing
    assert standing.groups() == ("1", str(due))  # with the bank, not yet paid
    assert application(client, award_id).status == "instructed"
    with database(client) as session:
        (instruction,) = bank.instructions_of(session, batch_id)
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    result = returns_csv((instruction.reference, "成功", "2025-03-03", ""))
    imported = post(client, "/payments/returns", {"payer": f"county:{COUNTY_CODE}"},
                    files={"file": ("回单.csv", result, "text/csv")})  # fmt: skip
    assert imported.status_code == 200, imported.text
    ledger = client.get(f"/ledger?year={YEAR}").text
    rows = re.findall(r'<tr data-ledger="(\d+)" data-kind="payment">.*?data-fen="(-?\d+)"', ledger, re.DOTALL)
    with database(client) as session:
        entry = session.scalar(select(LedgerEntry))
        decision = session.scalar(select(Decision).where(Decision.application_id == award_id))
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 1
        assert session.get(PaymentBatch, batch_id).status == "closed"  # reconciled: every payment confirmed
        assert audit.verify(session).intact
    assert entry is not None
    assert decision is not None
    assert rows == [(str(entry.id), str(due))]
    assert (entry.amount_fen, entry.decision_id, entry.payer, entry.payer_county_code) == (
        decision.amount_fen, decision.id, "county", COUNTY_CODE,
    )  # fmt: skip
    assert application(client, award_id).status == "paid"
    paid = re.search(r'<tfoot>.*?data-measure="paid" data-fen="(\d+)"', obligations_table(ledger), re.DOTALL)
    assert paid
    assert int(paid.group(1)) == due

    # The award's page tells its history from the audit trail, step by step, each with its person.
    history = client.get(f"/awards/{award_id}").text.split('id="history"', 1)[1]
    steps = re.findall(r'<tr data-action="(application\.[a-z_]+)">\s*<td>[^<]*</td><td>([a-z]+)</td>', history)
    assert steps == [
        ("application.create", "system"), ("application.county_approve", "county"),
        ("application.city_approve", "admin"), ("application.schedule_payment", "admin"),
        ("application.release", "finance"), ("application.bank_confirm", "finance"),
    ]  # fmt: skip


def test_a_school_applies_for_part_time_teacher_funding_with_a_document(client: TestClient):
    sign_in(client, "school")
    form = client.get(f"/awards/new?entitlement={PART_TIME}").text
    assert 'name="fig.part_time_teachers"' in form
    assert 'name="fig.local_avg_teacher_salary"' not in form  # the county's salary standard, not a claim
    assert 'name="fig.capital_donations"' not in form  # Art. 20's figure, not this entitlement's
    created = post(
        client,
        "/awards/new",
        {"entitlement": PART_TIME, "year": str(YEAR), "fig.part_time_teachers": "34", "fig.full_time_teachers": "",
         "claimed_yuan": "1,234.56", "note": "2024年兼职教师聘用情况", "action": "submit"},
        files=[("files", ("聘用合同.pdf", PDF, "application/pdf"))],
    )  # fmt: skip
    award_id = redirected_id(created, "/awards/")
    assert created.headers["location"].endswith("?done=submitted")
    page = client.get(created.headers["location"]).text
    assert status_of(page) == "submitted"
    assert "申报已提交，等待县级审核。" in page
    assert '<td class="num">34</td>' in page.split('id="figures"', 1)[1]
    assert money(123456, Lang.zh) in page
    link = re.search(rf'href="(/awards/{award_id}/attachments/\d+)" data-attachment="聘用合同.pdf"', page)
    assert link
    download = client.get(link.group(1))
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    saved = application(client, award_id)
    assert (saved.claimed_fen, saved.figures, saved.entitlement, saved.year) == (
        123456, {"part_time_teachers": "34"}, PART_TIME, YEAR,
    )  # fmt: skip
    with database(client) as session:
        school = session.get(School, saved.school_id)
        assert school is not None
        assert school.county_code == COUNTY_CODE
    # The school's own county sees it waiting; the withdraw form is the school's until then.
    assert 'data-action="withdraw"' in page
    sign_in(client, "county")
    assert saved.number in award_numbers(client.get("/awards").text)


def test_an_enterprise_sees_its_proactive_award_and_the_notice_without_applying(client: TestClient):
    sign_in(client, "admin")
    post(client, "/awards/proactive", {"year": str(YEAR)})
    with database(client) as session:
        award = session.scalar(
            select(Application).where(Application.entitlement == SUBSIDY).order_by(Application.id).limit(1)
        )
        assert award is not None
        firm = session.get(Enterprise, award.enterprise_id)
        assert firm is not None
        add_user(session, username="firm", password=DEMO_PASSWORD, role=Role.enterprise_user,
                 enterprise_code=firm.code)  # fmt: skip
        theirs = session.scalars(select(Application.number).where(Application.enterprise_id == firm.id)).all()
    due = engine_amount(client, SUBSIDY, firm.code, award.level)
    sign_in(client, "firm")
    page = client.get("/awards").text
    assert sorted(award_numbers(page)) == sorted(theirs)
    notices = page.split('id="notices"', 1)[1].split("</section>", 1)[0]
    assert award.number in notices
    assert money(due, Lang.zh) in notices
    assert status_of(client.get(f"/awards/{award.id}").text) == "pending"
