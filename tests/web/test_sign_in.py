"""Sign-in, sessions, CSRF and throttling: what keeps one official's account their own."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from personas import api_token, csrf_token, sign_in
from sqlalchemy import select, update

from zhijiao.accounts.models import UserSession
from zhijiao.accounts.service import IDLE_TIMEOUT, THROTTLE_FAILURES
from zhijiao.demo.accounts import DEMO_PASSWORD
from zhijiao.storage.database import unit_of_work


def test_sign_in_opens_a_session_and_sign_out_ends_it(client: TestClient):
    assert client.get("/dashboard", follow_redirects=False).headers["location"] == "/login?next=/dashboard"
    sign_in(client, "admin")
    assert client.get("/", follow_redirects=False).headers["location"] == "/dashboard"
    page = client.get("/login")
    assert "市教育局管理员" in page.text  # the signed-in user's name in the header
    response = client.post("/logout", data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).headers["location"] == "/calculator"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client: TestClient):
    data = {"username": "admin", "password": "not-the-password", "csrf_token": csrf_token(client)}
    response = client.post("/login", data=data)
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    data["username"] = "nobody"
    assert "用户名或密码错误" in client.post("/login", data=data).text


def test_repeated_failures_throttle_the_name_from_that_client_even_for_the_right_password(client: TestClient):
    # Per user name and client address: other addresses are not refused (tests/web/test_sign_in_throttling.py).
    data = {"username": "finance", "password": "guess", "csrf_token": csrf_token(client)}
    for _ in range(THROTTLE_FAILURES):
        assert client.post("/login", data=data).status_code == 401
    data["password"] = DEMO_PASSWORD
    response = client.post("/login", data=data)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.text
    # The API shares the throttle: guessing there is no way around it.
    assert (
        client.post("/api/v1/auth/token", json={"username": "finance", "password": data["password"]}).status_code == 429
    )
    # Another account is not affected.
    sign_in(client, "auditor")


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(client: TestClient):
    response = client.post("/login", data={"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert "表单已过期或来源不明" in response.text
    assert "zhijiao_session" not in client.cookies
    forged = client.post("/login", data={"username": "admin", "password": "x", "csrf_token": "forged"})
    assert forged.status_code == 403


def test_an_idle_session_expires(client: TestClient, demo_engine):
    sign_in(client, "admin")
    assert client.get("/", follow_redirects=False).headers["location"] == "/dashboard"
    with unit_of_work(demo_engine) as session:
        long_ago = dt.datetime.now(dt.UTC) - IDLE_TIMEOUT - dt.timedelta(minutes=1)
        session.execute(update(UserSession).values(last_seen_at=long_ago))
    assert client.get("/", follow_redirects=False).headers["location"] == "/calculator"
    with unit_of_work(demo_engine) as session:
        assert session.scalars(select(UserSession)).all() == []  # the expired session is gone


def test_api_tokens_sign_in_and_out(client: TestClient):
    headers = api_token(client, "analyst")
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    wrong = client.post("/api/v1/auth/token", json={"username": "analyst", "password": "nope-nope"})
    assert wrong.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["code"] == "wrong_credentials"
    strict = client.post("/api/v1/auth/token", json={"username": "analyst", "password": 12345678901})
    assert strict.status_code == 422
    assert strict.json()["problems"][0]["field"] == "password"


def test_the_sign_in_page_lists_the_demo_accounts_only_in_demo_mode(client: TestClient, demo_engine):
    page = client.get("/login").text
    for username in ("admin", "county", "finance", "school", "enterprise", "analyst", "auditor"):
        assert f"<code>{username}</code>" in page
    assert "瑞安市" in page  # the county officer's scope
    from zhijiao.cli.platform import create_app  # noqa: PLC0415

    with TestClient(create_app(demo_engine, demo=False)) as production:
        assert "<code>admin</code>" not in production.get("/login").text


def test_a_return_path_cannot_lead_off_the_site(client: TestClient):
    data = {"username": "admin", "password": DEMO_PASSWORD, "csrf_token": csrf_token(client)}
    response = client.post("/login", data=data | {"next": "https://evil.example/"}, follow_redirects=False)
    assert response.headers["location"] == "/dashboard"  # the city administrator's own start page instead
