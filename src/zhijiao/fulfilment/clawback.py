"""Claw-back: when a certification that earned a one-time award is revoked, the payment is recovered by
a claw-back entry (the negative of the payment, naming it), if and only if the option
``clawback_on_revocation`` is on (off by default: the plan is silent; the package says why).

The run proposes; like every correction, each claw-back enters the ledger only when a second finance
officer confirms it (zhijiao.fulfilment.corrections)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.corrections import propose
from zhijiao.fulfilment.models import LedgerCorrection, LedgerEntry
from zhijiao.fulfilment.states import CorrectionStatus
from zhijiao.refusals import Invalid
from zhijiao.registry.models import EnterpriseCertification, PlatformCertification

OPTION = "clawback_on_revocation"


@dataclass(frozen=True)
class Clawbacks:
    option: str
    proposals: list[LedgerCorrection]  # new this run, each waiting for a second person


def _revoked(session: Session, entry: LedgerEntry, as_of: dt.date) -> str | None:
    """The revocation reason if the certification behind a one-time payment was revoked by ``as_of``."""
    if entry.level is None:
        return None
    if entry.enterprise_id is not None:
        cert, owner = EnterpriseCertification, EnterpriseCertification.enterprise_id == entry.enterprise_id
    elif entry.platform_id is not None:
        cert, owner = PlatformCertification, PlatformCertification.platform_id == entry.platform_id  # type: ignore[assignment]
    else:
        return None
    query = select(cert.revoked_on, cert.revocation_reason).where(
        owner, cert.level == entry.level, cert.revoked_on.is_not(None), cert.revoked_on <= as_of
    )
    row = session.execute(query.limit(1)).first()
    if row is None:
        return None
    return f"认定于{row[0]}撤销（{row[1] or '未注明原因'}）/ certification revoked on {row[0]}"


def clawback_revoked(
    session: Session, actor: Principal, policy: Policy, as_of: dt.date, options: Mapping[str, object] | None = None
) -> Clawbacks:
    """One claw-back proposal per paid one-time award whose certification was revoked by ``as_of``, under the
    options in effect (``options`` over the package's defaults). A payment already corrected, with a
    correction waiting, or whose claw-back a second person refused, gets none: running it twice proposes
    nothing new."""
    require(actor, Permission.release_payment)
    option = str(policy.options.resolve(options)[OPTION])
    if option != "on":
        return Clawbacks(option, [])
    correction = aliased(LedgerEntry)
    uncorrected = ~exists().where(correction.reverses_id == LedgerEntry.id)
    # A claw-back waiting, or one a second person refused (the money stays: that was decided), is not proposed again.
    decided = exists().where(
        LedgerCorrection.payment_id == LedgerEntry.id,
        or_(
            LedgerCorrection.status == CorrectionStatus.proposed.value,
            (LedgerCorrection.kind == "clawback") & (LedgerCorrection.status == CorrectionStatus.refused.value),
        ),
    )
    payments = session.scalars(
        select(LedgerEntry)
        .where(and_(LedgerEntry.kind == "payment", LedgerEntry.level.is_not(None), uncorrected, ~decided))
        .order_by(LedgerEntry.id)
    ).all()
    proposals = []
    for payment in payments:
        reason = _revoked(session, payment, as_of)
        if reason is not None:
            proposals.append(propose(session, actor, payment.id, reason, kind="clawback"))
    return Clawbacks(option, proposals)


def clawback_choice(option: str | None, policy: Policy) -> dict[str, object] | None:
    """The claw-back option as chosen (None: the package's default), refused unless it is one of its values."""
    if not option:
        return None
    choices = policy.options.options[OPTION].choices
    if option not in choices:
        listed = " | ".join(choices)
        raise Invalid(f"口径取值“{option}”无效（可选：{listed}）。", f"Option value {option!r} is not one of {listed}.")
    return {OPTION: option}
