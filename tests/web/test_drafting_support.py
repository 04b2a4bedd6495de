"""What the drafting page tests share: acting through the forms as the demo personas, and reading the pages.

A plan for the tests is made as the drafting staff make one: the new-plan form with a pasted text of 15
articles in 3 parts, then a round sent from its version page to three units of the directory.
"""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from httpx import Response
from personas import csrf_token, sign_in
from registry_html import cell_text, query

from zhijiao.drafting.versions import wenzhou_today

ARTICLES = 15
UNITS = ("市发改委", "市经信局", "市科技局")
PLAN_TITLE = "温州市职业教育三年行动计划（2026—2028年）"


def outline() -> str:
    lines = []
    for n in range(1, ARTICLES + 1):
        if n % 5 == 1:
            lines.append(f"{'一二三'[n // 5]}、第{n // 5 + 1}部分")
        lines.append(f"条款{n}：第{n}条的内容：措施{n}。")
    return "\n".join(lines)


def post(client: TestClient, url: str, data: dict[str, object] | None = None, **kwargs: object) -> Response:
    """A form as the browser sends it, with the CSRF token; redirects are not followed."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, follow_redirects=False, **kwargs)


def as_user(client: TestClient, username: str) -> TestClient:
    client.cookies.clear()
    return sign_in(client, username)


def located(response: Response, pattern: str) -> int:
    assert response.status_code == 303, response.text[:2000]
    match = re.search(pattern, response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def new_plan(client: TestClient, code: str = "wenzhou-vet-2026") -> int:
    """The new plan's first version id, made through the form as the drafting staff."""
    as_user(client, "drafter")
    data = {"code": code, "title": PLAN_TITLE, "period": "2026—2028", "stage": "consultation", "outline": outline()}
    return located(post(client, "/drafting/plans", data), r"/drafting/versions/(\d+)")


def unit_ids(client: TestClient, *names: str) -> list[int]:
    found = dict(query(client, "SELECT name, id FROM units"))
    return [found[name] for name in names]


def article_keys(client: TestClient, version_id: int) -> dict[int, str]:
    rows = query(client, "SELECT number, article_key FROM draft_articles WHERE version_id = :v", v=version_id)
    return dict(rows)


def send(
    client: TestClient,
    version_id: int,
    names: tuple[str, ...] = UNITS,
    *,
    sent_on: dt.date | None = None,
    deadline: dt.date | None = None,
) -> int:
    """A round sent from the version's page (as the drafting staff); its id."""
    as_user(client, "drafter")
    today = wenzhou_today()
    data = {
        "unit": [str(i) for i in unit_ids(client, *names)],
        "sent_on": (sent_on or today).isoformat(),
        "deadline": (deadline or today + dt.timedelta(days=14)).isoformat(),
    }
    return located(post(client, f"/drafting/versions/{version_id}/send", data), r"/drafting/rounds/(\d+)")


def row_of(page: str, element_id: str) -> list[str]:
    """The cells' text of the table row with ``element_id``."""
    start = page.index(f'id="{element_id}"')
    row = page[start:].split("</tr>", 1)[0]
    return [cell_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]


def item_ids(client: TestClient, round_id: int) -> list[int]:
    return [
        row[0] for row in query(client, "SELECT id FROM feedback_items WHERE round_id = :r ORDER BY id", r=round_id)
    ]


def explanation_of(page: str) -> str:
    """The generated drafting-explanation text of a plan's page."""
    found = re.search(r'<p class="explanation-text"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert found is not None
    return cell_text(found.group(1))


def count(client: TestClient, sql: str, **params: object) -> int:
    return int(query(client, sql, **params)[0][0])
