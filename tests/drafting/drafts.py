"""A plan under drafting for the tests: the 2026—2028 plan, version 1 with 15 articles in 3 parts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.drafting import versions
from zhijiao.drafting.models import DraftVersion, Unit
from zhijiao.drafting.stages import Stage

ARTICLES = 15


def texts() -> list[versions.ArticleText]:
    return [
        versions.ArticleText((n - 1) // 5 + 1, f"第{(n - 1) // 5 + 1}部分", f"条款{n}", f"第{n}条的内容：措施{n}。")
        for n in range(1, ARTICLES + 1)
    ]


def new_plan(db: Session, drafter: Principal) -> DraftVersion:
    plan = versions.create_plan(db, drafter, code="wenzhou-vet-2026", title="温州市职业教育三年行动计划（2026—2028年）",
                                period="2026—2028")  # fmt: skip
    return versions.first_version(db, drafter, plan, Stage.consultation, texts())


def unit_id(db: Session, name: str) -> int:
    found = db.scalar(select(Unit.id).where(Unit.name == name))
    assert found is not None
    return found
