"""The limits that protect a public SPARQL endpoint, and where they come from.

Every value can be set by an environment variable (listed per field) and by
the matching ``codikg serve`` option, which wins.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    """Limits of the public ``/sparql`` endpoint.

    Attributes:
        time_limit: seconds a query may run before its worker is killed
            (``CODIKG_QUERY_TIME_LIMIT``) → 503 + ``Query-Limit-Exceeded: time``.
        result_limit: most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE)
            returned (``CODIKG_RESULT_LIMIT``); longer answers are cut and say so
            in ``Query-Limit-Exceeded: result-rows``.
        max_query_bytes: longest query text in UTF-8 bytes
            (``CODIKG_MAX_QUERY_BYTES``) → 414 on GET, 413 on POST.
        max_body_bytes: largest POST body (``CODIKG_MAX_BODY_BYTES``) → 413.
        workers: query worker processes (``CODIKG_QUERY_WORKERS``); each holds
            the release in memory (about 56 MB RSS for the first published plan). The
            default, twice the CPUs and at least 4, keeps fast queries
            answered while a few slow ones run to their time limit.
        worker_memory: MiB (2**20 bytes) of resident memory a query worker may
            reach while it runs a query (``CODIKG_WORKER_MEMORY``); past it the
            worker is killed and replaced → 503 + ``Query-Limit-Exceeded: memory``.
            An idle worker holds 32–56 MiB.
        cache_bytes: response cache size in bytes, 0 disables it
            (``CODIKG_QUERY_CACHE_BYTES``).
        max_header_bytes: largest total of the request's header fields, each
            counted as name + value + 4 bytes (``CODIKG_MAX_HEADER_BYTES``) →
            431 (RFC 6585 §5), checked by the HTTP protocol before the app sees
            a header (:mod:`codikg.web.http.server`).
        max_accept_ranges: most comma-separated members of ``Accept``,
            ``Accept-Language`` or ``Accept-Encoding`` (``CODIKG_MAX_ACCEPT_RANGES``) → 431.
        max_accept_bytes: longest value of one of those headers
            (``CODIKG_MAX_ACCEPT_BYTES``) → 431.
        header_timeout: seconds a connection may take to send a request's line and
            headers, from its first byte (or from the connection) (``CODIKG_HEADER_TIMEOUT``)
            → 408 and closed.
        body_timeout: seconds a request body may take to arrive once the headers
            are in (``CODIKG_BODY_TIMEOUT``) → 408 and closed.
        keep_alive_timeout: seconds an idle keep-alive connection stays open
            (``CODIKG_KEEP_ALIVE_TIMEOUT``; uvicorn's ``timeout_keep_alive``).
        max_connections: most open connections, and most requests in progress
            (``CODIKG_MAX_CONNECTIONS``) → 503 + ``Retry-After``, closed.
        long_query_after: CPU seconds a query may use as a fresh query before it
            counts as long (``CODIKG_LONG_QUERY_AFTER``): a query's cost is unknown
            in advance, so every query starts on a worker for fresh queries and one
            that uses up this budget moves to the long lane (lower CPU priority).
        long_queries: most long queries at once (``CODIKG_LONG_QUERIES``; 0, the
            default, means half the workers, at least one); fewer than ``workers``,
            so the others always take fresh queries. A query that outlives the
            budget while the lane is full is stopped → 503 + ``Retry-After``.
            With one worker there is no long lane (every query runs to the time limit).
        client_long_queries: most long queries of one client at once
            (``CODIKG_CLIENT_LONG_QUERIES``) → 429 + ``Retry-After``.
        trusted_proxies: comma-separated addresses or networks of reverse proxies
            whose ``X-Forwarded-For`` names the client (``CODIKG_TRUSTED_PROXIES``;
            default none: the client is the peer address).
        allow_update: accept SPARQL Update on a scratch in-memory copy of the
            release (for the W3C protocol tests only; forces one worker and no
            cache).
    """

    time_limit: float = 5.0
    result_limit: int = 10_000
    max_query_bytes: int = 32 * 1024
    max_body_bytes: int = 1024 * 1024
    workers: int = max(4, 2 * (os.cpu_count() or 1))
    worker_memory: int = 512
    cache_bytes: int = 64 * 1024 * 1024
    max_header_bytes: int = 16 * 1024
    max_accept_ranges: int = 64
    max_accept_bytes: int = 4096
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 1000
    long_query_after: float = 0.2
    long_queries: int = 0
    client_long_queries: int = 1
    trusted_proxies: str = ""
    allow_update: bool = False

    def __post_init__(self):
        for name in ("time_limit", "result_limit", "max_query_bytes", "max_body_bytes", "workers",
                     "worker_memory",
                     "max_header_bytes", "max_accept_ranges", "max_accept_bytes", "header_timeout",
                     "body_timeout", "keep_alive_timeout", "max_connections", "long_query_after",
                     "client_long_queries"):
            if getattr(self, name) <= 0:
                raise ValueError(f"limit {name} must be positive, not {getattr(self, name)!r}")
        if self.cache_bytes < 0:
            raise ValueError(f"limit cache_bytes must be >= 0, not {self.cache_bytes!r}")
        if self.long_queries < 0 or (self.workers > 1 and self.long_queries >= self.workers):
            raise ValueError(f"limit long_queries must be between 1 and workers - 1 ({self.workers - 1}), "
                             f"or 0 for half the workers, not {self.long_queries!r}")
        for entry in self.proxies():
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"trusted proxy {entry!r} is not an IP address or network") from None

    def proxies(self) -> list[str]:
        """The trusted proxies, one address or network (``10.0.0.0/8``) each."""
        return [entry.strip() for entry in self.trusted_proxies.split(",") if entry.strip()]

    def fair_use(self) -> dict:
        """The keyword arguments of :class:`codikg.store.pool.QueryPool` for fair use:
        ``long_after`` (seconds, ``None`` with one worker: no long lane),
        ``long_lane`` and ``client_long`` (query counts)."""
        if self.workers < 2:
            return {"long_after": None, "long_lane": 0, "client_long": self.client_long_queries}
        lane = self.long_queries or max(1, self.workers // 2)
        return {"long_after": self.long_query_after, "long_lane": lane,
                "client_long": self.client_long_queries}

    def pool_options(self) -> dict:
        """The keyword arguments of :class:`codikg.store.pool.QueryPool` these limits
        set: :meth:`fair_use` and ``memory_limit`` (bytes)."""
        return {**self.fair_use(), "memory_limit": self.worker_memory * 2**20}

    def with_options(self, **options) -> "Limits":
        """A copy with the options that are not ``None`` replaced."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})


_ENV = {"time_limit": "CODIKG_QUERY_TIME_LIMIT", "result_limit": "CODIKG_RESULT_LIMIT",
        "max_query_bytes": "CODIKG_MAX_QUERY_BYTES", "max_body_bytes": "CODIKG_MAX_BODY_BYTES",
        "workers": "CODIKG_QUERY_WORKERS", "worker_memory": "CODIKG_WORKER_MEMORY",
        "cache_bytes": "CODIKG_QUERY_CACHE_BYTES",
        "max_header_bytes": "CODIKG_MAX_HEADER_BYTES", "max_accept_ranges": "CODIKG_MAX_ACCEPT_RANGES",
        "max_accept_bytes": "CODIKG_MAX_ACCEPT_BYTES", "header_timeout": "CODIKG_HEADER_TIMEOUT",
        "body_timeout": "CODIKG_BODY_TIMEOUT", "keep_alive_timeout": "CODIKG_KEEP_ALIVE_TIMEOUT",
        "max_connections": "CODIKG_MAX_CONNECTIONS", "long_query_after": "CODIKG_LONG_QUERY_AFTER",
        "long_queries": "CODIKG_LONG_QUERIES", "client_long_queries": "CODIKG_CLIENT_LONG_QUERIES",
        "trusted_proxies": "CODIKG_TRUSTED_PROXIES"}


def limits_from_env(environ=os.environ) -> Limits:
    """:class:`Limits` with the ``CODIKG_*`` variables of ``environ`` applied.

    Raises:
        ValueError: a variable is not a number (names the variable).
    """
    kinds = {f.name: f.type for f in fields(Limits)}
    values = {}
    for name, var in _ENV.items():
        if var in environ:
            cast = {"float": float, "str": str}.get(kinds[name], int)
            try:
                values[name] = cast(environ[var])
            except ValueError:
                raise ValueError(f"{var}={environ[var]!r} is not a number") from None
    return Limits(**values)
