"""The plan's official text through the API, on both engines: anyone reads it once loaded (404 before, saying the
plan is known from its drafting explanation); an official previews (nothing stored) and confirms with the
preview's digest (stored, audited, 201); a changed text, a text without articles or another role is refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import api_token, problem
from plan_text_files import SAMPLE
from registry_html import query

FACTS = {
    "document_number": "温政办〔2023〕32号",
    "title": "温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）",
    "issued": "2023-03-23",
    "source": "温州市人民政府网 公开文件",
}


def test_preview_then_confirm_stores_the_text_and_anyone_reads_it(client: TestClient):
    missing = problem(client.get("/api/v1/plan/text"), 404, "not_found")
    assert "起草说明" in missing["detail"] or "drafting explanation" in missing["detail"]
    admin = api_token(client, "admin")
    shown = client.post("/api/v1/plan/text/preview", json={"text": SAMPLE}, headers=admin)
    assert shown.status_code == 200, shown.text
    review = shown.json()
    assert review["document_number"] == "温政办〔2023〕32号"
    assert review["dated"] == "2023-03-23"
    assert [a["status"] for a in review["articles"]].count("same") == 10
    assert review["blocking"] == []
    assert query(client, "SELECT count(*) FROM plan_texts")[0][0] == 0  # a preview stores nothing
    stored = client.post("/api/v1/plan/text", json=FACTS | {"text": SAMPLE, "digest": review["digest"]}, headers=admin)
    assert stored.status_code == 201, stored.text
    assert stored.json()["loaded_by"] == "admin"
    read = client.get("/api/v1/plan/text").json()  # anyone, signed in or not
    assert read["source"] == "温州市人民政府网 公开文件"
    assert read["issued"] == "2023-03-23"
    assert [p["title"] for p in read["parts"]][2] == "深化产教融合校企合作"
    assert read["articles"][2]["title"] == "实施强基扩容“双百工程”"
    assert query(client, "SELECT count(*) FROM audit_records WHERE action = 'policy.text.load'")[0][0] == 1


def test_a_changed_text_no_articles_or_another_role_is_refused(client: TestClient):
    admin = api_token(client, "admin")
    digest = client.post("/api/v1/plan/text/preview", json={"text": SAMPLE}, headers=admin).json()["digest"]
    changed = SAMPLE.replace("50万元奖励", "60万元奖励")
    body = FACTS | {"text": changed, "digest": digest}
    problem(client.post("/api/v1/plan/text", json=body, headers=admin), 409, "text_changed")
    nothing = "一、总体要求\n坚持服务发展。"
    empty_digest = client.post("/api/v1/plan/text/preview", json={"text": nothing}, headers=admin).json()
    assert empty_digest["blocking"][0]["en"].startswith("No article headed 第X条")
    body = FACTS | {"text": nothing, "digest": empty_digest["digest"]}
    problem(client.post("/api/v1/plan/text", json=body, headers=admin), 422, "text_refused")
    analyst = api_token(client, "analyst")
    problem(client.post("/api/v1/plan/text/preview", json={"text": SAMPLE}, headers=analyst), 403)
    problem(client.post("/api/v1/plan/text", json=FACTS | {"text": SAMPLE, "digest": digest}), 401)
    problem(client.post("/api/v1/plan/text/preview", json={"text": "第一条 总则\u0000"}, headers=admin), 422)
    assert query(client, "SELECT count(*) FROM plan_texts")[0][0] == 0
