"""The English platform is English: every page each demo account can reach, walked by its links, shows no
Chinese outside data values (names people typed) and cited sources (a document's number or title)."""

from __future__ import annotations

from english_pages import chinese_left, data_runs, walk
from fastapi.testclient import TestClient
from personas import sign_in
from sqlalchemy import Engine

from zhijiao.demo.accounts import DEMO_USERS
from zhijiao.demo.drafting_2026 import load_2026_demo
from zhijiao.drafting import versions
from zhijiao.http.deps import LANG_COOKIE
from zhijiao.storage.database import unit_of_work

START = ["/", "/plan", "/calculator", "/targets", "/dashboard"]


def test_the_check_sees_chinese_that_is_not_data(sqlite_engine: Engine):
    allowed = data_runs(sqlite_engine)
    assert "瑞安市" in allowed  # a county's name is in the database: data on a registry page
    title = "《温州市推动现代职业教育高质量跨越式发展实施方案（2023—2025）》"
    page = f"<p>Rui'an City</p><p>温政办〔2023〕32号</p><p>{title}</p>"
    assert chinese_left(page, allowed)[0] == set()
    assert chinese_left("<p>计算依据</p><pre>原样记录</pre>", allowed)[0] == {"计算依据"}
    # Chinese on purpose, marked as such: the language switch, the source's own text beside its English.
    marked = '<a href="?lang=zh" lang="zh">中文</a><li><blockquote lang="zh"><p>原文<li>一条</blockquote>未标注'
    assert chinese_left(marked, allowed)[0] == {"未标注"}
    assert chinese_left('<p>The text says "分别给予" (each level).</p>', allowed)[0] == set()


def test_every_page_reads_in_english_for_every_account(sqlite_client: TestClient, sqlite_engine: Engine):
    allowed = data_runs(sqlite_engine)
    sqlite_client.cookies.set(LANG_COOKIE, "en")
    read, left = {}, {}
    read["(signed out)"], left["(signed out)"] = walk(sqlite_client, START, allowed)
    for username, *_ in DEMO_USERS:
        sign_in(sqlite_client, username)
        sqlite_client.cookies.set(LANG_COOKIE, "en")
        read[username], left[username] = walk(sqlite_client, START, allowed)
        sqlite_client.cookies.clear()
    report = [
        f"{who} {path}: {' | '.join(sorted(runs))}" for who, pages in left.items() for path, runs in pages.items()
    ]
    assert not report, "Chinese left on English pages:\n" + "\n".join(report)
    assert sum(read.values()) >= 400, read  # the walk reaches the platform, not a login page


def test_the_plan_in_drafting_reads_in_english(sqlite_client: TestClient, sqlite_engine: Engine, policy):
    """The 2026—2028 plan in drafting, as ``zhijiao serve --demo`` loads it: its versions, costs, rounds, replies,
    statistics and generated explanation, walked as the drafting staff and the consulted unit see them."""
    with unit_of_work(sqlite_engine) as session:
        load_2026_demo(session, versions.wenzhou_today(), policy)
    allowed = data_runs(sqlite_engine)
    left = {}
    for username in ("drafter", "unit"):
        sign_in(sqlite_client, username)
        sqlite_client.cookies.set(LANG_COOKIE, "en")
        _read, left[username] = walk(sqlite_client, ["/drafting", "/consultations"], allowed)
        sqlite_client.cookies.clear()
    report = [
        f"{who} {path}: {' | '.join(sorted(runs))}" for who, pages in left.items() for path, runs in pages.items()
    ]
    assert not report, "Chinese left on English pages:\n" + "\n".join(report)
