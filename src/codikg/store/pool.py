"""A pool of query worker processes with a time limit that really stops a query.

pyoxigraph cannot interrupt a running query, so public queries run in
separate processes (:mod:`codikg.store.worker`), each holding its own
in-memory copy of the release. A query that outlives its time limit has its
worker killed (SIGKILL) and replaced; other requests keep running on the
other workers and never wait on it. Requests talk to workers over Unix
socket pairs with asyncio streams, so the event loop never blocks.

Fair use (:mod:`codikg.store.fairness`): a query that has used ``long_after``
seconds of CPU (not of wall time: on a busy machine a light query waits for
the CPU but is not long) moves to the long lane and its worker to the lowest CPU priority
(nice 19, every thread); when the lane or the client's share of it is full,
the query is stopped instead. A client whose query was stopped (there, or at
the time limit) is served after the others for one time limit, and never
takes the last free worker; clients answered lately are served before new
ones, and under pressure (the long lane full, or a query stopped lately) new
clients do not take the last free worker either. With fair use on, a replaced worker's place is taken at
once by a spare started beforehand (one process more than ``size``). A worker found dead when it is taken from the
free list (it died while idle) is replaced and another is taken: a query is
never blamed for a worker that was already dead.

Memory: while a query runs, its worker's resident set (``/proc/PID/statm``)
is read every :data:`MEMORY_POLL` seconds; a worker past ``memory_limit`` is
killed and replaced like one past the time limit. This watch is used rather
than ``RLIMIT_AS``, which counts the large virtual areas RocksDB and threads
reserve but never touch.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from codikg.store.fairness import LongLane, LongQueryRefused, PoolBusy, WorkerQueue
from codikg.store.worker import _FRAME

__all__ = ["LongQueryRefused", "PoolBusy", "QueryMemoryExceeded", "QueryPool", "QueryTimeout",
           "WorkerFailed"]

#: The niceness of a worker running a long query (the lowest priority).
LONG_NICE = 19

#: Seconds between two reads of a running query's worker memory.
MEMORY_POLL = 0.02


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class QueryMemoryExceeded(Exception):
    """The query's worker grew past the memory limit; it was killed."""


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
        self.warming = False  # a spare whose ready message is being read
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    @property
    def ready(self) -> bool:
        """The worker said it is ready (its release is loaded)."""
        return self.network_isolated is not None

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

    def kill(self, reap: bool = True) -> None:
        """SIGKILL the process and close the socket; ``reap=False`` leaves the wait for
        its exit to the caller (a process at nice 19 on a busy machine may take a
        while to be scheduled and die: the event loop must not wait for it)."""
        if self.proc.poll() is None:
            self.proc.kill()
            if reap:
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
        long_after: CPU seconds of its worker after which a query counts as long
            (wall-clock seconds where there is no ``/proc``; ``None``: no long
            lane, every query runs to its time limit at full priority).
        long_lane: most long queries at once (1 … ``size`` - 1).
        client_long: most long queries of one client at once (≥ 1).
        memory_limit: most resident bytes of a worker while it runs a query
            (``None``: no bound, or no ``/proc`` to read it from).

    Workers start at once (in the background); the first request waits for
    its worker to be ready.

    Raises:
        ValueError: ``size`` < 1, or a long lane that leaves no worker for fresh queries.
    """

    def __init__(self, trig_path: str | Path | list[str | Path], size: int, writable: bool = False,
                 startup_timeout: float = 120.0, store_path: str | Path | None = None,
                 long_after: float | None = None, long_lane: int = 1, client_long: int = 1,
                 memory_limit: int | None = None):
        if size < 1:
            raise ValueError(f"a query pool needs at least one worker, not {size}")
        if long_after is not None and not 1 <= long_lane < size:
            raise ValueError(f"the long lane must leave a worker for fresh queries: {long_lane} of {size}")
        paths = trig_path if isinstance(trig_path, (list, tuple)) else [trig_path]
        self._trig, self._writable, self._startup = [Path(p) for p in paths], writable, startup_timeout
        self._store_path = Path(store_path) if store_path is not None else None
        self._long_after = long_after
        self._memory_limit = memory_limit
        self.long_lane = LongLane(long_lane, client_long) if long_after is not None else None
        self._workers = {_Worker(self._trig, writable, self._store_path) for _ in range(size)}
        # One free worker is kept from clients stopped lately (and, while the long lane is full,
        # from new ones) only where two or more take fresh queries: never the only one.
        self._idle: WorkerQueue[_Worker] = WorkerQueue(
            reserve=1 if long_after is not None and size - long_lane >= 2 else 0,
            pressed=lambda: self.long_lane is not None and self.long_lane.running >= self.long_lane.size)
        for worker in self._workers:
            self._idle.put(worker)
        self._tasks: set[asyncio.Task] = set()
        # With fair use, stopped queries are what an attack causes: a spare worker
        # started beforehand takes a replaced worker's place at once.
        self._spare = _Worker(self._trig, writable, self._store_path) if long_after is not None else None
        self.killed = 0
        atexit.register(self.close)

    @property
    def size(self) -> int:
        return len(self._workers)

    async def execute(self, header: dict, body: bytes, time_limit: float,
                      wait_limit: float, client: str = "") -> tuple[dict, bytes]:
        """Send one request (see :mod:`codikg.store.worker`) to a free worker.

        Args:
            header: the request header; body: the query or update text (UTF-8).
            time_limit: seconds from this call to the answer, the wait for a
                free worker included (so every request is answered within it).
            wait_limit: most seconds to wait for a free worker.
            client: who asks (an IP address), for the long lane's per-client cap.

        Returns:
            The worker's response header and body.

        Raises:
            QueryTimeout: ``time_limit`` passed; the worker was killed and replaced.
            LongQueryRefused: the query outlived the budget of fresh queries and
                the long lane (or the client's share of it) is full; the worker
                was killed and replaced.
            QueryMemoryExceeded: the worker grew past ``memory_limit``; it was
                killed and replaced.
            PoolBusy: no worker was free within ``wait_limit``.
            WorkerFailed: the worker died on this query; it was replaced.
        """
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        deadline = loop.time() + time_limit
        self._warm_spare()
        worker = await self._take(client, min(wait_limit, time_limit), time_limit)
        reuse, long, refused = False, False, []  # refused: why the query was stopped
        cpu_at_start = _cpu_seconds(worker.proc.pid)

        def budget_over() -> None:  # a timer callback, not a task: cheap on every query
            nonlocal long, timer
            # The budget is CPU time: on a busy machine a light query takes longer
            # in wall time, but it is not a long one.
            used = _cpu_seconds(worker.proc.pid) - cpu_at_start if cpu_at_start is not None else None
            if used is not None and used < self._long_after:
                timer = loop.call_later(self._long_after - used, budget_over)
                return
            try:
                self.long_lane.enter(client, time_limit)
            except LongQueryRefused as exc:
                refused.append(exc)
                task.cancel()
                return
            long = True
            _lower_priority(worker.proc.pid)

        def memory_over() -> None:
            nonlocal watch
            rss = _resident_bytes(worker.proc.pid)
            if rss is not None and rss > self._memory_limit:
                refused.append(QueryMemoryExceeded(
                    f"the query used more than the memory limit of {self._memory_limit / 2**20:g} MiB "
                    "per query worker and was stopped"))
                task.cancel()
                return
            watch = loop.call_later(MEMORY_POLL, memory_over)

        timer = (loop.call_later(self._long_after, budget_over)
                 if self.long_lane is not None and header.get("op") != "update" else None)
        watch = loop.call_later(MEMORY_POLL, memory_over) if self._memory_limit is not None else None
        try:
            async with asyncio.timeout_at(deadline):
                response = await worker.request(header, body)
            # A long query's worker keeps its low priority (raising it again needs
            # CAP_SYS_NICE): it is replaced like a stopped one.
            reuse = not long
            if reuse:
                self._idle.answered(client)
            return response
        except asyncio.CancelledError:
            if refused and task.uncancel() == 0:  # cancelled by budget_over only
                self._idle.stopped(client)
                raise refused[0] from None
            raise
        except TimeoutError:
            self._idle.stopped(client)
            raise QueryTimeout(f"the query ran longer than the time limit of {time_limit:g} s "
                               "and was stopped") from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError, ValueError) as exc:
            raise WorkerFailed(f"the query worker failed: {exc!r}") from None
        finally:
            for pending in (timer, watch):
                if pending is not None:
                    pending.cancel()
            if long:
                self.long_lane.leave(client)
            # On timeout, error or cancellation (client gone) the worker may still
            # be busy with this query: replace it rather than reuse it.
            if reuse:
                self._idle.put(worker)
            else:
                self._replace(worker)

    async def _take(self, client: str, wait_limit: float, time_limit: float) -> _Worker:
        """A free worker that is alive and ready; dead ones are replaced on the way.

        Raises:
            PoolBusy: none within ``wait_limit`` seconds.
        """
        deadline = asyncio.get_running_loop().time() + wait_limit
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise PoolBusy(f"all {self.size} query workers stayed busy for {wait_limit:g} s")
            try:
                worker = await self._idle.get(client, left, penalty=time_limit)
            except PoolBusy:
                raise PoolBusy(f"all {self.size} query workers stayed busy for {wait_limit:g} s") from None
            if worker.proc.poll() is not None:  # died while idle: not this query's fault
                print(f"codikg: query worker {worker.proc.pid} died while idle "
                      f"(exit status {worker.proc.returncode}); replaced", file=sys.stderr)
                self._replace(worker)
                continue
            try:
                await worker.connect(self._startup)
            except (TimeoutError, WorkerFailed, asyncio.IncompleteReadError, OSError) as exc:
                print(f"codikg: query worker {worker.proc.pid} failed to start ({exc!r}); replaced",
                      file=sys.stderr)
                self._replace(worker)
                continue
            return worker

    def _replace(self, worker: _Worker) -> None:
        self.killed += 1
        worker.kill(reap=False)
        self._workers.discard(worker)
        if worker.proc.returncode is None:
            self._background(asyncio.to_thread(worker.proc.wait))  # reaped off the event loop
        spare = self._spare
        if spare is not None and spare.ready:  # the spare takes the place at once and is renewed
            self._spare = _Worker(self._trig, self._writable, self._store_path)
            self._warm_spare()
            self._workers.add(spare)
            self._idle.put(spare)
            return
        fresh = _Worker(self._trig, self._writable, self._store_path)
        self._workers.add(fresh)
        self._background(self._ready(fresh))

    def _warm_spare(self) -> None:
        """Read the spare's ready message (once, on the running event loop)."""
        if self._spare is not None and not self._spare.warming:
            self._spare.warming = True
            self._background(self._warm(self._spare))

    async def _warm(self, spare: _Worker) -> None:
        try:
            await spare.connect(self._startup)
        except (TimeoutError, WorkerFailed, asyncio.IncompleteReadError, OSError) as exc:
            print(f"codikg: spare query worker {spare.proc.pid} failed to start ({exc!r})", file=sys.stderr)
            if self._spare is spare:
                self._spare = None
            spare.kill(reap=False)

    def _background(self, work) -> None:
        task = asyncio.get_running_loop().create_task(work)
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
        self._idle.put(worker)

    def close(self) -> None:
        """Kill every worker (idempotent)."""
        for worker in list(self._workers) + ([self._spare] if self._spare is not None else []):
            worker.kill()
        self._workers.clear()
        self._spare = None
        self._idle.drain()


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) process ``pid`` has used; ``None`` without /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14, 15)


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _resident_bytes(pid: int) -> int | None:
    """Resident set size of process ``pid`` in bytes; ``None`` without /proc."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


def _lower_priority(pid: int) -> None:
    """Give every thread of process ``pid`` the niceness :data:`LONG_NICE` (Linux
    applies ``setpriority(PRIO_PROCESS)`` to one thread only)."""
    try:
        threads = [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
    except OSError:  # no /proc (not Linux): the process is the thread
        threads = [pid]
    for tid in threads:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, LONG_NICE)
        except ProcessLookupError:  # the thread or the worker has just ended
            pass
