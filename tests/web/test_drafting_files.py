"""Spreadsheets and the PDF through the round's page: a malformed replies file is refused whole with every problem
listed and nothing written; a good one is recorded; dispositions go out and come back; the 意见采纳情况表 downloads
as xlsx and PDF; and the pages read in English."""

from __future__ import annotations

import re
from io import BytesIO
from urllib.parse import unquote

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from registry_html import cell_text, query
from test_drafting_support import as_user, count, item_ids, new_plan, post, send

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client: TestClient, url: str, body: bytes, name: str = "replies.xlsx"):
    return post(client, url, files={"file": (name, body, XLSX)})


def test_a_malformed_replies_file_is_refused_whole_with_every_problem_listed(client: TestClient):
    round_id = send(client, new_plan(client))
    before = count(client, "SELECT count(*) FROM audit_records")
    bad = _xlsx(
        [
            ["单位", "条款", "意见内容"],
            ["市发改委", 1, "这一行没有问题。"],
            ["某某不存在的单位", 2, "单位不在名录中。"],
            ["市经信局", 99, "没有第99条。"],
            ["市科技局", 3, ""],
        ]
    )
    refused = _upload(client, f"/drafting/rounds/{round_id}/replies/import", bad)
    assert refused.status_code == 422
    listed = [
        cell_text(li)
        for li in re.findall(r"<li>(.*?)</li>", refused.text.split('id="problems"', 1)[1].split("</ul>")[0])
    ]
    assert listed == [
        "第3行 单位: 单位“某某不存在的单位”不在单位名录中",
        "第4行 条款: 征求意见稿没有第99条（共15条）",
        "第5行 意见内容: 意见内容为空",
    ]
    assert item_ids(client, round_id) == []  # not even row 2
    assert (
        count(client, "SELECT count(*) FROM round_units WHERE round_id = :r AND reply <> 'awaiting'", r=round_id) == 0
    )
    assert count(client, "SELECT count(*) FROM audit_records") == before

    english = post(client, f"/drafting/rounds/{round_id}/replies/import?lang=en", files={"file": ("r.xlsx", bad, XLSX)})
    assert english.status_code == 422
    assert "row 3 单位: unit &#39;某某不存在的单位&#39; is not in the unit directory" in english.text

    not_a_sheet = _upload(client, f"/drafting/rounds/{round_id}/replies/import", b"%PDF-1.7", "replies.pdf")
    assert not_a_sheet.status_code == 422
    fake = _upload(client, f"/drafting/rounds/{round_id}/replies/import", b"not a zip", "replies.xlsx")
    assert fake.status_code == 422


def test_a_good_replies_file_is_recorded_and_shows_on_the_round(client: TestClient):
    round_id = send(client, new_plan(client))
    template = client.get(f"/drafting/rounds/{round_id}/replies-template.xlsx")
    assert template.status_code == 200
    workbook = load_workbook(BytesIO(template.content))
    assert [c.value for c in workbook.worksheets[0][1]] == ["单位", "条款", "意见内容"]
    sheet = workbook.worksheets[0]
    sheet.append(["市发改委", "第13条", "建议明确资金来源。"])
    sheet.append(["市经信局", "", "无意见"])
    buffer = BytesIO()
    workbook.save(buffer)
    done = _upload(client, f"/drafting/rounds/{round_id}/replies/import", buffer.getvalue())
    assert done.status_code == 303
    page = client.get(done.headers["location"])
    assert "已导入答复。" in page.text
    replies = dict(re.findall(r'data-unit="([^"]+)" data-reply="(\w+)"', page.text))
    assert replies == {"市发改委": "items", "市科技局": "awaiting", "市经信局": "no_comments"}
    (item,) = item_ids(client, round_id)
    assert query(client, "SELECT article_number, text FROM feedback_items WHERE id = :i", i=item) == [
        (13, "建议明确资金来源。")
    ]


def test_dispositions_export_and_import_and_the_adoption_table_downloads(client: TestClient):
    round_id = send(client, new_plan(client))
    as_user(client, "unit")
    post(client, f"/consultations/{round_id}/reply", {"article": ["1", "2"], "text": ["意见一", "意见二"]})
    one, two = item_ids(client, round_id)
    as_user(client, "drafter")
    plan_id = query(client, "SELECT plan_id FROM consultation_rounds WHERE id = :r", r=round_id)[0][0]
    exported = client.get(f"/drafting/{plan_id}/dispositions.xlsx?round={round_id}")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == XLSX
    assert unquote(exported.headers["content-disposition"]).endswith("2026—2028反馈意见处理（第1轮）.xlsx")
    workbook = load_workbook(BytesIO(exported.content))
    sheet = workbook.active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [one, two]
    sheet["H2"], sheet["J2"] = "采纳", "第1条已修改。"
    sheet["H3"], sheet["I3"] = "部分采纳", "已吸收主要内容。"
    buffer = BytesIO()
    workbook.save(buffer)
    done = _upload(client, f"/drafting/rounds/{round_id}/dispositions/import", buffer.getvalue(), "d.xlsx")
    assert done.status_code == 303
    stored = query(
        client, "SELECT disposition, reason, change FROM feedback_items WHERE round_id = :r ORDER BY id", r=round_id
    )
    assert stored == [("adopted", None, "第1条已修改。"), ("partially_adopted", "已吸收主要内容。", None)]

    table = client.get(f"/drafting/{plan_id}/adoption.xlsx")
    assert table.status_code == 200
    adoption = load_workbook(BytesIO(table.content)).active
    assert adoption is not None
    assert adoption["A2"].value == "向3家单位发函征求意见，共收到反馈意见2条，拟采纳1条，拟部分采纳1条，拟不采纳0条。"
    assert [c.value for c in adoption[5]][:5] == [2, "市发改委", "第2条 条款2", "意见二", "部分采纳"]
    pdf = client.get(f"/drafting/{plan_id}/adoption.pdf?round={round_id}")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/drafting/{plan_id}/adoption.pdf?round=999999").status_code == 404


def test_the_drafting_pages_read_in_english(client: TestClient):
    first = new_plan(client)
    round_id = send(client, first)
    plan_id = query(client, "SELECT plan_id FROM draft_versions WHERE id = :v", v=first)[0][0]
    for url, words in {
        "/drafting?lang=en": ["Plans under drafting", "Past record (read-only)", "New plan under drafting"],
        f"/drafting/{plan_id}?lang=en": ["Drafting explanation (generated)", "By disposition", "Consultation rounds"],
        f"/drafting/versions/{first}?lang=en": ["Frozen: sent for consultation or settled", "Art. 13"],
        f"/drafting/rounds/{round_id}?lang=en": [
            "Replies by unit",
            "no reply yet",
            "Import replies from a spreadsheet",
        ],
        "/drafting/units?lang=en": ["Unit directory", "city department", "county government"],
    }.items():
        page = client.get(url)
        assert page.status_code == 200, url
        for word in words:
            assert word in page.text, (url, word)
        assert "<title>" in page.text
        assert "方案起草 ·" not in page.text.split("<title>")[1].split("</title>")[0], url
    as_user(client, "unit")
    mine = client.get(f"/consultations/{round_id}?lang=en")
    assert "Send items" in mine.text
    assert "The full text sent for consultation" in mine.text
