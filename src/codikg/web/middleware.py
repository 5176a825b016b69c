"""HTTP behaviour every route shares: CORS (with preflight) and HEAD.

CORS uses Starlette's middleware: the data is public, so any origin may read
every answer, send the SPARQL protocol's POST bodies and read the headers that
carry caching, negotiation and query-limit information. HEAD is answered for
every GET route (RFC 9110 §9.3.2: same headers, no body).
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Response headers a cross-origin script may read.
EXPOSED_HEADERS = ["ETag", "Last-Modified", "Content-Location", "Link", "Location", "Vary",
                   "Retry-After", "Query-Time-Limit", "Query-Result-Limit", "Query-Result-Rows",
                   "Query-Limit-Exceeded"]


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


def install(app) -> None:
    """Add CORS and HEAD handling to a FastAPI/Starlette ``app`` (outermost)."""
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["*"], expose_headers=EXPOSED_HEADERS, max_age=86400)
    app.add_middleware(HeadAsGet)
