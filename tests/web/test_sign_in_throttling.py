"""Sign-in throttling (issue 14, item 3): at most the limit of password checks whatever the concurrency, keyed
so that a stranger cannot lock a real user out, and one password verification for an unknown name as for a
known one. On SQLite (a file database) and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from personas import csrf_token
from sqlalchemy import Engine, select, update

from zhijiao.accounts import service, throttle
from zhijiao.accounts.models import SignInThrottle, User
from zhijiao.accounts.service import THROTTLE_FAILURES, SignInRefused, authenticate
from zhijiao.cli.platform import create_app
from zhijiao.demo.accounts import DEMO_PASSWORD
from zhijiao.storage.database import engine_for, unit_of_work


class Verifications:
    """Counts the password verifications made: the real argon2 ones, or (``real=False``) a fast stand-in that
    refuses all but the demo password."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, real: bool = True) -> None:
        self.count, self.hashes, self._lock = 0, list[str](), threading.Lock()
        original = service.verify_password

        def counted(password_hash: str, password: str) -> bool:
            with self._lock:
                self.count += 1
                self.hashes.append(password_hash)
            return original(password_hash, password) if real or password == DEMO_PASSWORD else False

        monkeypatch.setattr(service, "verify_password", counted)


def _attempt(engine: Engine, username: str, password: str, client: str) -> str:
    """One sign-in in its own session, as one request: ``ok``, ``wrong`` or ``throttled``."""
    try:
        with unit_of_work(engine) as session:
            authenticate(session, username, password, client=client)
    except SignInRefused as refused:
        return "throttled" if refused.throttled else "wrong"
    return "ok"


def _clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.timedelta], None]:
    """Freezes the sign-in clock; the returned function moves it on."""
    moment = [dt.datetime.now(dt.UTC)]
    monkeypatch.setattr(service, "now", lambda: moment[0])

    def advance(by: dt.timedelta) -> None:
        moment[0] += by

    return advance


def test_sixty_concurrent_wrong_passwords_make_at_most_the_limit_of_checks(demo_engine: Engine, monkeypatch):
    verifications = Verifications(monkeypatch)
    start = threading.Barrier(60)

    def guess(number: int) -> str:
        start.wait()  # all 60 at once, as the probe sent them
        return _attempt(demo_engine, "finance", f"guess-{number}", "198.51.100.7")

    with ThreadPoolExecutor(max_workers=60) as pool:
        outcomes = list(pool.map(guess, range(60)))
    assert verifications.count <= THROTTLE_FAILURES
    assert outcomes.count("wrong") == verifications.count >= 1
    assert outcomes.count("throttled") == 60 - verifications.count
    # The reservations were committed before the checks: the table says as many as were made.
    with unit_of_work(demo_engine) as session:
        name_row = session.scalars(select(SignInThrottle).where(SignInThrottle.kind == "name")).one()
    assert (name_row.username, name_row.client, name_row.checks) == ("finance", "198.51.100.7", verifications.count)


def test_a_strangers_failures_do_not_lock_the_real_user_out(demo_engine: Engine):
    app = create_app(demo_engine, demo=True)
    with (
        TestClient(app, client=("203.0.113.66", 40000)) as stranger,
        TestClient(app, client=("192.0.2.10", 40000)) as owner,
    ):
        guess = {"username": "finance", "password": "guess-guess", "csrf_token": csrf_token(stranger)}
        statuses = [stranger.post("/login", data=guess).status_code for _ in range(THROTTLE_FAILURES + 3)]
        assert statuses == [401] * THROTTLE_FAILURES + [429] * 3
        # The stranger stays throttled, even with the right password, on the page and the API alike...
        assert stranger.post("/login", data=guess | {"password": DEMO_PASSWORD}).status_code == 429
        token = {"username": "finance", "password": DEMO_PASSWORD}
        assert stranger.post("/api/v1/auth/token", json=token).json()["code"] == "too_many_attempts"
        # ...while the real user, from their own address, signs in on both.
        mine = {"username": "finance", "password": DEMO_PASSWORD, "csrf_token": csrf_token(owner)}
        assert owner.post("/login", data=mine, follow_redirects=False).status_code == 303
        assert owner.post("/api/v1/auth/token", json=token).status_code == 200


def test_an_unknown_or_disabled_name_costs_one_verification_like_a_known_one(demo_engine: Engine, monkeypatch):
    with unit_of_work(demo_engine) as session:
        session.execute(update(User).where(User.username == "auditor").values(active=False))
    verifications = Verifications(monkeypatch)
    for username in ("finance", "no-such-user", "auditor"):
        before = verifications.count
        assert _attempt(demo_engine, username, "wrong-password", "192.0.2.20") == "wrong"
        assert verifications.count == before + 1, username
    known, unknown, disabled = verifications.hashes
    # The stand-in is an argon2 hash with the users' parameters, so its verification costs the same.
    assert unknown.startswith("$argon2id$")
    assert unknown.split("$")[:4] == known.split("$")[:4]
    assert disabled == unknown  # a disabled user's own hash is not verified: it could not sign in anyway
    assert _attempt(demo_engine, "auditor", DEMO_PASSWORD, "192.0.2.20") == "wrong"


def test_one_client_spraying_many_names_is_stopped(demo_engine: Engine, monkeypatch):
    verifications = Verifications(monkeypatch, real=False)
    sprayer = "203.0.113.99"
    outcomes = [_attempt(demo_engine, f"user{n}", "password123", sprayer) for n in range(throttle.CLIENT_CHECKS - 1)]
    # A success from the address (an office behind one address) gives its check back: it is no guess.
    outcomes.append(_attempt(demo_engine, "analyst", DEMO_PASSWORD, sprayer))
    outcomes += [_attempt(demo_engine, f"other{n}", "password123", sprayer) for n in range(6)]
    assert outcomes == ["wrong"] * (throttle.CLIENT_CHECKS - 1) + ["ok", "wrong"] + ["throttled"] * 5
    # The address is refused for any name now; another address is not.
    assert _attempt(demo_engine, "admin", "whatever-it-is", sprayer) == "throttled"
    assert _attempt(demo_engine, "admin", "whatever-it-is", "192.0.2.30") == "wrong"
    assert verifications.count == throttle.CLIENT_CHECKS + 2


def test_backoff_doubles_after_the_free_checks_and_a_success_starts_over(demo_engine: Engine, monkeypatch):
    advance = _clock(monkeypatch)
    client = "192.0.2.40"
    for _ in range(THROTTLE_FAILURES):
        assert _attempt(demo_engine, "finance", "wrong-guess", client) == "wrong"
    assert _attempt(demo_engine, "finance", DEMO_PASSWORD, client) == "throttled"
    for wait in (throttle.NAME_FIRST_BACKOFF, throttle.NAME_FIRST_BACKOFF * 2, throttle.NAME_FIRST_BACKOFF * 4):
        advance(wait - dt.timedelta(seconds=1))
        assert _attempt(demo_engine, "finance", "wrong-guess", client) == "throttled"
        advance(dt.timedelta(seconds=1))
        assert _attempt(demo_engine, "finance", "wrong-guess", client) == "wrong"
    assert throttle.backoff(100) == throttle.NAME_MAX_BACKOFF
    advance(throttle.NAME_FIRST_BACKOFF * 8)
    assert _attempt(demo_engine, "finance", DEMO_PASSWORD, client) == "ok"
    # A success starts the name over (the client's window of 15 minutes has passed: it started over too).
    with unit_of_work(demo_engine) as session:
        checks = {row.kind: row.checks for row in session.execute(select(SignInThrottle.kind, SignInThrottle.checks))}
    assert checks == {"name": 0, "client": 0}
    for _ in range(THROTTLE_FAILURES):
        assert _attempt(demo_engine, "finance", "wrong-guess", client) == "wrong"
    # A quiet client window forgets the client's failures; a quiet day forgets the name's.
    advance(throttle.NAME_FORGET_AFTER)
    assert _attempt(demo_engine, "finance", DEMO_PASSWORD, client) == "ok"


def test_the_refusal_says_how_long_to_wait(demo_engine: Engine, monkeypatch):
    _clock(monkeypatch)
    for _ in range(THROTTLE_FAILURES):
        _attempt(demo_engine, "finance", "wrong-guess", "192.0.2.50")
    with pytest.raises(SignInRefused) as refused, unit_of_work(demo_engine) as session:
        authenticate(session, "finance", DEMO_PASSWORD, client="192.0.2.50")
    assert refused.value.throttled
    assert "请1分钟后再试" in refused.value.zh
    assert "try again in 1 minute." in refused.value.en


def _guesses_in_a_process(url: str, client: str, count: int) -> list[str]:
    """A second server process: its own engine and connections, the same database."""
    engine = engine_for(url)  # as the server makes it (on SQLite: WAL, foreign keys)
    return [_attempt(engine, "finance", f"guess-{n}", client) for n in range(count)]


def test_the_limit_holds_across_processes(demo_engine: Engine):
    url = demo_engine.url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(max_workers=4, mp_context=multiprocessing.get_context("spawn")) as pool:
        runs = [pool.submit(_guesses_in_a_process, url, "198.51.100.8", 8) for _ in range(4)]
        outcomes = [outcome for run in runs for outcome in run.result()]
    assert outcomes.count("wrong") == THROTTLE_FAILURES  # each one verification; the other 27 none
    assert outcomes.count("throttled") == 32 - THROTTLE_FAILURES
