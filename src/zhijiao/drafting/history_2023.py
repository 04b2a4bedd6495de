"""What the drafting explanation of 温政办〔2023〕32号 tells of its own drafting, as a historical record.

Known: the stages and their dates, 3 dedicated meetings chaired by the bureau director, 4 revision
rounds, the 23 February meeting of 7 departments and 2 schools, 2 consultation rounds in the name of the
city government office to 39 units (17 of them named), 75 feedback items: 11 adopted, 57 partially
adopted, 7 not adopted; the draft for approval (送审稿) of early March, endorsed by the Party secretary and the
mayor (市委书记、市长均已批示). Not known, and marked so: the texts of the drafts and of the items, which unit
wrote which item, in which round, and who replied. Items are all filed under round 1 for that reason.

The plan's title is the policy package's (``document.title`` of its plan.yaml), not written again here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.drafting import consultation, versions
from zhijiao.drafting.meetings import MeetingKind
from zhijiao.drafting.models import DraftPlan, FeedbackItem, Meeting, RoundUnit
from zhijiao.drafting.stages import Disposition, ReplyStatus, Stage, UnitKind
from zhijiao.drafting.statistics import count_zh
from zhijiao.engine.policy import Policy
from zhijiao.registry.counties import county_governments

CODE = "wenzhou-vet-2023"
SOURCE = "起草说明·起草过程"
IN_NAME_OF = "市府办"
CHAIR = "市教育局局长"
NAMED_DEPARTMENTS = ("市委组织部（人才办）", "市委编办", "市发改委", "市经信局", "市科技局")
UNITS_CONSULTED = 39
MEETING_DEPARTMENTS = ("市发改委", "市经信局", "市科技局")  # of the 7; the other 4 are not named
SCHOOLS_AT_MEETING = ("温州职业技术学院", "温州职业中等专业学校")
DEDICATED_MEETINGS, REVISIONS = 3, 4
ENDORSED_BY = ("市委书记", "市长")  # "目前，市委书记刘小涛、市长张振丰均已批示": the draft for approval
DISPOSITIONS = ((Disposition.adopted, 11), (Disposition.partially_adopted, 57), (Disposition.not_adopted, 7))
UNKNOWN = "原始记录未载明"


def _articles(policy: Policy) -> list[versions.ArticleText]:
    """The 20 articles of the issued plan, titled where the explanation gives the title."""
    metadata = policy.metadata
    parts = {p["number"]: p.get("title", {}).get("zh", f"第{p['number']}部分") for p in metadata["parts"]}
    out = []
    for article in metadata["articles"]:
        number = int(article["number"])
        title = article.get("title", {}).get("zh", f"第{number}条（标题未载明）")
        part = int(article.get("part", 0))  # 0: which part the article sits in is not recorded
        out.append(versions.ArticleText(part, parts.get(part, f"部分{UNKNOWN}"), title, UNKNOWN))
    return out


def _title(policy: Policy) -> str:
    title: str = policy.metadata["document"]["title"]["zh"]
    return title


def _endorsement(plan_id: int) -> Meeting:
    return Meeting(plan_id=plan_id, kind=MeetingKind.approval.value, participants=list(ENDORSED_BY),
                   note="送审稿经市委书记、市长批示")  # fmt: skip


def _amend(session: Session, plan: DraftPlan, policy: Policy) -> None:
    """A record loaded before these facts were kept: the plan's title as the policy gives it, and the leaders'
    endorsement of the draft for approval. Added once, by the system, as the loader wrote the rest of the record;
    nothing else is touched."""
    title = _title(policy)
    endorsed = session.scalar(
        select(Meeting.id).where(Meeting.plan_id == plan.id, Meeting.kind == MeetingKind.approval.value)
    )
    if plan.title == title and endorsed is not None:
        return
    plan.title = title
    if endorsed is None:
        session.add(_endorsement(plan.id))
    session.flush()


def load_2023(session: Session, policy: Policy) -> DraftPlan:
    """Loads the record once; loading it again returns the plan already there (a record loaded before the plan's
    title and the leaders' endorsement were kept gets them then). ``policy`` is the plan as issued
    (温政办〔2023〕32号): its title, its articles, its date, the county governments it was sent to."""
    existing = session.scalar(select(DraftPlan).where(DraftPlan.code == CODE))
    if existing is not None:
        _amend(session, existing, policy)
        return existing
    plan = versions.create_plan(session, None, code=CODE, title=_title(policy), period="2023—2025", historical=True)
    texts = _articles(policy)
    first = versions.first_version(session, None, plan, Stage.first_draft, texts, dated=dt.date(2023, 2, 15),
                                   text_known=False)  # fmt: skip
    formed = f"{count_zh(DEDICATED_MEETINGS)}次专题会议、{count_zh(REVISIONS)}轮全面修改后形成"
    discussion = versions.new_version(session, None, first.id, Stage.discussion, text_known=False, note=formed)
    for number in range(DEDICATED_MEETINGS):
        session.add(Meeting(plan_id=plan.id, kind="meeting", chair=CHAIR, participants=[],
                            note=f"专题会议（第{number + 1}次）"))  # fmt: skip
    for number in range(REVISIONS):
        produced = discussion.id if number == REVISIONS - 1 else None
        session.add(Meeting(plan_id=plan.id, kind="revision", participants=[], produced_version_id=produced,
                            note=f"全面修改（第{number + 1}轮）"))  # fmt: skip
    consulting = versions.new_version(session, None, discussion.id, Stage.consultation, dated=dt.date(2023, 2, 23),
                                      text_known=False)  # fmt: skip
    session.add(
        Meeting(plan_id=plan.id, kind="coordination", held_on=dt.date(2023, 2, 23), chair="市教育局",
                participants=[*MEETING_DEPARTMENTS, *SCHOOLS_AT_MEETING], participant_count=9,
                produced_version_id=consulting.id, note="发改、经信、科技等7个部门、1所高职院校以及1所中职学校")
    )  # fmt: skip
    units = [
        consultation.add_unit(session, None, f"{name}人民政府", UnitKind.county_government)
        for name in county_governments(policy)
    ]
    units += [consultation.add_unit(session, None, name, UnitKind.department) for name in NAMED_DEPARTMENTS]
    units += [
        consultation.add_unit(session, None, f"2023年征求意见单位（{UNKNOWN}）{n:02d}", UnitKind.other)
        for n in range(1, UNITS_CONSULTED - len(units) + 1)
    ]
    unit_ids = [u.id for u in units]
    first_round = consultation.send_round(session, None, consulting.id, unit_ids, sent_on=None, deadline=None,
                                          in_name_of=IN_NAME_OF)  # fmt: skip
    second_round = consultation.send_round(session, None, consulting.id, unit_ids, sent_on=None, deadline=None,
                                           in_name_of=IN_NAME_OF)  # fmt: skip
    rounds = [first_round, second_round]
    for addressee in session.scalars(select(RoundUnit).where(RoundUnit.round_id.in_([r.id for r in rounds]))):
        addressee.reply = ReplyStatus.unknown.value
    for disposition, count in DISPOSITIONS:
        for _ in range(count):
            session.add(FeedbackItem(round_id=rounds[0].id, unit_id=None, version_id=consulting.id, article_key=None,
                                     text=None, disposition=disposition.value, reason=UNKNOWN,
                                     extra={"text_known": False, "source": SOURCE}))  # fmt: skip
    approval = versions.new_version(session, None, consulting.id, Stage.for_approval, text_known=False,
                                    note="3月初，就征求意见后的文稿逐条讨论修订形成")  # fmt: skip
    session.add(_endorsement(plan.id))
    issued = policy.metadata["document"]["issued"]
    versions.new_version(session, None, approval.id, Stage.issued, dated=issued, text_known=False,
                         note="市委书记、市长批示后印发")  # fmt: skip
    session.flush()
    return plan
