"""The drafting API as its users call it, on SQLite and PostgreSQL: a plan drafted, sent, answered by a unit,
revised (5 and 6 merged), disposed of by two people, counted; the 2023 record's figures; and every refusal as a
problem document with nothing written."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from personas import api_token, problem
from registry_html import query
from sqlalchemy import text

from zhijiao.drafting.history_2023 import CODE
from zhijiao.drafting.versions import wenzhou_today
from zhijiao.storage.database import unit_of_work

API = "/api/v1/drafting"
ARTICLES = [
    {
        "part_number": (n - 1) // 5 + 1,
        "part_title": f"第{(n - 1) // 5 + 1}部分",
        "title": f"条款{n}",
        "text": f"措施{n}。",
    }
    for n in range(1, 16)
]


def _plan(client: TestClient, drafter: dict[str, str]) -> dict:
    body = {
        "code": "wenzhou-vet-2026",
        "title": "温州市职业教育三年行动计划（2026—2028年）",
        "period": "2026—2028",
        "stage": "consultation",
        "dated": "2026-01-15",
        "articles": ARTICLES,
    }
    created = client.post(f"{API}/plans", json=body, headers=drafter)
    assert created.status_code == 201, created.text
    return created.json()


def _units(client: TestClient, drafter: dict[str, str], *names: str) -> list[int]:
    found = {u["name"]: u["id"] for u in client.get(f"{API}/units", headers=drafter).json()}
    return [found[name] for name in names]


def _send(client: TestClient, drafter: dict[str, str], version_id: int, names: tuple[str, ...], **days: int) -> dict:
    today = wenzhou_today()
    body = {
        "unit_ids": _units(client, drafter, *names),
        "sent_on": (today + dt.timedelta(days=days.get("sent", 0))).isoformat(),
        "deadline": (today + dt.timedelta(days=days.get("deadline", 14))).isoformat(),
    }
    sent = client.post(f"{API}/versions/{version_id}/rounds", json=body, headers=drafter)
    assert sent.status_code == 201, sent.text
    return sent.json()


def test_a_round_from_sending_to_the_generated_text(client: TestClient):
    drafter, unit, admin = (api_token(client, name) for name in ("drafter", "unit", "admin"))
    first = _plan(client, drafter)
    assert [a["number"] for a in first["articles"]] == list(range(1, 16))
    sent = _send(client, drafter, first["id"], ("市发改委", "市经信局"))
    assert (sent["units"], sent["version"]["frozen"]) == (2, True)
    assert {r["unit"]["name"]: r["reply"] for r in sent["replies"]} == {"市发改委": "awaiting", "市经信局": "awaiting"}

    mine = client.get(f"{API}/consultations", headers=unit).json()
    assert [r["id"] for r in mine if r["plan_id"] == first["plan_id"]] == [sent["id"]]
    seen = client.get(f"{API}/consultations/{sent['id']}", headers=unit)
    assert seen.status_code == 200
    assert (seen.json()["open"], len(seen.json()["articles"])) == (True, 15)
    body = {
        "items": [{"article_number": 13, "text": "建议明确资金来源。"}, {"article_number": None, "text": "总体同意。"}]
    }
    submitted = client.post(f"{API}/consultations/{sent['id']}/items", json=body, headers=unit)
    assert submitted.status_code == 201, submitted.text
    on_13, whole = submitted.json()
    assert (on_13["article"]["number"], on_13["article_now"]["number"], whole["article"]) == (13, 13, None)

    second = client.post(
        f"{API}/versions/{first['id']}/versions", json={"stage": "for_approval"}, headers=drafter
    ).json()
    keys = {a["number"]: a["key"] for a in second["articles"]}
    nul = client.put(
        f"{API}/versions/{second['id']}/articles/{keys[1]}", json={"title": "条款1", "text": "a\x00"}, headers=drafter
    )
    assert nul.status_code == 422  # PostgreSQL cannot hold NUL: refused as input, not a server error
    merged = client.post(
        f"{API}/versions/{second['id']}/merge", json={"keep": keys[5], "absorb": keys[6]}, headers=drafter
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["absorbed"] == [keys[6]]
    item = client.get(f"{API}/items/{on_13['id']}", headers=drafter).json()
    assert (item["article"]["number"], item["version_number"]) == (13, 1)
    assert (item["article_now"]["number"], item["article_now"]["title"], item["article_now"]["key"]) == (
        12,
        "条款13",
        keys[13],
    )
    diff = client.get(f"{API}/versions/{first['id']}/diff/{second['id']}", headers=drafter).json()
    by_key = {c["key"]: c for c in diff["changes"]}
    assert (by_key[keys[13]]["kinds"], by_key[keys[13]]["old_number"], by_key[keys[13]]["new_number"]) == (
        ["renumbered"],
        13,
        12,
    )
    assert by_key[keys[5]]["absorbed_numbers"] == [6]
    assert keys[6] not in by_key

    proposed = client.post(
        f"{API}/items/{on_13['id']}/disposition",
        json={"disposition": "partially_adopted", "reason": "已吸收。", "change": "第12条增加资金来源。"},
        headers=drafter,
    )
    assert proposed.status_code == 200, proposed.text
    bulk = client.post(
        f"{API}/items/dispositions", json={"item_ids": [whole["id"]], "template": "not_scope"}, headers=drafter
    )
    assert [i["disposition"] for i in bulk.json()] == ["not_adopted"]
    for item_id in (on_13["id"], whole["id"]):
        confirmed = client.post(f"{API}/items/{item_id}/confirm", headers=admin)
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["confirmed_by"] is not None

    plan_id = first["plan_id"]
    stats = client.get(f"{API}/plans/{plan_id}/statistics", headers=drafter).json()
    assert (stats["rounds"], stats["units_consulted"], stats["units_replied"], stats["items"]) == (1, 2, 1, 2)
    assert stats["by_disposition"] == {"adopted": 0, "partially_adopted": 1, "not_adopted": 1, "pending": 0}
    assert stats["by_article"] == {"第13条 条款13": 1, "全文": 1}
    assert stats["sentence"] == "向2家单位发函征求意见，共收到反馈意见2条，拟采纳0条，拟部分采纳1条，拟不采纳1条。"
    explanation = client.get(f"{API}/plans/{plan_id}/explanation", headers=drafter).json()
    assert f"随后，{stats['sentence']}就征求意见后的文稿再次逐条讨论修订，形成了《" in explanation["text"]
    assert explanation["text"].endswith("（送审稿）》。")  # the plan's version 2 is its draft for approval
    detail = client.get(f"{API}/plans/{plan_id}", headers=api_token(client, "auditor")).json()
    assert [v["stage"] for v in detail["all_versions"]] == ["consultation", "for_approval"]
    assert detail["consultation_rounds"][0]["items"] == 2


def test_the_2023_record_through_the_api(client: TestClient):
    auditor = api_token(client, "auditor")
    (plan,) = [p for p in client.get(f"{API}/plans", headers=auditor).json() if p["code"] == CODE]
    assert (plan["historical"], plan["rounds"], plan["items"]) == (True, 2, 75)
    stats = client.get(f"{API}/plans/{plan['id']}/statistics", headers=auditor).json()
    assert (stats["units_consulted"], stats["items"]) == (39, 75)
    assert stats["by_disposition"] == {"adopted": 11, "partially_adopted": 57, "not_adopted": 7, "pending": 0}
    text_2023 = client.get(f"{API}/plans/{plan['id']}/explanation", headers=auditor).json()["text"]
    assert "共收到反馈意见75条，拟采纳11条，拟部分采纳57条，拟不采纳7条。" in text_2023
    items = client.get(f"{API}/plans/{plan['id']}/items?disposition=not_adopted", headers=auditor).json()
    assert len(items) == 7
    assert {(i["unit"], i["text"], i["article"]) for i in items} == {(None, None, None)}


def _items(client: TestClient) -> int:
    return int(query(client, "SELECT count(*) FROM feedback_items")[0][0])


def test_every_refusal_is_a_problem_document_and_writes_nothing(client: TestClient):
    drafter, unit, admin = (api_token(client, name) for name in ("drafter", "unit", "admin"))
    first = _plan(client, drafter)
    past = _send(client, drafter, first["id"], ("市发改委",), sent=-10, deadline=-1)
    elsewhere = _send(client, drafter, first["id"], ("市科技局",))
    before = _items(client)
    one = {"items": [{"article_number": 1, "text": "意见"}]}

    late = problem(
        client.post(f"{API}/consultations/{past['id']}/items", json=one, headers=unit), 409, "deadline_passed"
    )
    assert "deadline" in late["detail"] or "截止" in late["detail"]
    problem(client.post(f"{API}/consultations/{elsewhere['id']}/items", json=one, headers=unit), 404)
    problem(client.get(f"{API}/consultations/{elsewhere['id']}", headers=unit), 404)
    problem(client.get(f"{API}/plans", headers=unit), 403)
    problem(client.get(f"{API}/rounds/{elsewhere['id']}", headers=unit), 403)
    key = first["articles"][0]["key"]
    frozen = client.put(
        f"{API}/versions/{first['id']}/articles/{key}", json={"title": "改", "text": "改"}, headers=drafter
    )
    problem(frozen, 409, "wrong_state")
    problem(client.delete(f"{API}/versions/{first['id']}/articles/{key}", headers=drafter), 409)
    problem(
        client.post(
            f"{API}/versions/{first['id']}/rounds",
            json={"unit_ids": [True], "sent_on": "2026-01-01", "deadline": "2026-01-02"},
            headers=drafter,
        ),
        422,
    )
    problem(
        client.post(
            f"{API}/plans/{first['plan_id']}/meetings",
            json={"kind": "meeting", "held_on": "2026-02-30"},
            headers=drafter,
        ),
        422,
    )
    assert _items(client) == before

    reply = client.post(
        f"{API}/rounds/{past['id']}/replies",
        headers=drafter,
        json={"unit_id": past["replies"][0]["unit"]["id"], "items": [{"text": "纸质来函的意见。"}]},
    )
    assert reply.status_code == 201, reply.text
    item_id = reply.json()[0]["id"]
    late_state = client.get(f"{API}/rounds/{past['id']}", headers=drafter).json()["replies"][0]
    assert (late_state["reply"], late_state["late"], late_state["silent"]) == ("items", True, False)

    problem(client.post(f"{API}/items/{item_id}/confirm", headers=admin), 409)  # nothing proposed yet
    problem(
        client.post(f"{API}/items/{item_id}/disposition", json={"disposition": "not_adopted"}, headers=drafter), 422
    )
    problem(
        client.post(
            f"{API}/items/{item_id}/disposition", json={"disposition": "adopted", "reason": 1}, headers=drafter
        ),
        422,
    )
    assert (
        client.post(f"{API}/items/{item_id}/disposition", json={"disposition": "adopted"}, headers=drafter).status_code
        == 200
    )
    problem(client.post(f"{API}/items/{item_id}/confirm", headers=drafter), 403)
    with unit_of_work(client.app.state.engine) as session:  # the proposer becomes a city administrator
        session.execute(text("UPDATE users SET role = 'city_admin' WHERE username = 'drafter'"))
    promoted = api_token(client, "drafter")
    body = problem(client.post(f"{API}/items/{item_id}/confirm", headers=promoted), 403, "not_allowed")
    assert "proposed" in body["detail"] or "提出" in body["detail"]
    assert client.get(f"{API}/items/{item_id}", headers=admin).json()["confirmed_by"] is None
    assert client.post(f"{API}/items/{item_id}/confirm", headers=admin).status_code == 200
    problem(
        client.post(
            f"{API}/items/{item_id}/disposition",
            json={"disposition": "not_adopted", "reason": "改"},
            headers=api_token(client, "auditor"),
        ),
        403,
    )


def test_the_historical_plan_is_read_only_through_the_api(client: TestClient):
    drafter = api_token(client, "drafter")
    (plan,) = [p for p in client.get(f"{API}/plans", headers=drafter).json() if p["historical"]]
    detail = client.get(f"{API}/plans/{plan['id']}", headers=drafter).json()
    first = detail["all_versions"][0]["id"]
    made = client.post(f"{API}/versions/{first}/versions", json={"stage": "discussion"}, headers=drafter)
    problem(made, 409, "historical_record")
    units = client.get(f"{API}/units", headers=drafter).json()
    sent = client.post(
        f"{API}/versions/{first}/rounds",
        headers=drafter,
        json={"unit_ids": [units[0]["id"]], "sent_on": "2026-01-01", "deadline": "2026-01-10"},
    )
    problem(sent, 409, "historical_record")
