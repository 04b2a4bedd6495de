"""The pages of each area, their static files and how a page says no: what the composition root mounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from zhijiao.authz import ROLE_REFUSED
from zhijiao.http.deps import check_csrf, resolve_user
from zhijiao.http.problems import here, sign_in_url
from zhijiao.web.pages import (
    auth,
    calculator,
    dashboard,
    drafting,
    fulfilment,
    majors,
    plan,
    registry,
    reports,
    simulation,
    targets,
)
from zhijiao.web.templating import render

STATIC = Path(__file__).parent / "static"
PAGE_AREAS = (auth, dashboard, plan, calculator, registry, majors, simulation, targets, reports, fulfilment, drafting)


FORBIDDEN, SERVER_ERROR = 403, 500


def N_(message: str) -> str:  # noqa: N802 -- gettext's conventional marker: extracted, translated in the template
    return message


# An error page's heading by status (a message id): what happened, in the user's words.
HEADINGS = {
    400: N_("请求无法处理"),
    401: N_("尚未登录"),
    403: N_("没有权限"),
    404: N_("找不到该页面或记录"),
    405: N_("无法这样打开此地址"),
    409: N_("操作未能完成"),
    413: N_("提交的内容过大"),
    422: N_("提交的内容有误"),
    429: N_("尝试次数过多"),
    500: N_("系统出错"),
}
EXPIRED_FORM = N_("表单已过期")


def error_page(request: Request, context: dict[str, Any], status: int) -> Response:
    """A refusal in plain words, and what the user can do next: go to its own work, sign in as someone whose
    role may do this, reload a form, try later. The signed-in user is looked up even where no route ran (a page
    that does not exist), so the page can say who is signed in; not after a failure, whose cause may be the
    database itself."""
    if status < SERVER_ERROR and not hasattr(request.state, "principal"):
        resolve_user(request)
    back_to = here(request) if request.method == "GET" else "/"  # a refused form's address opens no page
    heading = EXPIRED_FORM if context.get("code") == "csrf_rejected" else HEADINGS.get(status, N_("无法完成请求"))
    steps = {
        "heading": heading,
        "sign_in_again": sign_in_url(request, back_to),
        # The plain "your role does not allow this": the page says instead who is signed in, in which role.
        "role_refusal": status == FORBIDDEN and context.get("message") in ROLE_REFUSED,
    }
    return render(request, "error.html", context | steps, status_code=status)


def mount_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.error_page = error_page
    for area in PAGE_AREAS:
        app.include_router(area.router, dependencies=[Depends(check_csrf)], include_in_schema=False)
