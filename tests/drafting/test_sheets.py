"""Replies and dispositions as spreadsheets: a file goes in whole or not at all, with every problem named by row,
column and reason; dispositions go out and come back; the 意见采纳情况表 and its PDF carry the real figures."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from drafts import new_plan, unit_id
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from zhijiao.audit.models import AuditRecord
from zhijiao.drafting import consultation, dispositions, sheets, sheets_dispositions, versions
from zhijiao.drafting.errors import WrongState
from zhijiao.drafting.history_2023 import CODE
from zhijiao.drafting.models import DraftPlan, FeedbackItem, RoundUnit
from zhijiao.drafting.report_pdf import adoption_pdf
from zhijiao.drafting.stages import Disposition, Stage
from zhijiao.engine.errors import InputError
from zhijiao.language import Lang

DEADLINE = dt.date(2026, 3, 10)
UNITS = ("市发改委", "市经信局", "市科技局")


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def sent(db, persona):
    drafter = persona("drafter")
    first = new_plan(db, drafter)
    ids = [unit_id(db, name) for name in UNITS]
    consulting = consultation.send_round(db, drafter, first.id, ids, sent_on=dt.date(2026, 3, 1), deadline=DEADLINE)
    db.commit()
    return consulting


def _count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_a_file_of_replies_is_recorded_and_importing_it_again_changes_nothing(db, persona, sent, tmp_path):
    rows = [
        ["单位", "条款", "意见内容"],
        ["市发改委", "第13条", "建议明确资金来源。"],
        ["市发改委", 2, "建议增加考核指标。"],
        ["市发改委", "", "总体同意。"],
        [None, None, None],  # a blank row in the middle is not an item
        ["市经信局", "第十四条", "建议写明牵头单位。"],
        ["市科技局", None, "无意见"],
    ]
    path = _xlsx(tmp_path / "replies.xlsx", rows)
    report = sheets.import_replies(db, persona("drafter"), sent.id, path)
    db.commit()
    assert (report.rows, report.added, report.unchanged, report.no_comments, report.units) == (5, 4, 0, 1, 3)
    items = db.scalars(select(FeedbackItem).where(FeedbackItem.round_id == sent.id).order_by(FeedbackItem.id)).all()
    assert [(i.article_number, i.text) for i in items] == [
        (13, "建议明确资金来源。"),
        (2, "建议增加考核指标。"),
        (None, "总体同意。"),
        (14, "建议写明牵头单位。"),
    ]
    assert items[0].article_key == versions.article_by_number(db, sent.version_id, 13).article_key
    states = {s.unit.name: s.reply for s in consultation.replies(db, sent.id)}
    assert states == {"市发改委": "items", "市经信局": "items", "市科技局": "no_comments"}

    again = sheets.import_replies(db, persona("drafter"), sent.id, path)
    db.commit()
    assert (again.added, again.unchanged) == (0, 4)
    assert _count(db, FeedbackItem, FeedbackItem.round_id == sent.id) == 4


def test_a_malformed_file_is_refused_whole_with_every_problem_named(db, persona, sent, tmp_path):
    rows = [
        ["单位", "条款", "意见内容"],
        ["市发改委", 3, "这一行本身没有问题。"],
        ["市不存在局", 1, "单位不在名录中。"],
        ["市经信局", 16, "条款不存在（共15条）。"],
        ["市科技局", 2, "   "],
        ["鹿城区人民政府", 1, "名录里有，但本轮没有发给它。"],
        ["市经信局", "第三款", "条款写法不对。"],
    ]
    path = _xlsx(tmp_path / "bad.xlsx", rows)
    audit_before = _count(db, AuditRecord)
    with pytest.raises(InputError) as refused:
        sheets.import_replies(db, persona("drafter"), sent.id, path)
    db.rollback()
    messages = refused.value.messages("zh")
    assert messages == [
        "第3行 单位: 单位“市不存在局”不在单位名录中",
        "第4行 条款: 征求意见稿没有第16条（共15条）",
        "第5行 意见内容: 意见内容为空",
        "第6行 单位: 本轮未向“鹿城区人民政府”征求意见",
        "第7行 条款: “第三款”不是条款序号",
    ]
    assert refused.value.messages("en")[0] == "row 3 单位: unit '市不存在局' is not in the unit directory"
    assert _count(db, FeedbackItem, FeedbackItem.round_id == sent.id) == 0  # not even the good row
    assert _count(db, RoundUnit, RoundUnit.round_id == sent.id, RoundUnit.reply != "awaiting") == 0
    assert _count(db, AuditRecord) == audit_before


def test_a_unit_the_round_was_not_sent_to_and_a_wrong_header_are_named(db, persona, sent, tmp_path):
    outside = _xlsx(tmp_path / "outside.xlsx", [["单位", "意见内容"], ["市委编办", "意见"]])
    with pytest.raises(InputError) as refused:
        sheets.import_replies(db, persona("drafter"), sent.id, outside)
    assert refused.value.messages("zh") == ["第2行 单位: 本轮未向“市委编办”征求意见"]
    header = _xlsx(tmp_path / "header.xlsx", [["Unit", "备注", "Unit"], ["市发改委", "x", "y"]])
    with pytest.raises(InputError) as refused:
        sheets.import_replies(db, persona("drafter"), sent.id, header)
    assert refused.value.messages("zh") == [
        "第1行 备注: 未知列",
        "第1行 Unit: 列重复",
        "第1行 意见内容（Comment）: 缺少必填列",
    ]
    both = _xlsx(
        tmp_path / "both.xlsx", [["单位", "条款", "意见内容"], ["市发改委", 1, "意见"], ["市发改委", "", "无意见"]]
    )
    with pytest.raises(InputError) as refused:
        sheets.import_replies(db, persona("drafter"), sent.id, both)
    assert refused.value.messages("zh") == ["第3行 意见内容: 同一单位既有意见又答复“无意见”"]


def test_csv_files_with_english_headers_are_read_too(db, persona, sent, tmp_path):
    path = tmp_path / "replies.csv"
    path.write_text("Unit,Article,Comment\n市发改委,5,建议细化。\n", encoding="utf-8-sig")
    report = sheets.import_replies(db, persona("drafter"), sent.id, path)
    assert report.added == 1


def test_the_historical_record_takes_no_replies(db, persona, tmp_path):
    plan = db.scalar(select(DraftPlan).where(DraftPlan.code == CODE))
    first_round = db.scalar(select(RoundUnit.round_id).limit(1))
    path = _xlsx(tmp_path / "r.xlsx", [["单位", "意见内容"], ["市发改委", "意见"]])
    with pytest.raises(WrongState, match="past drafting"):
        sheets.import_replies(db, persona("drafter"), first_round, path)
    assert plan is not None


def test_dispositions_go_out_and_come_back_through_the_same_rule(db, persona, sent, tmp_path):
    drafter = persona("drafter")
    comments = [consultation.Comment(n, f"对第{n}条的意见") for n in (1, 2, 3)]
    items = consultation.record_reply(db, drafter, sent.id, unit_id(db, "市发改委"), comments)
    db.commit()
    exported = tmp_path / "dispositions.xlsx"
    exported.write_bytes(sheets_dispositions.export_dispositions(db, sent.plan_id, sent.id))
    workbook = load_workbook(exported)
    sheet = workbook.active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:8] == [
        "编号",
        "轮次",
        "单位",
        "单位类型",
        "原稿条款",
        "现稿条款",
        "意见内容",
        "处理意见",
    ]
    assert [c.value for c in sheet[2]][:8] == [
        items[0].id,
        1,
        "市发改委",
        "市级部门",
        "第1条 条款1",
        "第1条 条款1",
        "对第1条的意见",
        "待定",
    ]
    sheet["H2"], sheet["I2"], sheet["J2"] = "采纳", "", "第1条增加资金保障。"
    sheet["H3"], sheet["I3"] = "不采纳", "与上位政策规定不一致。"
    workbook.save(exported)
    report = sheets_dispositions.import_dispositions(db, drafter, sent.plan_id, exported, sent.id)
    db.commit()
    assert (report.rows, report.proposed, report.unchanged) == (3, 2, 1)
    db.refresh(items[0])
    assert (items[0].disposition, items[0].change, items[0].proposed_by) == (
        "adopted",
        "第1条增加资金保障。",
        drafter.user_id,
    )

    sheet["H4"] = "部分采纳"  # with no reason: the page's rule refuses it, so the whole file is refused
    sheet["H2"] = "不采纳"
    sheet["I2"] = "改变主意。"
    sheet["A5"], sheet["H5"] = 999999, "采纳"
    workbook.save(exported)
    with pytest.raises(InputError) as refused:
        sheets_dispositions.import_dispositions(db, drafter, sent.plan_id, exported, sent.id)
    assert refused.value.messages("zh") == ["第5行 编号: 没有编号为999999的意见"]
    sheet.delete_rows(5)
    workbook.save(exported)
    with pytest.raises(InputError) as refused:
        sheets_dispositions.import_dispositions(db, drafter, sent.plan_id, exported, sent.id)
    assert refused.value.messages("zh") == ["第4行 处理意见: 部分采纳或不采纳须说明理由。"]
    db.rollback()
    db.refresh(items[0])
    assert items[0].disposition == "adopted"  # row 2 was fine on its own, and still nothing was written


def test_the_adoption_table_follows_a_merge_to_the_article_now(db, persona, sent, tmp_path):
    drafter = persona("drafter")
    (item,) = consultation.submit_reply(
        db, persona("unit"), sent.id, [consultation.Comment(13, "建议明确资金来源。")], today=DEADLINE
    )
    dispositions.propose(db, drafter, item.id, Disposition.partially_adopted, "已吸收主要内容。")
    second = versions.new_version(db, drafter, sent.version_id, Stage.for_approval)
    five, six = (versions.article_by_number(db, second.id, n).article_key for n in (5, 6))
    versions.merge_articles(db, drafter, second.id, five, six)
    dispositions.confirm(db, persona("admin"), item.id)
    db.commit()
    (row,) = sheets_dispositions.adoption_rows(db, sent.plan_id)
    assert (row.unit, row.article, row.disposition) == ("市发改委", "第13条 条款13（现第12条）", "部分采纳")
    workbook = load_workbook(_saved(tmp_path, sheets_dispositions.adoption_workbook(db, sent.plan_id)))
    sheet = workbook.active
    assert sheet is not None
    assert sheet["A1"].value == "《温州市职业教育三年行动计划（2026—2028年）》征求意见采纳情况表"
    assert sheet["A2"].value == "向3家单位发函征求意见，共收到反馈意见1条，拟采纳0条，拟部分采纳1条，拟不采纳0条。"
    assert [c.value for c in sheet[4]] == [
        1,
        "市发改委",
        "第13条 条款13（现第12条）",
        "建议明确资金来源。",
        "部分采纳",
        "已吸收主要内容。",
    ]


def _saved(folder: Path, body: bytes) -> Path:
    path = folder / "table.xlsx"
    path.write_bytes(body)
    return path


def _poppler(tool: str, *arguments: str) -> str:
    found = shutil.which(tool)
    assert found is not None
    return subprocess.run([found, *arguments], capture_output=True, text=True, check=True).stdout  # noqa: S603 -- our PDF


def test_the_2023_table_and_pdf_state_the_published_figures(db, tmp_path):
    plan = db.scalar(select(DraftPlan).where(DraftPlan.code == CODE))
    assert plan is not None
    rows = sheets_dispositions.adoption_rows(db, plan.id)
    assert len(rows) == 75
    assert {r.disposition for r in rows} == {"采纳", "部分采纳", "不采纳"}
    assert [sum(r.disposition == d for r in rows) for d in ("采纳", "部分采纳", "不采纳")] == [11, 57, 7]
    assert (rows[0].unit, rows[0].article, rows[0].text) == ("（单位未载明）", "（条款未载明）", "（原始记录未载明）")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils: installed by `make test`")
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(adoption_pdf(db, plan.id, lang=Lang.zh))
    text = _poppler("pdftotext", "-layout", str(pdf), "-")
    flat = "".join(text.split())
    assert (
        "以市府办名义向39家单位两轮发函征求意见，共收到反馈意见75条，拟采纳11条，拟部分采纳57条，拟不采纳7条。" in flat
    )
    assert "意见采纳情况表" in flat
    fonts = _poppler("pdffonts", str(pdf))
    assert "Noto-Sans-CJK-SC" in fonts  # embedded (pdffonts lists only what the file holds)
