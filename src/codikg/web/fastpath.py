"""Replay repeated GET responses of an immutable release without running the app.

A release never changes while it is served, so a ``GET`` of ``/sparql?query=…``
or of a resource page gets the same bytes every time the request is the same.
:class:`ReplayCache` is a pure ASGI middleware (ASGI 3.0): the first time it
sees a request it lets the app answer, keeps a copy of a complete ``200``
(or redirect) response, and afterwards sends that copy itself — no routing, parsing,
negotiation or worker round trip. That is what brings repeated requests close
to the bare-ASGI ceiling of the HTTP layer.

What makes two requests "the same" is the key: release id, scheme, ``Host``,
root path, path, raw query string and the request headers a response may
depend on (``Accept``, ``Accept-Encoding``, ``Accept-Language``, ``Cookie``,
``Origin`` for CORS). A response is kept
only when:

* the method is ``GET`` and the path is under one of ``prefixes``;
* the request has no ``If-None-Match``/``If-Modified-Since``/``Range``
  (those go to the app, which answers 304/206 itself);
* the status is 200 or a redirect (301, 303, 307, 308), the body is complete
  and fits the cache;
* the response has no ``Set-Cookie``, no ``Cache-Control: no-store`` (how the
  SPARQL endpoint marks answers of volatile queries — ``RAND()``, ``NOW()``…),
  and its ``Vary`` names only headers of the key (RFC 9110 §12.5.5).

The copies live in the app's :class:`codikg.web.cache.ResponseCache`, so one
byte budget bounds both caches and clearing it (after a scratch update) clears
both.
"""

from __future__ import annotations

from codikg.web.cache import CachedResponse, ResponseCache, etag_of

_KEY_HEADERS = (b"accept", b"accept-encoding", b"accept-language", b"cookie", b"origin")
_BYPASS_HEADERS = {b"if-none-match", b"if-modified-since", b"range", b"if-range"}
# Complete answers and the Cool-URI redirects (303 from /id/… to its documents).
_STATUSES = {200, 301, 303, 307, 308}
_VARY_OK = {"accept", "accept-encoding", "accept-language", "cookie", "origin"}


class ReplayCache:
    """ASGI middleware replaying complete ``200`` GET responses (see the module docstring).

    Args:
        app: the ASGI application to wrap.
        cache: where copies are kept (bounded by its ``max_bytes``; 0 disables replay).
        release: the release id, part of every key.
        prefixes: URL path prefixes whose GET responses may be replayed.
    """

    def __init__(self, app, cache: ResponseCache, release: str, prefixes: tuple[str, ...]):
        self.app, self.cache, self.release, self.prefixes = app, cache, release, prefixes

    def _key(self, scope) -> tuple | None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.cache.max_bytes:
            return None
        path = scope["path"]
        if not path.startswith(self.prefixes):
            return None
        wanted = dict.fromkeys(_KEY_HEADERS, b"")
        host = b""
        for name, value in scope["headers"]:
            if name in wanted:
                wanted[name] = value
            elif name == b"host":
                host = value
            elif name in _BYPASS_HEADERS:
                return None
        return ("replay", self.release, scope["scheme"], host, scope.get("root_path", ""), path,
                scope["query_string"], *wanted.values())

    async def __call__(self, scope, receive, send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self.cache.get(key, count=False)
        if entry is not None:
            self.cache.replays += 1
            await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        start: dict | None = None
        chunks: list[bytes] = []
        keep, size = True, 0

        async def capture(message) -> None:
            nonlocal start, keep, size
            if message["type"] == "http.response.start":
                start = message
                keep = message["status"] in _STATUSES and _replayable(message.get("headers", []))
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.cache.max_bytes // 8:  # too big to keep: stop copying it
                    keep, chunks[:] = False, []
                elif not message.get("more_body", False):
                    body = b"".join(chunks)
                    self.cache.put(key, CachedResponse(start["status"], "", list(start["headers"]), body,
                                                       etag_of(body)))
            await send(message)

        await self.app(scope, receive, capture)


def _replayable(headers) -> bool:
    for name, value in headers:
        name = name.lower()
        if name == b"set-cookie":
            return False
        if name == b"cache-control" and b"no-store" in value.lower():
            return False
        if name == b"vary":
            vary = {v.strip().lower() for v in value.decode("latin-1").split(",")}
            if not vary <= _VARY_OK:
                return False
    return True
