"""Payees' accounts (收款账户), by two people: where a school's or an enterprise's money goes.

A payee has at most one confirmed account of each kind: ``bank`` (户名, 开户银行, 账号), what any transfer is paid
into, and for a public school ``budget`` (预算单位编码, 名称), what its own same-level finance allocates to as a
budget indicator (预算指标, decision 0017). A platform is not a legal person: its money goes to its school's
account. A change is a new row, never an edit: one person proposes it with the reason, a second finance officer
confirms it (the account before it is superseded in the same transaction) or refuses it with a note, and the
proposer may withdraw it while it waits. The database refuses what these functions refuse (migration 0012).

Who does what, as a finance bureau works:

- **Finance officers and the city administrator propose.** The payee's details reach the bureau on paper (a
  letter under the unit's seal with the bank's account certificate, 开户许可证 or 基本存款账户信息); the official who
  receives it keys them in. A school or enterprise user does not propose its own account: a stolen school password
  must not be able to redirect a payment, and a second person checking a number typed by the payee itself would
  have nothing to check it against but the payee's word.
- **Only a second finance officer confirms or refuses** (a different person from the proposer, as for corrections,
  decision 0009): an account says where public money goes, which is a finance act. The city administrator, who
  approves the awards, does not confirm.
- **Who sees the number.** Finance officers and the city administrator see whole account numbers; everyone else
  who may see the payee (a county officer in its county, the school or enterprise itself, the auditor, the
  analyst) sees them masked (``6222 **** **** 1234``). The audit trail keeps the masked number too: the row it
  names holds the whole number, and the database refuses any change of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from zhijiao import audit
from zhijiao.authz import Principal, Role
from zhijiao.fulfilment.applications import now
from zhijiao.fulfilment.entities import Payee, find_payee
from zhijiao.fulfilment.models import PayeeAccount
from zhijiao.refusals import Invalid, NotAllowed, NotFound, WrongState
from zhijiao.registry.models import Enterprise, School
from zhijiao.states import State

PAYEE_KINDS = ("school", "enterprise")  # who holds an account (a platform is paid into its school's)
KINDS = ("bank", "budget")
PROPOSERS = frozenset({Role.finance_officer, Role.city_admin})
CONFIRMERS = frozenset({Role.finance_officer})
FULL_NUMBERS = frozenset({Role.finance_officer, Role.city_admin})
NUMBER_DIGITS = (8, 30)
BUDGET_CODE = re.compile(r"[0-9A-Za-z-]{3,30}")
NAME_LENGTH, REASON_LENGTH = 200, 2000

KIND_LABELS: dict[str, dict[str, str]] = {
    "bank": {"zh": "银行账户", "en": "bank account"},
    "budget": {"zh": "预算单位", "en": "budget unit"},
}
# The fields as a form and an error message name them.
FIELDS: dict[str, dict[str, str]] = {
    "account_name": {"zh": "户名", "en": "account name"},
    "bank_name": {"zh": "开户银行", "en": "bank"},
    "account_number": {"zh": "账号", "en": "account number"},
    "budget_unit_code": {"zh": "预算单位编码", "en": "budget unit code"},
    "budget_unit_name": {"zh": "预算单位名称", "en": "budget unit name"},
    "reason": {"zh": "变更理由", "en": "reason"},
    "note": {"zh": "退回理由", "en": "reason for refusing"},
    "kind": {"zh": "账户类型", "en": "kind of account"},
}


class AccountStatus(State):
    """A proposed account: confirmed by a second person (and later superseded by the next), refused, or withdrawn."""

    proposed = "proposed", "待复核", "awaiting confirmation"
    confirmed = "confirmed", "现行账户", "current"
    refused = "refused", "复核退回", "refused"
    withdrawn = "withdrawn", "已撤回", "withdrawn"
    superseded = "superseded", "已被替换", "superseded"

    @classmethod
    def following(cls) -> Mapping[AccountStatus, frozenset[AccountStatus]]:
        return {
            cls.proposed: frozenset({cls.confirmed, cls.refused, cls.withdrawn}),
            cls.confirmed: frozenset({cls.superseded}),
        }


@dataclass(frozen=True)
class Details:
    """What a proposal says, as typed; ``checked`` gives it as stored or refuses it, naming each bad field."""

    kind: str
    account_name: str = ""
    bank_name: str = ""
    account_number: str = ""
    budget_unit_code: str = ""
    budget_unit_name: str = ""


def digits_of(number: str) -> str:
    """An account number as stored: the spaces people type between groups of digits taken out."""
    return re.sub(r"\s+", "", number)


def masked(number: str | None) -> str:
    """An account number as everyone but finance sees it: the first four digits and the last four, each group of
    up to four digits between them as ``****`` (``6222 **** **** 1234``). Under twelve digits, first and last four
    would leave little hidden: only the last four show."""
    if not number:
        return ""
    if len(number) < 12:  # noqa: PLR2004 -- four shown at each end, at least four hidden
        return f"**** {number[-4:]}"
    hidden = -(-(len(number) - 8) // 4)
    return " ".join([number[:4], *["****"] * hidden, number[-4:]])


def grouped(number: str | None) -> str:
    """A whole number in groups of four, as a bank prints it (``6222 0212 3456 1234``)."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if number else ""


def sees_full_numbers(user: Principal) -> bool:
    return user.role in FULL_NUMBERS


def shown_number(user: Principal, number: str | None) -> str:
    """The number as this user may see it."""
    return grouped(number) if sees_full_numbers(user) else masked(number)


# --- whose accounts a user reaches -------------------------------------------------------------------------


def _no_payee() -> NotFound:
    return NotFound("未找到该收款单位。", "No such payee.")


def reachable(session: Session, user: Principal, payee_kind: str, code: str) -> Payee:
    """The school or enterprise, if the user may see it: the city's users any, a county officer its county's, a
    school or enterprise user itself. Anything else answers as not found."""
    if payee_kind not in PAYEE_KINDS:
        raise _no_payee()
    try:
        payee = find_payee(session, payee_kind, code)
    except Invalid:
        raise _no_payee() from None
    if not may_see(user, payee):
        raise _no_payee()
    return payee


def may_see(user: Principal, payee: Payee) -> bool:
    scope = user.scope
    if user.role in (Role.drafter, Role.unit_user):
        return False
    if scope.citywide:
        return True
    if scope.county_code is not None:
        return payee.county_code == scope.county_code
    if payee.kind == "school":
        return scope.school_id == payee.id
    return scope.enterprise_id == payee.id


def _owned_by(payee_kind: str, entity_id: int) -> Any:  # noqa: ANN401 -- a SQL condition
    column = PayeeAccount.school_id if payee_kind == "school" else PayeeAccount.enterprise_id
    return column == entity_id


def payee_filter(payee: Payee) -> Any:  # noqa: ANN401 -- a SQL condition
    return _owned_by(payee.kind, payee.id)


def confirmed_account(session: Session, payee_kind: str, entity_id: int, kind: str) -> PayeeAccount | None:
    """The confirmed account of ``kind`` of a school or enterprise: what a payment prepared now is paid into."""
    query = select(PayeeAccount).where(
        _owned_by(payee_kind, entity_id),
        PayeeAccount.kind == kind,
        PayeeAccount.status == AccountStatus.confirmed.value,
    )
    return session.scalar(query)


def current_account(session: Session, payee: Payee, kind: str = "bank") -> PayeeAccount | None:
    """The payee's confirmed account of ``kind``."""
    return confirmed_account(session, payee.kind, payee.id, kind)


def waiting_for(session: Session, payee: Payee, kind: str) -> PayeeAccount | None:
    """The proposal of ``kind`` waiting for a second person, if any."""
    query = select(PayeeAccount).where(
        payee_filter(payee), PayeeAccount.kind == kind, PayeeAccount.status == AccountStatus.proposed.value
    )
    return session.scalar(query)


def accounts_of(session: Session, payee: Payee) -> list[PayeeAccount]:
    """Every account the payee ever had proposed, newest first: the history."""
    query = select(PayeeAccount).where(payee_filter(payee)).order_by(PayeeAccount.id.desc())
    return list(session.scalars(query))


def payee_of_account(session: Session, account: PayeeAccount) -> Payee:
    if account.school_id is not None:
        code = session.scalar(select(School.code).where(School.id == account.school_id))
        return find_payee(session, "school", str(code))
    code = session.scalar(select(Enterprise.code).where(Enterprise.id == account.enterprise_id))
    return find_payee(session, "enterprise", str(code))


# --- checking what is typed --------------------------------------------------------------------------------


def _field(name: str, zh: str, en: str) -> tuple[str, str]:
    label = FIELDS[name]  # the messages join into one sentence: their own full stops go
    return f"{label['zh']}：{zh.rstrip('。')}", f"{label['en']}: {en.rstrip('.')}"


def _text(problems: list[tuple[str, str]], name: str, value: str, limit: int = NAME_LENGTH) -> str:
    """A required field as stored: a name on one line with single spaces, a reason with its lines kept."""
    value = value.strip() if limit == REASON_LENGTH else " ".join(value.split())
    if not value:
        problems.append(_field(name, "必填。", "required."))
    elif len(value) > limit:
        problems.append(_field(name, f"不能超过 {limit} 个字。", f"at most {limit} characters."))
    return value


def _public_school(session: Session, payee: Payee) -> bool:
    if payee.kind != "school":
        return False
    return session.scalar(select(School.ownership).where(School.id == payee.id)) == "public"


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise Invalid("；".join(zh for zh, _ in problems) + "。", "; ".join(en for _, en in problems) + ".",
                      code="invalid_payee_account")  # fmt: skip


def checked(session: Session, payee: Payee, details: Details, later: list[tuple[str, str]] | None = None) -> Details:
    """The details as stored (spaces taken out of the number, runs of spaces made one), or Invalid naming every
    bad field in both languages (and then the ``later`` problems of the form's other fields)."""
    problems: list[tuple[str, str]] = []
    if details.kind not in KINDS:
        raise Invalid(*_field("kind", "须为银行账户（bank）或预算单位（budget）。", "bank or budget."),
                      code="invalid_payee_account")  # fmt: skip
    if details.kind == "budget" and not _public_school(session, payee):
        raise Invalid(
            "只有公办学校设预算单位；企业、民办学校和混合所有制学校通过银行账户收款。",
            "Only a public school has a budget unit; enterprises and private or mixed schools are paid by transfer.",
            code="invalid_payee_account",
        )
    if details.kind == "bank":  # in the form's order: name, bank, number
        name, bank = (
            _text(problems, "account_name", details.account_name),
            _text(problems, "bank_name", details.bank_name),
        )
        low, high = NUMBER_DIGITS
        number = digits_of(details.account_number)
        if not number:
            problems.append(_field("account_number", "必填。", "required."))
        elif not number.isascii() or not number.isdigit() or not low <= len(number) <= high:
            problems.append(_field("account_number", f"须为 {low} 至 {high} 位数字（可用空格分组）。",
                                   f"{low} to {high} digits (spaces between groups allowed)."))  # fmt: skip
        result = Details("bank", name, bank, number)
    else:
        code = digits_of(details.budget_unit_code)
        if not code:
            problems.append(_field("budget_unit_code", "必填。", "required."))
        elif not BUDGET_CODE.fullmatch(code):
            problems.append(_field("budget_unit_code", "须为 3 至 30 位数字、字母或连字符。",
                                   "3 to 30 digits, letters or hyphens."))  # fmt: skip
        name = _text(problems, "budget_unit_name", details.budget_unit_name)
        result = Details("budget", budget_unit_code=code, budget_unit_name=name)
    _refuse(problems + (later or []))
    return result


def _same(account: PayeeAccount, details: Details) -> bool:
    return all(getattr(account, name) == (getattr(details, name) or None) for name in FIELDS if hasattr(details, name)
               and name != "kind")  # fmt: skip


# --- the two people ----------------------------------------------------------------------------------------


def _snapshot(session: Session, account: PayeeAccount) -> dict[str, Any]:
    payee = payee_of_account(session, account)
    return {
        "payee": f"{payee.kind}:{payee.code}",
        "kind": account.kind,
        "account_name": account.account_name,
        "bank_name": account.bank_name,
        "account_number": masked(account.account_number),  # the row holds it whole; the trail is read more widely
        "budget_unit_code": account.budget_unit_code,
        "budget_unit_name": account.budget_unit_name,
        "status": account.status,
        "reason": account.reason,
        "note": account.note,
        "proposed_by": account.proposed_by,
        "decided_by": account.decided_by,
        "supersedes": account.supersedes_id,
    }


def _pending() -> WrongState:
    return WrongState(
        "该单位已有一项待复核的账户变更，请先复核、退回或撤回它。",
        "A change of this payee's account is already waiting for confirmation: confirm, refuse or withdraw it first.",
        code="payee_account_pending",
    )


def _decided() -> WrongState:
    return WrongState("该账户变更已被他人处理。", "Someone else has just decided this account change.",
                      code="payee_account_decided")  # fmt: skip


def _flush(session: Session, refusal: Callable[[], WrongState]) -> None:
    """Writes now; a database guard that refuses (two people acting at once, where rows are not locked, as on
    SQLite) answers as ``refusal``, a clear 409, not an error."""
    try:
        session.flush()
    except (IntegrityError, StaleDataError) as error:
        raise refusal() from error


def propose(
    session: Session, actor: Principal, payee_kind: str, code: str, details: Details, reason: str
) -> PayeeAccount:
    """A finance officer or the city administrator proposes a payee's account, or a change of it, with the reason;
    it is not used until a finance officer other than the proposer confirms it."""
    if actor.role not in PROPOSERS:
        raise NotAllowed("只有财政人员或市级管理员可以提出收款账户。",
                         "Only a finance officer or the city administrator may propose a payee's account.")  # fmt: skip
    payee = reachable(session, actor, payee_kind, code)
    reasons: list[tuple[str, str]] = []
    reason = _text(reasons, "reason", reason, REASON_LENGTH)
    stored = checked(session, payee, details, reasons)
    if waiting_for(session, payee, stored.kind) is not None:
        raise _pending()
    current = current_account(session, payee, stored.kind)
    if current is not None and _same(current, stored):
        raise Invalid(
            "所填信息与现行账户相同，无需变更。",
            "These are the details of the current account: nothing changes.",
            code="payee_account_unchanged",
        )
    account = PayeeAccount(
        school_id=payee.id if payee.kind == "school" else None,
        enterprise_id=payee.id if payee.kind == "enterprise" else None,
        kind=stored.kind,
        account_name=stored.account_name or None,
        bank_name=stored.bank_name or None,
        account_number=stored.account_number or None,
        budget_unit_code=stored.budget_unit_code or None,
        budget_unit_name=stored.budget_unit_name or None,
        status=AccountStatus.proposed.value,
        reason=reason,
        proposed_by=actor.user_id,
        proposed_at=now(),
        supersedes_id=current.id if current is not None else None,
    )
    session.add(account)
    _flush(session, _pending)  # the partial unique index refuses a second waiting proposal, whatever called us
    audit.record(session, actor, "payee.account.propose", "payee_account", account.id,
                 after=_snapshot(session, account))  # fmt: skip
    return account


def _waiting(session: Session, account_id: int) -> PayeeAccount:
    account = session.scalar(select(PayeeAccount).where(PayeeAccount.id == account_id).with_for_update())
    if account is None:
        raise NotFound("未找到该账户变更。", "No such account change.")
    if account.status != AccountStatus.proposed.value:
        label = AccountStatus(account.status)
        raise WrongState(f"该账户变更已处理（{label.zh}）。", f"This account change was already decided ({label.en}).",
                         code="payee_account_decided")  # fmt: skip
    return account


def _second_person(actor: Principal, account: PayeeAccount) -> None:
    if actor.role not in CONFIRMERS:
        raise NotAllowed(
            "收款账户须由财政人员复核。", "A payee's account is confirmed or refused by a finance officer."
        )
    if account.proposed_by == actor.user_id:
        raise NotAllowed(
            "提出账户变更的人不能复核自己的申请，须由另一名财政人员复核。",
            "Whoever proposed an account change cannot confirm or refuse it: another finance officer must.",
        )


def visible_account(session: Session, user: Principal, account_id: int) -> PayeeAccount:
    """An account whose payee the user may see; not found otherwise."""
    account = session.get(PayeeAccount, account_id)
    if account is None or not may_see(user, payee_of_account(session, account)):
        raise NotFound("未找到该账户变更。", "No such account change.")
    return account


def confirm(session: Session, actor: Principal, account_id: int) -> PayeeAccount:
    """A second finance officer confirms: the account becomes the payee's current one of its kind, and the one it
    replaces is superseded, in the same transaction."""
    visible_account(session, actor, account_id)
    account = _waiting(session, account_id)
    _second_person(actor, account)
    before = _snapshot(session, account)
    payee = payee_of_account(session, account)
    current = current_account(session, payee, account.kind)
    if (current.id if current is not None else None) != account.supersedes_id:
        raise _decided()  # the account it was proposed to replace is no longer the current one
    moment = now()
    if current is not None:  # first, so that the new one is never a second confirmed account
        current.status = AccountStatus.superseded.value
        _flush(session, _decided)
    account.status, account.decided_by, account.decided_at = AccountStatus.confirmed.value, actor.user_id, moment
    _flush(session, _decided)
    audit.record(session, actor, "payee.account.confirm", "payee_account", account.id,
                 before=before, after=_snapshot(session, account))  # fmt: skip
    return account


def refuse(session: Session, actor: Principal, account_id: int, note: str) -> PayeeAccount:
    """The second person refuses the change, saying why; the current account stands."""
    visible_account(session, actor, account_id)
    problems: list[tuple[str, str]] = []
    note = _text(problems, "note", note, REASON_LENGTH)
    _refuse(problems)
    account = _waiting(session, account_id)
    _second_person(actor, account)
    before = _snapshot(session, account)
    account.status, account.note = AccountStatus.refused.value, note
    account.decided_by, account.decided_at = actor.user_id, now()
    _flush(session, _decided)
    audit.record(session, actor, "payee.account.refuse", "payee_account", account.id,
                 before=before, after=_snapshot(session, account))  # fmt: skip
    return account


def withdraw(session: Session, actor: Principal, account_id: int) -> PayeeAccount:
    """The proposer takes back a change still waiting."""
    visible_account(session, actor, account_id)
    account = _waiting(session, account_id)
    if account.proposed_by != actor.user_id:
        raise NotAllowed("只有提出人可以撤回账户变更。", "Only whoever proposed an account change can withdraw it.")
    before = _snapshot(session, account)
    account.status = AccountStatus.withdrawn.value
    account.decided_by, account.decided_at = actor.user_id, now()
    _flush(session, _decided)
    audit.record(session, actor, "payee.account.withdraw", "payee_account", account.id,
                 before=before, after=_snapshot(session, account))  # fmt: skip
    return account
