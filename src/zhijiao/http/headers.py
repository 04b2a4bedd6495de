"""The headers and cookies every response carries: the security headers, the CSRF token a page hands out, the
language a page was asked for, and ``no-store`` on whatever a signed-in user sees.

A pure ASGI middleware that edits the response's start message as it passes: unlike a ``BaseHTTPMiddleware``
it neither wraps the response body in a stream nor runs the app in a task of its own, which on a one-calculation
API call cost as much as the calculation.
"""

from __future__ import annotations

import secrets

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zhijiao.http.deps import CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, csrf_token_of, is_api, request_lang
from zhijiao.language import parse_lang

# Scripts only from the app itself: charts and htmx are vendored, chart options travel as JSON data.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
HSTS = "max-age=31536000"  # a year: a browser that reached the platform over HTTPS never falls back to HTTP
LANG_COOKIE_SECONDS = 365 * 24 * 3600


def _signed_in(request: Request) -> bool:
    """A session cookie or a bearer token, or the user a route found: what such a response shows is that user's."""
    if getattr(request.state, "principal", None) is not None or request.cookies.get(SESSION_COOKIE):
        return True
    return request.headers.get("authorization", "").lower().startswith("bearer ")


def _cookies(request: Request, headers: MutableHeaders, secure: bool) -> list[str]:
    """The Set-Cookie values a page adds (the API signs in by bearer token): the CSRF token if the browser's
    differs, the chosen language."""
    carrier = Response()  # Starlette's own cookie formatting, read back as header values
    # The cookie follows the token the page handed out: the session's once signed in (checked against the
    # session, the cookie only carries it), the anonymous one before. The API signs in by bearer token.
    token = csrf_token_of(request)
    if request.cookies.get(CSRF_COOKIE) != token:
        carrier.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure)
    chosen = parse_lang(request.query_params.get("lang"))
    # Remembered for pages only: an English PDF or workbook downloaded once does not turn the site English.
    is_page = headers.get("content-type", "").startswith("text/html")
    if chosen is not None and is_page:
        carrier.set_cookie(LANG_COOKIE, chosen.value, max_age=LANG_COOKIE_SECONDS, samesite="lax", secure=secure)
    return carrier.headers.getlist("set-cookie")


class SecurityHeaders:
    """See the module's description."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if not is_api(request):  # the API signs in by bearer token: no CSRF token, no cookies
            request.state.csrf_token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(request, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, with_headers)

    @staticmethod
    def _add(request: Request, headers: MutableHeaders) -> None:
        secure = request.scope.get("scheme") == "https"
        for cookie in () if is_api(request) else _cookies(request, headers, secure):
            headers.append("set-cookie", cookie)
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Content-Language", request_lang(request).html)
        # A signed-in user's pages and data stay out of every cache (a shared computer's back button, a proxy);
        # the static assets are the same for everyone and keep their caching.
        if _signed_in(request) and not request.scope["path"].startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        if secure:
            headers.setdefault("Strict-Transport-Security", HSTS)
