"""Public ``/sparql`` queries answered by a remote store, under our limits.

:class:`RemoteQueryPool` has the interface of :class:`codikg.store.pool.QueryPool`
(``execute``, ``size``, ``killed``, ``close``), so the endpoint code is the same
for both backends: the query is checked (``SERVICE`` refused, lengths) by
:mod:`codikg.web.sparql`, sent to the store with the time limit as the HTTP
client's timeout, and its answer is cut at the row limit and serialised in
the negotiated format by :func:`codikg.store.worker.answer`, exactly as a
worker process does for the embedded store. A ``SELECT`` is sent with a
``LIMIT`` of one row over the row limit (:func:`codikg.sparql.query_text.limit_select`),
so the store stops early and the cut is still detected; ``CONSTRUCT`` and
``DESCRIBE`` are computed whole by the store and cut here.
"""

from __future__ import annotations

import asyncio

from codikg.store.pool import PoolBusy, QueryTimeout
from codikg.store.protocol import StoreTimeout
from codikg.sparql.query_text import limit_select
from codikg.store.remote import RemoteStore
from codikg.store.worker import answer


class _OneAnswer:
    """The remote store seen by :func:`answer` for one request: the query is sent
    once; a second evaluation (``answer`` may re-serialise natively) re-parses it."""

    def __init__(self, store: RemoteStore, timeout: float, rows: int):
        self._store, self._timeout, self._rows, self._raw = store, timeout, rows, None

    def query(self, sparql, default_graph_uris=None, named_graph_uris=None, base_iri=None):
        if self._raw is None:
            self._raw = self._store.query_raw(limit_select(sparql, self._rows), default_graph_uris,
                                              named_graph_uris, base_iri, self._timeout)
        return self._store.parse_answer(*self._raw)


class RemoteQueryPool:
    """At most ``size`` public queries at a time on ``store``.

    Args:
        store: the remote store (its own retries apply to connection errors).
        size: concurrent queries (``--workers``); more wait up to the wait limit.
    """

    def __init__(self, store: RemoteStore, size: int):
        if size < 1:
            raise ValueError(f"a query pool needs at least one slot, not {size}")
        self.store, self.size, self.killed = store, size, 0
        self._slots = asyncio.Semaphore(size)

    async def execute(self, header: dict, body: bytes, time_limit: float,
                      wait_limit: float, client: str = "") -> tuple[dict, bytes]:
        """Answer one request (see :meth:`codikg.store.pool.QueryPool.execute`; no
        long lane here, so ``client`` is not used).

        Raises:
            QueryTimeout: the store did not answer within ``time_limit``.
            PoolBusy: no slot freed up within ``wait_limit``.
            codikg.store.StoreError: the store is unreachable or failed.
        """
        if header.get("op") == "update":
            return {"status": 403, "message": "this SPARQL endpoint is read-only"}, b""
        try:
            async with asyncio.timeout(wait_limit):
                await self._slots.acquire()
        except TimeoutError:
            raise PoolBusy(f"all {self.size} store connections stayed busy for {wait_limit:g} s") from None
        text = body.decode("utf-8")
        try:
            # The HTTP timeout stops the wait for the store; the outer one also
            # covers a store that trickles its answer.
            async with asyncio.timeout(time_limit * 2 + 1):
                return await asyncio.to_thread(answer, _OneAnswer(self.store, time_limit, header["limit"] + 1),
                                               {**header, "text": text}, text)
        except (TimeoutError, StoreTimeout):
            self.killed += 1
            raise QueryTimeout(f"the store did not answer within the time limit of {time_limit:g} s; "
                               "the query was abandoned") from None
        finally:
            self._slots.release()

    def close(self) -> None:
        self.store.close()
