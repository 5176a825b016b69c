"""The response cache bounds its memory: keys (hashed), headers and bodies all count."""

from __future__ import annotations

from codikg.web.cache import (ENTRY_OVERHEAD, HEADER_OVERHEAD, CachedResponse, ResponseCache, entry_cost,
                              etag_of, key_digest)


def _entry(i: int) -> CachedResponse:
    body = b"%100d" % i
    return CachedResponse(200, "", [(b"content-type", b"text/plain")], body, etag_of(body))


def test_an_entry_costs_its_body_headers_and_a_fixed_overhead():
    assert entry_cost(_entry(1)) == ENTRY_OVERHEAD + 100 + 34 + HEADER_OVERHEAD + 12 + 10 == 540


def test_huge_distinct_keys_stay_within_the_limit():
    cache = ResponseCache(54_000)  # exactly 100 entries of 540 bytes
    for i in range(1000):
        cache.put(("replay", b"cookie=" + str(i).encode() + b"x" * 1_000_000), _entry(i))
        assert cache.size <= 54_000
    assert len(cache) == 100
    assert cache.size == 54_000
    # the last 100 are kept, and found again by their (hashed) keys
    assert cache.get(("replay", b"cookie=999" + b"x" * 1_000_000)).body == b"%100d" % 999
    assert cache.get(("replay", b"cookie=899" + b"x" * 1_000_000)) is None
    assert all(label == "replay" and len(digest) == 32 for label, digest in cache._entries)


def test_an_entry_over_an_eighth_of_the_limit_is_not_kept():
    cache = ResponseCache(8 * 539)
    cache.put(("k",), _entry(1))
    assert len(cache) == 0 and cache.size == 0


def test_key_digests_tell_parts_apart():
    assert key_digest(("ab", "c")) != key_digest(("a", "bc"))
    assert key_digest((b"a",)) != key_digest(("a",))
    assert key_digest((None,)) != key_digest(("",))
    assert key_digest(("q", ("g1", "g2"))) != key_digest(("q", ("g1g2",)))
    assert key_digest(("q", ("x",))) == key_digest(("q", ("x",)))


def test_a_replay_with_a_huge_cookie_is_served_by_its_hashed_key(client):
    cache = client.app.state.query_cache
    headers = {"Cookie": "session=" + "c" * 200_000, "Accept": "application/sparql-results+json"}
    first = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=headers)
    replays = cache.replays
    second = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
    assert cache.replays == replays + 1
    assert cache.size <= cache.max_bytes
