"""The generated 起草说明 against the original: every stage in order (讨论稿 → 征求意见稿 → 送审稿), the leaders'
endorsements, counts written as the original writes them (三次, 四轮, 两轮), the plan's title as the policy gives it,
and round summaries that agree with the statistics — for the 2023 record and for the demo's 2026 plan in progress."""

from __future__ import annotations

import datetime as dt
import re

from drafts import new_plan
from sqlalchemy import delete, select

from zhijiao.demo.drafting_2026 import load_2026_demo
from zhijiao.drafting import meetings, queries, versions
from zhijiao.drafting.history_2023 import CODE, load_2023
from zhijiao.drafting.models import DraftPlan, Meeting, RoundUnit
from zhijiao.drafting.report_pdf import render_html
from zhijiao.drafting.stages import REPLIED, Stage
from zhijiao.drafting.statistics import count_zh, drafting_explanation, statistics

ARABIC_COUNT = re.compile(r"\d+[次轮]")  # "3次", "4轮", "2轮": the original writes 三次, 四轮, 两轮


def _plan_2023(db) -> DraftPlan:
    found = db.scalar(select(DraftPlan).where(DraftPlan.code == CODE))
    assert found is not None
    return found


def _in_order(text: str, *parts: str) -> bool:
    places = [text.find(part) for part in parts]
    return -1 not in places and places == sorted(places)


def test_counts_of_times_and_rounds_are_written_in_chinese_numerals():
    assert [count_zh(n) for n in (1, 2, 3, 4, 10, 12, 20, 22, 39, 99)] == [
        "一", "两", "三", "四", "十", "十二", "二十", "二十二", "三十九", "九十九",
    ]  # fmt: skip
    assert count_zh(100) == "100"


def test_the_2023_explanation_states_every_stage_the_endorsements_and_the_originals_counts(db, policy):
    title = policy.metadata["document"]["title"]["zh"]
    text = drafting_explanation(db, _plan_2023(db).id)
    assert text.startswith(f"《{title}》起草过程：在初稿基础上，")
    drafts = [f"《{title}（{stage.zh}）》" for stage in (Stage.discussion, Stage.consultation, Stage.for_approval)]
    assert _in_order(text, *drafts, "市委书记、市长均已批示")
    # The original's sentences, the figures as it gives them.
    assert "市教育局局长先后三次主持专题会议研究，经过四轮全面修改完善，形成了" + drafts[0] in text
    assert "2月23日，市教育局召集发改、经信、科技等7个部门、1所高职院校以及1所中职学校再次讨论修订" in text
    assert (
        "以市府办名义向39家单位两轮发函征求意见，共收到反馈意见75条，拟采纳11条，拟部分采纳57条，拟不采纳7条。" in text
    )
    assert "就征求意见后的文稿再次逐条讨论修订，形成了" + drafts[2] in text
    assert text.endswith("市委书记、市长均已批示，于2023年3月23日印发。")
    assert not ARABIC_COUNT.search(text), ARABIC_COUNT.findall(text)


def test_the_2023_round_summaries_agree_with_the_statistics(db):
    plan = _plan_2023(db)
    stats = statistics(db, plan.id)
    rounds = queries.rounds_of(db, plan.id)
    # Who replied is not in the 2023 record: no round counts a reply, nor do the statistics (they once said 39).
    assert [(r.units, r.replied, r.items) for r in rounds] == [(39, 0, 75), (39, 0, 0)]
    assert (stats.units_consulted, stats.units_replied, stats.units_reply_unknown) == (39, 0, 39)
    # The explanation's PDF says so rather than print a 0.
    html = render_html(db, plan.id)
    rows = re.findall(r"<tr><td>第(\d)轮</td><td class=\"num\">(\d+)</td><td class=\"num\">([^<]+)</td>", html)
    assert rows == [("1", "39", "未载明"), ("2", "39", "未载明")]


def test_the_2026_plan_in_progress_states_the_stages_it_reached_and_no_more(db, policy):
    plan = load_2026_demo(db, versions.wenzhou_today(), policy)
    text = drafting_explanation(db, plan.id)
    drafts = [f"《{plan.title}（{stage.zh}）》" for stage in (Stage.discussion, Stage.consultation)]
    assert "在初稿基础上，市教育局局长先后两次主持专题会议研究，经过两轮全面修改完善，形成了" + drafts[0] in text
    assert _in_order(text, *drafts, "随后，以市政府办公室名义向12家单位发函征求意见")
    assert "送审稿" not in text  # the round is still open: no draft for approval yet, nobody has endorsed it
    assert "批示" not in text
    assert not ARABIC_COUNT.search(text), ARABIC_COUNT.findall(text)
    (summary,) = queries.rounds_of(db, plan.id)
    stats = statistics(db, plan.id)
    assert (summary.replied, stats.units_replied, stats.units_reply_unknown) == (6, 6, 0)
    answered = db.scalars(select(RoundUnit.reply).where(RoundUnit.round_id == summary.consultation.id)).all()
    assert sum(reply in REPLIED for reply in answered) == 6


def test_a_draft_for_approval_and_its_endorsement_are_stated_once_recorded(db, persona):
    drafter = persona("drafter")
    first = new_plan(db, drafter)
    versions.new_version(db, drafter, first.id, Stage.for_approval, dated=dt.date(2026, 4, 2))
    text = drafting_explanation(db, first.plan_id)
    assert text.endswith("4月2日，再次修改完善，形成了《温州市职业教育三年行动计划（2026—2028年）（送审稿）》。")
    meetings.record_meeting(db, drafter, first.plan_id, meetings.MeetingKind.approval, held_on=dt.date(2026, 4, 9),
                            chair=None, participants=["市长"])  # fmt: skip
    assert drafting_explanation(db, first.plan_id).endswith("（送审稿）》。目前，市长已批示。")


def test_a_2023_record_loaded_before_gets_its_title_from_the_policy_and_its_endorsement(db, policy):
    plan = _plan_2023(db)
    title = policy.metadata["document"]["title"]["zh"]
    assert plan.title == title
    plan.title = "温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025年）"  # as the record was once loaded
    db.execute(delete(Meeting).where(Meeting.plan_id == plan.id, Meeting.kind == "approval"))
    db.flush()
    assert "批示" not in drafting_explanation(db, plan.id)
    assert load_2023(db, policy).id == plan.id
    assert plan.title == title
    assert drafting_explanation(db, plan.id).endswith("市委书记、市长均已批示，于2023年3月23日印发。")
    load_2023(db, policy)  # once: loading again adds nothing
    endorsements = db.scalars(select(Meeting).where(Meeting.plan_id == plan.id, Meeting.kind == "approval")).all()
    assert [m.participants for m in endorsements] == [["市委书记", "市长"]]


def test_the_2023_adoption_table_cites_the_policys_title(db, policy):
    html = render_html(db, _plan_2023(db).id)
    assert f"<h1>《{policy.metadata['document']['title']['zh']}》征求意见采纳情况表</h1>" in html
