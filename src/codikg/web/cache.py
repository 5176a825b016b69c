"""An in-memory cache of SPARQL responses for one immutable release.

A release never changes while it is served, so the answer to a query depends
only on the request: the key is (query text, dataset IRIs, negotiated media
types, base IRI). Entries are evicted least-recently-used once their
accounted size passes ``max_bytes``: an entry costs its body, its headers
and a fixed overhead (:func:`entry_cost`), and its key a fixed 32 bytes, for
keys are kept as a SHA-256 digest of their parts (:func:`key_digest`) — a
replay key holds request headers (``Cookie``…) that a client may make a
megabyte long. The ETag is a hash of the body, so it is correct by
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


#: Bytes accounted for an entry beyond its contents: the digest key (32 + object),
#: the LRU node, the CachedResponse and its header list (measured with tracemalloc:
#: ~600 bytes for an entry of 4 short headers, which this accounts as ~940).
ENTRY_OVERHEAD = 256
#: Bytes accounted per header beyond its name and value (a tuple of two bytes objects).
HEADER_OVERHEAD = 128


def key_digest(key: tuple) -> bytes:
    """The SHA-256 digest (32 bytes) of ``key``'s parts, each tagged and
    length-prefixed so that no two keys share a digest by concatenation.

    Parts may be ``str``, ``bytes``, ``None``, numbers or tuples of those.
    """
    digest = hashlib.sha256()

    def add(part) -> None:
        if isinstance(part, tuple):
            digest.update(b"t%d:" % len(part))
            for item in part:
                add(item)
            return
        if isinstance(part, bytes):
            data, tag = part, b"b"
        elif isinstance(part, str):
            data, tag = part.encode("utf-8", "surrogatepass"), b"s"
        elif part is None:
            data, tag = b"", b"n"
        else:
            data, tag = repr(part).encode(), b"r"
        digest.update(tag + b"%d:" % len(data) + data)

    add(key)
    return digest.digest()


def entry_cost(entry: CachedResponse) -> int:
    """Bytes :class:`ResponseCache` accounts for ``entry``: body, Content-Type, ETag,
    each header (name + value + :data:`HEADER_OVERHEAD`) and :data:`ENTRY_OVERHEAD`."""
    headers = entry.headers.items() if isinstance(entry.headers, dict) else entry.headers
    return (ENTRY_OVERHEAD + len(entry.body) + len(entry.content_type) + len(entry.etag)
            + sum(HEADER_OVERHEAD + len(name) + len(value) for name, value in headers))


def _stored_key(key: tuple) -> tuple[str, bytes]:
    label = key[0] if key and isinstance(key[0], str) and len(key[0]) <= 16 else ""
    return label, key_digest(key)


def etag_of(body: bytes) -> str:
    """A strong entity tag for ``body``: ``"<32 hex digits>"`` (BLAKE2b-128)."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


class ResponseCache:
    """LRU cache bounded by the accounted size of its entries (:func:`entry_cost`).

    Args:
        max_bytes: total accounted bytes kept; 0 disables the cache. One entry
            may take at most an eighth of it.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        # (label, digest) → (entry, cost); the label is a short first part of the key
        # ("replay" for codikg.web.fastpath), "" for a long one (a query text).
        self._entries: OrderedDict[tuple[str, bytes], tuple[CachedResponse, int]] = OrderedDict()
        self._size = 0
        self.hits = self.misses = 0
        self.replays = 0  # answers sent by codikg.web.fastpath, counted apart from hits

    @property
    def size(self) -> int:
        """Accounted bytes of the entries held (at most ``max_bytes``)."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple, count: bool = True) -> CachedResponse | None:
        """The entry for ``key`` (now most recently used), or None; ``count=False``
        leaves the hit/miss counters alone (for lookups of the replay layer)."""
        if not self._entries:
            self.misses += count
            return None
        digest = _stored_key(key)
        found = self._entries.get(digest)
        if found is None:
            self.misses += count
            return None
        self._entries.move_to_end(digest)
        self.hits += count
        return found[0]

    def put(self, key: tuple, entry: CachedResponse) -> None:
        """Keep ``entry`` under ``key`` (its digest), evicting the least recently
        used entries until the accounted size is back under ``max_bytes``; an
        entry over an eighth of ``max_bytes`` is not kept."""
        if not self.max_bytes:
            return
        size = entry_cost(entry)
        digest = _stored_key(key)
        if size > self.max_bytes // 8 or digest in self._entries:
            return
        self._entries[digest] = entry, size
        self._size += size
        while self._size > self.max_bytes:
            _, (_, old) = self._entries.popitem(last=False)
            self._size -= old

    def clear(self) -> None:
        self._entries.clear()
        self._size = 0
