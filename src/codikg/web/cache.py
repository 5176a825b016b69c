"""An in-memory cache of SPARQL responses for one immutable release.

A release never changes while it is served, so the answer to a query depends
only on the request: the key is (query text, dataset IRIs, negotiated media
types, base IRI). Entries are evicted least-recently-used once their bodies
pass ``max_bytes``. The ETag is a hash of the body, so it is correct by
construction (RFC 9110 §8.8.3) whether or not the entry was cached.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class CachedResponse:
    """A response ready to send again: status, Content-Type, headers, body, ETag."""

    status: int
    content_type: str
    headers: dict
    body: bytes
    etag: str


def etag_of(body: bytes) -> str:
    """A strong entity tag for ``body``: ``"<32 hex digits>"`` (BLAKE2b-128)."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


class ResponseCache:
    """LRU cache bounded by the total size of the bodies it holds.

    Args:
        max_bytes: total body bytes kept; 0 disables the cache. One body may
            take at most an eighth of it.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, CachedResponse] = OrderedDict()
        self._size = 0
        self.hits = self.misses = 0
        self.replays = 0  # answers sent by codikg.web.fastpath, counted apart from hits

    def get(self, key: tuple, count: bool = True) -> CachedResponse | None:
        """The entry for ``key`` (now most recently used), or None; ``count=False``
        leaves the hit/miss counters alone (for lookups of the replay layer)."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += count
            return None
        self._entries.move_to_end(key)
        self.hits += count
        return entry

    def put(self, key: tuple, entry: CachedResponse) -> None:
        size = len(entry.body)
        if not self.max_bytes or size > self.max_bytes // 8 or key in self._entries:
            return
        self._entries[key] = entry
        self._size += size
        while self._size > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self._size -= len(old.body)

    def clear(self) -> None:
        self._entries.clear()
        self._size = 0
