"""Applications from draft to city approval. Each transition is one function taking the acting user; it
locks the application, checks the transition table, the role, the scope and the two-person rules, and
writes its audit record in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.policy import Policy
from zhijiao.formatting import money
from zhijiao.fulfilment import claimed_figures, notices
from zhijiao.fulfilment.assessment import CLAIMED, REGISTRY, assess
from zhijiao.fulfilment.compute import award_key, compute, current_situation
from zhijiao.fulfilment.entities import find_payee, payee_of
from zhijiao.fulfilment.figures import declarable_variables, parse_figures
from zhijiao.fulfilment.models import Application, Decision, Review
from zhijiao.fulfilment.scope import application_scope, school_of_platform
from zhijiao.fulfilment.states import CLOSED, TRANSITIONS, Status
from zhijiao.language import Lang
from zhijiao.refusals import Invalid, NotAllowed, OutOfScope, WrongState

SYSTEM_ORIGIN = "proactive"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def snapshot(application: Application) -> dict[str, Any]:
    """What the audit trail keeps of an application before and after a change."""
    return {
        "number": application.number,
        "status": application.status,
        "claimed_fen": application.claimed_fen,
        "batch_id": application.batch_id,
        "needs_re_review": application.needs_re_review,
    }


def load(session: Session, actor: Principal, application_id: int) -> Application:
    """The application, locked for the change (``FOR UPDATE``), if the actor's scope reaches it."""
    mine = select(Application).where(Application.id == application_id, application_scope(actor.scope))
    application = session.scalar(mine.with_for_update(of=Application))
    if application is None:
        raise OutOfScope
    return application


def move(
    session: Session,
    actor: Principal | None,
    policy: Policy,
    application: Application,
    transition: str,
    **audit_extra: object,
) -> None:
    """Applies a transition of the table, or refuses naming the state it is in. ``policy`` is the plan the award
    is granted under: the entity is told of the step in its words."""
    sources, target = TRANSITIONS[transition]
    current = Status(application.status)
    if current not in sources:
        raise WrongState(
            f"申报 {application.number} 当前状态为“{current.zh}”，不能进行此操作。",
            f"Application {application.number} is {current.en}: this step does not apply.",
        )
    before = snapshot(application)
    application.status = target.value
    session.flush()
    audit.record(
        session, actor, f"application.{transition}", "application", application.number,
        before=before, after=snapshot(application) | audit_extra,
    )  # fmt: skip
    notices.tell(session, policy, application, transition, audit_extra)


def _check_applicant(session: Session, actor: Principal, payee_kind: str, payee_id: int) -> None:
    scope = actor.scope
    mine = (
        (payee_kind == "school" and scope.school_id == payee_id)
        or (payee_kind == "enterprise" and scope.enterprise_id == payee_id)
        or (payee_kind == "platform" and scope.school_id == school_of_platform(session, payee_id))
    )
    if not mine:
        raise NotAllowed("只能为本单位申报。", "You can apply only for your own school or enterprise.")


def open_application(session: Session, key: str) -> Application | None:
    query = select(Application).where(
        Application.award_key == key, Application.status.not_in([s.value for s in CLOSED])
    )
    return session.scalar(query)


def create(
    session: Session,
    actor: Principal | None,
    policy: Policy,
    *,
    entitlement_id: str,
    entity_code: str,
    year: int,
    level: str | None = None,
    figures: Mapping[str, str] | None = None,
    claimed_fen: int | None = None,
    note: str | None = None,
    origin: str = "application",
) -> Application:
    """A draft application (or, with ``origin="proactive"`` and no actor, a pending proactive award). ``figures``
    are the applicant's claimed figures as typed: checked here, stored as exact decimal text."""
    entitlement = policy.entitlements_by_id.get(entitlement_id)
    if entitlement is None:
        raise Invalid(f"未知的奖补项目：{entitlement_id}", f"Unknown entitlement: {entitlement_id}")
    claimed = parse_figures(declarable_variables(policy, entitlement), figures or {})
    if entitlement.one_time != (level is not None):
        raise Invalid("一次性奖补须注明认定级别，其他项目不注明。", "A one-time award names its level; others do not.")
    if claimed_fen is not None and claimed_fen < 0:
        raise Invalid("申请金额不能为负数。", "The amount claimed cannot be negative.")
    payee = find_payee(session, entitlement.entity, entity_code)
    if actor is not None:
        require(actor, Permission.apply)
        _check_applicant(session, actor, payee.kind, payee.id)
    key = award_key(entitlement, payee.code, year, level)
    existing = open_application(session, key)
    if existing is not None:
        raise WrongState(
            f"该奖补已有申报 {existing.number}（{Status(existing.status).zh}），不能重复申报。",
            f"There is already application {existing.number} for this award: it cannot be claimed twice.",
            code="duplicate",
        )
    moment = now()
    proactive = origin == SYSTEM_ORIGIN
    application = Application(
        number=f"tmp-{key}"[:30],
        entitlement=entitlement.id,
        article=entitlement.article,
        county_code=payee.county_code,
        year=year,
        level=level,
        award_key=key,
        origin=origin,
        status=(Status.pending if proactive else Status.draft).value,
        claimed_fen=claimed_fen,
        figures=claimed,
        note=note,
        created_by=actor.user_id if actor else None,
        created_at=moment,
        **payee.columns,
    )
    session.add(application)
    session.flush()
    application.number = f"{'MS' if proactive else 'SQ'}{year}-{application.id:06d}"
    session.flush()
    audit.record(session, actor, "application.create", "application", application.number, after=snapshot(application))
    return application


def submit(session: Session, actor: Principal, policy: Policy, application_id: int) -> Application:
    require(actor, Permission.apply)
    application = load(session, actor, application_id)
    payee = payee_of(session, application.school_id, application.enterprise_id, application.platform_id)
    _check_applicant(session, actor, payee.kind, payee.id)
    application.submitted_by, application.submitted_at = actor.user_id, now()
    move(session, actor, policy, application, "submit")
    return application


def withdraw(session: Session, actor: Principal, policy: Policy, application_id: int) -> Application:
    require(actor, Permission.apply)
    application = load(session, actor, application_id)
    move(session, actor, policy, application, "withdraw")
    return application


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("请填写理由。", "A reason is required.")
    return reason


def return_for_information(
    session: Session, actor: Principal, policy: Policy, application_id: int, reason: str
) -> Application:
    require(actor, Permission.review)
    application = load(session, actor, application_id)
    application.review_note = _reason(reason)
    move(session, actor, policy, application, "return_for_information", reason=application.review_note)
    return application


def _check_not_submitter(actor: Principal, application: Application) -> None:
    if application.submitted_by == actor.user_id:
        raise NotAllowed(
            "提交人不能审核或审批自己的申报。", "Whoever submitted an application cannot review or approve it."
        )


def check_shown(shown_fen: int | None, amount_fen: int) -> None:
    """The amount the person saw must be the amount the step fixes (an approval's, a batch's total): data that
    moved in between refuse it."""
    if shown_fen is not None and shown_fen != amount_fen:
        raise WrongState(
            f"页面显示的金额为{money(shown_fen, Lang.zh)}，按现行数据计算为{money(amount_fen, Lang.zh)}；"
            "数据已变化，请刷新页面核对后再办理。",
            f"The page showed {money(shown_fen, Lang.en)}; the data now give {money(amount_fen, Lang.en)}. "
            "Reload the page and check before acting.",
            code="amount_changed",
        )


def _check_due(amount_fen: int) -> None:
    if amount_fen <= 0:
        raise Invalid(
            "按现行登记数据计算，该项奖补金额为0，不能通过；请查看计算依据，或退回、驳回。",
            "By the registry as it stands the amount is 0: it cannot be approved; see the explanation, or reject.",
            code="nothing_due",
        )


def county_approve(
    session: Session,
    actor: Principal,
    policy: Policy,
    application_id: int,
    note: str = "",
    *,
    basis: str | None = None,
    shown_fen: int | None = None,
) -> Review:
    """Reviews with the amount in sight and freezes it. Where the applicant's claimed figures differ from the
    registry's, ``basis`` says which stand: ``claimed`` writes them into the registry (audited, naming the
    application), ``registry`` keeps the registry's and ``note`` tells the applicant why. ``shown_fen``, the
    amount the reviewer saw, must still be the amount."""
    require(actor, Permission.review)
    application = load(session, actor, application_id)
    _check_not_submitter(actor, application)
    found = assess(session, policy, application)
    note = note.strip()
    if not found.differs:
        basis = REGISTRY
    elif basis not in (REGISTRY, CLAIMED):
        raise Invalid(
            "申报数据与登记数据不一致：请选择采用申报数据（写入登记库）还是登记数据（须说明理由）。",
            "The claimed figures differ from the registry's: choose which stand (the registry's need a reason).",
            code="figures_basis_required",
        )
    elif basis == REGISTRY and not note:
        raise Invalid(
            "不采用申报数据时，请填写理由（将告知申报单位）。",
            "Keeping the registry's figures needs a reason (the applicant is told it).",
        )
    chosen = found.on_claimed if basis == CLAIMED and found.on_claimed is not None else found.on_registry
    check_shown(shown_fen, chosen.amount_fen)
    _check_due(chosen.amount_fen)
    claimed = {line.variable.name: line.claimed for line in found.differences if line.claimed is not None}
    written: dict[str, Any] = {}
    if basis == CLAIMED:
        written = claimed_figures.accept(session, actor, found.payee_code, application.year, claimed)
        labels = {line.variable.name: line.variable.label["zh"] for line in found.differences}
        changed = "；".join(f"{labels[line.variable.name]} {line.registry if line.registry is not None else '—'}"
                           f" → {line.claimed}" for line in found.differences)  # fmt: skip
        audit.record(session, actor, "application.figures_accepted", "application", application.number,
                     after={"figures": {k: str(v) for k, v in claimed.items()}, "registry": written,
                            "reason": changed})  # fmt: skip
        entitlement = found.entitlement
        situation = current_situation(session, policy, entitlement, found.payee_code, application.year)
        chosen = compute(policy, situation, entitlement, found.payee_code, application.level)
        check_shown(shown_fen, chosen.amount_fen)
    moment = now()
    review = Review(
        application_id=application.id,
        amount_fen=chosen.amount_fen,
        rule_set=chosen.rule_set,
        options=chosen.options,
        inputs=chosen.situation,
        inputs_digest=chosen.inputs_digest,
        explanation=[chosen.explanation],
        figures_basis=basis,
        claimed={k: str(v) for k, v in claimed.items()},
        registry_before={line.variable.name: None if line.registry is None else str(line.registry)
                         for line in found.differences},
        note=note or None,
        submitted_by=application.submitted_by,
        reviewed_by=actor.user_id,
        reviewed_at=moment,
    )  # fmt: skip
    session.add(review)
    application.reviewed_by, application.reviewed_at = actor.user_id, moment
    application.review_note = note or None
    application.needs_re_review, application.re_review_reason = False, None
    session.flush()
    extra: dict[str, object] = {"amount_fen": review.amount_fen, "figures_basis": basis}
    if found.differs and basis == REGISTRY:
        extra["reason"] = note
    move(session, actor, policy, application, "county_approve", **extra)
    if found.differs:
        notices.tell(session, policy, application, f"figures_{'accepted' if basis == CLAIMED else 'kept'}", extra)
    return review


def return_to_county(
    session: Session, actor: Principal, policy: Policy, application_id: int, reason: str
) -> Application:
    """The city sends a reviewed application back to its county: to be reviewed again on the data as they are."""
    require(actor, Permission.approve)
    application = load(session, actor, application_id)
    _check_not_submitter(actor, application)
    application.review_note = _reason(reason)
    application.reviewed_by, application.reviewed_at = None, None
    move(session, actor, policy, application, "return_to_county", reason=application.review_note)
    return application


def county_reject(session: Session, actor: Principal, policy: Policy, application_id: int, reason: str) -> Application:
    require(actor, Permission.review)
    application = load(session, actor, application_id)
    _check_not_submitter(actor, application)
    application.reviewed_by, application.reviewed_at = actor.user_id, now()
    application.review_note = _reason(reason)
    move(session, actor, policy, application, "county_reject", reason=application.review_note)
    return application


def city_approve(
    session: Session, actor: Principal, policy: Policy, application_id: int, *, shown_fen: int | None = None
) -> Decision:
    """Approves exactly what the county reviewed: the figures, the rule set and the amount it froze. If the
    registry or the rules moved since, nothing is approved: the county reviews again."""
    require(actor, Permission.approve)
    application = load(session, actor, application_id)
    _check_not_submitter(actor, application)
    if application.reviewed_by == actor.user_id:
        raise NotAllowed("审核人不能审批自己审核的申报。", "Whoever reviewed an application cannot approve it.")
    found = assess(session, policy, application)
    review = found.review
    if review is None or application.reviewed_by is None:
        raise WrongState("申报尚未经县级审核。", "The application has not been reviewed by the county.")
    if found.changed_since_review:
        raise WrongState(
            f"县级审核后登记数据或政策规则已变化（审核金额{money(review.amount_fen, Lang.zh)}，"
            f"按现行数据为{money(found.on_registry.amount_fen, Lang.zh)}）：请退回县级重新审核。",
            f"The registry or the rules changed after the county's review (reviewed at "
            f"{money(review.amount_fen, Lang.en)}, now {money(found.on_registry.amount_fen, Lang.en)}): "
            "return it to the county for a new review.",
            code="changed_since_review",
        )
    check_shown(shown_fen, review.amount_fen)
    _check_due(review.amount_fen)
    decision = Decision(
        application_id=application.id,
        amount_fen=review.amount_fen,
        rule_set=review.rule_set,
        options=review.options,
        inputs=review.inputs,
        inputs_digest=review.inputs_digest,
        explanation=review.explanation,
        submitted_by=application.submitted_by,
        reviewed_by=review.reviewed_by,
        approved_by=actor.user_id,
        approved_at=now(),
        review_id=review.id,
    )
    session.add(decision)
    application.needs_re_review, application.re_review_reason = False, None  # approved on the data as reviewed
    session.flush()
    move(
        session, actor, policy, application, "city_approve", amount_fen=decision.amount_fen, rule_set=decision.rule_set
    )
    return decision


def city_reject(session: Session, actor: Principal, policy: Policy, application_id: int, reason: str) -> Application:
    require(actor, Permission.approve)
    application = load(session, actor, application_id)
    _check_not_submitter(actor, application)
    application.review_note = _reason(reason)
    move(session, actor, policy, application, "city_reject", reason=application.review_note)
    return application


def latest_decision(session: Session, application_id: int) -> Decision | None:
    query = select(Decision).where(Decision.application_id == application_id).order_by(Decision.id.desc()).limit(1)
    return session.scalar(query)
