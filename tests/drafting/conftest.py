"""Drafting on the demo city: the personas, and a plan under drafting with one version of 15 articles."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.authz import Principal


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    with sessionmaker(bind=demo_engine, expire_on_commit=False)() as session:
        yield session


@pytest.fixture
def persona(db: Session) -> Callable[[str], Principal]:
    def find(username: str) -> Principal:
        user = db.scalar(select(User).where(User.username == username))
        assert user is not None
        return principal_of(user)

    return find
