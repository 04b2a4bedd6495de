"""``applications.move`` for many applications at once: a batch scheduled or paid is thousands of the same step.
One conditional UPDATE per 5,000 applications (refused whole unless every row is still in a state the transition
leaves from, as ``move`` refuses each), the notices in one INSERT, and the audit records' changes handed back so
the caller writes them, with its own, in one ``audit.record_many``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from zhijiao import audit
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.applications import snapshot
from zhijiao.fulfilment.bulk_notices import Told, tell_all
from zhijiao.fulfilment.entities import chunks
from zhijiao.fulfilment.models import Application
from zhijiao.fulfilment.states import TRANSITIONS, Status
from zhijiao.refusals import WrongState


def move_all(
    session: Session,
    policy: Policy,
    applications: Sequence[Application],
    transition: str,
    extras: Sequence[Mapping[str, object]],
    *,
    values: Mapping[str, object] | None = None,
) -> list[audit.Change]:
    """Applies ``transition`` to every application, ``values`` (other columns, set before the step as a caller of
    ``move`` sets them) with it; ``extras[i]`` is what ``move``'s ``audit_extra`` would be for the i-th."""
    sources, target = TRANSITIONS[transition]
    for application in applications:
        current = Status(application.status)
        if current not in sources:
            raise WrongState(
                f"申报 {application.number} 当前状态为“{current.zh}”，不能进行此操作。",
                f"Application {application.number} is {current.en}: this step does not apply.",
            )
    values = dict(values or {})
    before = []
    for application in applications:
        # the rows change in SQL below: the session's copies are told so, not marked to be written again
        for column, value in values.items():
            set_committed_value(application, column, value)
        before.append(snapshot(application))
    moved = 0
    for part in chunks(a.id for a in applications):
        statement = (
            update(Application)
            .where(Application.id.in_(part), Application.status.in_([s.value for s in sources]))
            .values(status=target.value, version=Application.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        moved += session.execute(statement).rowcount  # type: ignore[attr-defined]
    if moved != len(applications):  # another transaction moved one since it was read: nothing is moved
        raise WrongState("申报状态已变化，请刷新后重试。", "An application changed meanwhile: reload and try again.")
    changes, told = [], []
    for application, was, extra in zip(applications, before, extras, strict=True):
        set_committed_value(application, "status", target.value)
        set_committed_value(application, "version", application.version + 1)
        changes.append(audit.Change(f"application.{transition}", "application", application.number, before=was,
                                    after=snapshot(application) | dict(extra)))  # fmt: skip
        told.append(Told.of(application, extra))
    tell_all(session, policy, transition, told)
    return changes
