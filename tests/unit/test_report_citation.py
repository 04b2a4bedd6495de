"""Wherever a report names the plan it cites the policy package's own title and number (plan.yaml ``document``):
《温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）》（温政办〔2023〕32号）, never a title written again."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import Engine

from zhijiao.engine.policy import Policy
from zhijiao.language import Lang
from zhijiao.reports import content, pdf, workbooks
from zhijiao.storage.database import unit_of_work


def test_the_workbooks_and_the_pdf_cite_the_plan_by_the_policys_title(sqlite_engine: Engine, policy: Policy):
    document = policy.metadata["document"]
    assert document["title"]["zh"] == "温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）"
    cited = f"《{document['title']['zh']}》（{document['number']}）"
    with unit_of_work(sqlite_engine) as session:
        report = content.build(session, policy, 2024)
    for body in (workbooks.cost_workbook(report), workbooks.targets_workbook(report)):
        about = {row[0]: row[1] for row in load_workbook(BytesIO(body))["说明"].iter_rows(values_only=True)}
        assert about["依据"] == cited
    english = load_workbook(BytesIO(workbooks.cost_workbook(report, Lang.en)))["About"]
    assert {row[0]: row[1] for row in english.iter_rows(values_only=True)}["Plan"] == (
        f"{document['title']['en']} ({document['number']})"
    )
    html = pdf.render_html(report)
    assert f"<th>依据</th><td>{cited}</td>" in html  # the title page
    assert f'<meta name="description" content="{cited}">' in html  # the PDF's subject
    assert "2023—2025年" not in html
