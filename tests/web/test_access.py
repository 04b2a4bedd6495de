"""Who may use what: every route states its rule, and every role is refused where its rule says so.

The rules are read off the application itself, so a route added later is covered without touching this
file, and a route that forgets to state a rule fails the first test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from personas import api_token, csrf_token, sign_in

from zhijiao.authz import Role, allows
from zhijiao.cli.platform import create_app
from zhijiao.demo.accounts import DEMO_USERS
from zhijiao.http.deps import CSRF_HEADER, AccessRule


class Route(NamedTuple):
    path: str
    methods: frozenset[str]


PERSONAS = {role: username for username, role, _name, _scope in reversed(DEMO_USERS)}  # the first of each role


def _rules(dependant: Dependant) -> Iterator[AccessRule]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, AccessRule):
            yield dependency.call
        yield from _rules(dependency)


def _walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            # FastAPI 0.165 includes routers lazily (a private wrapper): follow it to the routes themselves.
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)


def _routes() -> list[tuple[Route, AccessRule]]:
    app = create_app()  # reading routes opens no database
    found = []
    for path, route in _walk(app.routes, ""):
        rules = list(_rules(route.dependant))
        assert len(rules) == 1, f"{path} {route.methods}: declares {len(rules)} access rules, not 1"
        found.append((Route(path, frozenset(route.methods)), rules[0]))
    return found


ROUTES = _routes()


def test_every_route_states_who_may_use_it():
    assert len(ROUTES) > 1
    assert {route.path for route, _rule in ROUTES} >= {"/login", "/api/v1/auth/token"}


def _concrete(path: str) -> str:
    """A path of the route with its parameters filled in: refusal comes before the parameters are read."""
    return re.sub(r"\{[^}]+\}", "1", path)


def _calls(role: Role | None) -> list[tuple[str, str, bool]]:
    """(method, path, is_api) of every route the role (None: anonymous) must be refused."""
    calls = []
    for route, rule in ROUTES:
        if rule.permission is None or (role is not None and allows(role, rule.permission)):
            continue
        calls.extend(
            (method, _concrete(route.path), route.path.startswith("/api/")) for method in sorted(route.methods)
        )
    return calls


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_every_route_its_role_does_not_allow(sqlite_client: TestClient, role: Role):
    calls = _calls(role)
    username = PERSONAS[role]
    headers = api_token(sqlite_client, username) | {CSRF_HEADER: csrf_token(sqlite_client)}
    sign_in(sqlite_client, username)
    refused = {}
    for method, path, is_api in calls:
        response = sqlite_client.request(
            method,
            path,
            headers=headers if is_api else {CSRF_HEADER: headers[CSRF_HEADER]},
            json={} if method != "GET" and is_api else None,
            follow_redirects=False,
        )
        refused[(method, path)] = response.status_code
    assert {call: status for call, status in refused.items() if status != 403} == {}


def test_anonymous_users_are_sent_to_sign_in_or_refused(sqlite_client: TestClient):
    token = csrf_token(sqlite_client)
    for method, path, is_api in _calls(None):
        response = sqlite_client.request(method, path, headers={CSRF_HEADER: token}, follow_redirects=False)
        if is_api or method != "GET":
            assert response.status_code == 401, (method, path)
        else:
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/login?next=")
