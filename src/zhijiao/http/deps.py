"""What every endpoint and page may ask for: the database session, the policy, the language, the user, a permission.

Every route declares exactly one access rule, ``public()`` or ``require(permission)``; a test walks the
application's routes and fails on any route without one, then tries every role against every route.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from zhijiao.accounts.service import resume_session
from zhijiao.authz import Permission, Principal, allows
from zhijiao.engine.policy import Policy
from zhijiao.engine.succession import PlansInTurn
from zhijiao.http.errors import CsrfRejected, Forbidden, NotSignedIn
from zhijiao.language import Lang, from_accept_language, parse_lang
from zhijiao.storage.database import unit_of_work

SESSION_COOKIE = "zhijiao_session"
CSRF_COOKIE = "zhijiao_csrf"
LANG_COOKIE = "zhijiao_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def get_db(request: Request) -> Iterator[Session]:
    """One request, one transaction: committed when the handler returns, rolled back if it raises."""
    with unit_of_work(request.app.state.engine) as session:
        yield session


# scope="function": the transaction commits before the response leaves, not after it was sent (FastAPI's
# default for yield dependencies), so a redirect after sign-in never reaches the browser ahead of its session.
Db = Annotated[Session, Depends(get_db, scope="function")]


async def current_policy(request: Request) -> Policy:
    """The policy the composition root loaded for this app: routes receive it rather than import a plan, so the
    same pages and endpoints can serve another plan beside it."""
    policy: Policy = request.app.state.policy
    return policy


PolicyDep = Annotated[Policy, Depends(current_policy)]


async def current_plans(request: Request) -> PlansInTurn:
    """The plans in force in turn (decision 0019): a calculation takes the one in force on its date."""
    plans: PlansInTurn | None = getattr(request.app.state, "plans", None)
    return plans if plans is not None else PlansInTurn.of([request.app.state.policy])


PlansDep = Annotated[PlansInTurn, Depends(current_plans)]


def is_api(request: Request) -> bool:
    path: str = request.scope["path"]  # not request.url, which builds a URL object on every call
    return path.startswith("/api/")


def request_lang(request: Request) -> Lang:
    """?lang= first, then (pages) the cookie the language switch sets, then the browser's Accept-Language."""
    chosen = parse_lang(request.query_params.get("lang"))
    if chosen is None and not is_api(request):
        chosen = parse_lang(request.cookies.get(LANG_COOKIE))
    return chosen or from_accept_language(request.headers.get("accept-language"))


async def _lang(request: Request) -> Lang:
    return request_lang(request)  # on the event loop: a dependency this cheap is not worth a thread


LangDep = Annotated[Lang, Depends(_lang)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _token(request: Request) -> str | None:
    return _bearer(request) if is_api(request) else request.cookies.get(SESSION_COOKIE)


def resolve_user(request: Request) -> Principal | None:
    """The signed-in user, found once per request and kept on it: pages sign in with the session cookie, the API
    with a bearer token (no cookie, so no CSRF to forge). The session is resumed in a short transaction of its
    own, so an anonymous request touches no database at all."""
    if hasattr(request.state, "principal"):
        principal: Principal | None = request.state.principal
        return principal
    token = _token(request)
    principal = None
    if token:
        with unit_of_work(request.app.state.engine) as session:
            principal = resume_session(session, token, kind="api" if is_api(request) else "web")
    request.state.principal = principal
    return principal


async def current_user(request: Request) -> Principal | None:
    """``resolve_user`` as a dependency: in a worker thread only when there is a session to look up."""
    if hasattr(request.state, "principal") or not _token(request):
        return resolve_user(request)
    return await run_in_threadpool(resolve_user, request)


CurrentUser = Annotated[Principal | None, Depends(current_user)]


def csrf_token_of(request: Request) -> str:
    """The CSRF token a page hands out: the signed-in session's own (kept in the database beside the session),
    else the anonymous double-submit token the headers middleware gave this browser."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is not None and principal.csrf_token:
        return principal.csrf_token
    return str(getattr(request.state, "csrf_token", ""))


async def check_csrf(request: Request, user: CurrentUser) -> None:
    """Pages only: an unsafe request must send its CSRF token in the form or an ``X-CSRF-Token`` header.

    Signed in, the token is the session's, so a cookie planted by a neighbouring site or an old token from
    another session forges nothing; signed out (the sign-in form), it must match the double-submit cookie."""
    if is_api(request) or request.method not in UNSAFE_METHODS:
        return
    expected = user.csrf_token if user is not None and user.csrf_token else request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = str((await request.form()).get(CSRF_FIELD, ""))
    if not expected or not hmac.compare_digest(expected, sent):
        raise CsrfRejected


class AccessRule:
    """A route's access rule, kept findable on the route so the access tests can read it."""

    def __init__(self, permission: Permission | None) -> None:
        self.permission = permission

    async def __call__(self, request: Request, user: CurrentUser) -> Principal | None:
        return self.check(request, user)

    def check(self, request: Request, user: Principal | None) -> Principal | None:
        """The user if the rule admits them; NotSignedIn or Forbidden otherwise."""
        request.state.access_rule = self
        if self.permission is None:
            return user
        if user is None:
            raise NotSignedIn
        if not allows(user.role, self.permission):
            raise Forbidden
        return user

    def __repr__(self) -> str:
        return f"AccessRule({self.permission})"


def public() -> Any:  # noqa: ANN401 -- a FastAPI Depends marker
    """Anyone, signed in or not (the plan, the calculator, sign-in)."""
    return Depends(AccessRule(None))


def require(permission: Permission) -> Any:  # noqa: ANN401 -- a FastAPI Depends marker
    """A signed-in user whose role grants ``permission``; 401 otherwise, 403 for the wrong role."""
    return Depends(AccessRule(permission))
