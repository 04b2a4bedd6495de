"""The last step of a record's explanation: its public money added up, by article and by the finance that pays
it (瑞安市财政, Wenzhou municipal finance), so the explanation ends where an accountant's question does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from zhijiao.engine.explain_text import article_name, fmt
from zhijiao.engine.inputs import to_json_number
from zhijiao.engine.model import CostItem, Entity
from zhijiao.engine.policy import Policy
from zhijiao.engine.units import Unit

TOTAL = "fiscal_cost"


def payer_name(policy: Policy, item: CostItem, row: Mapping[str, Any], lang: str) -> str:
    """The finance that pays ``item`` for this record, as a reader names it."""
    payer = item.payer[1:] if item.payer.startswith("=") else str(row.get(item.payer))
    template = policy.payers.get(payer, {}).get(lang, payer)
    county = str(row.get(item.county) or "")
    return template.replace("{county}", policy.labels.get(county, {}).get(lang, county))


def _clauses(policy: Policy) -> list[str]:
    """The clause that defines the fiscal total, where the plan's clause index names one."""
    clauses = policy.metadata.get("clauses") or {}
    return [name for name, clause in clauses.items() if isinstance(clause, Mapping) and clause.get("output") == TOTAL]


def total_step(
    policy: Policy, entity: Entity, row: Mapping[str, Any], items: Sequence[CostItem], lang: str
) -> dict[str, Any]:
    zh = lang == "zh"
    formulas = policy.graph.formulas
    lines: list[dict[str, Any]] = []
    by_article: defaultdict[str, Decimal] = defaultdict(Decimal)
    by_payer: defaultdict[str, Decimal] = defaultdict(Decimal)
    for item in sorted(items, key=lambda i: int("".join(ch for ch in i.article if ch.isdigit()) or 0)):
        amount = Decimal(str(row.get(item.output) or 0))
        if not amount:
            continue
        payer = payer_name(policy, item, row, lang)
        producer = formulas.get(f"{entity.name}.{item.output}")
        label = producer.label.get(lang, item.output) if producer else item.output
        lines.append(
            {"article": item.article, "output": item.output, "label": label, "payer": payer,
             "value": to_json_number(amount)}
        )  # fmt: skip
        by_article[item.article] += amount
        by_payer[payer] += amount
    total = sum(by_article.values(), Decimal(0))
    clauses = _clauses(policy)
    step: dict[str, Any] = {
        "output": TOTAL,
        "label": "财政支出合计" if zh else "public money in total",
        "article": "",
        "clauses": clauses,
        "formula": "",
        "inputs": {},
        "parameters": [],
        "options": {},
        "items": lines,
        "by_article": {article: to_json_number(v) for article, v in by_article.items()},
        "by_payer": {payer: to_json_number(v) for payer, v in by_payer.items()},
        "value": to_json_number(total),
    }
    step["text"] = _sentence(step, lang)
    return step


def _sentence(step: Mapping[str, Any], lang: str) -> str:
    zh = lang == "zh"
    head = step["label"] + (f"（{'、'.join(step['clauses'])}）" if zh else f" ({', '.join(step['clauses'])})")
    head = head if step["clauses"] else step["label"]
    money = [
        f"{article_name(line['article'], lang)}{line['label']} {fmt(line['value'], Unit.YUAN, lang)}（{line['payer']}）"
        if zh
        else f"{article_name(line['article'], lang)} {line['label']} {fmt(line['value'], Unit.YUAN, lang)} "
        f"({line['payer']})"
        for line in step["items"]
    ]
    if not money:
        return (
            f"{head}：无财政支出。结果：{fmt(0, Unit.YUAN, lang)}"
            if zh
            else (f"{head}: no public money. result: {fmt(0, Unit.YUAN, lang)}")
        )
    payers = [f"{payer} {fmt(value, Unit.YUAN, lang)}" for payer, value in step["by_payer"].items()]
    if zh:
        return f"{head}：{'；'.join(money)}。由{'、'.join(payers)}支付。结果：{fmt(step['value'], Unit.YUAN, lang)}"
    return f"{head}: {'; '.join(money)}. Paid by {'; '.join(payers)}. result: {fmt(step['value'], Unit.YUAN, lang)}"
