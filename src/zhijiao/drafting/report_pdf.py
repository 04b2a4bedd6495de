"""The drafting explanation's process section and the 意见采纳情况表 as one Chinese PDF, for the meeting that
endorses the draft. Laid out by WeasyPrint from a template of the site, as the bureau's meeting report is
(``zhijiao.reports.pdf``): the same template environment, the same CJK font named explicitly so real glyphs
are embedded, and the same rule that the document fetches nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session
from weasyprint import HTML  # type: ignore[import-untyped]  # WeasyPrint ships no type information

from zhijiao.drafting.cost_explanation import paragraph
from zhijiao.drafting.queries import consultation_round, rounds_of
from zhijiao.drafting.sheets_dispositions import adoption_rows, adoption_title
from zhijiao.drafting.stages import UNIT_KIND_LABELS, Disposition, UnitKind
from zhijiao.drafting.statistics import drafting_explanation, statistics
from zhijiao.drafting.versions import plan, wenzhou_today
from zhijiao.engine.policy import Policy
from zhijiao.language import Lang
from zhijiao.reports.pdf import _no_fetching  # the reports' own guard: shared, not copied
from zhijiao.reports.templating import TEMPLATES, env

TEMPLATE = "drafting_explanation_pdf.html"


def _kind_label(kind: str, lang: Lang) -> str:
    if kind in UnitKind.__members__:
        return UNIT_KIND_LABELS[UnitKind(kind)][lang.value]
    return "（未载明）" if lang is Lang.zh else "(not in the record)"


def render_html(session: Session, plan_id: int, round_id: int | None = None, lang: Lang = Lang.zh,
                today: dt.date | None = None, *, policy: Policy | None = None) -> str:  # fmt: skip
    """The document's HTML; with ``policy`` (the plan in force) the explanation carries its 经费测算 paragraph."""
    drafted = plan(session, plan_id)
    if round_id is not None and consultation_round(session, round_id).plan_id != plan_id:
        round_id = None
    stats = statistics(session, plan_id)
    context = {
        "lang": lang,
        "html_lang": lang.html,
        "plan": drafted,
        "title": adoption_title(session, plan_id, lang),
        "explanation": drafting_explanation(session, plan_id),
        "cost_paragraph": paragraph(session, policy, plan_id) if policy is not None else "",
        "cost_paragraph_en": paragraph(session, policy, plan_id, Lang.en) if policy and lang is Lang.en else "",
        "stats": stats,
        "dispositions": [(d.labels, stats.by_disposition.get(d.value, 0)) for d in Disposition],
        "kinds": [(_kind_label(kind, lang), count) for kind, count in sorted(stats.by_unit_kind.items())],
        "rounds": rounds_of(session, plan_id),
        "round_number": consultation_round(session, round_id).number if round_id is not None else None,
        "rows": adoption_rows(session, plan_id, round_id, lang),
        "today": today or wenzhou_today(),
    }
    return env.get_template(TEMPLATE).render(context)


def adoption_pdf(
    session: Session, plan_id: int, round_id: int | None = None, lang: Lang = Lang.zh, *, policy: Policy | None = None
) -> bytes:
    html = render_html(session, plan_id, round_id, lang, policy=policy)
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=_no_fetching).write_pdf()
    return pdf
