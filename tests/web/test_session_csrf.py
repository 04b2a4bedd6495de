"""Issue 14, serving for real: the CSRF token is the signed-in session's own, and behind a trusted TLS proxy the
cookies are Secure and HSTS is sent; a client that only claims HTTPS gets neither."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from personas import csrf_token, sign_in
from sqlalchemy import Engine, select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from zhijiao.accounts.models import User, UserSession
from zhijiao.demo.accounts import DEMO_PASSWORD
from zhijiao.http.deps import CSRF_COOKIE, SESSION_COOKIE
from zhijiao.storage.database import unit_of_work


def _still_signed_in(client: TestClient) -> bool:
    return client.get("/dashboard", follow_redirects=False).status_code == 200


def _page_token(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dashboard").text)
    assert found is not None
    return found.group(1)


def test_signed_in_pages_hand_out_the_sessions_own_token(client: TestClient, demo_engine: Engine):
    sign_in(client, "county")
    with unit_of_work(demo_engine) as session:
        county = session.scalar(select(User.id).where(User.username == "county"))
        stored = set(session.scalars(select(UserSession.csrf_token).where(UserSession.user_id == county)))
    assert _page_token(client) in stored
    assert client.cookies[CSRF_COOKIE] == _page_token(client)


def test_a_planted_cookie_and_a_matching_field_forge_nothing_once_signed_in(client: TestClient):
    """Double-submit alone would accept this: a neighbouring site that can set cookies sets both halves."""
    sign_in(client, "county")
    client.cookies.set(CSRF_COOKIE, "planted-by-a-neighbour")
    forged = client.post("/logout", data={"csrf_token": "planted-by-a-neighbour"}, follow_redirects=False)
    assert forged.status_code == 403
    assert "表单已过期或来源不明" in forged.text
    assert _still_signed_in(client)


def test_a_token_from_another_session_is_refused(client: TestClient):
    other = TestClient(client.app, base_url="http://testserver")
    sign_in(other, "finance")
    theirs = _page_token(other)
    sign_in(client, "county")
    forged = client.post("/logout", data={"csrf_token": theirs}, follow_redirects=False)
    assert forged.status_code == 403
    assert _still_signed_in(client)
    assert client.post("/logout", data={"csrf_token": _page_token(client)}, follow_redirects=False).status_code == 303
    assert not _still_signed_in(client)


def test_each_sign_in_brings_a_new_token_and_sign_out_drops_it(client: TestClient):
    anonymous = csrf_token(client)
    sign_in(client, "county")
    first = _page_token(client)
    assert first != anonymous
    client.post("/logout", data={"csrf_token": first})
    sign_in(client, "county")
    assert _page_token(client) not in {first, anonymous}


def _cookie_attributes(response, name: str) -> str:  # type: ignore[no-untyped-def]
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie in {response.headers.get_list('set-cookie')}")


def _sign_in_through(client: TestClient, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    page = client.get("/login", headers=headers)
    token = _cookie_attributes(page, CSRF_COOKIE).split(";")[0].split("=", 1)[1]
    client.cookies.clear()  # a Secure cookie is not sent over the test's plain transport: send it by hand
    return client.post(
        "/login",
        data={"username": "county", "password": DEMO_PASSWORD, "csrf_token": token},
        headers=headers | {"cookie": f"{CSRF_COOKIE}={token}"},
        follow_redirects=False,
    )


def test_behind_the_trusted_tls_proxy_cookies_are_secure_and_hsts_is_sent(client: TestClient):
    """As ``zhijiao serve --forwarded-allow-ips`` runs it: uvicorn's proxy-headers middleware trusts the proxy."""
    proxied = TestClient(ProxyHeadersMiddleware(client.app, trusted_hosts="testclient"), base_url="http://testserver")
    via_tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    response = _sign_in_through(proxied, via_tls)
    assert response.status_code == 303
    assert "; secure" in _cookie_attributes(response, SESSION_COOKIE).lower()
    assert "; secure" in _cookie_attributes(response, CSRF_COOKIE).lower()
    assert "; httponly" in _cookie_attributes(response, SESSION_COOKIE).lower()
    assert "max-age" in response.headers["strict-transport-security"]


def test_a_client_claiming_https_past_an_untrusted_address_gets_plain_cookies(client: TestClient):
    untrusted = TestClient(ProxyHeadersMiddleware(client.app, trusted_hosts="10.0.0.5"), base_url="http://testserver")
    response = _sign_in_through(untrusted, {"X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    assert "; secure" not in _cookie_attributes(response, SESSION_COOKIE).lower()
    assert "strict-transport-security" not in response.headers
