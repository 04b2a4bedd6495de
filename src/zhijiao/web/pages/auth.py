"""Sign-in, sign-out and the front door."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zhijiao.accounts.service import SignInRefused, authenticate, close_session, open_session, principal_of
from zhijiao.authz import Permission, Principal, allows
from zhijiao.demo.accounts import demo_accounts
from zhijiao.http.deps import CSRF_COOKIE, SESSION_COOKIE, Db, LangDep, public
from zhijiao.language import Lang
from zhijiao.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path of this site: an open redirect would let a phishing link borrow the platform's name."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _client(request: Request) -> str:
    """The client address the request states (behind a trusted proxy, the forwarded one): the throttle's key."""
    return request.client.host if request.client else "unknown"


@router.get("/")
def home(user: Principal | None = public()) -> Response:
    if user is not None and allows(user.role, Permission.view_cost):
        return RedirectResponse("/dashboard", status_code=303)
    if user is not None and allows(user.role, Permission.view_registry):
        return RedirectResponse("/registry/schools", status_code=303)
    return RedirectResponse("/calculator", status_code=303)


def _login_page(request: Request, db: Session, next_path: str, error: str = "", status: int = 200) -> Response:
    accounts = demo_accounts(db) if request.app.state.demo else []
    context = {"next": next_path, "error": error, "accounts": accounts}
    return render(request, "login.html", context, status_code=status)


@router.get("/login")
def login_form(request: Request, db: Db, next: str = "/", _: Principal | None = public()) -> Response:  # noqa: A002
    return _login_page(request, db, _safe_next(next))


@router.post("/login")
def login(
    request: Request,
    db: Db,
    lang: LangDep,
    username: Annotated[str, Form(max_length=60)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form()] = "/",  # noqa: A002 -- the conventional name of the return path
    _: Principal | None = public(),
) -> Response:
    try:
        user = authenticate(db, username.strip(), password, client=_client(request))
    except SignInRefused as refused:
        # The failed attempt is committed with this response: it counts toward the throttle.
        message = refused.zh if lang is Lang.zh else refused.en
        return _login_page(request, db, _safe_next(next), message, 429 if refused.throttled else 401)
    replaced = request.cookies.get(SESSION_COOKIE)
    if replaced:  # signing in over another session ends it, rather than leaving it to time out
        close_session(db, replaced)
    token, record = open_session(db, user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure)
    # From here this response is the new session's: the headers middleware hands the browser its CSRF token.
    request.state.principal = principal_of(user, record.csrf_token)
    return response


@router.post("/logout")
def logout(request: Request, db: Db, _: Principal | None = public()) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        close_session(db, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)  # the next page hands out a new anonymous token
    return response
