"""API sign-in: a bearer token for a user name and password (throttled like the sign-in page)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from zhijiao.accounts.service import SignInRefused, authenticate, close_session, open_session
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import problem_responses
from zhijiao.authz import Principal
from zhijiao.http.deps import Db, public
from zhijiao.http.errors import NotSignedIn
from zhijiao.http.problems import problem_response

router = APIRouter(prefix="/auth", tags=["auth"], route_class=JsonRoute)


class Credentials(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 -- the OAuth 2 token type, not a secret
    expires_at: dt.datetime
    username: str
    role: str


@router.post(
    "/token",
    response_model=Token,
    responses=problem_responses(401, 422, 429),
    summary="Sign in: a bearer token for the other endpoints",
)
def token(request: Request, body: Credentials, db: Db, _: Principal | None = public()) -> Token | Response:
    try:
        # The client address keys the throttle, with the user name (see accounts.throttle).
        client = request.client.host if request.client else "unknown"
        user = authenticate(db, body.username, body.password, client=client)
    except SignInRefused as refused:
        # Answered, not raised, so that the transaction commits the failed attempt toward the throttle.
        status, code = (429, "too_many_attempts") if refused.throttled else (401, "wrong_credentials")
        return problem_response(request, status, code, refused.zh, refused.en, [])
    secret, record = open_session(db, user, kind="api")
    return Token(access_token=secret, expires_at=record.expires_at, username=user.username, role=user.role)


@router.delete(
    "/token", status_code=204, responses=problem_responses(401, 422), summary="Sign out: the token stops working"
)
def revoke(db: Db, authorization: Annotated[str, Header()] = "", _: Principal | None = public()) -> None:
    scheme, _sep, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotSignedIn
    close_session(db, secret.strip())
