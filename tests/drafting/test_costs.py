"""A draft version's changes to the plan in force and their cost, on the demo city (SQLite and PostgreSQL): the
version's cost is the engine's own cost with the version's reform, and differs from the baseline by what one can
count by hand; a refused change writes nothing and names the article and the parameter; a new version copies the
changes; removing or merging an article carries them; the 2026 demo's versions each show their fiscal impact."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from zhijiao.audit.models import AuditRecord
from zhijiao.demo.drafting_2026 import load_2026_demo
from zhijiao.drafting import changes, costs, queries, versions
from zhijiao.drafting.cost_explanation import paragraph
from zhijiao.drafting.errors import Invalid, WrongState
from zhijiao.drafting.models import DraftArticleChange
from zhijiao.drafting.report_pdf import render_html
from zhijiao.drafting.stages import Stage
from zhijiao.engine.reform import parse_reform
from zhijiao.language import Lang
from zhijiao.simulation.cost import cost_for_year

PROVINCIAL = "art03.platform_award.provincial"
CAP = "art13.part_time_share_cap"
YUAN = 100  # fen


def _plan(db, drafter, period: str = "2024—2025"):
    """A plan whose period the registry holds (2024 and 2025), version 1 with 6 articles."""
    plan = versions.create_plan(db, drafter, code="test-costs", title="测试方案", period=period)
    texts = [versions.ArticleText(1, "一、总体", f"条款{n}", f"第{n}条。") for n in range(1, 7)]
    first = versions.first_version(db, drafter, plan, Stage.first_draft, texts)
    return first, {a.number: a.article_key for a in versions.articles(db, first.id)}


def _audits(db) -> int:
    return db.scalar(select(func.count()).select_from(AuditRecord))


def _rows(db) -> list[tuple[int, str, str, object]]:
    found = db.execute(select(DraftArticleChange.version_id, DraftArticleChange.article_key, DraftArticleChange.name,
                              DraftArticleChange.value).order_by(DraftArticleChange.id))  # fmt: skip
    return [tuple(row) for row in found]


def test_a_versions_cost_is_the_engines_cost_with_its_reform_and_moves_by_what_one_counts(db, persona, policy):
    drafter = persona("drafter")
    first, key = _plan(db, drafter)
    changes.set_changes(db, drafter, policy, first.id, key[3], parameters={PROVINCIAL: 400_000}, options={})
    cost = costs.version_cost(db, policy, first.id)

    assert [y.year for y in cost.years] == [2024, 2025]
    assert cost.without_data == []
    reform = parse_reform({"parameters": {PROVINCIAL: 400_000}}, policy)
    for year in cost.years:
        engine = cost_for_year(db, policy, year.year, reform=reform)
        assert year.baseline == engine.baseline.totals.fiscal_cost
        assert year.version == engine.reform.totals.fiscal_cost
        for dimension in ("payer", "article", "county"):
            assert {r.key: r.version for r in year.rows(dimension)} == getattr(engine.reform.totals, f"by_{dimension}")

    # By hand: each provincial platform certified in 2024 gets 100,000 yuan more, paid by the city; nothing else moves.
    provincial = db.scalar(
        text(
            "SELECT count(*) FROM platform_certifications WHERE level = 'provincial' "
            "AND certified_on BETWEEN '2024-01-01' AND '2024-12-31' AND revoked_on IS NULL"
        )
    )
    assert provincial == 13
    year_2024 = cost.years[0]
    assert year_2024.difference == 13 * 100_000 * YUAN
    assert {r.key: r.difference for r in year_2024.rows("payer")} == {"city": 13 * 100_000 * YUAN, "county": 0}
    assert {r.key: r.difference for r in year_2024.rows("article") if r.difference} == {"art03": 1_300_000 * YUAN}
    assert cost.difference == sum(y.difference for y in cost.years)
    assert cost.article_effects == {key[3]: [y.difference for y in cost.years]}


def test_a_refused_change_writes_nothing_and_names_the_article_and_the_parameter(db, persona, policy):
    drafter = persona("drafter")
    first, key = _plan(db, drafter)
    changes.set_changes(db, drafter, policy, first.id, key[2], parameters={CAP: 0.35}, options={})
    before, audits = _rows(db), _audits(db)

    with pytest.raises(Invalid) as refused:  # one good value beside a bad one: neither is written
        changes.set_changes(db, drafter, policy, first.id, key[3], parameters={PROVINCIAL: 400_000, CAP + "x": 1},
                            options={})  # fmt: skip
    assert "第3条“条款3”的参数 art13.part_time_share_capx" in refused.value.zh
    assert "article 3 (条款3), parameter art13.part_time_share_capx" in refused.value.en

    with pytest.raises(Invalid) as refused:
        changes.set_changes(db, drafter, policy, first.id, key[3], parameters={PROVINCIAL: -5}, options={})
    assert refused.value.zh == "第3条“条款3”的参数 art03.platform_award.provincial：不能为负数"
    assert (
        refused.value.en
        == "article 3 (条款3), parameter art03.platform_award.provincial: a negative value is not allowed"
    )

    with pytest.raises(Invalid) as refused:  # 100% part-time: the share cap's formula would divide by zero
        changes.set_changes(db, drafter, policy, first.id, key[2], parameters={CAP: 1}, options={})
    assert refused.value.zh.startswith("第2条“条款2”的参数 art13.part_time_share_cap：1 超过上限")

    with pytest.raises(Invalid) as refused:  # another article already changes the cap
        changes.set_changes(db, drafter, policy, first.id, key[4], parameters={CAP: 0.32}, options={})
    assert refused.value.code == "changed_elsewhere"
    assert "已由第2条“条款2”调整" in refused.value.zh

    with pytest.raises(Invalid) as refused:
        changes.set_changes(db, drafter, policy, first.id, key[1], parameters={},
                            options={"plan_window": "2026-01-01..2025-12-31"})  # fmt: skip
    assert refused.value.zh.startswith("第1条“条款1”的口径 plan_window：")
    assert _rows(db) == before
    assert _audits(db) == audits


def test_a_new_version_copies_the_changes_and_a_frozen_one_refuses_them(db, persona, policy):
    drafter = persona("drafter")
    first, key = _plan(db, drafter)
    changes.set_changes(db, drafter, policy, first.id, key[3], parameters={PROVINCIAL: 400_000},
                        options={"plan_window": {"from": "2024-01-01", "to": "2026-12-31"}})  # fmt: skip
    changes.set_changes(db, drafter, policy, first.id, key[5], parameters={CAP: 0.32}, options={})
    second = versions.new_version(db, drafter, first.id, Stage.discussion)
    mine = {(c.article_key, c.name): (c.value, c.set_by, c.set_at) for c in changes.of_version(db, first.id)}
    copied = {(c.article_key, c.name): (c.value, c.set_by, c.set_at) for c in changes.of_version(db, second.id)}
    assert copied == mine  # each copy still names who set it and when
    assert copied[(key[3], "plan_window")][0] == {"from": "2024-01-01", "to": "2026-12-31"}
    assert costs.version_cost(db, policy, second.id).total == costs.version_cost(db, policy, first.id).total

    changes.set_changes(db, drafter, policy, second.id, key[3], parameters={PROVINCIAL: 350_000}, options={})
    assert {c.name: c.value for c in changes.of_version(db, first.id)}[PROVINCIAL] == 400_000  # the base stays
    versions.merge_articles(db, drafter, second.id, key[3], key[5])  # the cap moves with the merged article
    assert {(c.article_key, c.name) for c in changes.of_version(db, second.id)} == {(key[3], PROVINCIAL),
                                                                                   (key[3], CAP)}  # fmt: skip
    versions.remove_article(db, drafter, second.id, key[3])
    assert changes.of_version(db, second.id) == []
    assert changes.reform_of(db, policy, second.id) is None

    versions.freeze(db, first.id)
    with pytest.raises(WrongState):
        changes.set_changes(db, drafter, policy, first.id, key[3], parameters={}, options={})
    assert len(changes.of_version(db, first.id)) == 3


def test_the_2026_demo_versions_each_show_their_fiscal_impact_and_the_explanation_carries_it(db, policy):
    plan = load_2026_demo(db, versions.wenzhou_today(), policy)
    drafts = queries.versions_of(db, plan.id)
    found = {v.number: costs.version_cost(db, policy, v.id) for v in drafts}
    assert {n: ([y.year for y in c.years], c.without_data) for n, c in found.items()} == {
        n: ([2026], [2027, 2028]) for n in (1, 2, 3)
    }
    # The first draft raises the award and the cap; the discussion draft trims the award; the consultation draft
    # brings the cap down: each costs less than the one before, and more than the plan in force.
    totals = [found[n].total for n in (1, 2, 3)]
    assert totals[0] > totals[1] > totals[2] > found[3].baseline
    cap_only = cost_for_year(db, policy, 2026, reform=parse_reform({"parameters": {CAP: 0.32}}, policy))
    third = found[3]
    cap_article = next(c.article_key for c in third.changes if c.name == CAP)
    assert third.article_effects[cap_article] == [
        cap_only.reform.totals.fiscal_cost - cap_only.baseline.totals.fiscal_cost
    ]
    whole = cost_for_year(db, policy, 2026, reform=changes.reform_of(db, policy, drafts[2].id))
    assert third.total == whole.reform.totals.fiscal_cost

    text_zh = paragraph(db, policy, plan.id)
    difference = third.difference / 1_000_000  # 万元
    assert text_zh.startswith(
        "经费测算：以现行《温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）》（温政办〔2023〕32号）为基准"
    )
    assert f"2026年财政支出{third.total / 1_000_000:,.2f}万元，比现行政策增加{difference:,.2f}万元" in text_zh
    assert "兼职教师占专兼职教师总数比例上限由30.0%调整为32.0%" in text_zh
    assert text_zh.endswith("2027年、2028年尚无登记数据，未作测算。")
    text_en = paragraph(db, policy, plan.id, Lang.en)
    assert f"¥{third.difference / 100_000_000:,.2f} million more than the plan in force" in text_en
    assert "cap on part-time teachers as a share of all teachers from 30.0% to 32.0%" in text_en

    html = render_html(db, plan.id, lang=Lang.en, policy=policy)  # the 起草说明's PDF, in English
    assert text_zh in html
    assert text_en.replace("'", "&#39;") in html
    assert paragraph(db, policy, db.scalar(text("SELECT id FROM draft_plans WHERE historical"))) == ""


def test_a_disposition_that_changed_an_article_shows_that_articles_cost_effect(db, policy):
    plan = load_2026_demo(db, versions.wenzhou_today(), policy)
    (summary,) = queries.rounds_of(db, plan.id)
    items = queries.items(db, plan_id=plan.id, round_id=summary.consultation.id)
    latest, effects = costs.disposition_effects(db, policy, plan.id, items)
    assert latest is not None
    # 瑞安市's comment on article 3 was partly adopted; article 3 raises the platform award in the latest version.
    (item_id,) = effects
    item = next(v for v in items if v.item.id == item_id)
    assert (item.unit_name, item.carried_to.number, item.item.disposition) == ("瑞安市人民政府", 3, "partially_adopted")
    award = {c.name: c.value for c in changes.of_version(db, latest.id) if c.article_key == item.carried_to.key}
    window = {"plan_window": {"from": "2026-01-01", "to": "2028-12-31"}}
    with_award = cost_for_year(db, policy, 2026, reform=parse_reform({"parameters": award, "options": window}, policy))
    without = cost_for_year(db, policy, 2026, reform=parse_reform({"options": window}, policy))
    assert effects[item_id] == [(2026, with_award.reform.totals.fiscal_cost - without.reform.totals.fiscal_cost)]
    assert effects[item_id][0][1] == 20_000_000  # two provincial platforms of 2026, 100,000 yuan more each
