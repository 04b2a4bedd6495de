"""The drafting pages as their users go through them, on SQLite and PostgreSQL: the 2023 record reproduces the
published figures; a plan is drafted, sent, answered, revised (articles 5 and 6 merged) and disposed of; a
unit sees only what was sent to it."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from registry_html import cell_text, query, table_rows
from test_drafting_support import (
    PLAN_TITLE,
    article_keys,
    as_user,
    count,
    explanation_of,
    item_ids,
    located,
    new_plan,
    post,
    row_of,
    send,
)

from zhijiao.drafting.history_2023 import CODE
from zhijiao.drafting.versions import wenzhou_today

SENTENCE_2023 = "以市府办名义向39家单位两轮发函征求意见，共收到反馈意见75条，拟采纳11条，拟部分采纳57条，拟不采纳7条。"


def _plan_2023(client: TestClient) -> int:
    return int(query(client, "SELECT id FROM draft_plans WHERE code = :c", c=CODE)[0][0])


def test_the_2023_record_shows_39_units_75_items_and_11_57_7_in_the_generated_text(client: TestClient):
    as_user(client, "auditor")  # a reader: the record is there for everyone with view_drafts
    index = client.get("/drafting")
    assert index.status_code == 200
    (row,) = [r for r in table_rows(index.text, "plans") if "2023—2025" in r]
    assert "历史记录（只读）" in row[0]
    assert row[2:] == ["5", "第5版 · 印发稿", "2", "75"]

    page = client.get(f"/drafting/{_plan_2023(client)}")
    assert page.status_code == 200
    kpis = {key: cell_text(value) for key, value in re.findall(r'id="kpi-(\w+)">(.*?)<', page.text)}
    assert kpis == {"rounds": "2", "units": "39", "items": "75"}
    explanation = explanation_of(page.text)
    assert SENTENCE_2023 in explanation
    assert "市教育局局长先后三次主持专题会议研究，经过四轮全面修改完善，形成了《" in explanation
    assert explanation.endswith("（送审稿）》。市委书记、市长均已批示，于2023年3月23日印发。")
    assert [r[1] for r in table_rows(page.text, "by-disposition")] == ["11", "57", "7", "0"]
    assert 'id="new-plan"' not in page.text
    assert "记录会议或修改轮次" not in page.text

    rounds = table_rows(page.text, "rounds")
    assert [(r[0].split()[0], r[4], r[6]) for r in rounds] == [("第1轮", "39", "75"), ("第2轮", "39", "0")]


def test_the_2023_record_refuses_every_change(client: TestClient):
    plan_id = _plan_2023(client)
    as_user(client, "drafter")
    first_version = query(client, "SELECT id FROM draft_versions WHERE plan_id = :p AND number = 1", p=plan_id)[0][0]
    key = next(iter(article_keys(client, first_version).values()))
    edit = post(client, f"/drafting/versions/{first_version}/articles/{key}/edit", {"title": "x", "text": "y"})
    assert edit.status_code == 409
    assert "历史记录" in edit.text
    meeting = post(client, f"/drafting/{plan_id}/meetings", {"kind": "meeting", "held_on": "2023-02-01"})
    assert meeting.status_code == 409
    item = query(client, "SELECT min(id) FROM feedback_items WHERE disposition = 'adopted'")[0][0]
    assert (
        post(client, f"/drafting/items/{item}/propose", {"disposition": "not_adopted", "reason": "x"}).status_code
        == 409
    )
    assert count(client, "SELECT count(*) FROM feedback_items WHERE reason = 'x'") == 0


def test_an_item_on_article_13_is_shown_on_article_12_of_the_next_version_after_5_and_6_merged(client: TestClient):
    first = new_plan(client)
    page = client.get(f"/drafting/versions/{first}")
    assert page.status_code == 200
    assert page.text.count('class="draft-article"') == 15
    round_id = send(client, first)

    as_user(client, "unit")
    mine = client.get(f"/consultations/{round_id}")
    assert mine.status_code == 200
    assert "条款13" in mine.text
    assert 'id="reply-form"' in mine.text
    reply = post(
        client, f"/consultations/{round_id}/reply", {"article": ["13", "", ""], "text": ["建议明确资金来源。", "", ""]}
    )
    assert located(reply, r"/consultations/(\d+)") == round_id
    (item_id,) = item_ids(client, round_id)

    as_user(client, "drafter")
    second = located(post(client, f"/drafting/versions/{first}/new", {"stage": "for_approval"}), r"/versions/(\d+)")
    keys = article_keys(client, second)
    merged = post(
        client, f"/drafting/versions/{second}/merge", {"keep": keys[5], "absorb": keys[6], "text": "合并后的第五条。"}
    )
    assert merged.status_code == 303
    assert len(article_keys(client, second)) == 14

    round_page = client.get(f"/drafting/rounds/{round_id}")
    cells = row_of(round_page.text, f"item-{item_id}")
    assert cells[2:6] == ["市发改委", "第13条 条款13 （第1版）", "第12条 条款13 （第2版）", "建议明确资金来源。"]

    diff = client.get(f"/drafting/versions/{first}/diff/{second}")
    assert diff.status_code == 200
    changes = dict(re.findall(r'data-key="(\w+)" data-kinds="([^"]+)"', diff.text))
    assert len(changes) == 14
    assert changes[keys[5]] == "merged changed"
    assert changes[keys[13]] == "renumbered"
    assert 'data-key="' + keys[6] + '"' not in diff.text  # shown as merged into article 5, not as removed
    assert "并入了原第6条" in diff.text
    assert "<ins>" in diff.text
    assert "<del>" in diff.text
    renumbered = re.search(rf'data-key="{keys[13]}"[^>]*data-old="(\d+)" data-new="(\d+)"', diff.text)
    assert renumbered is not None
    assert renumbered.groups() == ("13", "12")

    frozen = post(client, f"/drafting/versions/{first}/articles/{keys[1]}/edit", {"title": "改", "text": "改"})
    assert frozen.status_code == 409
    assert count(client, "SELECT count(*) FROM draft_articles WHERE title = '改'") == 0


def test_dispositions_are_proposed_confirmed_and_counted_in_the_generated_text(client: TestClient):
    first = new_plan(client)
    round_id = send(client, first)
    as_user(client, "unit")
    post(
        client,
        f"/consultations/{round_id}/reply",
        {"article": ["1", "2", "", "3"], "text": ["意见一", "意见二", "", "意见三"]},
    )
    one, two, three = item_ids(client, round_id)

    as_user(client, "drafter")
    assert (
        post(
            client, f"/drafting/items/{one}/propose", {"disposition": "adopted", "change": "第1条增加资金保障。"}
        ).status_code
        == 303
    )
    bulk = post(
        client, f"/drafting/rounds/{round_id}/propose", {"template": "not_scope", "item": [str(two), str(three)]}
    )
    assert bulk.status_code == 303
    page = client.get(f"/drafting/rounds/{round_id}")
    assert row_of(page.text, f"item-{two}")[6].startswith("不采纳 不属于本方案规定范围")
    assert 'action="/drafting/items/' + str(one) + '/confirm"' not in page.text  # drafting staff do not confirm

    as_user(client, "admin")
    page = client.get(f"/drafting/rounds/{round_id}")
    assert f'action="/drafting/items/{one}/confirm"' in page.text
    assert post(client, f"/drafting/items/{one}/confirm").status_code == 303
    assert post(client, f"/drafting/rounds/{round_id}/confirm", {"item": [str(two), str(three)]}).status_code == 303
    confirmed = query(
        client, "SELECT count(*) FROM feedback_items WHERE round_id = :r AND confirmed_by IS NOT NULL", r=round_id
    )
    assert confirmed[0][0] == 3

    plan_id = query(client, "SELECT plan_id FROM consultation_rounds WHERE id = :r", r=round_id)[0][0]
    plan = client.get(f"/drafting/{plan_id}")
    explanation = explanation_of(plan.text)
    assert explanation == (
        f"《{PLAN_TITLE}》起草过程：形成了《{PLAN_TITLE}（征求意见稿）》。"
        "随后，向3家单位发函征求意见，共收到反馈意见3条，拟采纳1条，拟部分采纳0条，拟不采纳2条。"
    )
    assert [r[1] for r in table_rows(plan.text, "by-disposition")] == ["1", "0", "2", "0"]
    assert table_rows(plan.text, "by-unit") == [["市发改委", "3"]]
    assert table_rows(plan.text, "by-unit-kind") == [["市级部门", "3"]]


def test_replies_late_and_silent_units_show_on_the_round(client: TestClient):
    first = new_plan(client)
    today = wenzhou_today()
    round_id = send(client, first, sent_on=today - dt.timedelta(days=20), deadline=today - dt.timedelta(days=5))
    as_user(client, "drafter")
    unit = query(client, "SELECT id FROM units WHERE name = '市经信局'")[0][0]
    recorded = post(client, f"/drafting/rounds/{round_id}/replies", {"unit": str(unit), "no_comments": "yes"})
    assert recorded.status_code == 303
    page = client.get(f"/drafting/rounds/{round_id}")
    assert 'id="round-closed"' in page.text
    replies = page.text.split('id="replies"', 1)[1].split("</table>", 1)[0]
    states = dict(re.findall(r'data-unit="([^"]+)" data-reply="(\w+)"', replies))
    assert states == {"市发改委": "awaiting", "市科技局": "awaiting", "市经信局": "no_comments"}
    assert len(re.findall(r'data-flag="silent"', replies)) == 2
    assert len(re.findall(r'data-flag="late"', replies)) == 1  # recorded today, after the deadline


def test_meetings_units_and_new_versions_are_recorded_through_the_forms(client: TestClient):
    first = new_plan(client)
    plan_id = query(client, "SELECT plan_id FROM draft_versions WHERE id = :v", v=first)[0][0]
    data = {
        "kind": "coordination",
        "held_on": "2026-02-23",
        "chair": "市教育局",
        "participants": "市发改委、市经信局\n温州职业技术学院",
        "produced": str(first),
        "note": "发改、经信等2个部门和1所学校",
    }
    assert post(client, f"/drafting/{plan_id}/meetings", data).status_code == 303
    page = client.get(f"/drafting/{plan_id}")
    (meeting,) = table_rows(page.text, "meetings")
    assert meeting[:4] == ["部门协调会", "2026年2月23日", "市教育局", "市发改委、市经信局、温州职业技术学院"]
    assert "2月23日，市教育局召集发改、经信等2个部门和1所学校再次讨论修订，形成了《" in page.text

    assert post(client, "/drafting/units", {"name": "温州某某科技有限公司", "kind": "enterprise"}).status_code == 303
    units = client.get("/drafting/units")
    assert ["温州某某科技有限公司", "企业"] in table_rows(units.text, "units")
    version_page = client.get(f"/drafting/versions/{first}")
    assert 'data-unit="温州某某科技有限公司"' in version_page.text

    article = {"after": "0", "part": "1|一、第1部分", "title": "总则", "text": "为推动……制定本方案。"}
    inserted = post(client, f"/drafting/versions/{first}/articles/insert", article)
    assert inserted.status_code == 303
    numbers = query(client, "SELECT number, title FROM draft_articles WHERE version_id = :v ORDER BY number", v=first)
    assert numbers[:2] == [(1, "总则"), (2, "条款1")]
    key = article_keys(client, first)[2]
    assert post(client, f"/drafting/versions/{first}/articles/{key}/remove").status_code == 303
    assert len(article_keys(client, first)) == 15
