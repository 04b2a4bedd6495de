"""The plan as its pages show it, read from the policy package: the document's facts, its parts, articles,
breakthroughs and targets; one article with its text, dated and cited parameters, rules and options."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from zhijiao.engine.explain_text import article_in, prose_label, source_text
from zhijiao.engine.options import Option
from zhijiao.engine.parameters import OPEN_START, Citation, Parameter
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Formula
from zhijiao.engine.units import from_scaled
from zhijiao.language import Lang
from zhijiao.plan_text.service import OfficialText
from zhijiao.web.pages import plan_format as fmt

ARTICLE_PATH = re.compile(r"art(\d{1,2})")
# Raw HTML in the package's texts stays text: only Markdown's own constructs become markup.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class ArticleSummary:
    number: int
    key: str
    name: Mapping[str, str]  # 第二十条 / Art. 20
    title: Mapping[str, str] | None
    known: bool
    computes: tuple[str, ...]
    outputs: tuple[Mapping[str, str], ...]  # labels of what the article's clauses compute
    system: Mapping[str, str] | None
    targets: tuple[str, ...]
    official_title: str | None = None  # as the plan's official text writes it, once loaded


@dataclass(frozen=True)
class CitationView:
    """A citation in the page's language: the document's number as it is, the article, the place in the source
    and the package's note (the source's own words stay quoted in Chinese)."""

    document: str
    article: str
    paragraph: str
    source: str
    note: str

    @classmethod
    def of(cls, citation: Citation, lang: Lang) -> CitationView:
        return cls(
            citation.document,
            article_in(citation.article, lang.value) if citation.article else "",
            citation.paragraph,
            source_text(citation.source, lang.value) if citation.source else "",
            citation.note_in(lang.value),
        )


@dataclass(frozen=True)
class DatedValueView:
    effective_from: dt.date | None  # None: in force before any date the package knows
    shown: str
    in_force: bool  # the value in force today
    citation: CitationView


@dataclass(frozen=True)
class ParameterView:
    id: str
    label: Mapping[str, str]
    unit: str
    values: tuple[DatedValueView, ...]


@dataclass(frozen=True)
class RuleView:
    output: str
    entity: Mapping[str, str]
    label: Mapping[str, str]
    formula: Mapping[str, str]
    clauses: tuple[str, ...]
    internal: bool
    parameters: tuple[str, ...]
    options: tuple[str, ...]


@dataclass(frozen=True)
class OptionView:
    name: str
    label: Mapping[str, str]
    default: str
    default_label: Mapping[str, str] | None
    choices: tuple[tuple[str, Mapping[str, str]], ...]
    why: Mapping[str, str]


@dataclass(frozen=True)
class TargetView:
    id: str
    indicator: Mapping[str, str]
    target: str
    comparison: str
    by: str
    source: str
    source_article: str | None
    cumulative_from: int | None
    note: Mapping[str, str] | None


@dataclass(frozen=True)
class ArticleDetail:
    summary: ArticleSummary
    text_html: Markup | None
    parameters: tuple[ParameterView, ...]
    rules: tuple[RuleView, ...]
    options: tuple[OptionView, ...]
    targets: tuple[TargetView, ...]
    folder: str | None
    previous: str | None = None
    next: str | None = None
    official_text: tuple[str, ...] = ()  # the article's paragraphs in the plan's official text, once loaded


COMPARISONS = {
    "about": fmt.N_("约"),
    "at_least": fmt.N_("不少于"),
    "at_most": fmt.N_("不超过"),
    "rising": fmt.N_("逐年提高"),
}
EACH_YEAR = fmt.N_("每年")
INTRO = fmt.N_("方案总体目标")
PART = fmt.N_("第%(number)s部分")


def _articles(policy: Policy) -> list[Mapping[str, Any]]:
    return list(policy.metadata.get("articles") or [])


def _clause_outputs(policy: Policy, clauses: Sequence[str]) -> tuple[Mapping[str, str], ...]:
    index = policy.metadata.get("clauses") or {}
    labels = []
    for clause in clauses:
        output = (index.get(clause) or {}).get("output")
        formula = next((f for f in policy.formulas if f.output == output and not f.internal), None)
        labels.append(formula.label if formula else {"zh": clause, "en": clause})
    return tuple(labels)


def summarize(policy: Policy, entry: Mapping[str, Any], official: OfficialText | None = None) -> ArticleSummary:
    computes = tuple(entry.get("computes") or ())
    in_text = official.article(int(entry["number"])) if official else None
    return ArticleSummary(
        number=int(entry["number"]),
        key=fmt.article_key(int(entry["number"])),
        name={lang.value: fmt.article_label(fmt.article_key(int(entry["number"])), lang) for lang in Lang},
        title=entry.get("title"),
        known=entry.get("known", True) is not False,
        computes=computes,
        outputs=_clause_outputs(policy, computes),
        system=entry.get("system"),
        targets=tuple(entry.get("targets") or ()),
        official_title=in_text.title if in_text else None,
    )


def parameter_view(parameter: Parameter, lang: Lang, today: dt.date) -> ParameterView:
    current = parameter.entry_on(today)
    values = []
    for entry in parameter.values:
        value = None if entry.scaled is None else from_scaled(entry.scaled, parameter.unit)
        values.append(
            DatedValueView(
                effective_from=None if entry.effective_from == OPEN_START else entry.effective_from,
                shown=fmt.value(value, parameter.unit, lang),
                in_force=entry is current,
                citation=CitationView.of(entry.citation, lang),
            )
        )
    return ParameterView(parameter.id, parameter.label, parameter.unit.value, tuple(values))


def _rule_view(policy: Policy, formula: Formula, today: dt.date) -> RuleView:
    """The rule as its article shows it: label and formula filled with the parameters in force ``today``."""
    return RuleView(
        output=formula.output,
        entity=policy.entities[formula.entity].label,
        label=prose_label(formula.label, policy.parameters, today),
        formula=prose_label(formula.formula, policy.parameters, today),
        clauses=formula.clauses,
        internal=formula.internal,
        parameters=formula.parameters,
        options=formula.options,
    )


def option_view(option: Option) -> OptionView:
    default = str(option.default)
    return OptionView(
        name=option.name,
        label=option.label,
        default=default,
        default_label=option.choices.get(default),
        choices=tuple(option.choices.items()),
        why=option.why,
    )


def _target_value(target: Mapping[str, Any], lang: Lang) -> str:
    raw = target.get("target")
    if raw is None:
        return ""
    if target.get("unit") == "yuan":
        return fmt.large_yuan(raw, lang)
    return fmt.value(raw, target.get("unit"), lang)


def _target_source(source: str, lang: Lang) -> tuple[str, str | None]:
    """The part of the plan a target comes from, and the article page that shows it (if any)."""
    found = ARTICLE_PATH.fullmatch(source)
    if found:
        key = fmt.article_key(int(found.group(1)))
        return fmt.article_label(key, lang), key
    if source.startswith("part") and source[4:].isdigit():
        return fmt.translate(lang, PART) % {"number": fmt.ordinal(int(source[4:]), lang)}, None
    return fmt.translate(lang, INTRO) if source == "intro" else source, None


def target_view(target: Mapping[str, Any], lang: Lang) -> TargetView:
    source, source_article = _target_source(str(target.get("source", "")), lang)
    by = target.get("by")
    comparison = COMPARISONS.get(str(target.get("comparison")))
    return TargetView(
        id=str(target["id"]),
        indicator=target.get("indicator") or {},
        target=_target_value(target, lang),
        comparison=fmt.translate(lang, comparison) if comparison else "",
        by=fmt.translate(lang, EACH_YEAR) if by == "each_year" else str(by or ""),
        source=source,
        source_article=source_article,
        cumulative_from=target.get("cumulative_from"),
        note=target.get("note"),
    )


def _parts(policy: Policy, lang: Lang, official: OfficialText | None) -> list[dict[str, Any]]:
    parts = []
    for part in policy.metadata.get("parts") or []:
        in_text = official.part(int(part["number"])) if official else None
        official_title = in_text.title if in_text else None
        parts.append({**part, "numeral": fmt.ordinal(int(part["number"]), lang), "official_title": official_title})
    return parts


def coverage(policy: Policy, lang: Lang) -> dict[str, str]:
    """Which articles the drafting explanation describes and which it does not, and the parts whose titles it
    does not give: said once on the plan page until the official text is loaded."""
    articles = _articles(policy)
    sep = "、" if lang is Lang.zh else ", "

    def names(chosen: Sequence[Mapping[str, Any]]) -> str:
        return sep.join(fmt.article_label(fmt.article_key(int(a["number"])), lang) for a in chosen)

    parts = [p for p in policy.metadata.get("parts") or [] if not p.get("title")]
    part_names = sep.join(fmt.translate(lang, PART) % {"number": fmt.ordinal(int(p["number"]), lang)} for p in parts)
    return {
        "described": names([a for a in articles if a.get("known", True) is not False]),
        "undescribed": names([a for a in articles if a.get("known", True) is False]),
        "untitled_parts": part_names,
    }


def overview(policy: Policy, lang: Lang, official: OfficialText | None = None) -> dict[str, Any]:
    meta = policy.metadata
    return {
        "document": meta.get("document") or {},
        "parts": _parts(policy, lang, official),
        "articles": [summarize(policy, entry, official) for entry in _articles(policy)],
        "breakthroughs": meta.get("breakthroughs") or {},
        "targets": [target_view(t, lang) for t in meta.get("targets") or []],
        "rule_set": policy.rule_set,
        "official": official,
        "coverage": None if official else coverage(policy, lang),
    }


@cache
def _text_html(path: Path) -> Markup:
    text = path.read_text(encoding="utf-8")
    # The page states the article's number and title itself: the file's own heading would repeat them.
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        text = "\n".join(lines[1:])
    return Markup(_MARKDOWN.render(text))  # noqa: S704 -- Markdown rendered with raw HTML disabled


def find_article(policy: Policy, key: str) -> Mapping[str, Any] | None:
    found = ARTICLE_PATH.fullmatch(key)
    if not found:
        return None
    number = int(found.group(1))
    return next((a for a in _articles(policy) if int(a["number"]) == number), None)


def article_detail(
    policy: Policy, entry: Mapping[str, Any], lang: Lang, today: dt.date, official: OfficialText | None = None
) -> ArticleDetail:
    summary = summarize(policy, entry, official)
    in_text = official.article(summary.number) if official else None
    folder = entry.get("folder")
    text = None
    if folder and policy.root is not None and (policy.root / folder / "text.zh.md").is_file():
        text = _text_html(policy.root / folder / "text.zh.md")
    prefix = summary.key + "."
    parameters = tuple(parameter_view(p, lang, today) for p in policy.parameters if p.id.startswith(prefix))
    formulas = [f for f in policy.formulas if f.article == summary.key]
    # By clause; within a clause in the order the rules run (the graph's), so a reader follows the flow.
    formulas.sort(key=lambda f: [int(c[1:]) for c in f.clauses if c[1:].isdigit()])
    option_names = list(dict.fromkeys(name for f in formulas for name in f.options))
    targets = {str(t["id"]): t for t in policy.metadata.get("targets") or []}
    numbers = [int(a["number"]) for a in _articles(policy)]
    position = numbers.index(summary.number)
    return ArticleDetail(
        summary=summary,
        text_html=text,
        parameters=parameters,
        rules=tuple(_rule_view(policy, f, today) for f in formulas),
        options=tuple(option_view(policy.options.options[name]) for name in option_names),
        targets=tuple(target_view(targets[t], lang) for t in summary.targets if t in targets),
        folder=folder,
        previous=fmt.article_key(numbers[position - 1]) if position > 0 else None,
        next=fmt.article_key(numbers[position + 1]) if position + 1 < len(numbers) else None,
        official_text=tuple(line for line in in_text.body.split("\n") if line) if in_text else (),
    )
