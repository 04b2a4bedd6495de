"""What the API's endpoints share in their answers: JSON as ``zhijiao calc`` prints it, and the problem
documents each route declares in the OpenAPI description (so the description says what a client can get)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

from zhijiao.engine.explain import shown
from zhijiao.http.problems import PROBLEM_JSON


class CalcJSON(JSONResponse):
    """JSON exactly as the command line writes it: Chinese as itself, exact decimals as numbers, dates as text."""

    def render(self, content: Any) -> bytes:  # noqa: ANN401 -- any JSON document
        return json.dumps(content, ensure_ascii=False, default=shown, allow_nan=False).encode("utf-8")


_PROBLEM_ITEM = {
    "type": "object",
    "properties": {
        "record": {"type": "string", "description": "记录 / the record, e.g. 学校 S1"},
        "field": {"type": "string", "description": "字段 / the field"},
        "message": {"type": "string", "description": "问题 / what is wrong, in the request's language"},
    },
    "required": ["record", "field", "message"],
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem document; `code` is stable, `detail` is in the request's language.",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "problems": {"type": "array", "items": _PROBLEM_ITEM},
    },
    "required": ["type", "title", "status", "code", "detail"],
}

_WHY = {
    400: "请求无法解析（如 JSON 格式错误）/ the request cannot be read (e.g. malformed JSON)",
    401: "未登录或令牌无效 / not signed in, or the token is not valid",
    403: "角色无权 / the role does not allow this",
    404: "不存在或不在您的范围内 / no such record, or not within your scope",
    409: "与现有状态冲突（如已处理或已存在）/ conflicts with the current state (e.g. already done or present)",
    413: "请求过大 / the request is too large",
    415: "文件格式不支持 / the file is of a kind that cannot be read",
    422: "输入有误，逐项列出 / the input is refused, every problem named by record and field",
    429: "尝试次数过多，请稍后再试 / too many attempts: try again later",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: each status it may answer with a problem document (any area's routes)."""
    return {
        status: {"description": _WHY[status], "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}
        for status in statuses
    }


# Every route may be refused for its input (422); signed-in routes also for who is asking.
PUBLIC = problem_responses(422)
SIGNED_IN = problem_responses(401, 403, 404, 422)
