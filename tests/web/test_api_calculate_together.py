"""Concurrent ``POST /api/v1/calculate`` requests share passes of the engine, and each still gets exactly its own
answer or its own refusal (api.calculate_together, decision 0018)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from zhijiao.api import calculate_together
from zhijiao.cli.platform import create_app
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade

SCHOOL = {
    "id": "S1",
    "county": "瑞安市",
    "school_type": "secondary",
    "ownership": "public",
    "sponsor": "county",
    "double_high": "provincial",
    "base_appropriation_per_student": 10000,
    "full_time_teachers": 100,
    "part_time_teachers": 50,
    "local_avg_teacher_salary": 150000,
}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    engine = engine_for(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    upgrade(engine)
    yield create_app(engine)
    engine.dispose()


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of documents in each pass the API asked of the engine."""
    seen: list[int] = []
    answer_together = calculate_together.answer_together

    def counted(policy: Any, documents: list[object]) -> Any:
        seen.append(len(documents))
        return answer_together(policy, documents)

    monkeypatch.setattr(calculate_together, "answer_together", counted)
    return seen


def _documents() -> list[tuple[dict[str, Any], str]]:
    """20 schools all called S1, two refused documents and two asking for explanations, with their queries."""
    documents: list[tuple[dict[str, Any], str]] = [
        ({"year": 2024, "schools": [{**SCHOOL, "students": 100 * n}]}, "") for n in range(1, 21)
    ]
    documents.insert(5, ({"year": 2024, "schools": [{**SCHOOL, "students": -5}]}, ""))
    documents.insert(9, ({"year": 2024, "schools": [SCHOOL, {**SCHOOL, "students": 7}]}, ""))
    documents.insert(12, ({"year": 2024, "schools": [{**SCHOOL, "students": 900}]}, "?explain=true&lang=en"))
    documents.append(({"year": 2023, "schools": [{**SCHOOL, "students": 900}]}, "?explain=true"))
    return documents


def _all_at_once(app: FastAPI, documents: list[tuple[dict[str, Any], str]]) -> list[httpx.Response]:
    """Every request at once, on an event loop of their own (in a thread: the test may run inside another loop)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _gathered(app, documents)).result()


async def _gathered(app: FastAPI, documents: list[tuple[dict[str, Any], str]]) -> list[httpx.Response]:
    # As a server does: an unexpected error becomes the app's own 500 answer (and is logged), not an exception here.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return list(
            await asyncio.gather(*(client.post(f"/api/v1/calculate{query}", json=body) for body, query in documents))
        )


def test_concurrent_requests_are_answered_each_as_alone(app: FastAPI, passes: list[int]):
    documents = _documents()
    together = _all_at_once(app, documents)
    shared = list(passes)
    with TestClient(app) as client:  # one after the other: each request its own pass
        alone = [client.post(f"/api/v1/calculate{query}", json=body) for body, query in documents]
    assert [r.status_code for r in together] == [r.status_code for r in alone]
    assert [r.json() for r in together] == [r.json() for r in alone]
    assert [r.status_code for r in together].count(422) == 2
    refused = together[5].json()
    assert refused["problems"][0]["record"] == "学校 S1"
    assert "不能为负数" in refused["problems"][0]["message"]
    assert together[9].json()["problems"][0]["message"] == "编号重复"
    students = [r.json()["schools"]["S1"]["appropriation_uplift_amount"] for r in together if r.status_code == 200]
    assert len(set(students)) > 1  # different schools, different answers: no answer went to the wrong request
    # 22 documents without explanations went to the engine in fewer passes than requests.
    assert sum(shared) == 22
    assert max(shared) > 1
    assert len(shared) < 22


def test_a_failing_pass_answers_each_of_its_requests_with_a_problem(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> Any:
        raise RuntimeError("the engine failed")

    monkeypatch.setattr(calculate_together, "answer_together", broken)
    documents = [({"year": 2024, "schools": [{**SCHOOL, "students": 100}]}, "")] * 3
    answers = _all_at_once(app, documents)
    assert [r.status_code for r in answers] == [500, 500, 500]
    assert all(r.headers["content-type"] == "application/problem+json" for r in answers)
    assert all("the engine failed" not in r.text for r in answers)  # no internals reach the caller
