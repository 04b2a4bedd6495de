"""Acting as the demo personas in tests: sign in through the form, or take an API token.

Import from here (``from personas import sign_in``): a module named ``conftest`` exists in several test
folders, so ``from conftest import ...`` finds whichever was loaded first when the whole suite runs.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from zhijiao.demo.accounts import DEMO_PASSWORD
from zhijiao.http.deps import CSRF_COOKIE


def csrf_token(client: TestClient) -> str:
    """The CSRF token a page hands out (its cookie), fetching a page first if the client has none yet."""
    if CSRF_COOKIE not in client.cookies:
        client.get("/login")
    return str(client.cookies[CSRF_COOKIE])


def sign_in(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> TestClient:
    """Signs the page client in as one of the demo personas (admin, county, finance, school, enterprise,
    analyst, auditor) and returns it; the response must be the redirect of a successful sign-in."""
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def api_token(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Authorization headers for the API as one of the demo personas."""
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """An API refusal: the status, a problem document (RFC 9457) and, if given, its stable code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    if code is not None:
        assert body["code"] == code, body
    return body
