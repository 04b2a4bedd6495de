"""The plan's official text through the pages, on both engines: before any load the plan page says once which
articles the drafting explanation describes and cites it as a document; an official previews a pasted text or an
uploaded .docx (nothing stored), confirms it (stored, audited), and the plan pages then show the official text and
cite it; a later load supersedes the first and both stay; other roles may not load."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from plan_text_files import SAMPLE, docx
from registry_html import execute, query
from sqlalchemy.exc import DBAPIError
from test_drafting_support import as_user, post

from zhijiao import audit
from zhijiao.storage.database import unit_of_work

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPLANATION = "《关于〈温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）〉的起草说明》"
FACTS = {
    "number": "温政办〔2023〕32号",
    "title": "温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）",
    "issued": "2023-03-23",
    "source": "温州市人民政府网 公开文件",
}


def _stored(client: TestClient) -> tuple[int, int, int]:
    texts = query(client, "SELECT count(*) FROM plan_texts")[0][0]
    sections = query(client, "SELECT count(*) FROM plan_text_sections")[0][0]
    audited = query(client, "SELECT count(*) FROM audit_records WHERE action = 'policy.text.load'")[0][0]
    return texts, sections, audited


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def _previewed_text(html: str) -> str:
    found = re.search(r'<textarea name="text" hidden>\n(.*?)</textarea>', html, re.DOTALL)
    assert found
    from html import unescape  # noqa: PLC0415

    return unescape(found.group(1))


def test_before_any_load_the_plan_page_says_once_what_the_explanation_covers(client: TestClient):
    html = client.get("/plan").text
    assert "起草说明未载" not in html  # no page of placeholders
    assert html.count('id="coverage"') == 1
    notice = re.search(r'<p class="notice" id="coverage">(.*?)</p>', html, re.DOTALL)
    assert notice
    assert (
        "起草说明介绍了第三条、第四条、第六条、第七条、第八条、第十条、第十一条、第十三条、第十八条、第二十条"
        in notice.group(1)
    )
    assert (
        "未介绍第一条、第二条、第五条、第九条、第十二条、第十四条、第十五条、第十六条、第十七条、第十九条"
        in notice.group(1)
    )
    assert "第三部分、第四部分、第五部分、第六部分、第七部分的标题" in notice.group(1)
    source = re.search(r'<dd data-source="explanation">(.*?)</dd>', html, re.DOTALL)
    assert source
    assert source.group(1).strip() == EXPLANATION  # a document, not a repository path
    assert "shared/policy" not in html
    assert ".txt" not in html
    assert "原文未在起草说明中披露" not in html  # the one notice says it, not each row
    english = client.get("/plan?lang=en").text
    assert "The plan's official text has not been loaded" in english
    assert "Art. 1, Art. 2, Art. 5" in english
    assert "载入方案正式文本" not in html  # only an official may load it
    assert client.get("/api/v1/plan/text").status_code == 404


def test_a_preview_stores_nothing_and_the_confirmation_stores_and_audits(client: TestClient):
    as_user(client, "admin")
    assert 'href="/plan/text/load"' in client.get("/plan").text
    before = _stored(client)
    page = post(client, "/plan/text/preview", FACTS | {"text": SAMPLE})
    assert page.status_code == 200, page.text[:2000]
    html = page.text
    assert _stored(client) == before  # nothing stored until the official confirms
    assert re.findall(r'<tr data-article="(\d+)" data-status="(\w+)"', html)[:4] == [
        ("1", "new"), ("2", "new"), ("3", "same"), ("4", "same")
    ]  # fmt: skip
    assert "文本中7个部分、20条；方案应有7个部分、20条。" in html
    assert "未来三年，总投入约100亿元" in html  # the explanation's words beside the text's
    confirmed = post(
        client,
        "/plan/text/confirm",
        FACTS | {"text": _previewed_text(html), "digest": _hidden(html, "digest"), "file_name": ""},
    )
    assert confirmed.status_code == 303, confirmed.text[:2000]
    assert _stored(client) == (before[0] + 1, before[1] + 27, before[2] + 1)
    (after,) = query(client, "SELECT payload FROM audit_records WHERE action = 'policy.text.load'")[0]
    assert "温州市人民政府网 公开文件" in after
    assert '"articles":20' in after
    assert query(client, "SELECT loaded_by_name, source, issued_on FROM plan_texts")[0][:2] == (
        "admin",
        "温州市人民政府网 公开文件",
    )

    plan = client.get("/plan").text
    assert 'id="coverage"' not in plan
    assert '<dd data-source="official">' in plan
    assert "《温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）》（温政办〔2023〕32号）" in plan
    assert "温州市人民政府网 公开文件" in plan
    assert "深化产教融合校企合作" in plan  # part 3's title, from the text
    assert "共建产业学院" in plan  # article 9's title, from the text
    article = client.get("/plan/articles/art09").text
    assert "支持职业学校与龙头企业共建产业学院。" in article
    assert "起草说明未披露本条内容" not in article
    assert "出处" in article
    assert "温政办〔2023〕32号）第九条" in article
    art11 = client.get("/plan/articles/art11").text
    assert "起草说明所述" in art11  # the explanation's words stay, named for what they are
    whole = client.get("/plan/text").text
    assert whole.count('class="official-article"') == 20
    assert "第三部分 深化产教融合校企合作" in whole
    api = client.get("/api/v1/plan/text").json()
    assert api["source"] == "温州市人民政府网 公开文件"
    assert api["articles"][8] == {"number": 9, "part_number": 3, "title": "共建产业学院",
                                  "body": "支持职业学校与龙头企业共建产业学院。"}  # fmt: skip


def test_a_docx_upload_is_previewed_and_a_later_load_supersedes_the_first(client: TestClient):
    as_user(client, "admin")
    first = post(client, "/plan/text/preview", FACTS, files={"file": ("方案.docx", docx(), DOCX)})
    assert first.status_code == 200, first.text[:2000]
    assert "方案.docx" in first.text
    body = {"text": _previewed_text(first.text), "digest": _hidden(first.text, "digest"), "file_name": "方案.docx"}
    assert post(client, "/plan/text/confirm", FACTS | body).status_code == 303
    revised = SAMPLE.replace("第九条　共建产业学院。", "第九条　共建现代产业学院。")
    second = post(client, "/plan/text/preview", FACTS | {"text": revised})
    assert 'data-article="9" data-status="new"' in second.text
    body = {"text": _previewed_text(second.text), "digest": _hidden(second.text, "digest")}
    assert post(client, "/plan/text/confirm", FACTS | body).status_code == 303
    rows = query(client, "SELECT id, supersedes_id, file_name FROM plan_texts ORDER BY id")
    assert [(r[1], r[2]) for r in rows] == [(None, "方案.docx"), (rows[0][0], None)]
    assert "共建现代产业学院" in client.get("/plan/articles/art09").text
    history = client.get("/plan/text").text
    assert history.count("<tr data-load=") == 2
    assert "已被取代" in history
    for statement in ("UPDATE plan_texts SET source = 'x'", "DELETE FROM plan_text_sections"):
        with pytest.raises(DBAPIError, match="append-only"):  # the history cannot be rewritten
            execute(client, statement)
    with unit_of_work(client.app.state.engine) as session:
        assert audit.verify(session).intact  # both loads sit in the hash chain


def test_a_changed_text_hostile_file_or_missing_source_is_refused_with_nothing_stored(client: TestClient):
    as_user(client, "admin")
    before = _stored(client)
    page = post(client, "/plan/text/preview", FACTS | {"text": SAMPLE}).text
    changed = _previewed_text(page).replace("30万元", "40万元")
    refused = post(client, "/plan/text/confirm", FACTS | {"text": changed, "digest": _hidden(page, "digest")})
    assert refused.status_code == 422
    assert "文本与预览时不同" in refused.text
    bomb = post(client, "/plan/text/preview", FACTS, files={"file": ("a.docx", b"PK\x03\x04 not really", DOCX)})
    assert bomb.status_code == 422
    assert "不是 Word 文档" in bomb.text
    nul = post(client, "/plan/text/preview", FACTS, files={"file": ("a.txt", b"\x00\x00", "text/plain")})
    assert "空字符（NUL）" in nul.text
    no_source = post(client, "/plan/text/preview", FACTS | {"source": "", "text": SAMPLE})
    assert no_source.status_code == 422
    assert "请填写来源" in no_source.text
    assert _stored(client) == before


def test_only_an_official_may_load_the_text(sqlite_client: TestClient):
    for username in ("analyst", "drafter", "county"):
        as_user(sqlite_client, username)
        assert sqlite_client.get("/plan/text/load").status_code == 403
        response = post(sqlite_client, "/plan/text/preview", FACTS | {"text": SAMPLE})
        assert response.status_code == 403
    assert query(sqlite_client, "SELECT count(*) FROM plan_texts")[0][0] == 0
