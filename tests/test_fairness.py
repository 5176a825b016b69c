"""Fair use of the query workers: the long lane, who gets the next free worker, the limits.

The scheduling parts without processes (fast); the pool and the server with
worker processes (slow). Orders and statuses, never durations.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import httpx
import pytest

from codikg.config.limits import Limits, limits_from_env
from codikg.store.fairness import STOPPED, LongLane, LongQueryRefused, PoolBusy, WorkerQueue
from codikg.store.pool import LONG_NICE, QueryPool
from codikg.web.limits import limits_page

from conftest import serve

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MISSIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/codikg/ontology#Mission> }"
JSON_HEADER = {"op": "query", "results": "application/sparql-results+json", "limit": 10}


def test_long_lane_caps_clients_then_the_lane():
    lane = LongLane(size=2, per_client=1)
    lane.enter("10.0.0.1", 5)
    with pytest.raises(LongQueryRefused) as own:
        lane.enter("10.0.0.1", 5)
    assert own.value.per_client and own.value.retry_after == 5
    lane.enter("10.0.0.2", 4.2)
    with pytest.raises(LongQueryRefused) as full:
        lane.enter("10.0.0.3", 4.2)
    assert not full.value.per_client and full.value.retry_after == 5
    assert "all 2 places for long queries are taken" in str(full.value)
    lane.leave("10.0.0.1")
    lane.enter("10.0.0.3", 5)
    assert lane.running == 2


def test_a_client_whose_query_was_stopped_is_served_after_the_others_and_never_takes_the_reserve():
    async def scenario():
        queue = WorkerQueue(reserve=1)
        queue.stopped("attacker")
        queue.answered("fresh")
        stopped_at = queue._seen[STOPPED]["attacker"]
        attacker = asyncio.ensure_future(queue.get("attacker", 5, penalty=5))
        fresh = asyncio.ensure_future(queue.get("fresh", 5, penalty=5))
        await asyncio.sleep(0)
        queue.put("w1")  # the only free worker is the reserve: the answered client gets it
        assert await fresh == "w1" and not attacker.done()
        queue.put("w2")
        await asyncio.sleep(0)
        assert not attacker.done()  # one free worker is still the reserve
        queue.put("w3")
        assert await attacker in ("w2", "w3") and queue.idle == 1
        with pytest.raises(PoolBusy):
            await queue.get("attacker", 0.05, penalty=5)
        assert queue._seen[STOPPED]["attacker"] > stopped_at  # turned away: the penalty is renewed
        assert await queue.get("fresh", 0.05, penalty=5) in ("w2", "w3")
        # once the penalty is over the client is served like any new one
        assert queue.idle == 0
        queue.put("w4")
        queue.put("w5")
        assert await queue.get("attacker", 1, penalty=0) in ("w4", "w5")

    asyncio.run(scenario())


def test_under_pressure_clients_answered_lately_go_first_and_keep_the_last_worker():
    async def scenario():
        queue = WorkerQueue(reserve=1, pressed=lambda: True)  # the long lane is full
        queue.answered("known")
        new = [asyncio.ensure_future(queue.get(f"new-{i}", 5, penalty=5)) for i in range(2)]
        known = asyncio.ensure_future(queue.get("known", 5, penalty=5))
        await asyncio.sleep(0)
        queue.put("w1")
        assert await known == "w1" and not any(task.done() for task in new)
        queue.put("w2")
        await asyncio.sleep(0)
        assert not any(task.done() for task in new)  # the last free worker is kept
        queue.put("w3")
        assert await new[0] in ("w2", "w3") and not new[1].done() and queue.idle == 1
        new[1].cancel()
        await asyncio.gather(new[1], return_exceptions=True)

    asyncio.run(scenario())


def test_without_pressure_a_new_client_takes_the_last_free_worker():
    async def scenario():
        queue = WorkerQueue(reserve=1)
        queue.put("w1")
        assert await queue.get("new", 1, penalty=5) == "w1"

    asyncio.run(scenario())


def test_a_waiter_that_gives_up_leaves_the_queue():
    async def scenario():
        queue = WorkerQueue()
        gone = asyncio.ensure_future(queue.get("a", 5, penalty=1))
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.gather(gone, return_exceptions=True)
        queue.put("w1")
        assert queue.idle == 1 and await queue.get("b", 1, penalty=1) == "w1"

    asyncio.run(scenario())


def test_fair_use_limits_and_their_environment():
    assert Limits(workers=4).fair_use() == {"long_after": 0.2, "long_lane": 2, "client_long": 1}
    assert Limits(workers=2).fair_use()["long_lane"] == 1
    assert Limits(workers=1).fair_use()["long_after"] is None  # one worker: no long lane
    with pytest.raises(ValueError, match="long_queries must be between 1 and workers - 1 \\(3\\)"):
        Limits(workers=4, long_queries=4)
    with pytest.raises(ValueError, match="trusted proxy 'proxy.example' is not an IP address"):
        Limits(trusted_proxies="10.0.0.1, proxy.example")
    limits = limits_from_env({"CODIKG_LONG_QUERY_AFTER": "0.25", "CODIKG_LONG_QUERIES": "3",
                              "CODIKG_CLIENT_LONG_QUERIES": "2", "CODIKG_QUERY_WORKERS": "6",
                              "CODIKG_TRUSTED_PROXIES": "10.0.0.0/8,::1"})
    assert limits.fair_use() == {"long_after": 0.25, "long_lane": 3, "client_long": 2}
    assert limits.proxies() == ["10.0.0.0/8", "::1"]


def test_limits_page_states_fair_use(client):
    text = client.get("/limits").text  # one worker: no long lane
    assert "long queries" not in text and "trusted proxies (X-Forwarded-For names the client): none" in text
    page = limits_page(SimpleNamespace(limits=Limits(workers=4, trusted_proxies="10.0.0.1"))).body.decode()
    assert ("long queries: a query that has used 0.2 s of CPU moves to the long lane (lowest CPU "
            "priority), at most 2 at once") in page
    assert "1 per client (429, Query-Limit-Exceeded: client-long-queries, Retry-After)" in page
    assert "trusted proxies (X-Forwarded-For names the client): 10.0.0.1" in page


async def _until(condition, limit: float) -> None:
    """Poll ``condition`` until it holds; fail after ``limit`` seconds (a multiple of a
    configured time limit, so that a slow machine only waits longer)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.05)


@pytest.mark.slow
def test_pool_long_lane_priority_caps_and_cancel(release):
    """A query past the budget runs on at the lowest priority; a second long query of the same
    client is stopped (per client), one of another client too (the lane is full); fresh
    queries are answered meanwhile; cancelling the long query (its client left) kills its worker."""
    folder, _ = release
    limit = 60.0  # no query here may reach it

    async def scenario():
        pool = QueryPool(folder / "codikg.trig", 3, long_after=0.3, long_lane=1, client_long=1)
        try:
            first = asyncio.ensure_future(pool.execute(JSON_HEADER, CROSS_PRODUCT.encode(), limit, limit, "a"))
            await _until(lambda: pool.long_lane.running == 1, limit)
            (long_worker,) = [w for w in pool._workers if os.getpriority(os.PRIO_PROCESS, w.proc.pid) == LONG_NICE]
            with pytest.raises(LongQueryRefused) as own:
                await pool.execute(JSON_HEADER, CROSS_PRODUCT.encode(), limit, limit, "a")
            assert own.value.per_client
            with pytest.raises(LongQueryRefused) as full:
                await pool.execute(JSON_HEADER, CROSS_PRODUCT.encode(), limit, limit, "b")
            assert not full.value.per_client
            meta, body = await pool.execute(JSON_HEADER, MISSIONS.encode(), limit, limit, "c")
            assert meta["status"] == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"
            assert not first.done() and pool.killed == 2  # the two refused queries' workers
            first.cancel()
            await asyncio.gather(first, return_exceptions=True)
            assert pool.long_lane.running == 0
            await _until(lambda: long_worker.proc.poll() is not None, limit)
            assert pool.size == 3 and long_worker not in pool._workers
        finally:
            pool.close()

    asyncio.run(scenario())


@pytest.mark.slow
def test_a_worker_that_died_while_idle_is_replaced_before_a_query(release):
    folder, _ = release

    async def scenario():
        pool = QueryPool(folder / "codikg.trig", 1)
        try:
            meta, _ = await pool.execute(JSON_HEADER, MISSIONS.encode(), 30, 30)
            assert meta["status"] == 200
            (dead,) = pool._workers
            dead.proc.send_signal(signal.SIGKILL)
            dead.proc.wait()
            meta, body = await pool.execute(JSON_HEADER, MISSIONS.encode(), 30, 30)
            assert meta["status"] == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"
            assert dead not in pool._workers and pool.size == 1
        finally:
            pool.close()

    asyncio.run(scenario())


def _workers_of(server_pid: int) -> set[int]:
    """The query worker processes of the server process ``server_pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server_pid and b"codikg.store.worker" in cmdline:
            found.add(int(entry.name))
    return found


def _server_pid(url: str) -> int:
    port = int(url.rsplit(":", 1)[1])
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in cmdline and str(port).encode() in cmdline:
                return int(entry.name)
    raise AssertionError(f"no server process on port {port}")


TIME_LIMIT = 30  # the fair server's --time-limit: no query here is meant to reach it


@pytest.fixture(scope="module")
def fair(release):
    folder, _ = release
    with serve(folder, "--workers", "3", "--long-queries", "1", "--long-query-after", "0.3",
               "--time-limit", str(TIME_LIMIT), "--trusted-proxies", "127.0.0.1", "--cache-bytes", "0") as url:
        yield url, _server_pid(url)


def _wait(condition, limit: float) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.05)


def _niced(server_pid: int) -> list[int]:
    return [pid for pid in _workers_of(server_pid) if os.getpriority(os.PRIO_PROCESS, pid) == LONG_NICE]


def _runaway(url: str, client: str) -> socket.socket:
    """A connection that has sent a cross product as ``client`` (through the trusted proxy)."""
    sock = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
    sock.sendall(f"GET /sparql?query={quote(CROSS_PRODUCT + ' # ' + client)} HTTP/1.1\r\nHost: x\r\n"
                 f"X-Forwarded-For: {client}\r\nAccept: application/sparql-results+json\r\n\r\n".encode())
    return sock


@pytest.mark.slow
def test_long_lane_over_http_429_503_and_a_client_that_leaves_frees_its_worker(fair):
    """One long query (X-Forwarded-For 10.0.0.1, trusted proxy) at the lowest priority; the same
    client's second long query gets 429, another client's 503 (lane full), both with
    Retry-After; a light query is answered meanwhile; the first client closes its connection
    and its worker is killed and replaced while the time limit is still far off."""
    url, pid = fair
    _wait(lambda: len(_workers_of(pid)) == 4, TIME_LIMIT)
    with _runaway(url, "10.0.0.1"):
        _wait(lambda: _niced(pid), TIME_LIMIT)
        (busy,) = _niced(pid)
        again = httpx.get(url + "/sparql", params={"query": CROSS_PRODUCT + " # 2"},
                          headers={"X-Forwarded-For": "10.0.0.1"}, timeout=2 * TIME_LIMIT)
        assert again.status_code == 429 and again.headers["retry-after"] == str(TIME_LIMIT)
        assert again.headers["query-limit-exceeded"] == "client-long-queries"
        assert again.text.startswith("this client already runs 1 long query")
        other = httpx.get(url + "/sparql", params={"query": CROSS_PRODUCT + " # 3"},
                          headers={"X-Forwarded-For": "10.0.0.2"}, timeout=2 * TIME_LIMIT)
        assert other.status_code == 503 and other.headers["query-limit-exceeded"] == "long-queries"
        assert other.headers["retry-after"] == str(TIME_LIMIT)
        light = httpx.get(url + "/sparql", params={"query": MISSIONS}, timeout=2 * TIME_LIMIT)
        assert light.status_code == 200 and light.json()["results"]["bindings"][0]["n"]["value"] == "4"
        assert busy in _workers_of(pid)  # the runaway query still runs
    _wait(lambda: busy not in _workers_of(pid), TIME_LIMIT / 2)
    _wait(lambda: len(_workers_of(pid)) == 4, TIME_LIMIT / 2)


@pytest.mark.slow
def test_workers_killed_while_idle_never_fail_a_query(fair):
    url, pid = fair
    _wait(lambda: len(_workers_of(pid)) == 4 and not _niced(pid), TIME_LIMIT)  # 3 and the spare
    for worker in _workers_of(pid):
        os.kill(worker, signal.SIGKILL)
    for i in range(4):
        r = httpx.get(url + "/sparql", params={"query": MISSIONS + f" # idle-dead {i}"}, timeout=TIME_LIMIT)
        assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "4"
