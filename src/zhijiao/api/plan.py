"""The plan as data, for anyone: its facts, parts and articles (text, rules, what each computes or what the
system does instead), its dated and cited parameters, its options, and the rule-set version.

The documents are those of ``zhijiao policy show --json`` (``describe``), with each article completed by
its text and rules; ``?date=`` adds each parameter's value in force on that day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from zhijiao.api.json_body import JsonRoute
from zhijiao.api.plan_text_schemas import (
    ConfirmIn,
    OfficialTextOut,
    PreviewIn,
    PreviewOut,
    Reason,
    ReviewRowOut,
    SectionOut,
)
from zhijiao.api.responses import PUBLIC, problem_responses
from zhijiao.api.schemas import (
    ArticleOut,
    DatedValue,
    OptionOut,
    OptionsOut,
    ParameterOut,
    ParametersOut,
    PlanOut,
    RuleOut,
    RuleSetOut,
)
from zhijiao.authz import Permission, Principal
from zhijiao.engine.errors import Problem
from zhijiao.engine.explain import shown
from zhijiao.engine.explain_text import prose_label
from zhijiao.engine.parameters import OPEN_START, Parameter
from zhijiao.engine.policy import Policy
from zhijiao.engine.units import from_scaled
from zhijiao.http.deps import Db, PolicyDep, public, require
from zhijiao.http.errors import InvalidInput, NotFound
from zhijiao.plan_text.review import Row
from zhijiao.plan_text.service import DocumentFacts, OfficialText, SectionText, current, load, preview
from zhijiao.policies.describe import describe

router = APIRouter(tags=["plan"], route_class=JsonRoute)
NOT_FOUND = problem_responses(404, 422)


def _json(document: object) -> Any:  # noqa: ANN401 -- JSON
    """A document exactly as ``zhijiao policy show --json`` prints it (decimals as numbers, dates as text)."""
    return json.loads(json.dumps(document, ensure_ascii=False, default=shown))


def _key(number: int) -> str:
    return f"art{number:02d}"


def _text(policy: Policy, entry: Mapping[str, Any]) -> str | None:
    folder = entry.get("folder")
    path = policy.root / str(folder) / "text.zh.md" if folder and policy.root is not None else None
    return path.read_text(encoding="utf-8") if path is not None and path.is_file() else None


def _article(policy: Policy, entry: Mapping[str, Any]) -> ArticleOut:
    key = _key(int(entry["number"]))
    formulas = [f for f in policy.formulas if f.article == key]
    rules = [
        RuleOut(
            entity=f.entity,
            output=f.output,
            unit=f.unit.value,
            # No date here: a parameter is named by its label; /parameters?date= gives its value on a day.
            label=prose_label(f.label, policy.parameters, None),
            formula=prose_label(f.formula, policy.parameters, None),
            clauses=list(f.clauses),
            parameters=list(f.parameters),
            options=list(f.options),
            internal=f.internal,
        )
        for f in formulas
    ]
    return ArticleOut(
        number=int(entry["number"]),
        key=key,
        known=bool(entry.get("known", True)),
        title=entry.get("title"),
        computes=list(entry.get("computes") or []),
        system=entry.get("system"),
        targets=list(entry.get("targets") or []),
        text_zh=_text(policy, entry),
        rules=rules,
        parameters=[p.id for p in policy.parameters if p.id.startswith(key + ".")],
        options=list(dict.fromkeys(name for f in formulas for name in f.options)),
    )


# Describing a plan reads every article's text: done once per policy. Keyed by the rule set, as a Policy (holding
# mappings) cannot be hashed; one rule set is one policy package as loaded.
_PLANS: dict[str, PlanOut] = {}


def _plan(policy: Policy) -> PlanOut:
    if policy.rule_set not in _PLANS:
        _PLANS[policy.rule_set] = _describe(policy)
    return _PLANS[policy.rule_set]


def _describe(policy: Policy) -> PlanOut:
    data = _json(describe(policy))
    return PlanOut(
        name=data["name"],
        rule_set=data["rule_set"],
        document=data["document"],
        parts=data["parts"],
        articles=[_article(policy, entry) for entry in policy.metadata["articles"]],
        breakthroughs=data["breakthroughs"],
        targets=data["targets"],
        clauses=data["clauses"],
    )


@router.get("/plan", response_model=PlanOut, responses=PUBLIC, summary="The plan: facts, parts, articles, targets")
def plan(policy: PolicyDep, _: Principal | None = public()) -> PlanOut:
    return _plan(policy)


@router.get(
    "/plan/articles/{number}",
    response_model=ArticleOut,
    responses=NOT_FOUND,
    summary="One article: its text, rules, parameters and options",
)
def article(policy: PolicyDep, number: Annotated[int, Path(ge=1, le=99)], _: Principal | None = public()) -> ArticleOut:
    found = next((a for a in _plan(policy).articles if a.number == number), None)
    if found is None:
        raise NotFound(f"方案没有第{number}条。", f"The plan has no article {number}.")
    return found


def _dated(value: Mapping[str, Any]) -> DatedValue:
    return DatedValue(**value)


def _parameter(parameter: Parameter, day: dt.date | None) -> ParameterOut:
    data = _json(parameter.as_dict())
    in_force = None
    if day is not None:
        entry = parameter.entry_on(day)
        if entry is not None:
            in_force = DatedValue(
                effective_from=None if entry.effective_from == OPEN_START else entry.effective_from.isoformat(),
                value=None if entry.scaled is None else _json(from_scaled(entry.scaled, parameter.unit)),
                citation=entry.citation.as_dict(),
            )
    maximum = None if parameter.maximum is None else _json(from_scaled(parameter.maximum, parameter.unit))
    return ParameterOut(
        id=data["id"],
        article=parameter.id.split(".", 1)[0],
        unit=data["unit"],
        label=data["label"],
        maximum=maximum,
        values=[_dated(v) for v in data["values"]],
        in_force=in_force,
    )


DateQuery = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        json_schema_extra={"format": "date"},
        description="YYYY-MM-DD：附当日有效的取值 / add the value in force that day",
    ),
]


def _day(text: str | None) -> dt.date | None:
    """The day asked for; written as YYYY-MM-DD only (not a timestamp, not 2023-02-30)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problem = Problem({"zh": "请求", "en": "request"}, "date", f"“{text}” 不是日期", f"{text!r} is not a date")
        raise InvalidInput("请求内容有误。", "The request is not valid.", [problem]) from None


@router.get(
    "/parameters",
    response_model=ParametersOut,
    responses=PUBLIC,
    summary="Every parameter: dated values with citations; ?date= adds the value in force on that day",
)
def parameters(
    policy: PolicyDep,
    date: DateQuery = None,
    article: Annotated[str | None, Query(pattern=r"^art\d{2}$", description="如 art11 / e.g. art11")] = None,
    _: Principal | None = public(),
) -> ParametersOut:
    chosen = [p for p in policy.parameters if article is None or p.id.startswith(article + ".")]
    return ParametersOut(
        rule_set=policy.rule_set,
        date=date,
        parameters=[_parameter(p, _day(date)) for p in chosen],
    )


@router.get(
    "/parameters/{parameter_id}",
    response_model=ParameterOut,
    responses=NOT_FOUND,
    summary="One parameter: its dated values with citations; ?date= adds the value in force",
)
def parameter(
    policy: PolicyDep,
    parameter_id: Annotated[str, Path(max_length=100)],
    date: DateQuery = None,
    _: Principal | None = public(),
) -> ParameterOut:
    if parameter_id not in policy.parameters:
        raise NotFound(f"没有参数 {parameter_id}。", f"There is no parameter {parameter_id}.")
    return _parameter(policy.parameters[parameter_id], _day(date))


@router.get(
    "/options",
    response_model=OptionsOut,
    responses=PUBLIC,
    summary="The options: where the text is ambiguous, each with its choices, default and why",
)
def options(policy: PolicyDep, _: Principal | None = public()) -> OptionsOut:
    return OptionsOut(rule_set=policy.rule_set, options=[OptionOut(**_json(o.as_dict())) for o in policy.options])


@router.get("/rule-set", response_model=RuleSetOut, responses=PUBLIC, summary="The rule-set version in force")
def rule_set(policy: PolicyDep, _: Principal | None = public()) -> RuleSetOut:
    document = _json(policy.metadata["document"])
    return RuleSetOut(
        name=policy.name,
        rule_set=policy.rule_set,
        document_number=document["number"],
        title=document["title"],
        period=document["period"],
    )


# The plan's official text (issue 16): read by anyone; previewed and confirmed by an official.
TEXT_WRITING = problem_responses(400, 401, 403, 409, 422)


def _official_out(found: OfficialText) -> OfficialTextOut:
    def sections(chosen: tuple[SectionText, ...]) -> list[SectionOut]:
        return [SectionOut(number=s.number, part_number=s.part_number, title=s.title, body=s.body) for s in chosen]

    return OfficialTextOut(
        id=found.id,
        plan=found.plan,
        document_number=found.document_number,
        title=found.title,
        issued=found.issued,
        source=found.source,
        digest=found.digest,
        loaded_by=found.loaded_by,
        loaded_at=found.loaded_at,
        supersedes=found.supersedes,
        parts=sections(found.parts),
        articles=sections(found.articles),
    )


def _rows(rows: tuple[Row, ...]) -> list[ReviewRowOut]:
    return [
        ReviewRowOut(
            kind=r.kind,
            number=r.number,
            status=r.status.value,
            known_title=dict(r.known_title) if r.known_title else None,
            known_words=r.known_words,
            title=r.title,
            body=r.body,
            part_number=r.part_number,
        )
        for r in rows
    ]


@router.get("/plan/text", response_model=OfficialTextOut, responses=NOT_FOUND,
            summary="The plan's official text, as loaded from the bureau's document")  # fmt: skip
def official_text(db: Db, policy: PolicyDep, _: Principal | None = public()) -> OfficialTextOut:
    found = current(db, policy.name)
    if found is None:
        raise NotFound(
            "方案正式文本尚未载入：方案内容取自起草说明。",
            "The plan's official text has not been loaded: the plan is known from its drafting explanation.",
        )
    return _official_out(found)


@router.post("/plan/text/preview", response_model=PreviewOut, responses=TEXT_WRITING,
             summary="Preview a text of the plan beside what is known, article by article; stores nothing")  # fmt: skip
def preview_text(policy: PolicyDep, body: PreviewIn, _: Principal = require(Permission.load_plan_text)) -> PreviewOut:
    found = preview(policy, body.text)
    return PreviewOut(
        digest=found.digest,
        document_number=found.parsed.document_number,
        dated=found.parsed.dated,
        parts=_rows(found.parts),
        articles=_rows(found.articles),
        expected_parts=found.expected_parts,
        expected_articles=found.expected_articles,
        blocking=[Reason(zh=zh, en=en) for zh, en in found.blocking],
        notes=[Reason(zh=zh, en=en) for zh, en in found.notes],
    )


@router.post("/plan/text", response_model=OfficialTextOut, status_code=201, responses=TEXT_WRITING,
             summary="Store the previewed text as the plan's official text (supersedes the one before)")  # fmt: skip
def load_text(
    db: Db, policy: PolicyDep, body: ConfirmIn, user: Principal = require(Permission.load_plan_text)
) -> OfficialTextOut:
    facts = DocumentFacts(body.document_number, body.title, body.issued, body.source, body.file_name)
    return _official_out(load(db, user, policy, body.text, facts, body.digest))
