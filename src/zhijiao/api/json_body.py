"""One rule for every body the API reads: a body that is not JSON at all (a syntax error, not UTF-8, NaN or
Infinity, nested too deeply) is refused with 400 ``malformed_json``; a well-formed body that fails its model is
422 ``invalid_input``. ``POST /calculate`` reads its body with ``parse_document`` itself; every other route with a
body gets the same check from ``JsonRoute``, before FastAPI parses the body its own, more lenient, way."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

from fastapi import Request, Response
from fastapi.params import Form
from fastapi.routing import APIRoute

from zhijiao.api.responses import problem_responses
from zhijiao.engine.errors import Problem
from zhijiao.http.errors import AppError, InvalidInput
from zhijiao.http.text import unstorable_in, unstorable_text, why_unstorable


class MalformedJson(AppError):
    status = 400
    code = "malformed_json"


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _no_constant(name: str) -> None:
    raise ValueError(name)


def parse_document(raw: bytes) -> Any:  # noqa: ANN401 -- a JSON document of any shape, checked by its reader
    """JSON as ``zhijiao calc`` reads it (floats as floats), refusing what JSON itself does not allow."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedJson("请求内容不是 UTF-8 编码的文本。", "The request body is not UTF-8 text.") from None
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise MalformedJson(
            f"请求内容不是有效的 JSON：第{error.lineno}行第{error.colno}列，{error.msg}",
            f"The request body is not valid JSON: line {error.lineno} column {error.colno}, {error.msg}",
        ) from None
    except ValueError as error:
        raise MalformedJson(
            f"请求内容不是有效的 JSON：{error} 不是有限数",
            f"The request body is not valid JSON: {error} is not a finite number",
        ) from None
    except RecursionError:
        raise MalformedJson("请求内容嵌套过深。", "The request body is nested too deeply.") from None


def is_json(content_type: str | None) -> bool:
    """Whether FastAPI reads a body of this type as JSON (application/json or any application/…+json)."""
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


def _storable(document: Any) -> None:  # noqa: ANN401 -- a JSON document of any shape
    """A string the database cannot hold (NUL, a lone surrogate) is refused by name, never left to fail there."""
    field, text = unstorable_in(document), unstorable_text(document)
    if field is not None and text is not None:
        problem = Problem({"zh": "请求", "en": "request"}, field, *why_unstorable(text))
        raise InvalidInput("请求内容有误。", "The request is not valid.", [problem])


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class JsonRoute(APIRoute):
    """An API route: a JSON body is checked by ``parse_document`` first, and a route that reads a body says
    in the OpenAPI description that it may answer 400."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(path, endpoint, **kwargs)
        if self.body_field is not None:
            self.responses = {**problem_responses(400), **self.responses}

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if self.body_field is None or isinstance(self.body_field.field_info, Form):
            return handler

        async def checked(request: Request) -> Response:
            if is_json(request.headers.get("content-type")):
                body = await request.body()
                if body:
                    _storable(parse_document(body))
            return await handler(request)

        return checked
