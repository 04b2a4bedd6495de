"""A version's text by parts and articles, and the drafting staff's editing of it (edit, insert, remove,
merge; a new version from it, with a stage); the city administrator settles a final version. A version sent
for consultation is frozen: every edit of it is refused (409). The difference between two versions is shown
article by article, articles matched by key, not number."""

from __future__ import annotations

import itertools
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from zhijiao.authz import Permission, Principal
from zhijiao.drafting import queries, versions
from zhijiao.drafting.diff import compare
from zhijiao.drafting.errors import Invalid
from zhijiao.drafting.models import DraftArticle
from zhijiao.drafting.stages import Stage
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.web.pages.drafting_common import NO_NUL, Id, Key, back, base, form_choice, form_date
from zhijiao.web.pages.drafting_costs import cost_context
from zhijiao.web.templating import render

router = APIRouter()
Title = Annotated[str, Form(max_length=200, pattern=NO_NUL)]
Body = Annotated[str, Form(max_length=50_000, pattern=NO_NUL)]


def _parts(found: list[DraftArticle]) -> list[tuple[tuple[int, str], list[DraftArticle]]]:
    return [
        (part, list(group)) for part, group in itertools.groupby(found, key=lambda a: (a.part_number, a.part_title))
    ]


@router.get("/drafting/versions/{version_id}")
def version_page(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    version_id: Id,
    user: Principal = require(Permission.view_drafts),
) -> Response:
    draft = versions.version(db, version_id)
    plan = versions.plan(db, draft.plan_id)
    found = versions.articles(db, version_id)
    all_versions = queries.versions_of(db, plan.id)
    context = base(request, user) | {
        "plan": plan,
        "v": draft,
        "articles": found,
        "parts": _parts(found),
        "part_choices": sorted({(a.part_number, a.part_title) for a in found}),
        "versions": all_versions,
        "based_on": next((v for v in all_versions if v.id == draft.based_on_id), None),
        "rounds": [r for r in queries.rounds_of(db, plan.id) if r.version.id == version_id],
        "units": queries.units(db),
        "today": versions.wenzhou_today(),
        "editable": not draft.frozen and not plan.historical,
    }
    # A past record is the plan in force's own drafting: there is nothing to cost it against.
    context |= {} if plan.historical else cost_context(db, policy, version_id, lang)
    return render(request, "drafting/version.html", context)


@router.post("/drafting/versions/{version_id}/articles/{key}/edit")
def edit(
    db: Db, version_id: Id, key: Key, title: Title, text: Body, user: Principal = require(Permission.edit_drafts)
) -> Response:
    article = versions.edit_article(db, user, version_id, key, title=title, text=text)
    return back(f"/drafting/versions/{version_id}", "edit", f"article-{article.number}")


@router.post("/drafting/versions/{version_id}/articles/insert")
def insert(
    db: Db,
    version_id: Id,
    after: Annotated[int, Form(ge=0, le=10_000)],
    title: Title,
    text: Body,
    part: Annotated[str, Form(max_length=220, pattern=NO_NUL)] = "",
    new_part: Annotated[str, Form(max_length=200, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    current = versions.articles(db, version_id)
    if not title.strip():
        raise Invalid("请填写条款标题。", "Give the article a title.")
    if new_part.strip():
        part_number, part_title = max((a.part_number for a in current), default=0) + 1, new_part.strip()
    else:
        number, _, part_title = part.partition("|")
        if not number.isdigit():
            raise Invalid("请选择所在部分，或填写新部分的标题。", "Choose the part, or name a new one.")
        part_number = int(number)
    item = versions.ArticleText(part_number, part_title, title.strip(), text)
    article = versions.insert_article(db, user, version_id, after_number=after, item=item)
    return back(f"/drafting/versions/{version_id}", "insert", f"article-{article.number}")


@router.post("/drafting/versions/{version_id}/articles/{key}/remove")
def remove(db: Db, version_id: Id, key: Key, user: Principal = require(Permission.edit_drafts)) -> Response:
    versions.remove_article(db, user, version_id, key)
    return back(f"/drafting/versions/{version_id}", "remove")


@router.post("/drafting/versions/{version_id}/merge")
def merge(
    db: Db,
    version_id: Id,
    keep: Annotated[str, Form(min_length=1, max_length=40, pattern=NO_NUL)],
    absorb: Annotated[str, Form(min_length=1, max_length=40, pattern=NO_NUL)],
    text: Annotated[str, Form(max_length=50_000, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    if keep == absorb:
        raise Invalid("请选择两条不同的条款合并。", "Choose two different articles to merge.")
    article = versions.merge_articles(db, user, version_id, keep, absorb, text=text.strip() or None)
    return back(f"/drafting/versions/{version_id}", "merge", f"article-{article.number}")


@router.post("/drafting/versions/{version_id}/new")
def new_version(
    db: Db,
    version_id: Id,
    stage: Annotated[str, Form(max_length=20, pattern=NO_NUL)],
    dated: Annotated[str, Form(max_length=10, pattern=NO_NUL)] = "",
    note: Annotated[str, Form(max_length=2_000, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    chosen = form_choice(stage, Stage, ("阶段", "Stage"))
    created = versions.new_version(db, user, version_id, chosen, dated=form_date(dated, ("日期", "date")),
                                   note=note.strip() or None)  # fmt: skip
    return back(f"/drafting/versions/{created.id}", "version")


@router.post("/drafting/versions/{version_id}/publish")
def publish(db: Db, version_id: Id, user: Principal = require(Permission.confirm_disposition)) -> Response:
    versions.publish(db, user, version_id)
    return back(f"/drafting/versions/{version_id}", "publish")


@router.get("/drafting/versions/{version_id}/compare")
def compare_with(
    db: Db,
    version_id: Id,
    other: Annotated[int, Query(alias="with", ge=1, le=2**62)],
    _: Principal = require(Permission.view_drafts),
) -> Response:
    """The version picker's target: the older of the two on the left."""
    first, second = versions.version(db, version_id), versions.version(db, other)
    old, new = sorted((first, second), key=lambda v: v.number)
    return RedirectResponse(f"/drafting/versions/{old.id}/diff/{new.id}", status_code=303)


@router.get("/drafting/versions/{old_id}/diff/{new_id}")
def diff(
    request: Request, db: Db, old_id: Id, new_id: Id, user: Principal = require(Permission.view_drafts)
) -> Response:
    old, new = versions.version(db, old_id), versions.version(db, new_id)
    if old.plan_id != new.plan_id:
        raise Invalid("只能比较同一方案的两个版本。", "Only two versions of the same plan can be compared.")
    changes = compare(db, old_id, new_id)
    texts = {(a.version_id, a.article_key): a for a in [*versions.articles(db, old_id), *versions.articles(db, new_id)]}
    counts: dict[str, int] = {}
    for change in changes:
        for kind in change.kinds:
            counts[kind] = counts.get(kind, 0) + 1
    context = base(request, user) | {
        "plan": versions.plan(db, old.plan_id),
        "old": old,
        "new": new,
        "changes": changes,
        "texts": texts,
        "counts": counts,
        "versions": queries.versions_of(db, old.plan_id),
    }
    return render(request, "drafting/diff.html", context)
