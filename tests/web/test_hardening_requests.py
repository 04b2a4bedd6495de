"""Issue 14, requests and serving: a body is neither read nor parsed before sign-in and the size limit; text the
database cannot hold is refused by name (422), never a 500; signed-in responses stay out of caches; the API docs
page loads nothing from outside the app."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from personas import api_token, csrf_token, problem, sign_in
from sqlalchemy import func, select
from test_fulfilment_support import database
from typer.testing import CliRunner

from zhijiao.accounts.models import User
from zhijiao.cli.main import app as cli
from zhijiao.fulfilment.models import Application
from zhijiao.registry.models import School

MB = 1024 * 1024
APPLICATION = {"entitlement": "x", "entity_code": "x", "year": 2024, "note": "x"}


class Pulled:
    """A request body of ``chunks`` megabytes, sent without Content-Length, that counts what the server pulled."""

    def __init__(self, chunks: int) -> None:
        self.chunks, self.pulled = chunks, 0

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks()

    def _chunks(self) -> Iterator[bytes]:
        yield b'{"note": "'
        for _ in range(self.chunks):
            self.pulled += 1
            yield b"x" * MB
        yield b'"}'

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for chunk in self._chunks():
            yield chunk


def test_an_anonymous_20_mb_post_is_refused_before_its_body_is_read(sqlite_client: TestClient):
    body = Pulled(20)
    response = sqlite_client.post(
        "/api/v1/applications", content=iter(body), headers={"Content-Type": "application/json"}
    )
    problem(response, 401, "not_signed_in")
    assert body.pulled == 0
    declared = sqlite_client.post(
        "/api/v1/applications", content=b"x" * (20 * MB), headers={"Content-Type": "application/json"}
    )
    assert problem(declared, 413, "too_large")


def test_a_signed_in_oversized_json_body_is_a_413_problem_in_the_request_language(sqlite_client: TestClient):
    headers = {**api_token(sqlite_client, "school"), "Content-Type": "application/json"}
    body = json.dumps({**APPLICATION, "note": "x" * (2 * MB)}).encode()
    zh = problem(sqlite_client.post("/api/v1/applications", content=body, headers=headers), 413, "too_large")
    assert "1 MB" in zh["detail"]
    assert "请求内容" in zh["detail"]
    en = sqlite_client.post("/api/v1/applications?lang=en", content=body, headers=headers)
    assert "over 1 MB" in problem(en, 413, "too_large")["detail"]


def test_a_chunked_body_is_cut_off_at_the_limit_while_it_streams(sqlite_client: TestClient):
    headers = {**api_token(sqlite_client, "school"), "Content-Type": "application/json"}
    body = Pulled(20)

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=sqlite_client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post("/api/v1/applications", content=body.__aiter__(), headers=headers)

    # In a thread of its own: a browser test earlier in the run may leave an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(lambda: asyncio.run(post())).result()
    problem(response, 413, "too_large")
    assert body.pulled <= 2


def test_the_public_routes_stay_public(sqlite_client: TestClient):
    assert sqlite_client.get("/api/v1/docs").status_code == 200
    assert sqlite_client.get("/calculator").status_code == 200
    token = sqlite_client.post("/api/v1/auth/token", json={"username": "admin", "password": "wrong"})
    assert token.status_code == 401
    assert token.json()["code"] != "not_signed_in"


READ_ROUTES = [
    "/api/v1/registry/schools?q=%00",
    "/api/v1/registry/enterprises?q=a%00b",
    "/api/v1/registry/projects?q=%00",
    "/api/v1/applications?q=%00",
    "/api/v1/applications?county=%00",
    "/api/v1/registry/schools/%00",
]


@pytest.mark.parametrize("path", READ_ROUTES)
def test_a_nul_byte_in_a_query_or_path_parameter_is_a_422_naming_it(client: TestClient, path: str):
    headers = api_token(client, "admin")
    found = problem(client.get(path + ("&" if "?" in path else "?") + "lang=en", headers=headers), 422)
    expected = path.split("?")[1].split("=", maxsplit=1)[0] if "?" in path else "code"  # the route names it
    assert [p["field"] for p in found["problems"]] == [expected]
    assert found["problems"][0]["message"] == "must not contain the NUL character"


def test_nul_and_lone_surrogates_in_json_and_forms_are_refused_by_name(client: TestClient):
    headers = {**api_token(client, "school"), "Content-Type": "application/json"}
    for text in ("a\\u0000b", "\\ud800"):
        raw = ('{"entitlement": "x", "entity_code": "x", "year": 2024, "note": "' + text + '"}').encode()
        found = problem(client.post("/api/v1/applications", content=raw, headers=headers), 422, "invalid_input")
        assert [p["field"] for p in found["problems"]] == ["note"]
    page = client.post("/login", data={"username": "admin\x00", "password": "x", "csrf_token": "x"})
    assert page.status_code == 422
    assert "NUL" in page.text
    headers["Content-Type"] = "application/json"


def test_a_nul_byte_on_a_page_is_a_422_page(client: TestClient):
    sign_in(client, "admin")
    response = client.get("/awards?q=%00")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")


def test_signed_in_responses_are_not_stored_and_static_assets_keep_their_caching(sqlite_client: TestClient):
    assert "no-store" not in sqlite_client.get("/plan").headers.get("cache-control", "")
    headers = api_token(sqlite_client, "finance")
    assert sqlite_client.get("/api/v1/cost?year=2024", headers=headers).headers["cache-control"] == "no-store"
    sign_in(sqlite_client, "finance")
    assert sqlite_client.get("/dashboard").headers["cache-control"] == "no-store"
    asset = sqlite_client.get("/static/vendor/swagger-ui/swagger-ui.css")
    assert asset.status_code == 200
    assert "no-store" not in asset.headers.get("cache-control", "")


def test_the_api_docs_page_loads_only_the_apps_own_assets(sqlite_client: TestClient):
    page = sqlite_client.get("/api/v1/docs")
    assert page.status_code == 200
    assert not re.search(r"https?://", page.text)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets
    assert all(asset.startswith("/static/") for asset in assets)
    for asset in assets:
        assert sqlite_client.get(asset).status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # no inline script: the policy would block it


def test_https_requests_get_hsts(sqlite_client: TestClient):
    secure = TestClient(sqlite_client.app, base_url="https://testserver")
    assert "max-age" in secure.get("/plan").headers["strict-transport-security"]
    assert "strict-transport-security" not in sqlite_client.get("/plan").headers


@pytest.mark.parametrize(("option", "trusted"), [([], None), (["--forwarded-allow-ips", "10.0.0.5"], "10.0.0.5")])
def test_serve_believes_forwarded_headers_only_from_the_named_proxy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, option: list[str], trusted: str | None
):
    import uvicorn  # noqa: PLC0415 -- patched for this test only

    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda _app, **kwargs: ran.update(kwargs))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    result = CliRunner().invoke(cli, ["serve", *option])
    assert result.exit_code == 0, result.output
    assert ran["proxy_headers"] is (trusted is not None)
    assert ran["forwarded_allow_ips"] == (trusted or "")


def _applications(client: TestClient) -> int:
    with database(client) as session:
        return session.scalar(select(func.count()).select_from(Application)) or 0


BOUNDARY = "zhijiao-test-boundary"


def _multipart(fields: dict[str, str], file_field: str, filename: str) -> tuple[bytes, dict[str, str]]:
    """A multipart body written by hand: httpx would percent-encode a NUL in a file name, an attacker need not."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n%%EOF\n\r\n".encode()
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(), {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"
    }


def test_a_nul_byte_in_a_multipart_text_field_or_file_name_is_a_422_naming_it(client: TestClient):
    """A form with files carries text too; the guard follows it as it streams and nothing reaches the database."""
    before = _applications(client)
    sign_in(client, "school")
    fields = {"entitlement": "art13.part_time_teacher_funding", "year": "2024", "fig.part_time_teachers": "34",
              "note": "兼职\x00教师", "action": "submit", "csrf_token": csrf_token(client)}  # fmt: skip
    body, headers = _multipart(fields, "files", "合同.pdf")
    page = client.post("/awards/new", content=body, headers=headers, follow_redirects=False)
    assert page.status_code == 422
    assert "note" in page.text
    assert "NUL" in page.text
    body, headers = _multipart(fields | {"note": "兼职教师"}, "files", "合\x00同.pdf")
    assert client.post("/awards/new", content=body, headers=headers, follow_redirects=False).status_code == 422
    assert _applications(client) == before
    body, headers = _multipart(fields | {"note": "兼职教师"}, "files", "合同.pdf")
    assert client.post("/awards/new", content=body, headers=headers, follow_redirects=False).status_code == 303
    assert _applications(client) == before + 1  # the same form without the NUL goes through
    school = api_token(client, "school")
    draft = {"entitlement": "art13.part_time_teacher_funding", "entity_code": _own_school(client), "year": 2023}
    created = client.post("/api/v1/applications", json=draft, headers=school).json()
    body, headers = _multipart({}, "file", "a\x00.pdf")
    found = problem(
        client.post(
            f"/api/v1/applications/{created['id']}/attachments?lang=en", content=body, headers=school | headers
        ),
        422,
        "invalid_input",
    )
    assert [(p["field"], p["message"]) for p in found["problems"]] == [("file", "must not contain the NUL character")]
    assert client.get(f"/api/v1/applications/{created['id']}", headers=school).json()["attachments"] == []


def _own_school(client: TestClient) -> str:
    with database(client) as session:
        user = session.scalar(select(User).where(User.username == "school"))
        assert user is not None
        code = session.scalar(select(School.code).where(School.id == user.school_id))
    assert code is not None
    return code
