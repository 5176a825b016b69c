"""HTTP behaviour every route shares: CORS (with preflight), HEAD, OPTIONS and
the language cookie.

CORS uses Starlette's middleware, and only it (no route sets
``Access-Control-*``): the data is public, so any origin may read every
answer, send the SPARQL protocol's POST bodies and read the headers that
carry caching, negotiation and query-limit information (:class:`PublicCORS`).
HEAD is answered for every GET route (RFC 9110 §9.3.2: same headers, no
body). Bodies are gzipped by Starlette's middleware unless ``Accept-Encoding``
refuses gzip (``gzip;q=0``, RFC 9110 §12.5.3, parsed by Werkzeug); a strong
``ETag`` of a body it compresses becomes weak (:class:`GZipMiddleware`). A plain OPTIONS
request (not a CORS preflight) gets ``204`` and ``Allow`` (RFC 9110 §9.3.7),
and every 405's ``Allow`` lists HEAD and OPTIONS too (§15.5.6): the route's
own methods come from the router's 405. ``?lang=`` is remembered by
:class:`codikg.web.i18n.RememberLanguage`. Every answer has at most one
``Vary``, naming each header once (:class:`OneVary`).
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware import gzip
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from werkzeug.datastructures import HeaderSet
from werkzeug.http import parse_accept_header, parse_list_header

from codikg.web.http.conditional import weak
from codikg.web.i18n import RememberLanguage

#: Response headers a cross-origin script may read.
EXPOSED_HEADERS = ["ETag", "Last-Modified", "Content-Location", "Link", "Location", "Vary",
                   "Retry-After", "Query-Time-Limit", "Query-Result-Limit", "Query-Result-Rows",
                   "Query-Limit-Exceeded", "X-Trace-Gaps"]


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` value lets the answer be gzip-coded (RFC 9110
    §12.5.3): ``gzip`` (or ``x-gzip``, §8.4.1.3) or ``*`` with a q-value above 0;
    ``gzip;q=0`` refuses it, whatever ``*`` says."""
    accept = parse_accept_header(accept_encoding or "")
    return accept.quality("gzip") > 0 or any(v.lower() == "x-gzip" and q > 0 for v, q in accept)


class GZipMiddleware(gzip.GZipMiddleware):
    """Starlette's GZipMiddleware, which compresses whenever ``gzip`` appears in
    ``Accept-Encoding``, but sending identity when :func:`accepts_gzip` says no.

    A strong ``ETag`` names exact bytes (RFC 9110 §8.8.1), so one on a body
    this middleware compresses is sent weak (``"x"`` → ``W/"x"``), as is the
    tag of a 304 to a client that accepts gzip: the copy it revalidates may be
    the compressed one, and a cache updates it only from a tag that matches it
    (RFC 9111 §4.3.4). A body the route encoded itself (a dump's gzip twin,
    with its own strong tag) keeps its tag.
    """

    def __init__(self, app: ASGIApp, **options):
        super().__init__(_NoteEncoding(app), **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not accepts_gzip(Headers(scope=scope).get("accept-encoding")):
            responder = gzip.IdentityResponder(self.app, self.minimum_size,
                                               exclude_content_types=self.exclude_content_types)
            await responder(scope, receive, send)
            return

        async def weaken(message: Message) -> None:
            if message["type"] == "http.response.start" and not scope.get(_ENCODED_BY_APP):
                headers = MutableHeaders(scope=message)
                if "etag" in headers and ("content-encoding" in headers or message["status"] == 304):
                    headers["etag"] = weak(headers["etag"])
            await send(message)

        await super().__call__(scope, receive, weaken)


_ENCODED_BY_APP = "codikg.encoded_by_app"


class _NoteEncoding:
    """ASGI middleware: mark the scope when the app sends an answer it encoded itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def note(message: Message) -> None:
            if message["type"] == "http.response.start" and "content-encoding" in Headers(
                    raw=message.get("headers", [])):
                scope[_ENCODED_BY_APP] = True
            await send(message)

        await self.app(scope, receive, note)


class PublicCORS(CORSMiddleware):
    """Starlette's CORS middleware, which adds ``Access-Control-Allow-Origin``
    and ``Access-Control-Expose-Headers`` only when the request has an ``Origin``,
    adding them to every answer but a plain OPTIONS's.

    A browser or a shared cache may keep an answer fetched without ``Origin``
    and reuse it for a cross-origin request; it is readable there only if it
    already carries the headers (Fetch Standard, "CORS protocol and HTTP
    caches"). OPTIONS answers are not cached (RFC 9110 §9.3.7), so a plain
    OPTIONS without ``Origin`` is left as Starlette leaves it.
    """

    async def simple_response(self, scope: Scope, receive: Receive, send: Send,
                              request_headers: Headers) -> None:
        if "origin" in request_headers or scope["method"] == "OPTIONS":
            await super().simple_response(scope, receive, send, request_headers)
            return

        async def public(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                MutableHeaders(scope=message).update(self.simple_headers)
            await send(message)

        await super().simple_response(scope, receive, public, request_headers)


_NEGOTIATION_HEADERS = (b"accept", b"accept-language", b"accept-encoding")


class BoundNegotiation:
    """ASGI middleware: refuse, before any parser sees them, ``Accept``,
    ``Accept-Language`` and ``Accept-Encoding`` values longer than ``max_bytes``
    or listing more than ``max_ranges`` comma-separated members (RFC 9110
    §12.5), with ``431 Request Header Fields Too Large`` (RFC 6585 §5: one
    header field too large) naming the header and the limit.

    python-mimeparse and Werkzeug parse every member against every candidate
    in Python; a 4 MB ``Accept`` held the event loop for seconds.

    Args:
        app: the ASGI application to wrap.
        max_ranges: most members of one of those headers (``Limits.max_accept_ranges``).
        max_bytes: longest value of one of those headers (``Limits.max_accept_bytes``).
    """

    def __init__(self, app: ASGIApp, max_ranges: int, max_bytes: int):
        self.app, self.max_ranges, self.max_bytes = app, max_ranges, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            seen: dict[bytes, tuple[int, int]] = {}  # a header sent twice counts as one list
            for name, value in scope["headers"]:
                if name in _NEGOTIATION_HEADERS:
                    size, members = seen.get(name, (-2, 0))
                    size, members = size + 2 + len(value), members + value.count(b",") + 1
                    seen[name] = size, members
                    problem = (f"is {size} bytes long" if size > self.max_bytes else
                               f"lists {members} members" if members > self.max_ranges else None)
                    if problem:
                        header = "-".join(p.capitalize() for p in name.decode("latin-1").split("-"))
                        body = (f"431 Request Header Fields Too Large: {header} {problem}, over the "
                                f"limit of {self.max_ranges} members and {self.max_bytes} bytes\n")
                        await PlainTextResponse(body, status_code=431)(scope, receive, send)
                        return
        await self.app(scope, receive, send)


class HeadAsGet:
    """ASGI middleware: run a HEAD request as GET and send the headers only."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allow_header(methods: str) -> str:
    """``Allow`` for a route whose methods are ``methods`` (a 405's ``Allow``, e.g.
    ``"POST, HEAD, GET"``): with HEAD wherever GET is (:class:`HeadAsGet`) and
    OPTIONS (:class:`AnswerOptions`), in a fixed order: ``"GET, HEAD, POST, OPTIONS"``."""
    found = {m.strip().upper() for m in methods.split(",") if m.strip()} | {"OPTIONS"}
    if "GET" in found:
        found.add("HEAD")
    return ", ".join(sorted(found, key=lambda m: (_METHOD_ORDER.index(m) if m in _METHOD_ORDER
                                                  else len(_METHOD_ORDER), m)))


class AnswerOptions:
    """ASGI middleware: ``204`` with ``Allow`` for OPTIONS on any route; a full ``Allow`` on 405.

    The request goes through the router as it is; a route that exists answers
    OPTIONS with ``405`` and its methods in ``Allow``, which becomes ``204 No
    Content`` with :func:`allow_header`. An unknown path keeps its 404. CORS
    preflights never get here (:class:`CORSMiddleware` is outside and answers them).
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        options = scope["method"] == "OPTIONS"
        swallow = False

        async def send_allow(message: Message) -> None:
            nonlocal swallow
            if message["type"] == "http.response.start" and message["status"] == 405:
                allow = MutableHeaders(scope=message).get("allow")
                if allow is not None and options:
                    swallow = True  # the router's "Method Not Allowed" body is not sent
                    await send({"type": "http.response.start", "status": 204,
                                "headers": [(b"allow", allow_header(allow).encode("latin-1"))]})
                    return
                if allow is not None:
                    MutableHeaders(scope=message)["allow"] = allow_header(allow)
            elif swallow and message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, send_allow)


class OneVary:
    """ASGI middleware: one ``Vary`` header naming each field once (RFC 9110 §12.5.5),
    case-insensitively, in the order first named.

    Starlette's GZip and CORS middleware append their field to the route's
    ``Vary`` (a dump's ``Accept-Encoding`` came back twice); the members are
    merged with Werkzeug's :class:`~werkzeug.datastructures.HeaderSet`.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_one(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = message.get("headers", [])
                values = [value for name, value in raw if name.lower() == b"vary"]
                if values:
                    fields = HeaderSet()
                    for value in values:
                        for member in parse_list_header(value.decode("latin-1")):
                            fields.add(member)
                    vary = "*" if "*" in fields else fields.to_header()
                    message = {**message, "headers": [(n, v) for n, v in raw if n.lower() != b"vary"]
                               + [(b"vary", vary.encode("latin-1"))]}
            await send(message)

        await self.app(scope, receive, send_one if scope["type"] == "http" else send)


def install(app) -> None:
    """Add OPTIONS, the language cookie, CORS, HEAD handling and the one ``Vary`` to a
    FastAPI/Starlette ``app`` (outermost, in reverse order: ``Vary`` is merged last)."""
    app.add_middleware(AnswerOptions)
    app.add_middleware(RememberLanguage)
    app.add_middleware(PublicCORS, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["*"], expose_headers=EXPOSED_HEADERS, max_age=86400)
    app.add_middleware(HeadAsGet)
    app.add_middleware(OneVary)
