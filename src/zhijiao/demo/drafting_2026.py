"""The demo's plan under drafting: 温州市职业教育高质量发展三年行动计划（2026—2028年）, part way through its
consultation, so a newcomer finds live work on the drafting pages beside the 2023 record.

Built only through the drafting services, with the demo accounts as actors (drafting staff write and propose,
the city administrator confirms, the consulted unit's user answers for 市发改委): the audit trail, the frozen
versions and the two-person rule hold as when officials do it on the pages. Dates count from ``today``, so the
round is open whenever the demo is first loaded. The texts are the demo's own (``demo_2026_texts``).

Each version carries what it changes in the plan in force (``CHANGES``), set by the drafting staff with the
article it belongs to, so every version shows its fiscal impact against 温政办〔2023〕32号: the first draft opens the
one-time awards to the new period's certifications, raises the Art. 3 platform award and the Art. 13 part-time
cap; the discussion draft trims the award; the consultation draft, after the finance bureau's coordination,
brings the cap down to 32%.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.authz import Principal
from zhijiao.demo import drafting_2026_texts as words
from zhijiao.drafting import changes, consultation, dispositions, meetings, versions
from zhijiao.drafting.meetings import MeetingKind
from zhijiao.drafting.models import DraftPlan, DraftVersion
from zhijiao.drafting.stages import Disposition, Stage, UnitKind
from zhijiao.engine.policy import Policy

CODE = "wz-vet-2026"
TITLE = "温州市职业教育高质量发展三年行动计划（2026—2028年）"
PERIOD = "2026—2028"
IN_NAME_OF = "市政府办公室"
CHAIR = "市教育局局长"
DEMO_NOTE = "演示数据：条文和反馈意见均为示例，不是正式文件。"
DRAFTER, ADMIN, UNIT_USER = "drafter", "admin", "unit"  # the demo accounts (zhijiao.demo.accounts)
OWN_UNIT = "市发改委"  # the unit account's unit: it answers for itself, the others' replies come on paper

# Departments and counties are already in the directory (the 2023 record consulted them); add_unit finds them.
CONSULTED: tuple[tuple[str, UnitKind], ...] = (
    ("市发改委", UnitKind.department),
    ("市经信局", UnitKind.department),
    ("市科技局", UnitKind.department),
    ("市财政局", UnitKind.department),
    ("市人力社保局", UnitKind.department),
    ("市委编办", UnitKind.department),
    ("瑞安市人民政府", UnitKind.county_government),
    ("乐清市人民政府", UnitKind.county_government),
    ("永嘉县人民政府", UnitKind.county_government),
    ("温州职业技术学院", UnitKind.school),
    ("温州职业中等专业学校", UnitKind.school),
    ("温州市现代集团", UnitKind.enterprise),
)
NO_COMMENTS = "市科技局"
AT_COORDINATION = ("市发改委", "市经信局", "市财政局", "市人力社保局", "温州职业技术学院", "温州职业中等专业学校")


# What each version changes in the plan in force, by article number of the first draft (its key stays):
# (version number, article, parameters, options). A version repeats nothing its base already set: it is copied.
PLATFORM_WINDOW = {"from": "2026-01-01", "to": "2028-12-31"}  # the new plan's period, for one-time awards
AWARD = ("art03.platform_award.provincial", "art03.platform_award.national")
CAP = "art13.part_time_share_cap"
CHANGES: tuple[tuple[int, int, dict[str, object], dict[str, object]], ...] = (
    (1, 2, {}, {"plan_window": PLATFORM_WINDOW}),  # 发展目标: the awards follow the plan's own period
    (1, 3, {AWARD[0]: 500_000, AWARD[1]: 1_000_000}, {}),  # 深化强基扩容工程
    (1, 12, {CAP: 0.35}, {}),  # 深化专业教师评聘制度改革
    (2, 3, {AWARD[0]: 400_000, AWARD[1]: 800_000}, {}),  # the second dedicated meeting trimmed the award
    (3, 12, {CAP: 0.32}, {}),  # the coordination meeting, with the finance bureau: the cap at 32%
)


@dataclass(frozen=True)
class Said:
    """One feedback item, on article N of the consultation draft (None: the whole text), and how far its
    disposition has come: still pending, proposed by the drafting staff (by hand or from a template), confirmed."""

    unit: str
    article: int | None
    text: str
    disposition: Disposition = Disposition.pending
    reason: str = ""
    template: str | None = None
    change: str | None = None
    confirmed: bool = False


SAID: tuple[Said, ...] = (
    Said("市发改委", 8, "建议明确市域产教联合体的牵头部门和认定程序，并与我市产业集群培育相衔接。",
         Disposition.adopted, change="第8条增加“由市教育局、市发展改革委共同牵头，按程序认定”。", confirmed=True),
    Said("市发改委", 3, "建议将职业学校新（迁、扩）建项目纳入市重大建设项目统筹推进。"),
    Said("市财政局", 18, "建议明确生均拨款上浮和社会捐赠配套所需资金的市、县分担方式。",
         Disposition.partially_adopted, "已明确按举办关系由同级财政承担，具体分担方式在配套文件中明确。",
         confirmed=True),
    Said("市财政局", 10, "社会服务性激励绩效的核定比例建议表述为“按省有关规定比例核定”，与上位政策保持一致。",
         Disposition.adopted, change="第10条改为“按省有关规定比例核定”。"),
    Said("瑞安市人民政府", 3, "建议对县域新建职业学校项目在用地指标上予以倾斜。",
         template="partially_elsewhere", confirmed=True),
    Said("瑞安市人民政府", None, "建议各项奖补政策明确市、县两级资金分担比例，便于县级财政提前安排预算。"),
    Said("温州职业技术学院", 12, "建议进一步扩大高职院校在紧缺专业教师公开招聘中的自主权。"),
    Said("温州职业技术学院", 14, "建议支持高职院校与境外高水平院校合作举办中外合作办学机构和项目。",
         Disposition.not_adopted, "中外合作办学的审批不属市级权限，不宜在本方案中作出规定。"),
    Said("温州市现代集团", 6, "建议明确产教融合型企业组合式激励的兑现流程和办理时限。",
         template="not_scope", confirmed=True),
)  # fmt: skip


def _actor(session: Session, username: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise LookupError(f"演示账号 {username} 不存在：请先创建演示账号 / create the demo accounts first")
    return principal_of(user)


def _set_changes(
    session: Session, drafter: Principal, policy: Policy, draft: DraftVersion, keys: dict[int, str]
) -> None:
    for number, article, parameters, options in CHANGES:
        if number == draft.number:
            changes.set_changes(session, drafter, policy, draft.id, keys[article], parameters=parameters,
                                options=options)  # fmt: skip


def _texts() -> list[versions.ArticleText]:
    return [versions.ArticleText(part, words.PARTS[part], title, text) for part, title, text in words.FIRST_DRAFT]


def _discussion_draft(
    session: Session, drafter: Principal, policy: Policy, first: DraftVersion, day: dt.date
) -> DraftVersion:
    """What the second dedicated meeting changed: every kind of difference the version diff shows."""
    key = {a.number: a.article_key for a in versions.articles(session, first.id)}
    draft = versions.new_version(session, drafter, first.id, Stage.discussion, dated=day,
                                 note=f"第二次专题会议研究修改后形成。{DEMO_NOTE}")  # fmt: skip
    versions.edit_article(session, drafter, draft.id, key[2], title=words.FIRST_DRAFT[1][1], text=words.GOALS)
    versions.remove_article(session, drafter, draft.id, key[words.REPLACED])
    part, title, text = words.SKILLS
    new = versions.ArticleText(part, words.PARTS[part], title, text)
    versions.insert_article(session, drafter, draft.id, after_number=words.REPLACED - 1, item=new)
    versions.merge_articles(session, drafter, draft.id, key[words.KEEP], key[words.ABSORB], text=words.MERGED_TEXT)
    versions.edit_article(session, drafter, draft.id, key[words.KEEP], title=words.MERGED_TITLE,
                          text=words.MERGED_TEXT)  # fmt: skip
    _set_changes(session, drafter, policy, draft, key)
    return draft


def _meetings(
    session: Session, drafter: Principal, policy: Policy, plan: DraftPlan, first: DraftVersion, today: dt.date
) -> DraftVersion:
    """Two dedicated meetings and two revision rounds to the discussion draft, then the coordination meeting
    that produced the consultation draft."""
    meetings.record_meeting(session, drafter, plan.id, MeetingKind.meeting, held_on=today - dt.timedelta(56),
                            chair=CHAIR, participants=[], note="研究初稿框架和主要政策突破点")  # fmt: skip
    for number, days in enumerate((49, 42), start=1):
        meetings.record_meeting(session, drafter, plan.id, MeetingKind.revision, held_on=today - dt.timedelta(days),
                                chair=None, participants=[], note=f"全面修改（第{number}轮）")  # fmt: skip
    discussed = today - dt.timedelta(35)
    discussion = _discussion_draft(session, drafter, policy, first, discussed)
    meetings.record_meeting(session, drafter, plan.id, MeetingKind.meeting, held_on=discussed, chair=CHAIR,
                            participants=[], produced_version_id=discussion.id)  # fmt: skip
    coordinated = today - dt.timedelta(28)
    draft = versions.new_version(session, drafter, discussion.id, Stage.consultation, dated=coordinated,
                                 note=f"部门和学校再次讨论修改后形成。{DEMO_NOTE}")  # fmt: skip
    funding = versions.article_by_number(session, draft.id, words.FUNDING_NUMBER)
    versions.edit_article(session, drafter, draft.id, funding.article_key, title=funding.title, text=words.FUNDING)
    _set_changes(session, drafter, policy, draft, first_keys(session, first))
    meetings.record_meeting(session, drafter, plan.id, MeetingKind.coordination, held_on=coordinated, chair="市教育局",
                            participants=list(AT_COORDINATION), produced_version_id=draft.id,
                            note="发改、经信、财政、人力社保等4个部门和2所职业院校")  # fmt: skip
    return draft


def _dispose(session: Session, drafter: Principal, admin: Principal, said: Said, item_id: int) -> None:
    if said.template is not None:
        dispositions.propose_from_template(session, drafter, [item_id], said.template)
    elif said.disposition is not Disposition.pending:
        dispositions.propose(session, drafter, item_id, said.disposition, said.reason, change=said.change)
    if said.confirmed:
        dispositions.confirm(session, admin, item_id)


def first_keys(session: Session, first: DraftVersion) -> dict[int, str]:
    """The first draft's article keys by number: what ``CHANGES`` names."""
    return {a.number: a.article_key for a in versions.articles(session, first.id)}


def load_2026_demo(session: Session, today: dt.date, policy: Policy) -> DraftPlan:
    """Loads the plan once (found by its code); loading it again returns the plan already there, unchanged."""
    existing = session.scalar(select(DraftPlan).where(DraftPlan.code == CODE))
    if existing is not None:
        return existing
    drafter, admin, unit_user = (_actor(session, name) for name in (DRAFTER, ADMIN, UNIT_USER))
    plan = versions.create_plan(session, drafter, code=CODE, title=TITLE, period=PERIOD)
    first = versions.first_version(session, drafter, plan, Stage.first_draft, _texts(), dated=today - dt.timedelta(63))
    _set_changes(session, drafter, policy, first, first_keys(session, first))
    draft = _meetings(session, drafter, policy, plan, first, today)
    units = {name: consultation.add_unit(session, drafter, name, kind).id for name, kind in CONSULTED}
    sent = consultation.send_round(session, drafter, draft.id, list(units.values()), sent_on=today - dt.timedelta(7),
                                   deadline=today + dt.timedelta(14), in_name_of=IN_NAME_OF)  # fmt: skip
    for name in dict.fromkeys(s.unit for s in SAID):
        said = [s for s in SAID if s.unit == name]
        comments = [consultation.Comment(s.article, s.text) for s in said]
        if name == OWN_UNIT:
            items = consultation.submit_reply(session, unit_user, sent.id, comments, today=today)
        else:
            items = consultation.record_reply(session, drafter, sent.id, units[name], comments)
        for one, item in zip(said, items, strict=True):
            _dispose(session, drafter, admin, one, item.id)
    consultation.record_reply(session, drafter, sent.id, units[NO_COMMENTS], [], no_comments=True)
    session.flush()
    return plan
