"""The per-worker memory bound: a query whose worker grows past it is stopped (503) and
the worker replaced; the limit is set like the others and shown on /limits."""

from __future__ import annotations

import asyncio
import json
import threading

import httpx
import pytest

from codikg.config.limits import Limits, limits_from_env
from codikg.store.pool import QueryMemoryExceeded, QueryPool

from conftest import serve

MEMORY_MIB = 200  # the limited server's --worker-memory
TIME_LIMIT = 60  # seconds: far past what the doubling query needs to pass the memory bound


def doubling_query(steps: int) -> str:
    """A short query whose last string is 2**steps bytes: each BIND doubles the one before."""
    binds = " ".join(f"BIND(CONCAT(?v{i},?v{i}) AS ?v{i + 1})" for i in range(steps))
    return f'SELECT (STRLEN(?v{steps}) AS ?len) {{ BIND("a" AS ?v0) {binds} }}'


MISSIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/codikg/ontology#Mission> }"


def test_worker_memory_comes_from_the_environment_and_goes_to_the_pool():
    limits = limits_from_env({"CODIKG_WORKER_MEMORY": "300"})
    assert limits.worker_memory == 300
    assert limits.pool_options()["memory_limit"] == 300 * 1024 * 1024
    assert Limits().worker_memory == 512
    with pytest.raises(ValueError, match="worker_memory must be positive"):
        Limits(worker_memory=0)
    with pytest.raises(ValueError, match="CODIKG_WORKER_MEMORY='lots' is not a number"):
        limits_from_env({"CODIKG_WORKER_MEMORY": "lots"})


@pytest.fixture(scope="module")
def small_memory(release):
    folder, _ = release
    with serve(folder, "--worker-memory", str(MEMORY_MIB), "--time-limit", str(TIME_LIMIT),
               "--workers", "2") as url:
        yield url


@pytest.mark.slow
def test_a_query_past_the_memory_bound_is_stopped_and_its_worker_replaced(small_memory):
    limits = httpx.get(small_memory + "/limits", timeout=10)
    assert f"query memory: {MEMORY_MIB} MiB per query worker" in limits.text
    before = httpx.get(small_memory + "/sparql", params={"query": MISSIONS}, timeout=30)
    assert before.status_code == 200
    # 2**30 bytes in the last string alone: far past the bound, well within the time limit.
    r = httpx.get(small_memory + "/sparql", params={"query": doubling_query(30)}, timeout=10 * TIME_LIMIT)
    assert r.status_code == 503
    assert r.headers["query-limit-exceeded"] == "memory"
    assert f"memory limit of {MEMORY_MIB} MiB" in r.text
    # the killed worker was replaced: both workers answer again, at once
    answers = []
    threads = [threading.Thread(target=lambda i=i: answers.append(httpx.get(
        small_memory + "/sparql", params={"query": MISSIONS + f" # {i}"}, timeout=30))) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [(a.status_code, a.json()["results"]["bindings"][0]["n"]["value"]) for a in answers] == [(200, "4")] * 4


@pytest.mark.slow
def test_pool_kills_a_worker_past_the_memory_bound_and_answers_on_a_fresh_one(release):
    folder, _ = release

    async def scenario():
        pool = QueryPool(folder / "codikg.trig", 1, memory_limit=MEMORY_MIB * 2**20)
        header = {"op": "query", "results": "application/sparql-results+json", "limit": 10}
        try:
            meta, body = await pool.execute(header, doubling_query(10).encode(), TIME_LIMIT, TIME_LIMIT)
            assert meta["status"] == 200 and json.loads(body)["results"]["bindings"][0]["len"]["value"] == "1024"
            first = next(iter(pool._workers)).proc
            with pytest.raises(QueryMemoryExceeded, match=f"memory limit of {MEMORY_MIB} MiB"):
                await pool.execute(header, doubling_query(30).encode(), TIME_LIMIT, TIME_LIMIT)
            assert pool.killed == 1 and first not in {w.proc for w in pool._workers} and pool.size == 1
            meta, body = await pool.execute(header, MISSIONS.encode(), TIME_LIMIT, TIME_LIMIT)
            assert meta["status"] == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"
        finally:
            pool.close()

    asyncio.run(scenario())
