"""Concurrent calculations answered together: while one pass of the engine runs, the requests that arrive wait
for it to finish and then go, all of them, into the next (decision 0018).

One caller alone waits for no company: after a pass of one request, the next starts at once. Under load, a pass
takes whatever came in during the previous one, waiting at most ``GATHER_SECONDS`` for as many as the previous
pass answered (they are on their way back), so the engine's fixed cost per pass is shared by many requests
(``engine.together``). Each request still gets exactly its own answer, or its own refusal.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from zhijiao.engine.policy import Policy
from zhijiao.engine.succession import PlansInTurn
from zhijiao.engine.together import Answer, answer_together

MOST_AT_ONCE = 64  # a pass of a few dozen single-school documents takes milliseconds; more would only wait longer
GATHER_SECONDS = 0.004  # the longest a pass waits for company: about one pass of the engine


@dataclass
class _Waiting:
    """The requests of one event loop not yet in a pass, and whether a pass is running."""

    documents: list[tuple[object, asyncio.Future[Answer]]] = field(default_factory=list)
    running: bool = False
    expected: int = 1  # how many the last pass answered: under load, about as many are on their way back
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class Together:
    """The calculator of ``plans`` (one policy, or plans in force in turn) shared by every request of an app."""

    def __init__(self, plans: Policy | PlansInTurn) -> None:
        self.plans = plans
        # One queue per event loop: a future belongs to the loop that made it (tests run several apps' loops).
        self._waiting: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Waiting] = weakref.WeakKeyDictionary()

    async def answer(self, document: object) -> Answer:
        loop = asyncio.get_running_loop()
        waiting = self._waiting.setdefault(loop, _Waiting())
        future: asyncio.Future[Answer] = loop.create_future()
        waiting.documents.append((document, future))
        waiting.arrived.set()
        if not waiting.running:
            waiting.running = True
            loop.create_task(self._drain(waiting))  # noqa: RUF006 -- _drain itself hands every outcome to a future
        return await future

    async def _drain(self, waiting: _Waiting) -> None:
        batch: list[tuple[object, asyncio.Future[Answer]]] = []
        try:
            while waiting.documents:
                await _gather(waiting)
                batch = waiting.documents[:MOST_AT_ONCE]
                del waiting.documents[:MOST_AT_ONCE]
                waiting.expected = len(batch)
                try:
                    answers = await run_in_threadpool(answer_together, self.plans, [d for d, _ in batch])
                except Exception as error:  # noqa: BLE001 -- every caller is told, none waits forever
                    _settle([f for _, f in batch], error=error)
                    continue
                for (_, future), answer in zip(batch, answers, strict=True):
                    if not future.done():  # its caller went away
                        future.set_result(answer)
        finally:
            waiting.running = False
            # Cancelled mid-pass (the server stopping): its callers are told rather than left waiting.
            _settle([f for _, f in batch], error=RuntimeError("calculation cancelled"))


async def _gather(waiting: _Waiting) -> None:
    """Under load, wait a moment for as many requests as the last pass answered: they are being read and
    parsed, and a pass costs much the same for one as for ten. Alone (the last pass answered one), no wait."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GATHER_SECONDS
    while len(waiting.documents) < min(waiting.expected, MOST_AT_ONCE):
        remaining = deadline - loop.time()
        if remaining <= 0:
            return
        waiting.arrived.clear()
        try:
            await asyncio.wait_for(waiting.arrived.wait(), remaining)
        except TimeoutError:
            return


def _settle(futures: list[asyncio.Future[Any]], *, error: BaseException) -> None:
    for future in futures:
        if not future.done():
            future.set_exception(error)
