"""What the drafting pages share: ids in paths, dates and lists read from forms, what the signed-in user may
do (so a page shows only the forms its role can use; the routes enforce it again), the labels, and the
redirect back to a page with a note of what was done."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Path, Request
from fastapi.responses import RedirectResponse, Response

from zhijiao.authz import Permission, Principal, allows
from zhijiao.drafting.errors import Invalid
from zhijiao.drafting.meetings import MEETING_KIND_LABELS
from zhijiao.drafting.stages import UNIT_KIND_LABELS, Disposition, ReplyStatus, Stage, UnitKind
from zhijiao.drafting.statistics import UNKNOWN_ARTICLE, UNKNOWN_UNIT, WHOLE_TEXT

Id = Annotated[int, Path(ge=1, le=2**62)]
Key = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
NO_NUL = r"^[^\x00]*$"  # text a form may carry: PostgreSQL cannot hold the NUL character
CSS = "/static/css/drafting.css"

UNKNOWN_KIND = {"zh": "未载明", "en": "not in the record"}


def N_(message: str) -> str:  # noqa: N802 -- gettext's conventional name: the extractor finds these messages
    """A message the template translates later (``_(name)``); marked here so that it has an English entry."""
    return message


# What a "done" parameter of a redirect confirms.
DONE = {
    "plan": N_("已新建起草方案。"),
    "meeting": N_("已记录会议。"),
    "edit": N_("已修改条款。"),
    "changes": N_("已保存该条对现行政策参数和口径的调整。"),
    "insert": N_("已插入条款。"),
    "remove": N_("已删除条款。"),
    "merge": N_("已合并条款。"),
    "version": N_("已新建版本。"),
    "publish": N_("已定稿。"),
    "sent": N_("已发出征求意见，该版本已冻结。"),
    "unit": N_("已加入单位名录。"),
    "reply": N_("已登记答复。"),
    "propose": N_("已提出处理意见。"),
    "confirm": N_("已确认处理意见。"),
    "submitted": N_("已提交意见。"),
    "no_comments": N_("已答复“无意见”。"),
    "import": N_("已导入答复。"),
    "dispositions": N_("已导入处理意见。"),
}
CHANGE_KINDS = {
    "added": N_("新增条款"),
    "removed": N_("已删除"),
    "merged": N_("已合并"),
    "renumbered": N_("序号变化"),
    "retitled": N_("标题修改"),
    "changed": N_("内容修改"),
    "unchanged": N_("未修改"),
}
# Placeholders the statistics use where the record is silent; shown in the page's language.
UNKNOWN_NAMES = {UNKNOWN_UNIT: N_("（单位未载明）"), UNKNOWN_ARTICLE: N_("（条款未载明）"), WHOLE_TEXT: N_("全文")}


def may(user: Principal) -> set[str]:
    """The drafting actions the user's role allows, for the templates to show or leave out their forms."""
    names = {
        "edit": Permission.edit_drafts,
        "propose": Permission.propose_disposition,
        "confirm": Permission.confirm_disposition,
        "submit": Permission.submit_feedback,
    }
    return {name for name, permission in names.items() if allows(user.role, permission)}


_NUMBERED = re.compile(r"第(\d+)条 (.*)", re.DOTALL)


def article_heading(label: str, lang: str) -> str:
    """A statistics label "第3条 标题" in the page's language: "Art. 3 标题" in English (the title is the draft's
    own text, which stays as written)."""
    found = _NUMBERED.fullmatch(label)
    return f"Art. {found.group(1)} {found.group(2)}" if found and lang == "en" else label


def labels() -> dict[str, Any]:
    return {
        "article_heading": article_heading,
        "css": CSS,
        "stage_labels": Stage.label_table(),
        "stages": [stage.value for stage in Stage],
        "disposition_labels": Disposition.label_table(),
        "dispositions": [d.value for d in Disposition],
        "kind_labels": {kind.value: label for kind, label in UNIT_KIND_LABELS.items()},
        "unit_kinds": [kind.value for kind in UnitKind],
        "unknown_kind": UNKNOWN_KIND,
        "reply_labels": ReplyStatus.label_table(),
        "meeting_labels": {kind.value: label for kind, label in MEETING_KIND_LABELS.items()},
        "kind_names": CHANGE_KINDS,
        "unknown_names": UNKNOWN_NAMES,
    }


def base(request: Request, user: Principal) -> dict[str, Any]:
    done = request.query_params.get("done", "")
    return labels() | {"may": may(user), "done": DONE.get(done)}


def back(url: str, done: str, anchor: str = "") -> Response:
    return RedirectResponse(f"{url}?done={done}{'#' + anchor if anchor else ''}", status_code=303)


def form_date(value: str | None, what: tuple[str, str], *, required: bool = False) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid(f"请填写{what[0]}。", f"Give the {what[1]}.")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            f"{what[0]}“{value}”不是日期（应为 YYYY-MM-DD）。", f"{what[1]} {value!r} is not a date."
        ) from None


Choice = TypeVar("Choice", bound=StrEnum)


def form_choice(value: str, choices: type[Choice], what: tuple[str, str]) -> Choice:
    try:
        return choices(value)
    except ValueError:
        raise Invalid(f"{what[0]}“{value}”不是可选值。", f"{what[1]} {value!r} is not one of the choices.") from None


def names(text: str) -> list[str]:
    """Unit names written one a line or separated by 、，, ; as officials list them."""
    for separator in ("、", "，", ",", ";", "；"):
        text = text.replace(separator, "\n")
    return [name.strip() for name in text.splitlines() if name.strip()]


MAX_ID = 2**62  # ids are database integers: anything larger is no id (and SQLite could not even compare it)


def ids(values: list[str]) -> list[int]:
    out = []
    for value in values:
        if not value.strip().isdigit() or not 1 <= int(value) <= MAX_ID:
            raise Invalid(f"“{value}”不是编号。", f"{value!r} is not an id.")
        out.append(int(value))
    return out


def download(body: bytes, media_type: str, filename: str) -> Response:
    """A file with its Chinese name kept (RFC 6266: an ASCII fallback and the UTF-8 name)."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"}
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
