"""A pool of query worker processes with a time limit that really stops a query.

pyoxigraph cannot interrupt a running query, so public queries run in
separate processes (:mod:`codikg.store.worker`), each holding its own
in-memory copy of the release. A query that outlives its time limit has its
worker killed (SIGKILL) and replaced; other requests keep running on the
other workers and never wait on it. Requests talk to workers over Unix
socket pairs with asyncio streams, so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import socket
import subprocess
import sys
from pathlib import Path

from codikg.store.worker import _FRAME


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free in time."""


class WorkerFailed(Exception):
    """A worker died or sent garbage (e.g. out of memory)."""


class _Worker:
    def __init__(self, trig_paths: list[Path], writable: bool, store_path: Path | None = None):
        parent, child = socket.socketpair()
        data = ["--store", str(store_path)] if store_path is not None else list(map(str, trig_paths))
        args = [sys.executable, "-m", "codikg.store.worker", str(child.fileno()),
                *(["--writable"] if writable else []), *data]
        self.proc = subprocess.Popen(args,
                                     pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL)
        child.close()
        self.sock = parent
        self.network_isolated: bool | None = None  # known once the worker is ready
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self, timeout: float) -> None:
        if self.reader is not None:
            return
        self.reader, self.writer = await asyncio.open_connection(sock=self.sock)
        header, _ = await asyncio.wait_for(self.read(), timeout)
        if not header.get("ready"):
            raise WorkerFailed(f"worker {self.proc.pid} did not start: {header}")
        self.network_isolated = bool(header.get("network_isolated"))

    async def request(self, header: dict, body: bytes) -> tuple[dict, bytes]:
        head = json.dumps(header).encode()
        self.writer.write(_FRAME.pack(len(head), len(body)) + head + body)
        await self.writer.drain()
        return await self.read()

    async def read(self) -> tuple[dict, bytes]:
        head_len, body_len = _FRAME.unpack(await self.reader.readexactly(_FRAME.size))
        header = json.loads(await self.reader.readexactly(head_len))
        return header, (await self.reader.readexactly(body_len) if body_len else b"")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        try:
            if self.writer is not None:
                self.writer.close()
        except RuntimeError:  # the event loop is already closed (interpreter exit)
            pass
        self.sock.close()


class QueryPool:
    """``size`` worker processes, each with the release at ``trig_path`` loaded.

    Args:
        trig_path: the release's TriG dump, or a list of TriG files loaded
            together (as :class:`codikg.store.EmbeddedStore` takes them).
        size: number of worker processes (≥ 1).
        writable: workers accept updates (only sensible with ``size=1``).
        startup_timeout: seconds a new worker may take to load the release.
        store_path: an on-disk store (:mod:`codikg.store.disk`) the workers
            open read-only instead of loading ``trig_path``.

    Workers start at once (in the background); the first request waits for
    its worker to be ready.
    """

    def __init__(self, trig_path: str | Path | list[str | Path], size: int, writable: bool = False,
                 startup_timeout: float = 120.0, store_path: str | Path | None = None):
        if size < 1:
            raise ValueError(f"a query pool needs at least one worker, not {size}")
        paths = trig_path if isinstance(trig_path, (list, tuple)) else [trig_path]
        self._trig, self._writable, self._startup = [Path(p) for p in paths], writable, startup_timeout
        self._store_path = Path(store_path) if store_path is not None else None
        self._workers = {_Worker(self._trig, writable, self._store_path) for _ in range(size)}
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        for worker in self._workers:
            self._idle.put_nowait(worker)
        self._tasks: set[asyncio.Task] = set()
        self.killed = 0
        atexit.register(self.close)

    @property
    def size(self) -> int:
        return len(self._workers)

    async def execute(self, header: dict, body: bytes, time_limit: float,
                      wait_limit: float) -> tuple[dict, bytes]:
        """Send one request (see :mod:`codikg.store.worker`) to a free worker.

        Args:
            header: the request header; body: the query or update text (UTF-8).
            time_limit: seconds the worker may take to answer.
            wait_limit: seconds to wait for a free worker.

        Returns:
            The worker's response header and body.

        Raises:
            QueryTimeout: ``time_limit`` passed; the worker was killed and replaced.
            PoolBusy: no worker was free within ``wait_limit``.
            WorkerFailed: the worker died; it was replaced.
        """
        try:
            async with asyncio.timeout(wait_limit):
                worker = await self._idle.get()
        except TimeoutError:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {wait_limit:g} s") from None
        healthy = False
        try:
            await worker.connect(self._startup)
            async with asyncio.timeout(time_limit):
                response = await worker.request(header, body)
            healthy = True
            return response
        except TimeoutError:
            raise QueryTimeout(f"the query ran longer than the time limit of {time_limit:g} s "
                               "and was stopped") from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError, ValueError) as exc:
            raise WorkerFailed(f"the query worker failed: {exc!r}") from None
        finally:
            # On timeout, error or cancellation (client gone) the worker may still
            # be busy with this query: replace it rather than reuse it.
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        self.killed += 1
        worker.kill()
        self._workers.discard(worker)
        fresh = _Worker(self._trig, self._writable, self._store_path)
        self._workers.add(fresh)
        task = asyncio.get_running_loop().create_task(self._ready(fresh))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ready(self, worker: _Worker) -> None:
        try:
            await worker.connect(self._startup)
        except (TimeoutError, WorkerFailed, asyncio.IncompleteReadError, OSError) as exc:
            print(f"codikg: query worker {worker.proc.pid} failed to start ({exc!r}); "
                  "starting another", file=sys.stderr)
            self._replace(worker)
            return
        self._idle.put_nowait(worker)

    def close(self) -> None:
        """Kill every worker (idempotent)."""
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
