"""Public queries answered in this process, on a thread: for fixtures and small test stores.

:class:`codikg.store.pool.QueryPool` (worker processes) is what ``codikg serve``
uses: only a process can be killed when a query outlives its time limit. This
pool has the same ``execute`` interface over any store with ``query``/``update``
(:class:`codikg.store.EmbeddedStore`), so a test can hand the app a store built
from a small fixture. A query past the time limit is answered 503 at once, but
its thread runs on to the end: never use it for a public endpoint.
"""

from __future__ import annotations

import asyncio

from codikg.store.pool import PoolBusy, QueryTimeout
from codikg.store.worker import answer


class InProcessQueryPool:
    """At most ``size`` queries at a time, each on a thread of this process.

    Args:
        store: an :class:`codikg.store.EmbeddedStore` (or anything :func:`answer` takes).
        size: concurrent queries; more wait up to the wait limit.

    Raises:
        ValueError: ``size`` < 1.
    """

    def __init__(self, store, size: int = 1):
        if size < 1:
            raise ValueError(f"a query pool needs at least one slot, not {size}")
        self.store, self.size, self.killed = store, size, 0
        self._slots = asyncio.Semaphore(size)

    async def execute(self, header: dict, body: bytes, time_limit: float,
                      wait_limit: float, client: str = "") -> tuple[dict, bytes]:
        """Answer one request (see :meth:`codikg.store.pool.QueryPool.execute`; no
        long lane here, so ``client`` is not used).

        Raises:
            QueryTimeout: no answer within ``time_limit`` seconds.
            PoolBusy: no slot freed up within ``wait_limit`` seconds.
        """
        try:
            async with asyncio.timeout(wait_limit):
                await self._slots.acquire()
        except TimeoutError:
            raise PoolBusy(f"all {self.size} query slots stayed busy for {wait_limit:g} s") from None
        text = body.decode("utf-8")
        try:
            async with asyncio.timeout(time_limit):
                return await asyncio.to_thread(answer, self.store, {**header, "text": text}, text)
        except TimeoutError:
            self.killed += 1
            raise QueryTimeout(f"the query ran past the time limit of {time_limit:g} s") from None
        finally:
            self._slots.release()

    def close(self) -> None:
        """Nothing to stop: the threads belong to asyncio's default executor."""
