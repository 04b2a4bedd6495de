"""The 经费测算 paragraph of the drafting explanation: what the latest version of the plan costs against the plan in
force, year by year on the registry's data, who pays the difference, and the articles whose changes move it most —
written as the explanation is written (figures in 万元, the draft named with its stage in 《》), with an English
version for the English pages and PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from zhijiao.drafting import changes, queries, versions
from zhijiao.drafting.costs import VersionCost, version_cost
from zhijiao.drafting.stages import Stage
from zhijiao.engine.policy import Policy
from zhijiao.formatting import money_wan, percent
from zhijiao.language import Lang
from zhijiao.simulation.cost import label

LARGEST = 3  # articles named: the explanation names the main sources of a change, not every one


def _years(years: list[int], lang: Lang) -> str:
    if lang is Lang.zh:
        return "、".join(f"{y}年" for y in years)
    return " and ".join([", ".join(str(y) for y in years[:-1]), str(years[-1])] if len(years) > 1 else [str(years[0])])


def _signed(fen: int, lang: Lang) -> str:
    """增加 / 减少 with the amount, or "more" / "less"."""
    if lang is Lang.zh:
        return f"{'增加' if fen >= 0 else '减少'}{money_wan(abs(fen), lang)}"
    return f"{money_wan(abs(fen), lang)} {'more' if fen >= 0 else 'less'}"


def _share(fen: int, of: int, lang: Lang) -> str:
    if not of:
        return ""
    share = percent(Decimal(abs(fen)) / Decimal(of), lang)
    if lang is Lang.zh:
        return f"（{'增长' if fen >= 0 else '下降'}{share}）"
    return f" ({'+' if fen >= 0 else '−'}{share})"


def _what(policy: Policy, cost: VersionCost, key: str, on: dt.date, lang: Lang) -> str:
    """The article's changes: "新创成平台奖励（省级）由30万元调整为40万元"."""
    parts = []
    for change in (c for c in cost.changes if c.article_key == key):
        what, was, now = changes.describe(policy, change, on, lang)
        parts.append(f"{what}由{was}调整为{now}" if lang is Lang.zh else f"{what} from {was} to {now}")
    return ("，" if lang is Lang.zh else "; ").join(parts)


def _payers(year_rows: list[tuple[str, int]], lang: Lang) -> str:
    moved = [(k, d) for k, d in year_rows if d]
    if not moved:
        return ""
    if lang is Lang.zh:
        return "；其中" + "，".join(f"{label('payer', k, lang)}{_signed(d, lang)}" for k, d in moved)
    return "; " + ", ".join(f"{label('payer', k, lang)} {_signed(d, lang)}" for k, d in moved)


def paragraph(session: Session, policy: Policy, plan_id: int, lang: Lang = Lang.zh) -> str:
    """The paragraph for the plan's latest version; "" for a past record (its explanation had none)."""
    drafted = versions.plan(session, plan_id)
    latest = queries.latest_version(session, plan_id)
    if drafted.historical or latest is None:
        return ""
    cost = version_cost(session, policy, latest.id)
    return paragraph_of(policy, cost, drafted.title, Stage(latest.stage), lang)


def paragraph_of(policy: Policy, cost: VersionCost, title: str, stage: Stage, lang: Lang) -> str:
    zh = lang is Lang.zh
    document = policy.metadata["document"]
    name = f"《{title}（{stage.zh}）》" if zh else f"the {stage.en} of 《{title}》"
    basis = (
        f"经费测算：以现行《{document['title']['zh']}》（{document['number']}）为基准，按平台登记的学校、企业和平台数据测算，"
        if zh
        else f"Cost estimate: against the plan in force, {document['number']}, on the registry's schools, enterprises "
        "and platforms, "
    )
    missing = ""
    if cost.without_data:
        missing = (
            f"{_years(cost.without_data, lang)}尚无登记数据，未作测算。"
            if zh
            else f" The registry holds no data yet for {_years(cost.without_data, lang)}: not estimated."
        )
    if not cost.years:
        none = f"{name}实施期内尚无登记数据，未作测算。" if zh else f"{name}: the registry holds no data for its years."
        return basis + none
    if cost.reform is None:
        same = "；".join(f"{y.year}年{money_wan(y.version, lang)}" for y in cost.years) if zh else "; ".join(
            f"{money_wan(y.version, lang)} in {y.year}" for y in cost.years)  # fmt: skip
        text = (f"{name}未调整现行政策的参数和口径，财政支出与现行政策相同（{same}）。" if zh
                else f"{name} changes no parameter or option of the plan in force: it costs what the plan in force "
                f"costs ({same}).")  # fmt: skip
        return basis + text + missing
    sentences = []
    for year in cost.years:
        payers = _payers([(r.key, r.difference) for r in year.rows("payer")], lang)
        if zh:
            sentences.append(
                f"{year.year}年财政支出{money_wan(year.version, lang)}，比现行政策"
                f"{_signed(year.difference, lang)}{_share(year.difference, year.baseline, lang)}{payers}"
            )
        else:
            sentences.append(f"in {year.year} it would cost {money_wan(year.version, lang)}, "
                             f"{_signed(year.difference, lang)} than the plan in force"
                             f"{_share(year.difference, year.baseline, lang)}{payers}")  # fmt: skip
    text = (f"{name}实施后，" + "；".join(sentences) + "。") if zh else (f"{name}: " + "; ".join(sentences) + ".")
    if len(cost.years) > 1:
        text += (f"{_years([y.year for y in cost.years], lang)}合计{_signed(cost.difference, lang)}。" if zh
                 else f" Over {_years([y.year for y in cost.years], lang)}, {_signed(cost.difference, lang)} "
                 "in all.")  # fmt: skip
    on = dt.date(cost.years[0].year, 1, 1)
    titles = {c.article_key: (c.article_number, c.article_title) for c in cost.changes}
    named = []
    for key, fen in cost.largest_effects()[:LARGEST]:
        number, title = titles[key]
        what = _what(policy, cost, key, on, lang)
        if zh:
            named.append(f"第{number}条“{title}”（{what}）{_signed(fen, lang)}")
        else:
            named.append(f"article {number} ({title}: {what}), {_signed(fen, lang)}")
    if named:
        text += ("按条款看，" + "；".join(named) + "。") if zh else (" By article: " + "; ".join(named) + ".")
        text += ("（各条影响按去掉该条调整后的差额计算，相互关联的调整合计不一定等于总额。）" if zh
                 else " (Each article's effect is the cost with against without its changes; linked changes need "
                 "not add up to the total.)")  # fmt: skip
    return basis + text + missing
