"""Issue 16, what a signed-in user meets: each role arrives at its own work (a return path still wins), a consulted
unit's inbox holds only the rounds it can still answer, the language chosen before sign-in is kept after it, a
refusal says in plain words what the user can do, and every page cites the plan by its real title."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from personas import csrf_token, sign_in
from registry_html import cell_text, query
from test_drafting_support import as_user, new_plan, send
from test_fulfilment_support import YEAR, post

from zhijiao.demo.accounts import DEMO_PASSWORD
from zhijiao.drafting.versions import wenzhou_today
from zhijiao.engine.policy import Policy
from zhijiao.http.deps import LANG_COOKIE

TITLE_ZH = "温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）"
NUMBER = "温政办〔2023〕32号"
OLD_TITLE = "温州市职业教育高质量发展三年行动计划"
CODE_WORDS = ("forbidden", "错误代码", "Error code", "HTTP", "403")


def _visible(page: str) -> str:
    """The text a reader sees in the page's main part and footer (no markup, no attribute values)."""
    body = page.split("<main", 1)[1]
    return cell_text(re.sub(r"<script.*?</script>", " ", body, flags=re.DOTALL))


def _h1(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
    assert found is not None, page[:2000]
    return cell_text(found.group(1))


def _signed_in_at(client: TestClient, username: str, **data: str) -> str:
    """Signs in through the form (with ``next`` if given); where the sign-in sends the user."""
    form = {"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf_token(client)} | data
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    return str(response.headers["location"])


def _scoped_code(client: TestClient, username: str, table: str, column: str) -> tuple[str, str]:
    """The code and name of the school or enterprise a demo account is limited to."""
    rows = query(
        client,
        f"SELECT t.code, t.name FROM {table} t JOIN users u ON u.{column} = t.id WHERE u.username = :u",  # noqa: S608
        u=username,
    )
    assert len(rows) == 1
    return str(rows[0][0]), str(rows[0][1])


FIXED_LANDINGS = {
    "admin": ("/dashboard", "总览"),
    "analyst": ("/dashboard", "总览"),
    "county": ("/awards?view=todo", "奖补兑现"),
    "finance": ("/batches", "拨付批次"),
    "finance2": ("/batches", "拨付批次"),
    "auditor": ("/audit", "审计记录"),
    "drafter": ("/drafting", "方案起草"),
    "unit": ("/consultations", "征求意见 市发改委"),
}


@pytest.mark.parametrize(("username", "landing"), FIXED_LANDINGS.items())
def test_each_role_arrives_at_its_work_after_sign_in_and_at_the_front_door(
    sqlite_client: TestClient, username: str, landing: tuple[str, str]
):
    path, heading = landing
    assert _signed_in_at(sqlite_client, username) == path
    assert sqlite_client.get("/", follow_redirects=False).headers["location"] == path
    page = sqlite_client.get(path)
    assert page.status_code == 200
    assert _h1(page.text).startswith(heading)


def test_a_school_and_an_enterprise_arrive_at_their_own_record(sqlite_client: TestClient):
    for username, table, column, area in (
        ("school", "schools", "school_id", "schools"),
        ("enterprise", "enterprises", "enterprise_id", "enterprises"),
    ):
        sqlite_client.cookies.clear()
        code, name = _scoped_code(sqlite_client, username, table, column)
        assert _signed_in_at(sqlite_client, username) == f"/registry/{area}/{code}"
        assert sqlite_client.get("/", follow_redirects=False).headers["location"] == f"/registry/{area}/{code}"
        page = sqlite_client.get(f"/registry/{area}/{code}").text
        assert _h1(page) == name
        assert 'id="entitlements"' in page  # what it is entitled to, with the explanation
    assert name == "浙江顺方鞋业有限公司"  # the demo's first enterprise, not an empty list of schools


def test_the_county_lands_on_its_review_queue_holding_its_own_countys_awards(sqlite_client: TestClient):
    sign_in(sqlite_client, "admin")
    assert post(sqlite_client, "/awards/proactive", {"year": str(YEAR)}).status_code == 303
    sqlite_client.cookies.clear()
    landing = _signed_in_at(sqlite_client, "county")
    page = sqlite_client.get(landing).text
    listed = re.findall(r'<tr data-award="([^"]+)">', page)
    assert listed
    counties = {row[0] for row in query(sqlite_client, "SELECT DISTINCT county_code FROM applications")}
    assert len(counties) > 1  # the run found awards all over the city; the queue shows Ruian's only
    placeholders = ", ".join(f":n{i}" for i in range(len(listed)))
    shown = query(
        sqlite_client,
        f"SELECT DISTINCT county_code, status FROM applications WHERE number IN ({placeholders})",  # noqa: S608
        **{f"n{i}": number for i, number in enumerate(listed)},
    )
    assert shown == [("330381", "pending")]
    assert 'aria-current="page">待我处理' in page


def test_the_drafting_staff_land_on_the_plans_they_draft(sqlite_client: TestClient):
    sqlite_client.get(_signed_in_at(sqlite_client, "drafter"))
    plans = sqlite_client.get("/drafting").text.split("<main", 1)[1].split("<footer", 1)[0]
    assert TITLE_ZH in plans  # the 2023 plan's drafting record


def test_a_return_path_still_wins_if_it_is_a_page_of_this_site_the_role_may_open(sqlite_client: TestClient):
    assert _signed_in_at(sqlite_client, "admin", next="/targets?year=2024") == "/targets?year=2024"
    sqlite_client.cookies.clear()
    assert _signed_in_at(sqlite_client, "admin", next="https://evil.example/") == "/dashboard"
    sqlite_client.cookies.clear()
    assert _signed_in_at(sqlite_client, "admin", next="//evil.example/dashboard") == "/dashboard"
    for disguised in ("/\\evil.example/", "/\tevil", "/\n/evil.example"):  # a browser reads "/\\" as "//"
        sqlite_client.cookies.clear()
        assert _signed_in_at(sqlite_client, "admin", next=disguised) == "/dashboard", disguised
    sqlite_client.cookies.clear()
    # A page of another role's work would only refuse the unit: its own inbox is a better place to arrive.
    assert _signed_in_at(sqlite_client, "unit", next="/dashboard") == "/consultations"
    sqlite_client.cookies.clear()
    assert _signed_in_at(sqlite_client, "unit", next="/plan") == "/plan"  # public


def test_the_units_inbox_holds_only_the_rounds_it_can_still_answer(client: TestClient):
    today = wenzhou_today()
    version = new_plan(client)
    open_round = send(client, version, deadline=today + dt.timedelta(days=7))
    closed_round = send(client, version, sent_on=today - dt.timedelta(days=20), deadline=today - dt.timedelta(days=1))
    historical = [
        row[0]
        for row in query(
            client,
            "SELECT r.id FROM consultation_rounds r JOIN draft_plans p ON p.id = r.plan_id"
            " JOIN round_units ru ON ru.round_id = r.id JOIN units u ON u.id = ru.unit_id"
            " WHERE p.historical AND u.name = '市发改委'",
        )
    ]
    assert len(historical) == 2  # the 2023 plan's two rounds, both sent to 市发改委
    as_user(client, "unit")
    inbox = client.get("/consultations").text
    assert re.findall(r'data-round="(\d+)"', inbox) == [str(open_round)]
    assert "反馈中" in inbox
    assert "历史记录（只读）" not in inbox
    assert 'href="/consultations/past">往期征求意见（3轮）' in inbox
    past = client.get("/consultations/past")
    assert past.status_code == 200
    assert _h1(past.text).startswith("往期征求意见")
    listed = re.findall(r'data-round="(\d+)"', past.text)
    assert sorted(map(int, listed)) == sorted([closed_round, *historical])
    assert "已截止" in past.text
    assert "历史记录（只读）" in past.text
    assert 'id="reply-form"' in client.get(f"/consultations/{open_round}").text
    assert 'id="reply-form"' not in client.get(f"/consultations/{closed_round}").text
    english = client.get("/consultations/past?lang=en").text
    assert _h1(english).startswith("Past consultations")


def test_a_unit_with_nothing_open_is_told_so_and_pointed_to_its_past_rounds(sqlite_client: TestClient):
    sign_in(sqlite_client, "unit")
    inbox = sqlite_client.get("/consultations").text
    assert "目前没有正在向本单位征求意见的方案稿。" in inbox
    assert 'data-round="' not in inbox
    assert "往期征求意见（2轮）" in inbox


def test_english_chosen_before_sign_in_is_kept_through_it(sqlite_client: TestClient):
    refused = sqlite_client.get("/dashboard?lang=en", follow_redirects=False)
    assert refused.status_code == 303
    login_url = refused.headers["location"]
    assert login_url == "/login?next=/dashboard%3Flang%3Den&lang=en"
    sqlite_client.cookies.delete(LANG_COOKIE)  # not relying on the remembered choice: the addresses carry it
    login = sqlite_client.get(login_url)
    assert _h1(login.text) == "Sign in"
    assert 'action="/login?lang=en"' in login.text
    assert 'name="next" value="/dashboard?lang=en"' in login.text
    sqlite_client.cookies.delete(LANG_COOKIE)
    form = {"username": "finance", "password": DEMO_PASSWORD, "next": "/dashboard?lang=en"}
    signed = sqlite_client.post(
        "/login?lang=en", data=form | {"csrf_token": csrf_token(sqlite_client)}, follow_redirects=False
    )
    assert signed.headers["location"] == "/dashboard?lang=en"
    sqlite_client.cookies.delete(LANG_COOKIE)
    dashboard = sqlite_client.get(signed.headers["location"])
    assert dashboard.status_code == 200
    assert 'lang="en"' in dashboard.text.split(">", 2)[1]
    assert _h1(dashboard.text).startswith("Dashboard")


def test_english_chosen_on_the_sign_in_page_leads_to_the_english_landing(sqlite_client: TestClient):
    page = sqlite_client.get("/login?lang=en")
    assert 'action="/login?lang=en"' in page.text
    sqlite_client.cookies.delete(LANG_COOKIE)
    form = {"username": "auditor", "password": DEMO_PASSWORD, "csrf_token": csrf_token(sqlite_client)}
    signed = sqlite_client.post("/login?lang=en", data=form, follow_redirects=False)
    assert signed.headers["location"] == "/audit?lang=en"
    sqlite_client.cookies.delete(LANG_COOKIE)
    assert _h1(sqlite_client.get("/audit?lang=en").text) == "Audit trail"


def test_the_header_sign_in_link_returns_to_the_page_in_its_language(sqlite_client: TestClient):
    page = sqlite_client.get("/targets?lang=en").text
    assert 'href="/login?next=/targets%3Flang%3Den&amp;lang=en">Sign in</a>' in page


def test_a_refusal_says_what_the_user_can_do_without_code_words(sqlite_client: TestClient):
    sign_in(sqlite_client, "unit")
    refused = sqlite_client.get("/dashboard")
    assert refused.status_code == 403
    text = _visible(refused.text)
    assert "没有权限" in text
    assert "您现在以“市发改委联络员”（征求意见单位）的身份登录，此页面或操作不属于该角色的工作。" in text
    assert "回到我的工作页面" in text
    assert "以有权限的其他账号登录" in text
    assert not [word for word in CODE_WORDS if word in text]
    assert '<a href="/" id="my-work">' in refused.text
    assert '<a href="/login?next=/dashboard" id="sign-in-again">' in refused.text
    assert re.search(r"<title>没有权限 ·", refused.text)

    english = sqlite_client.get("/dashboard?lang=en")
    assert english.status_code == 403
    text = _visible(english.text)
    assert "Not available to your role" in text
    assert (
        "You are signed in as “市发改委联络员” (consulted unit); this page or action is not part of that role's work."
        in text
    )
    assert "Go to my work" in text
    assert "Sign in with another account that has access" in text
    assert not [word for word in CODE_WORDS if word in text]
    assert 'href="/login?next=/dashboard%3Flang%3Den&amp;lang=en" id="sign-in-again"' in english.text


def test_the_refusals_ways_out_lead_to_the_users_work_or_another_account(sqlite_client: TestClient):
    sign_in(sqlite_client, "unit")
    assert sqlite_client.get("/", follow_redirects=False).headers["location"] == "/consultations"
    again = re.search(r'<a href="([^"]+)" id="sign-in-again">', sqlite_client.get("/dashboard").text)
    assert again is not None
    assert sqlite_client.get(again.group(1)).status_code == 200  # the sign-in page, while signed in as the unit
    assert _signed_in_at(sqlite_client, "admin", next="/dashboard") == "/dashboard"
    assert sqlite_client.get("/dashboard").status_code == 200


def test_other_error_pages_speak_plainly_too(sqlite_client: TestClient):
    missing = sqlite_client.get("/no-such-page")
    assert missing.status_code == 404
    text = _visible(missing.text)
    assert "找不到该页面或记录" in text
    assert "返回首页" in text
    assert not [word for word in ("http_404", "错误代码", "HTTP") if word in text]
    sign_in(sqlite_client, "school")
    outside = sqlite_client.get("/registry/schools/SCH-0001?lang=en")
    assert outside.status_code == 404
    text = _visible(outside.text)
    assert "No such record in your view of the registry." in text
    assert "Go to my work" in text  # the signed-in user is known on an error page
    assert "not_found" not in text
    sqlite_client.cookies.delete(LANG_COOKIE)
    expired = sqlite_client.post("/logout", data={"csrf_token": "stale"})
    assert expired.status_code == 403
    text = _visible(expired.text)
    assert "表单已过期" in text
    assert "重新打开刚才的页面，再提交一次。" in text
    assert "csrf" not in text.lower()


def test_every_page_cites_the_plan_by_its_title_and_number_from_the_policy(sqlite_client: TestClient, policy: Policy):
    document = policy.metadata["document"]
    assert (document["title"]["zh"], document["number"]) == (TITLE_ZH, NUMBER)
    chinese = sqlite_client.get("/calculator").text
    assert f"依据《{TITLE_ZH}》（{NUMBER}）" in _visible(chinese)
    assert OLD_TITLE not in chinese
    assert f"<small>{NUMBER}</small>" in chinese  # the header names the plan by the same number
    english = sqlite_client.get("/calculator?lang=en").text
    number_en = "Wenzhou Gov. Office [2023] No. 32"  # the number as the English catalog writes it, as the header does
    assert f"Under the {document['title']['en']} ({number_en})" in _visible(english)
    assert f"<small>{number_en}</small>" in english
    assert OLD_TITLE not in english
    sign_in(sqlite_client, "unit")
    refused = sqlite_client.get("/dashboard?lang=en").text  # error pages too
    assert f"Under the {document['title']['en']}" in _visible(refused)
