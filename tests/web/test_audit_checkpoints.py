"""Issue 14: the auditor holds the trail against the checkpoints they keep, on the page (file upload) and through
the API; the files are read, not stored, and a file that is not what it says is a 422 naming it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from personas import api_token, csrf_token, problem, sign_in
from sqlalchemy import text
from test_fulfilment_support import approved, database, persona

from zhijiao.audit.anchor import anchor, generate_keys, load_private_key

API = "/api/v1"


def _checkpointed(client: TestClient, tmp_path: Path) -> tuple[str, bytes]:
    """Two checkpoints of the demo trail after an approval, as the file ``zhijiao audit anchor`` keeps."""
    approved(client)
    private, public = tmp_path / "k.pem", tmp_path / "k.pub.pem"
    generate_keys(private, public)
    lines = []
    for _ in range(2):
        with database(client) as session:
            lines.append(anchor(session, persona(session, "auditor"), load_private_key(private)).line())
    return "\n".join(lines) + "\n", public.read_bytes()


def _cut_the_tail(client: TestClient) -> None:
    with database(client) as session:  # as the database's owner could
        session.execute(text("DROP TRIGGER audit_records_no_delete"))
        session.execute(text("DELETE FROM audit_records WHERE id = (SELECT max(id) FROM audit_records)"))


def _upload(client: TestClient, checkpoints: str, public_key: bytes):  # type: ignore[no-untyped-def]
    files = {"checkpoints": ("checkpoints.jsonl", checkpoints.encode()), "public_key": ("k.pub.pem", public_key)}
    return client.post("/audit/verify", files=files, data={"csrf_token": csrf_token(client)})


def test_the_page_holds_the_trail_against_uploaded_checkpoints(sqlite_client: TestClient, tmp_path: Path):
    checkpoints, public_key = _checkpointed(sqlite_client, tmp_path)
    sign_in(sqlite_client, "auditor")
    page = _upload(sqlite_client, checkpoints, public_key)
    assert page.status_code == 200
    assert 'data-findings="0"' in page.text
    assert "检查点 2 个" in page.text
    assert "其后 0 条尚未锚定" in page.text
    _cut_the_tail(sqlite_client)
    assert 'data-intact="true"' in sqlite_client.get("/audit/verify").text  # the chain alone sees nothing
    cut = _upload(sqlite_client, checkpoints, public_key)
    assert 'id="checkpoint-findings"' in cut.text
    assert "记录末尾被删除" in cut.text
    assert 'data-intact="false"' in cut.text


def test_the_api_reports_each_checkpoint_that_does_not_hold(sqlite_client: TestClient, tmp_path: Path):
    checkpoints, public_key = _checkpointed(sqlite_client, tmp_path)
    auditor = api_token(sqlite_client, "auditor") | {"Accept-Language": "en"}
    body = {"checkpoints": checkpoints, "public_key": public_key.decode()}
    held = sqlite_client.post(f"{API}/audit/verify", json=body, headers=auditor).json()
    assert held["intact"] is True
    assert held["checkpoints"] == 2
    assert held["unanchored"] == 0
    assert held["latest_checkpoint"]["records"] == held["records"]
    _cut_the_tail(sqlite_client)
    cut = sqlite_client.post(f"{API}/audit/verify", json=body, headers=auditor).json()
    assert cut["intact"] is False
    assert cut["first_break"] is None
    assert [finding["line"] for finding in cut["findings"]] == [2]
    assert "the tail was deleted" in cut["findings"][0]["reason"]


def test_a_file_that_is_not_what_it_says_is_named(sqlite_client: TestClient, tmp_path: Path):
    checkpoints, public_key = _checkpointed(sqlite_client, tmp_path)
    auditor = api_token(sqlite_client, "auditor")
    wrong_key = {"checkpoints": checkpoints, "public_key": "not a key"}
    assert (
        "不是 Ed25519 公钥"
        in problem(sqlite_client.post(f"{API}/audit/verify", json=wrong_key, headers=auditor), 422)["detail"]
    )
    garbled = {"checkpoints": "{}\n", "public_key": public_key.decode()}
    answer = problem(sqlite_client.post(f"{API}/audit/verify", json=garbled, headers=auditor), 422)
    assert "检查点文件第1行不是检查点" in answer["detail"]
    sign_in(sqlite_client, "auditor")
    page = _upload(sqlite_client, checkpoints, b"")
    assert page.status_code == 422
    assert "公钥文件为空" in page.text


def test_roles_without_the_audit_trail_cannot_use_it(sqlite_client: TestClient, tmp_path: Path):
    checkpoints, public_key = _checkpointed(sqlite_client, tmp_path)
    body = {"checkpoints": checkpoints, "public_key": public_key.decode()}
    problem(sqlite_client.post(f"{API}/audit/verify", json=body, headers=api_token(sqlite_client, "school")), 403)
