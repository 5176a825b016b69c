"""Fair use of the query workers: who gets the next free worker, and the long lane.

A query's cost is unknown until it runs, so :class:`codikg.store.pool.QueryPool`
starts every query as a fresh one and moves a query that outlives a short
budget to the *long lane*: at most ``long_lane`` such queries at once (fewer
than the workers, so the others keep taking fresh queries), and at most
``client_long`` of one client. :class:`LongLane` counts them;
:class:`WorkerQueue` hands free workers out: first to clients answered within
the budget lately, then to new ones, last to clients whose queries were
stopped lately (at the time limit, or past the budget with the long lane
full), and never the last ``reserve`` free workers to those (nor, under
pressure, to new clients).

Both live on one event loop and hold no lock: everything here runs between awaits.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Callable, Generic, TypeVar

W = TypeVar("W")


class PoolBusy(Exception):
    """No worker became free in time."""


class LongQueryRefused(Exception):
    """A query outlived the budget of fresh queries but may not run on as a long one.

    Attributes:
        per_client: ``True`` when its client already runs its share of long
            queries (HTTP 429), ``False`` when the long lane is full (503).
        retry_after: whole seconds after which a long query will have ended.
    """

    def __init__(self, message: str, per_client: bool, retry_after: int):
        super().__init__(message)
        self.per_client, self.retry_after = per_client, retry_after


class LongLane:
    """Counts of long queries, in all and per client.

    Args:
        size: most long queries at once (≥ 1).
        per_client: most long queries of one client at once (≥ 1).
    """

    def __init__(self, size: int, per_client: int):
        if size < 1 or per_client < 1:
            raise ValueError(f"a long lane needs room for a query, not size={size}, per_client={per_client}")
        self.size, self.per_client = size, per_client
        self._by_client: Counter[str] = Counter()

    @property
    def running(self) -> int:
        """Long queries running now."""
        return sum(self._by_client.values())

    def enter(self, client: str, time_limit: float) -> None:
        """Admit one more long query of ``client`` (an IP address or any key).

        Raises:
            LongQueryRefused: the client is at its cap (``per_client=True``) or
                the lane is full; ``retry_after`` is ``time_limit`` (seconds)
                rounded up, by when a running long query has ended.
        """
        wait = max(1, math.ceil(time_limit))
        if self._by_client[client] >= self.per_client:
            raise LongQueryRefused(f"this client already runs {self._by_client[client]} long "
                                   f"{'query' if self.per_client == 1 else 'queries'} (at most "
                                   f"{self.per_client} at once); this one was stopped", True, wait)
        if self.running >= self.size:
            raise LongQueryRefused(f"all {self.size} places for long queries are taken; this query "
                                   "was stopped", False, wait)
        self._by_client[client] += 1

    def leave(self, client: str) -> None:
        """A long query of ``client`` ended (answered, stopped or abandoned)."""
        self._by_client[client] -= 1
        if self._by_client[client] <= 0:
            del self._by_client[client]


#: A waiting request's rank: clients answered lately first, then new ones, then stopped ones.
ANSWERED, NEW, STOPPED = 0, 1, 2


@dataclass(eq=False)
class _Waiter(Generic[W]):
    client: str
    rank: int
    future: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class WorkerQueue(Generic[W]):
    """Free workers and the requests waiting for one.

    Args:
        reserve: free workers never handed to a client that had a query stopped
            for running long within the last ``penalty`` seconds (0: none kept),
            nor, under pressure (``pressed()``: the long lane is full, or any
            query was stopped in that time), to a new client.

    Waiting requests are served by rank, in arrival order within a rank: first
    clients with a query answered within the budget lately, then clients not
    seen lately, last clients with a query stopped lately; these only while
    more than ``reserve`` workers are free, and under pressure new clients
    too. So clients looping runaway queries, known or new, never hold the last
    free worker.
    A stopped client's request that times out waiting renews its penalty.
    """

    def __init__(self, reserve: int = 0, pressed: Callable[[], bool] = lambda: False):
        self.reserve, self._pressed = reserve, pressed
        self._penalty = 0.0  # the last penalty asked for (seconds)
        self._idle: deque[W] = deque()
        self._waiters: list[_Waiter] = []
        self._seen: dict[int, dict[str, float]] = {ANSWERED: {}, STOPPED: {}}

    @property
    def idle(self) -> int:
        """Workers free now."""
        return len(self._idle)

    def put(self, worker: W) -> None:
        """A worker is free (new, or done with a query)."""
        self._idle.append(worker)
        self._dispatch()

    def stopped(self, client: str) -> None:
        """A query of ``client`` was stopped for running long: serve the client last for a while."""
        self._note(STOPPED, client)

    def answered(self, client: str) -> None:
        """A query of ``client`` was answered within the budget of fresh queries."""
        self._note(ANSWERED, client)

    def _note(self, kind: int, client: str) -> None:
        now = asyncio.get_running_loop().time()
        seen = self._seen[kind]
        seen[client] = now
        if len(seen) > 4096:  # forget clients not seen for an hour
            self._seen[kind] = {c: t for c, t in seen.items() if t > now - 3600}

    def _barred(self) -> int:
        """The lowest rank kept off the reserve: new clients too while under
        pressure (the long lane is full, or a query was stopped lately)."""
        if self._pressed():
            return NEW
        stops = self._seen[STOPPED]
        last = max(stops.values(), default=-math.inf)
        return NEW if asyncio.get_running_loop().time() - last < self._penalty else STOPPED

    def _rank(self, client: str, penalty: float) -> int:
        now = asyncio.get_running_loop().time()
        if now - self._seen[STOPPED].get(client, -math.inf) < penalty:
            return STOPPED
        return ANSWERED if now - self._seen[ANSWERED].get(client, -math.inf) < penalty else NEW

    async def get(self, client: str, wait_limit: float, penalty: float) -> W:
        """The next free worker for ``client``.

        Args:
            wait_limit: seconds to wait for one.
            penalty: seconds a client keeps its rank after a query answered or stopped.

        Raises:
            PoolBusy: none was handed to this client within ``wait_limit``.
        """
        self._penalty = penalty
        waiter = _Waiter(client, self._rank(client, penalty))
        self._waiters.append(waiter)
        self._dispatch()
        got = None
        try:
            async with asyncio.timeout(wait_limit):
                got = await waiter.future
        except TimeoutError:
            if waiter.rank == STOPPED:  # turned away while served last: stays served last
                self.stopped(client)
            raise PoolBusy(f"no query worker became free for {wait_limit:g} s") from None
        finally:
            if got is None:  # timed out or cancelled
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                elif waiter.future.done() and not waiter.future.cancelled():
                    self.put(waiter.future.result())  # handed over just as we gave up
        return got

    def _dispatch(self) -> None:
        while self._idle and self._waiters:
            waiter = min(self._waiters, key=lambda w: w.rank)  # the first of the best rank
            if waiter.rank >= self._barred() and len(self._idle) <= self.reserve:
                return
            self._waiters.remove(waiter)
            waiter.future.set_result(self._idle.pop())

    def drain(self) -> list[W]:
        """Take every free worker out (at shutdown)."""
        workers = list(self._idle)
        self._idle.clear()
        return workers
