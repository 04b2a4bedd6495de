"""The door of every request, before any body is read (issue 14): text the database cannot hold in the path
or the query is refused (422), a body over the limit is refused (413) by its Content-Length or, when it has
none, cut off while it streams in, and a route that needs sign-in refuses an anonymous or wrong-role request
(401/403) before its body is received. FastAPI reads and parses a body before it runs the route's
dependencies, so without this an anonymous client could make the server read and parse any amount of JSON.

A pure ASGI middleware: it sees the body as ``http.request`` chunks and never buffers more than the limit
(only a url-encoded form, which it must read whole to check its fields for text the database cannot hold; a
multipart form's text fields are checked as they stream past, zhijiao.http.form_text)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zhijiao.engine.errors import Problem
from zhijiao.http.deps import AccessRule, resolve_user
from zhijiao.http.errors import AppError
from zhijiao.http.form_text import FormTextWatch
from zhijiao.http.problems import problem_response
from zhijiao.http.text import storable, why_unstorable

DEFAULT_MAX_BODY_BYTES = 1024 * 1024  # a JSON document or a form: a few records, far below this
MULTIPART = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"
REQUEST = {"zh": "请求", "en": "request"}


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a streamed body passes the limit; the middleware answers 413."""


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    methods: frozenset[str]
    rule: AccessRule


def _rules(dependant: Dependant) -> Iterator[AccessRule]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, AccessRule):
            yield dependency.call
        yield from _rules(dependency)


def _walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):  # FastAPI includes routers lazily behind a private wrapper
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)


def access_rules(routes: list[Any]) -> list[_Rule]:
    """Every API route and page with its access rule, as full paths (the test of access rules walks the same)."""
    found = []
    for path, route in _walk(routes, ""):
        rules = list(_rules(route.dependant))
        if rules:
            regex, _format, _convertors = compile_path(path)
            found.append(_Rule(regex, frozenset(route.methods or ()), rules[0]))
    return found


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _bad_query_text(scope: Scope) -> tuple[str, str] | None:
    """The first query parameter the database could not hold (decoded as Starlette does): name and text."""
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if not storable(name):
            return "query", name
        if not storable(value):
            return name, value
    return None


def invalid_text(request: Request, field: str, text: str) -> Any:  # noqa: ANN401 -- a Response
    problem = Problem(REQUEST, field, *why_unstorable(text))
    return problem_response(request, 422, "invalid_input", "请求内容有误。", "The request is not valid.", [problem])


def too_large(request: Request, limit: int) -> Any:  # noqa: ANN401 -- a Response
    size = f"{limit / (1024 * 1024):g} MB"
    return problem_response(
        request,
        413,
        "too_large",
        f"请求内容超过 {size}，未被读取。",
        f"The request body is over {size} and was not read.",
        [],
    )


class RequestGuard:
    """See the module's description. ``max_body`` limits JSON and form bodies, ``max_upload`` multipart file
    uploads; ``own_limit`` lists paths whose route enforces a limit of its own while reading (and says so in
    its own words)."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int, own_limit: frozenset[str]) -> None:
        self.app = app
        self.max_body, self.max_upload, self.own_limit = max_body, max_upload, own_limit
        self._rules: list[_Rule] | None = None

    def _routes(self, scope: Scope) -> list[_Rule]:
        if self._rules is None:  # the routes are all mounted by the first request
            self._rules = access_rules(scope["app"].router.routes)
        return self._rules

    def _rule_for(self, scope: Scope) -> AccessRule | None:
        path = scope.get("path", "")
        for rule in self._routes(scope):
            if scope["method"] in rule.methods and rule.regex.match(path):
                return rule.rule
        return None

    def _path_parameter(self, scope: Scope) -> str:
        """The name of the path parameter that holds the bad text, as the route declares it, else "path"."""
        path = scope.get("path", "")
        for rule in self._routes(scope):
            match = rule.regex.match(path)
            for name, value in (match.groupdict() if match else {}).items():
                if not storable(value):
                    return name
        return "path"

    @staticmethod
    def _authorize(request: Request, rule: AccessRule) -> None:
        """The route's own access rule, run ahead of it; the user it finds stays on the request for the route."""
        rule.check(request, resolve_user(request))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = scope.get("path", "")
        bad = (self._path_parameter(scope), path) if not storable(path) else _bad_query_text(scope)
        if bad is not None:
            await invalid_text(request, *bad)(scope, receive, send)
            return
        content_type = (_header(scope, b"content-type") or "").lower()
        limit = self.max_upload if content_type.startswith(MULTIPART) else self.max_body
        declared = _header(scope, b"content-length")
        chunked = declared is None and _header(scope, b"transfer-encoding") is not None
        has_body = chunked or (declared is not None and declared.strip() not in {"", "0"})
        own = scope.get("path", "") in self.own_limit
        if not own and declared is not None and (not declared.strip().isdigit() or int(declared) > limit):
            await too_large(request, limit)(scope, receive, send)
            return
        if has_body:
            rule = self._rule_for(scope)
            if rule is not None and rule.permission is not None:
                try:
                    await run_in_threadpool(self._authorize, request, rule)
                except AppError as error:
                    refusal = problem_response(request, error.status, error.code, error.zh, error.en, error.problems)
                    await refusal(scope, receive, send)
                    return
        if own or not has_body:
            await self.app(scope, receive, send)
            return
        if content_type.startswith(URLENCODED):
            await self._form(scope, receive, send, request, limit)
            return
        watch = FormTextWatch(content_type) if content_type.startswith(MULTIPART) else None
        await self._counted(scope, receive, send, request, limit, watch)

    async def _form(self, scope: Scope, receive: Receive, send: Send, request: Request, limit: int) -> None:
        """A url-encoded form is read whole (within the limit) and its fields checked before the route parses it."""
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > limit:
                await too_large(request, limit)(scope, receive, send)
                return
        body = b"".join(chunks)
        for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            if not storable(name) or not storable(value):
                bad = (name, value) if storable(name) else ("form", name)
                await invalid_text(request, *bad)(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _counted(
        self, scope: Scope, receive: Receive, send: Send, request: Request, limit: int, watch: FormTextWatch | None
    ) -> None:
        """Any other body is passed on as it streams, and cut off at the limit: once it is, whatever the route
        answers (FastAPI turns a failed read into 400) is replaced by 413. A multipart form's text fields are
        followed on the way (``watch``): one the database cannot hold cuts the body off too, answered 422."""
        size, over, started = 0, False, False
        bad: tuple[str, str] | None = None

        async def counting() -> Message:
            nonlocal size, over, bad
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    over = True
                    raise BodyTooLarge
                if watch is not None and (bad := watch.feed(message.get("body", b""))) is not None:
                    over = True
                    raise BodyTooLarge
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if over:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, sending)
        except Exception:
            if not over:
                raise
        if over and not started:
            refusal = too_large(request, limit) if bad is None else invalid_text(request, *bad)
            await refusal(scope, receive, send)
