"""The demo's payees' accounts: every school and every enterprise that receives money (a certified enterprise, Art. 7,
and the demo enterprise user's own) has a bank account at a bank with branches in Wenzhou, and each public school
its budget unit too, each proposed by ``finance`` and confirmed by ``finance2`` through the service, as two officials
would. One enterprise's change of bank waits for confirmation. The numbers are made up but fixed: the same demo
gives the same accounts."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.authz import Principal
from zhijiao.fulfilment import payees
from zhijiao.fulfilment.models import PayeeAccount
from zhijiao.fulfilment.payees import Details
from zhijiao.registry.models import Enterprise, EnterpriseCertification, School

# Banks with branches in Wenzhou: the branch's name, and the first digits and length of its corporate accounts.
BANKS = (
    ("中国工商银行温州分行", "1203", 19),
    ("中国农业银行温州分行", "1920", 17),
    ("中国银行温州市分行", "3560", 12),
    ("中国建设银行温州市分行", "3305", 20),
    ("交通银行温州分行", "3330", 21),
    ("温州银行", "9050", 18),
    ("浙商银行温州分行", "3330", 19),
)
PROPOSAL_REASON = "依据单位盖章来函及开户许可证录入"
BUDGET_REASON = "依据部门预算单位编码表录入"
CHANGE_REASON = "单位来函：基本存款账户变更至{bank}"
EDUCATION = "113"  # the education bureau's part of a budget unit's code in the demo's numbering


def _digits(seed: str, length: int) -> str:
    """``length`` digits that follow from ``seed`` alone."""
    out = ""
    counter = 0
    while len(out) < length:
        out += str(int(hashlib.sha256(f"{seed}/{counter}".encode()).hexdigest(), 16))
        counter += 1
    return out[:length]


def bank_details(name: str, code: str, *, bank: int | None = None) -> Details:
    """A bank account for the payee ``code``: a bank chosen by its code (or the one given), a number of that bank's
    shape."""
    choice = bank if bank is not None else int(hashlib.sha256(code.encode()).hexdigest(), 16) % len(BANKS)
    branch, prefix, length = BANKS[choice]
    return Details("bank", name, branch, prefix + _digits(f"{code}/{branch}", length - len(prefix)))


def _person(session: Session, username: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise LookupError(f"the demo account {username} is missing: create the demo accounts first")
    return principal_of(user)


def _confirmed(session: Session, finance: Principal, second: Principal, kind: str, code: str, details: Details,
               reason: str) -> None:  # fmt: skip
    account = payees.propose(session, finance, kind, code, details, reason)
    payees.confirm(session, second, account.id)


def load_demo_payees(session: Session) -> int:
    """Gives the demo's payees their accounts; already there, they are left alone. Returns how many were written."""
    if session.scalar(select(func.count()).select_from(PayeeAccount)):
        return 0
    finance, second = _person(session, "finance"), _person(session, "finance2")
    written = 0
    budget_numbers: dict[str, int] = {}
    schools = session.execute(select(School.code, School.name, School.ownership, School.county_code)
                              .order_by(School.code)).all()  # fmt: skip
    for code, name, ownership, county in schools:
        _confirmed(session, finance, second, "school", code, bank_details(name, code), PROPOSAL_REASON)
        written += 1
        if ownership == "public":
            budget_numbers[county] = budget_numbers.get(county, 0) + 1
            unit = Details("budget", budget_unit_code=f"{county}{EDUCATION}{budget_numbers[county]:03d}",
                           budget_unit_name=name)  # fmt: skip
            _confirmed(session, finance, second, "school", code, unit, BUDGET_REASON)
            written += 1
    enterprise_user = session.scalar(select(User.enterprise_id).where(User.username == "enterprise"))
    certified = select(EnterpriseCertification.enterprise_id)
    firms = session.execute(
        select(Enterprise.code, Enterprise.name)
        .where(Enterprise.id.in_(certified) | (Enterprise.id == enterprise_user))
        .order_by(Enterprise.code)
    ).all()
    for code, name in firms:
        _confirmed(session, finance, second, "enterprise", code, bank_details(name, code), PROPOSAL_REASON)
        written += 1
    if firms:  # the demo enterprise's own, if it receives money: it then sees its change waiting
        own = session.scalar(select(Enterprise.code).where(Enterprise.id == enterprise_user))
        code, name = next(((c, n) for c, n in firms if c == own), firms[0])
        current = bank_details(name, code)
        bank = 5 if current.bank_name != BANKS[5][0] else 0  # 温州银行, or another bank if it is there already
        change = bank_details(name, code + "/2", bank=bank)
        payees.propose(session, finance, "enterprise", code, change, CHANGE_REASON.format(bank=change.bank_name))
        written += 1
    return written
