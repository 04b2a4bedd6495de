"""Every refusal of the drafting pages, with nothing written: a unit after the deadline (409) or on a round not
sent to it (404), a disposition confirmed by whoever proposed it or by drafting staff (403), a frozen version
edited in any way (409). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from registry_html import query
from sqlalchemy import text
from test_drafting_support import article_keys, as_user, count, item_ids, new_plan, post, send

from zhijiao.drafting.versions import wenzhou_today
from zhijiao.storage.database import unit_of_work


def _snapshot(client: TestClient) -> tuple[int, ...]:
    return tuple(
        count(client, f"SELECT count(*) FROM {table}")  # noqa: S608 -- our own table names
        for table in ("feedback_items", "draft_articles", "draft_versions", "audit_records", "round_units")
    )


def test_a_unit_after_the_deadline_sees_no_form_and_is_refused_409(client: TestClient):
    first = new_plan(client)
    today = wenzhou_today()
    round_id = send(client, first, sent_on=today - dt.timedelta(days=10), deadline=today - dt.timedelta(days=1))
    as_user(client, "unit")
    page = client.get(f"/consultations/{round_id}")
    assert page.status_code == 200
    assert 'id="reply-form"' not in page.text
    assert 'id="closed"' in page.text
    before = _snapshot(client)
    late = post(client, f"/consultations/{round_id}/reply", {"article": ["1"], "text": ["迟到的意见"]})
    assert late.status_code == 409
    assert "反馈截止日期" in late.text
    assert post(client, f"/consultations/{round_id}/reply", {"no_comments": "yes"}).status_code == 409
    assert _snapshot(client) == before
    assert f'data-round="{round_id}"' not in client.get("/consultations").text  # the inbox: open rounds only
    listed = client.get("/consultations/past")
    assert f'data-round="{round_id}"' in listed.text
    assert "已截止" in listed.text


def test_the_deadline_day_itself_is_still_open(client: TestClient):
    first = new_plan(client)
    today = wenzhou_today()
    round_id = send(client, first, sent_on=today - dt.timedelta(days=10), deadline=today)
    as_user(client, "unit")
    assert (
        post(client, f"/consultations/{round_id}/reply", {"article": ["2"], "text": ["当天的意见"]}).status_code == 303
    )
    assert len(item_ids(client, round_id)) == 1


def test_a_unit_reaches_no_round_that_was_not_sent_to_it(client: TestClient):
    first = new_plan(client)
    elsewhere = send(client, first, ("市科技局",))
    as_user(client, "unit")  # 市发改委
    assert client.get(f"/consultations/{elsewhere}").status_code == 404
    before = _snapshot(client)
    assert post(client, f"/consultations/{elsewhere}/reply", {"article": ["1"], "text": ["意见"]}).status_code == 404
    assert post(client, "/consultations/999999/reply", {"article": ["1"], "text": ["意见"]}).status_code == 404
    assert _snapshot(client) == before
    listed = client.get("/consultations")
    assert f'data-round="{elsewhere}"' not in listed.text
    assert client.get(f"/drafting/rounds/{elsewhere}").status_code == 403  # nor the drafting staff's pages


def test_a_unit_that_sent_items_cannot_then_reply_no_comments(client: TestClient):
    round_id = send(client, new_plan(client))
    as_user(client, "unit")
    assert post(client, f"/consultations/{round_id}/reply", {"article": [""], "text": ["总体同意"]}).status_code == 303
    assert post(client, f"/consultations/{round_id}/reply", {"no_comments": "yes"}).status_code == 409
    wrong = post(client, f"/consultations/{round_id}/reply", {"article": ["16"], "text": ["没有这一条"]})
    assert wrong.status_code == 422
    assert "该版本没有第16条（共15条）" in wrong.text


def _proposed_item(client: TestClient) -> tuple[int, int]:
    round_id = send(client, new_plan(client))
    as_user(client, "unit")
    post(client, f"/consultations/{round_id}/reply", {"article": ["3"], "text": ["意见"]})
    (item,) = item_ids(client, round_id)
    as_user(client, "drafter")
    assert post(client, f"/drafting/items/{item}/propose", {"disposition": "adopted"}).status_code == 303
    return round_id, item


def test_drafting_staff_cannot_confirm_403(client: TestClient):
    round_id, item = _proposed_item(client)
    assert post(client, f"/drafting/items/{item}/confirm").status_code == 403
    assert post(client, f"/drafting/rounds/{round_id}/confirm", {"item": [str(item)]}).status_code == 403
    assert count(client, "SELECT count(*) FROM feedback_items WHERE confirmed_by IS NOT NULL AND id = :i", i=item) == 0


def test_whoever_proposed_cannot_confirm_even_as_a_city_administrator_403(client: TestClient):
    _round_id, item = _proposed_item(client)
    # The drafter is made a city administrator: the role now allows confirming, the two-person rule does not.
    with unit_of_work(client.app.state.engine) as session:
        session.execute(text("UPDATE users SET role = 'city_admin' WHERE username = 'drafter'"))
    as_user(client, "drafter")
    refused = post(client, f"/drafting/items/{item}/confirm")
    assert refused.status_code == 403
    assert "提出处理意见的人不能确认" in refused.text
    assert count(client, "SELECT count(*) FROM feedback_items WHERE confirmed_by IS NOT NULL AND id = :i", i=item) == 0
    as_user(client, "admin")
    assert post(client, f"/drafting/items/{item}/confirm").status_code == 303


def test_a_frozen_version_refuses_every_edit_409(client: TestClient):
    first = new_plan(client)
    send(client, first)
    keys = article_keys(client, first)
    before = _snapshot(client)
    attempts = {
        f"/drafting/versions/{first}/articles/{keys[1]}/edit": {"title": "改", "text": "改"},
        f"/drafting/versions/{first}/articles/{keys[1]}/remove": {},
        f"/drafting/versions/{first}/articles/insert": {
            "after": "0",
            "part": "1|一、第1部分",
            "title": "新",
            "text": "新",
        },
        f"/drafting/versions/{first}/merge": {"keep": keys[5], "absorb": keys[6]},
    }
    for url, data in attempts.items():
        response = post(client, url, data)
        assert response.status_code == 409, url
        assert "不能修改" in response.text
    assert _snapshot(client) == before
    page = client.get(f"/drafting/versions/{first}")
    assert 'id="frozen"' in page.text
    assert "/articles/insert" not in page.text  # the forms are gone
    assert post(client, f"/drafting/versions/{first}/new", {"stage": "for_approval"}).status_code == 303  # not this


def test_a_publish_is_for_city_administrators_and_freezes_the_version(client: TestClient):
    first = new_plan(client)
    second_response = post(client, f"/drafting/versions/{first}/new", {"stage": "for_approval"})
    second = int(second_response.headers["location"].split("/")[3].split("?")[0])
    assert post(client, f"/drafting/versions/{second}/publish").status_code == 403
    as_user(client, "admin")
    assert post(client, f"/drafting/versions/{first}/publish").status_code == 409  # a consultation draft is not final
    assert post(client, f"/drafting/versions/{second}/publish").status_code == 303
    assert query(client, "SELECT frozen FROM draft_versions WHERE id = :v", v=second)[0][0] in (True, 1)
