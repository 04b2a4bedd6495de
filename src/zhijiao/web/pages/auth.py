"""Sign-in, sign-out and the front door: a signed-in user is sent to its work (``nav.START``), a signed-out one to
the public calculator; the language a visitor chose with ``?lang=`` goes with it through sign-in."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zhijiao.accounts.service import SignInRefused, authenticate, close_session, open_session, principal_of
from zhijiao.authz import Principal, Role, allows
from zhijiao.demo.accounts import demo_accounts
from zhijiao.http.deps import CSRF_COOKIE, SESSION_COOKIE, Db, LangDep, public
from zhijiao.http.guard import access_rules
from zhijiao.language import Lang, parse_lang
from zhijiao.registry import queries
from zhijiao.web.nav import START
from zhijiao.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path of this site: an open redirect would let a phishing link borrow the platform's name. Browsers
    read a backslash as a slash (``/\\evil.example`` is ``//evil.example``) and drop tabs and line breaks."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):  # noqa: PLR2004 -- control codes
        return "/"
    return target


def _client(request: Request) -> str:
    """The client address the request states (behind a trusted proxy, the forwarded one): the throttle's key."""
    return request.client.host if request.client else "unknown"


def landing(db: Session, user: Principal) -> str:
    """The page of the user's work: its role's start page, or a school's or enterprise's own record (its data,
    its entitlements with their explanation); its awards if the record cannot be found."""
    start = START[user.role]
    if start is not None:
        return start
    one = queries.ListQuery(per_page=1)
    if user.role is Role.school_user:
        schools = queries.schools(db, user.scope, one).rows
        return f"/registry/schools/{quote(str(schools[0]['code']), safe='')}" if schools else "/awards"
    enterprises = queries.enterprises(db, user.scope, one).rows
    return f"/registry/enterprises/{quote(str(enterprises[0]['code']), safe='')}" if enterprises else "/awards"


def _opens(request: Request, user: Principal, target: str) -> bool:
    """Whether the user's role may open the page (a return path to a page of another role leads to a refusal:
    the user's own work is a better place to arrive). A path no page answers is left to say so itself."""
    path = urlsplit(target).path
    for found in access_rules(request.app.router.routes):
        if "GET" in found.methods and found.regex.match(path):
            return found.rule.permission is None or allows(user.role, found.rule.permission)
    return True


def _chosen_lang(request: Request) -> Lang | None:
    """The language the visitor asked for in the address (``?lang=``), not one remembered or guessed."""
    return parse_lang(request.query_params.get("lang"))


def _with_lang(target: str, lang: Lang | None) -> str:
    """The target in the chosen language, unless it names one itself."""
    parts = urlsplit(target)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if lang is None or any(name == "lang" for name, _ in query):
        return target
    return parts._replace(query=urlencode([*query, ("lang", lang.value)])).geturl()


@router.get("/")
def home(request: Request, db: Db, user: Principal | None = public()) -> Response:
    target = "/calculator" if user is None else landing(db, user)
    return RedirectResponse(_with_lang(target, _chosen_lang(request)), status_code=303)


def _login_page(request: Request, db: Session, next_path: str, error: str = "", status: int = 200) -> Response:
    accounts = demo_accounts(db) if request.app.state.demo else []
    chosen = _chosen_lang(request)
    # The form posts in the language the page was asked for, so the page after sign-in is in it too.
    action = f"/login?lang={chosen.value}" if chosen else "/login"
    context = {"next": next_path, "error": error, "accounts": accounts, "action": action}
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
    principal = principal_of(user, record.csrf_token)
    target = _safe_next(next)
    if target == "/" or not _opens(request, principal, target):
        target = landing(db, principal)
    response = RedirectResponse(_with_lang(target, _chosen_lang(request)), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure)
    # From here this response is the new session's: the headers middleware hands the browser its CSRF token.
    request.state.principal = principal
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
